/**
 * `Money.allocate`: largest-remainder allocation of minor units. Examples with hand-computed
 * numbers, then its laws as properties.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { splitByLargestRemainder } from "../../src/Discounts.ts"
import { allocate } from "../../src/Money.ts"

describe("allocate: hand-computed", () => {
  it.each([
    // 100 / 3 = 33 r 1 each; the one unit left goes to the first of the equal remainders.
    [100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    // 1000 × 2/3 = 666 r 2000 (of 3000), 1000 × 1/3 = 333 r 1000: the larger remainder gets the unit.
    [1000n, [2000n, 1000n], [667n, 333n]],
    // 10 × 1/3 = 3 r 1, 10 × 2/3 = 6 r 2: the later weight has the larger remainder and wins.
    [10n, [1n, 2n], [3n, 7n]],
    // $15.49 over weights 1:2 — 516.33… and 1032.66…: 516 + 1033.
    [1549n, [1n, 2n], [516n, 1033n]],
    // 100 × 3/7 = 42 r 6 (twice), 100 × 1/7 = 14 r 2: two units left, both to the remainders of 6.
    [100n, [3n, 3n, 1n], [43n, 43n, 14n]],
    // 7 / 4 = 1 r 3 each: three units left, to the first three in order.
    [7n, [1n, 1n, 1n, 1n], [2n, 2n, 2n, 1n]],
    // Exact shares need no rounding.
    [10n, [1n, 2n, 3n, 4n], [1n, 2n, 3n, 4n]],
    // A zero weight gets zero, even when a unit is left over.
    [1n, [0n, 5n, 5n], [0n, 1n, 0n]],
    [5n, [0n, 3n], [0n, 5n]],
    // Nothing to allocate; nothing to allocate by.
    [0n, [3n, 4n], [0n, 0n]],
    [5n, [0n, 0n], [0n, 0n]],
    [5n, [], []]
  ] as const)("allocate(%s, [%s]) = [%s]", (total, weights, parts) => {
    expect(allocate(total, weights)).toEqual(parts)
  })

  it("is what discounts and ledger credits are split with", () => {
    expect(splitByLargestRemainder(1000n, [2000n, 1000n])).toEqual(allocate(1000n, [2000n, 1000n]))
  })
})

/** Weights that tie often (small values, zeros) as well as large ones. */
const weightsArb = fc.array(
  fc.oneof(fc.bigInt({ min: 0n, max: 3n }), fc.bigInt({ min: 0n, max: 10n ** 9n })),
  { minLength: 1, maxLength: 12 }
).filter((ws) => ws.some((w) => w > 0n))
const totalArb = fc.oneof(fc.bigInt({ min: 0n, max: 20n }), fc.bigInt({ min: 0n, max: 10n ** 12n }))

const sumOf = (xs: ReadonlyArray<bigint>): bigint => xs.reduce((a, b) => a + b, 0n)

describe("allocate: laws of the parts and their shares", () => {
  it("the parts sum to the total exactly", () => {
    fc.assert(fc.property(totalArb, weightsArb, (total, weights) => {
      expect(sumOf(allocate(total, weights))).toBe(total)
    }))
  })

  it("each part lies within one minor unit of its exact share total × w / Σw", () => {
    fc.assert(fc.property(totalArb, weightsArb, (total, weights) => {
      const sum = sumOf(weights)
      allocate(total, weights).forEach((part, i) => {
        const exactTimesSum = total * (weights[i] as bigint)
        const diff = part * sum - exactTimesSum
        expect(diff > -sum && diff < sum, `part ${i}`).toBe(true)
        // and never below the floor of the share: largest remainder only ever adds
        expect(part).toBeGreaterThanOrEqual(exactTimesSum / sum)
      })
    }))
  })

  it("is proportional: a larger weight never gets less, and scaling every weight changes nothing", () => {
    fc.assert(fc.property(totalArb, weightsArb, fc.bigInt({ min: 2n, max: 1000n }), (total, weights, k) => {
      const parts = allocate(total, weights)
      for (let i = 0; i < weights.length; i++) {
        for (let j = 0; j < weights.length; j++) {
          if ((weights[i] as bigint) > (weights[j] as bigint)) expect(parts[i] as bigint).toBeGreaterThanOrEqual(parts[j] as bigint)
        }
      }
      expect(allocate(total, weights.map((w) => w * k))).toEqual(parts)
    }))
  })

  it("is deterministic and leaves its weights as they were", () => {
    fc.assert(fc.property(totalArb, weightsArb, (total, weights) => {
      const copy = [...weights]
      expect(allocate(total, weights)).toEqual(allocate(total, copy))
      expect(weights).toEqual(copy)
    }))
  })
})

describe("allocate: laws of zero weights and the left-over units", () => {
  it("gives a zero weight zero", () => {
    fc.assert(fc.property(totalArb, weightsArb, (total, weights) => {
      allocate(total, weights).forEach((part, i) => {
        if (weights[i] === 0n) expect(part).toBe(0n)
      })
    }))
  })

  it("gives the left-over units by largest remainder, equal remainders in index order", () => {
    fc.assert(fc.property(totalArb, weightsArb, (total, weights) => {
      const sum = sumOf(weights)
      const parts = allocate(total, weights)
      const got = weights.map((w, i) => (parts[i] as bigint) - (total * w) / sum)
      const rem = weights.map((w) => (total * w) % sum)
      for (let i = 0; i < weights.length; i++) {
        expect(got[i] === 0n || got[i] === 1n).toBe(true)
        for (let j = 0; j < weights.length; j++) {
          // i got a unit and j did not: i's remainder is larger, or equal and i comes first.
          if (got[i] === 1n && got[j] === 0n) {
            const ri = rem[i] as bigint
            const rj = rem[j] as bigint
            expect(ri > rj || (ri === rj && i < j), `units ${i} over ${j}`).toBe(true)
          }
        }
      }
    }))
  })

  it("gives equal weights parts that differ by at most one, the earlier ones first", () => {
    fc.assert(fc.property(totalArb, fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.integer({ min: 1, max: 12 }), (total, w, n) => {
      const parts = allocate(total, Array.from({ length: n }, () => w))
      const base = total / BigInt(n)
      const extra = Number(total % BigInt(n))
      expect(parts).toEqual(parts.map((_, i) => base + (i < extra ? 1n : 0n)))
    }))
  })

  it("gives nothing when every weight is zero (there is nothing to be proportional to)", () => {
    fc.assert(fc.property(totalArb, fc.integer({ min: 0, max: 8 }), (total, n) => {
      expect(allocate(total, Array.from({ length: n }, () => 0n))).toEqual(Array.from({ length: n }, () => 0n))
    }))
  })
})
