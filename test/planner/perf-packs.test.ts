/**
 * Whole packs (docs/spec.md §8.2) on the small-integer fast path of `packsFor` against the exact rational
 * ceiling it replaces. Fixed seed.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { packsFor } from "../../src/Tiers.ts"
import * as Rational from "../../src/Rational.ts"

const exact = (units: number, billingUnits: number): bigint =>
  Rational.ceil(Rational.div(Rational.fromInt(units), Rational.fromInt(billingUnits)))

describe("packsFor on whole units", () => {
  it("equals the exact ceiling of units / billingUnits", () => {
    const units = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: -(2 ** 31), max: 0 }), fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }))
    const pack = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 2 ** 31 }), fc.constant(2 ** 31 + 1))
    fc.assert(fc.property(units, pack, (u, b) => {
      expect(packsFor(u, b)).toBe(exact(u, b))
    }), { seed: 20251123, numRuns: 2000 })
  })

  it("rounds a partial pack up and keeps a full one", () => {
    // 701 units in packs of 100: 7 full packs and 1 unit over → 8 packs; 700 → 7; 0 → 0.
    expect(packsFor(701, 100)).toBe(8n)
    expect(packsFor(700, 100)).toBe(7n)
    expect(packsFor(0, 100)).toBe(0n)
    expect(packsFor(2 ** 31, 3)).toBe(715_827_883n)
  })
})
