import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Rational from "../../src/Rational.ts"

const r = (n: bigint, d: bigint = 1n): Rational.Rational => Rational.make(n, d)
const eq = (a: Rational.Rational, b: Rational.Rational): boolean => Rational.compare(a, b) === 0

/** A rational with a non-zero denominator of either sign (make moves the sign). */
const arbRational: fc.Arbitrary<Rational.Rational> = fc
  .tuple(
    fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
    fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }).filter((d) => d !== 0n)
  )
  .map(([n, d]) => Rational.make(n, d))

const props = { seed: 20250116, numRuns: 200 } as const

describe("Rational.make", () => {
  it("moves a negative denominator's sign to the numerator", () => {
    expect(Rational.make(3n, -4n)).toEqual({ n: -3n, d: 4n })
    expect(Rational.make(-3n, -4n)).toEqual({ n: 3n, d: 4n })
    expect(Rational.make(3n, 4n)).toEqual({ n: 3n, d: 4n })
  })
})

describe("Rational.roundHalfAwayFromZero", () => {
  it.each<[bigint, bigint, bigint]>([
    [5n, 2n, 3n], // 2.5 → 3
    [-5n, 2n, -3n], // -2.5 → -3
    [24999n, 10000n, 2n], // 2.4999 → 2
    [-24999n, 10000n, -2n], // -2.4999 → -2
    [25001n, 10000n, 3n], // 2.5001 → 3
    [3n, 2n, 2n], // 1.5 → 2
    [-3n, 2n, -2n], // -1.5 → -2
    [1n, 2n, 1n], // 0.5 → 1
    [-1n, 2n, -1n], // -0.5 → -1
    [1n, 3n, 0n],
    [-1n, 3n, 0n],
    [2n, 3n, 1n],
    [-2n, 3n, -1n],
    [7n, 1n, 7n], // exact integers are unchanged
    [-7n, 1n, -7n],
    [0n, 1n, 0n],
    [0n, 5n, 0n],
    [12n, 4n, 3n], // unreduced exact integer
    [-12n, 4n, -3n],
    [2000n * 16n, 31n, 1032n], // 1032.258… → 1032
    [5000n * 16n, 31n, 2581n] // 2580.645… → 2581
  ])("%s/%s → %s", (n, d, expected) => {
    expect(Rational.roundHalfAwayFromZero(r(n, d))).toBe(expected)
  })

  it("handles a negative denominator", () => {
    expect(Rational.roundHalfAwayFromZero(Rational.make(5n, -2n))).toBe(-3n)
    expect(Rational.roundHalfAwayFromZero(Rational.make(-5n, -2n))).toBe(3n)
  })

  it("is exact on huge numbers (no float on the way)", () => {
    const big = 10n ** 30n
    expect(Rational.roundHalfAwayFromZero(r(big * 2n + 1n, 2n))).toBe(big + 1n)
    expect(Rational.roundHalfAwayFromZero(r(-(big * 2n + 1n), 2n))).toBe(-(big + 1n))
    expect(Rational.roundHalfAwayFromZero(r(big * 2n - 1n, 2n))).toBe(big) // x.5 rounds up
    expect(Rational.roundHalfAwayFromZero(r(big * 3n + 1n, 3n))).toBe(big)
  })
})

describe("Rational.ceil and floor", () => {
  it.each<[bigint, bigint, bigint, bigint]>([
    // n, d, ceil, floor
    [7n, 2n, 4n, 3n],
    [-7n, 2n, -3n, -4n],
    [1n, 3n, 1n, 0n],
    [-1n, 3n, 0n, -1n],
    [6n, 3n, 2n, 2n],
    [-6n, 3n, -2n, -2n],
    [0n, 7n, 0n, 0n],
    [99n, 100n, 1n, 0n],
    [-99n, 100n, 0n, -1n],
    [101n, 100n, 2n, 1n],
    [-101n, 100n, -1n, -2n]
  ])("%s/%s: ceil %s, floor %s", (n, d, c, f) => {
    expect(Rational.ceil(r(n, d))).toBe(c)
    expect(Rational.floor(r(n, d))).toBe(f)
  })

  it("bracket the value: floor ≤ x ≤ ceil, within one, equal only on integers", () => {
    fc.assert(
      fc.property(arbRational, (x) => {
        const f = Rational.floor(x)
        const c = Rational.ceil(x)
        expect(Rational.compare(Rational.fromBigInt(f), x)).toBeLessThanOrEqual(0)
        expect(Rational.compare(Rational.fromBigInt(c), x)).toBeGreaterThanOrEqual(0)
        const isInteger = x.n % x.d === 0n
        expect(c - f).toBe(isInteger ? 0n : 1n)
      }),
      props
    )
  })
})

describe("Rational arithmetic", () => {
  it("computes small examples exactly", () => {
    expect(eq(Rational.add(r(1n, 2n), r(1n, 3n)), r(5n, 6n))).toBe(true)
    expect(eq(Rational.add(r(1n, 4n), r(1n, 4n)), r(1n, 2n))).toBe(true)
    expect(eq(Rational.sub(Rational.one, r(1n, 4n)), r(3n, 4n))).toBe(true)
    expect(eq(Rational.sub(r(1n, 3n), r(1n, 2n)), r(-1n, 6n))).toBe(true)
    expect(eq(Rational.mul(r(1n, 2n), r(2n, 3n)), r(1n, 3n))).toBe(true)
    expect(eq(Rational.div(Rational.one, Rational.fromInt(4)), r(1n, 4n))).toBe(true)
    expect(eq(Rational.div(r(1n, 2n), r(-3n, 4n)), r(-2n, 3n))).toBe(true)
    expect(Rational.div(r(1n, 2n), r(-3n, 4n)).d > 0n).toBe(true)
    expect(eq(Rational.negate(r(2n, 5n)), r(-2n, 5n))).toBe(true)
    expect(Rational.isZero(Rational.sub(r(2n, 4n), r(1n, 2n)))).toBe(true)
    expect(Rational.isZero(r(1n, 1000n))).toBe(false)
  })

  it("add is commutative", () => {
    fc.assert(fc.property(arbRational, arbRational, (a, b) => eq(Rational.add(a, b), Rational.add(b, a))), props)
  })

  it("add is associative", () => {
    fc.assert(
      fc.property(arbRational, arbRational, arbRational, (a, b, c) =>
        eq(Rational.add(Rational.add(a, b), c), Rational.add(a, Rational.add(b, c)))
      ),
      props
    )
  })

  it("zero is the additive identity and sub inverts add", () => {
    fc.assert(
      fc.property(arbRational, arbRational, (a, b) => {
        expect(eq(Rational.add(a, Rational.zero), a)).toBe(true)
        expect(eq(Rational.sub(Rational.add(a, b), b), a)).toBe(true)
        expect(Rational.isZero(Rational.add(a, Rational.negate(a)))).toBe(true)
      }),
      props
    )
  })

  it("mul is commutative and distributes over add", () => {
    fc.assert(
      fc.property(arbRational, arbRational, arbRational, (a, b, c) => {
        expect(eq(Rational.mul(a, b), Rational.mul(b, a))).toBe(true)
        expect(eq(Rational.mul(a, Rational.add(b, c)), Rational.add(Rational.mul(a, b), Rational.mul(a, c)))).toBe(true)
      }),
      props
    )
  })

  it("div undoes mul by a non-zero value", () => {
    fc.assert(
      fc.property(arbRational, arbRational.filter((b) => b.n !== 0n), (a, b) => {
        const q = Rational.div(Rational.mul(a, b), b)
        expect(q.d > 0n).toBe(true)
        expect(eq(q, a)).toBe(true)
      }),
      props
    )
  })
})

describe("Rational arithmetic: comparison", () => {
  it("compares by value, not by representation", () => {
    expect(Rational.compare(r(1n, 3n), r(1n, 2n))).toBe(-1)
    expect(Rational.compare(r(1n, 2n), r(1n, 3n))).toBe(1)
    expect(Rational.compare(r(2n, 4n), r(1n, 2n))).toBe(0)
    expect(Rational.compare(r(-1n, 2n), r(-1n, 3n))).toBe(-1)
    expect(Rational.compare(Rational.make(1n, -2n), Rational.zero)).toBe(-1)
  })

  it("compare is antisymmetric and agrees with sub", () => {
    fc.assert(
      fc.property(arbRational, arbRational, (a, b) => {
        const c = Rational.compare(a, b)
        expect(Rational.compare(b, a)).toBe(-c as -1 | 0 | 1)
        const diff = Rational.sub(a, b)
        expect(c).toBe(diff.n < 0n ? -1 : diff.n > 0n ? 1 : 0)
      }),
      props
    )
  })
})

describe("Rational.roundHalfAwayFromZero laws", () => {
  it("is within 1/2 of the value", () => {
    fc.assert(
      fc.property(arbRational, (x) => {
        const rounded = Rational.fromBigInt(Rational.roundHalfAwayFromZero(x))
        const diff = Rational.sub(rounded, x)
        const absDiff = diff.n < 0n ? Rational.negate(diff) : diff
        expect(Rational.compare(absDiff, r(1n, 2n))).toBeLessThanOrEqual(0)
      }),
      props
    )
  })

  it("is odd: round(-x) = -round(x)", () => {
    fc.assert(
      fc.property(arbRational, (x) => {
        expect(Rational.roundHalfAwayFromZero(Rational.negate(x))).toBe(-Rational.roundHalfAwayFromZero(x))
      }),
      props
    )
  })

  it("rounds exact halves away from zero and leaves integers alone", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (k) => {
        expect(Rational.roundHalfAwayFromZero(Rational.fromBigInt(k))).toBe(k)
        // k + 1/2 for k ≥ 0 → k + 1; k − 1/2 for k ≤ 0 → k − 1
        const half = r(2n * k + (k >= 0n ? 1n : -1n), 2n)
        expect(Rational.roundHalfAwayFromZero(half)).toBe(k >= 0n ? k + 1n : k - 1n)
      }),
      props
    )
  })

  it("does not depend on the representation", () => {
    fc.assert(
      fc.property(arbRational, fc.bigInt({ min: 1n, max: 10n ** 6n }), (x, k) => {
        expect(Rational.roundHalfAwayFromZero(r(x.n * k, x.d * k))).toBe(Rational.roundHalfAwayFromZero(x))
      }),
      props
    )
  })

  it("is monotone", () => {
    fc.assert(
      fc.property(arbRational, arbRational, (a, b) => {
        const [lo, hi] = Rational.compare(a, b) <= 0 ? [a, b] : [b, a]
        expect(Rational.roundHalfAwayFromZero(lo) <= Rational.roundHalfAwayFromZero(hi)).toBe(true)
      }),
      props
    )
  })
})
