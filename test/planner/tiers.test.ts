/**
 * Tier pricing (docs/spec.md §8.2): tierPrice, packs and billable units, and the tier shares behind
 * a tiered amount, on plans decoded from JSON catalogs with `decodeCatalog`. Every expected number
 * is worked out by hand in the comment next to it: the exact fraction first, then the rounded minor
 * units where relevant. Plan classes and the upgrade test: pricing.test.ts.
 */
import { describe, expect, it } from "vitest"
import * as Money from "../../src/Money.ts"
import { billableUnits, packsFor, tierPrice, tierShares } from "../../src/Tiers.ts"
import * as Rational from "../../src/Rational.ts"
import { type Obj, catalog, prepaidItem } from "../support/build.ts"
import { decoded } from "../support/run.ts"
import { expectExact, itemPrice, same } from "./exact.ts"

/** The docs/spec.md §8.2 tiers: [≤100 @0.10, ≤500 @0.05, ∞ @0.02] per unit. */
const specTiers = [
  { upTo: 100, amount: "0.10" },
  { upTo: 500, amount: "0.05" },
  { upTo: "inf", amount: "0.02" }
]
const tiersPlan = (id: string, price: Obj): Obj => ({ id, items: [prepaidItem("messages", price)] })

const pricingCatalog = decoded(catalog([
  tiersPlan("graduated", { tiers: specTiers, tierBehavior: "graduated" }),
  tiersPlan("volume", { tiers: specTiers, tierBehavior: "volume" }),
  // $5 per pack of 100 units
  tiersPlan("packs", { amount: "5", billingUnits: 100 }),
  // packs of 100: the first 500 units at $10 a pack, the rest at $5 a pack
  tiersPlan("packTiersGraduated", { billingUnits: 100, tiers: [{ upTo: 500, amount: "10" }, { upTo: "inf", amount: "5" }] }),
  tiersPlan("packTiersVolume", { billingUnits: 100, tierBehavior: "volume", tiers: [{ upTo: 500, amount: "10" }, { upTo: "inf", amount: "5" }] }),
  // the SPEC tiers with flat fees $1, $2, $3
  tiersPlan("flatGraduated", {
    tiers: [{ upTo: 100, amount: "0.10", flatAmount: "1" }, { upTo: 500, amount: "0.05", flatAmount: "2" }, { upTo: "inf", amount: "0.02", flatAmount: "3" }]
  }),
  tiersPlan("flatVolume", {
    tierBehavior: "volume",
    tiers: [{ upTo: 100, amount: "0.10", flatAmount: "1" }, { upTo: 500, amount: "0.05", flatAmount: "2" }, { upTo: "inf", amount: "0.02", flatAmount: "3" }]
  })
]))
const usd = (planId: string, n: number): Rational.Rational => tierPrice(itemPrice(pricingCatalog, planId, "messages"), n, "usd", pricingCatalog)

// ---------------------------------------------------------------------------------------------
// tierPrice (docs/spec.md §8.2)
// ---------------------------------------------------------------------------------------------

describe("tierPrice: the docs/spec.md §8.2 examples, tiers [≤100 @0.10, ≤500 @0.05, ∞ @0.02]", () => {
  it("graduated 250 → 17.50", () => {
    // 100 × 0.10 = 10.00, then 150 × 0.05 = 7.50 → 17.50 = 35/2 → 1750 minor units
    expectExact(usd("graduated", 250), "17.50")
    expect(Money.toMinor(usd("graduated", 250), "usd")).toBe(1750n)
  })

  it("graduated 1000 → 40.00", () => {
    // 100 × 0.10 = 10, 400 × 0.05 = 20, 500 × 0.02 = 10 → 40.00 → 4000
    expectExact(usd("graduated", 1000), "40")
    expect(Money.toMinor(usd("graduated", 1000), "usd")).toBe(4000n)
  })

  it("volume 250 → 12.50", () => {
    // 250 falls in the ≤500 tier: all 250 × 0.05 = 12.50 → 1250
    expectExact(usd("volume", 250), "12.50")
    expect(Money.toMinor(usd("volume", 250), "usd")).toBe(1250n)
  })

  it("volume 1000 → 20.00", () => {
    // 1000 falls in the ∞ tier: all 1000 × 0.02 = 20.00 → 2000
    expectExact(usd("volume", 1000), "20")
    expect(Money.toMinor(usd("volume", 1000), "usd")).toBe(2000n)
  })

  it("tier bounds are inclusive: exactly 100 units stay in the first tier", () => {
    // graduated: 100 × 0.10 = 10.00; 0 units in the second tier
    expectExact(usd("graduated", 100), "10")
    // volume: 100 ≤ 100, the first tier: 100 × 0.10 = 10.00
    expectExact(usd("volume", 100), "10")
    // volume 101: the ≤500 tier: 101 × 0.05 = 5.05
    expectExact(usd("volume", 101), "5.05")
    // graduated 101: 10.00 + 1 × 0.05 = 10.05
    expectExact(usd("graduated", 101), "10.05")
  })
})

describe("tierPrice: billing units round up to whole packs", () => {
  it("701 units in packs of 100 at $5 a pack → 8 packs → $40", () => {
    // ceil(701 / 100) = 8 packs; 8 × 5 = 40.00 → 4000
    expectExact(usd("packs", 701), "40")
    // 700 units are exactly 7 packs: 7 × 5 = 35.00
    expectExact(usd("packs", 700), "35")
    // a single unit buys a whole pack: 1 × 5 = 5.00
    expectExact(usd("packs", 1), "5")
  })

  it("graduated tiers count units, priced per pack: 701 units → 800 units → $65", () => {
    // u = ceil(701/100) × 100 = 800 units
    // tier ≤500: 500 units = 5 packs × $10 = 50; tier ∞: 300 units = 3 packs × $5 = 15 → 65.00
    expectExact(usd("packTiersGraduated", 701), "65")
  })

  it("volume tiers price all u units at the tier containing u: 701 units → 800 units → $40", () => {
    // u = 800 > 500 → ∞ tier: 8 packs × $5 = 40.00
    expectExact(usd("packTiersVolume", 701), "40")
    // u = ceil(450/100) × 100 = 500 ≤ 500 → first tier: 5 packs × $10 = 50.00
    expectExact(usd("packTiersVolume", 450), "50")
  })
})

describe("tierPrice: flat amounts", () => {
  it("graduated adds each touched tier's flatAmount once", () => {
    // 250: tiers 1 and 2 touched: 17.50 + 1 + 2 = 20.50
    expectExact(usd("flatGraduated", 250), "20.50")
    // 1000: all three touched: 40.00 + 1 + 2 + 3 = 46.00
    expectExact(usd("flatGraduated", 1000), "46")
    // 100: only the first tier holds units: 10.00 + 1 = 11.00
    expectExact(usd("flatGraduated", 100), "11")
    // 1: 1 × 0.10 + 1 = 1.10
    expectExact(usd("flatGraduated", 1), "1.10")
  })

  it("volume adds the flatAmount of the tier containing u only", () => {
    // 250 → ≤500 tier: 250 × 0.05 + 2 = 14.50
    expectExact(usd("flatVolume", 250), "14.50")
    // 1000 → ∞ tier: 1000 × 0.02 + 3 = 23.00
    expectExact(usd("flatVolume", 1000), "23")
    // 100 → first tier: 100 × 0.10 + 1 = 11.00
    expectExact(usd("flatVolume", 100), "11")
  })

  it("0 units cost 0, flat fees included (docs/decisions.md rule 21)", () => {
    for (const id of ["graduated", "volume", "packs", "packTiersGraduated", "packTiersVolume", "flatGraduated", "flatVolume"]) {
      // no pack bought → 0
      expectExact(usd(id, 0), "0")
    }
  })
})

describe("packsFor and billableUnits", () => {
  it("packsFor rounds up to whole packs", () => {
    expect(packsFor(701, 100)).toBe(8n) // ceil(7.01) = 8
    expect(packsFor(700, 100)).toBe(7n) // exactly 7
    expect(packsFor(1, 100)).toBe(1n) // ceil(0.01) = 1
    expect(packsFor(0, 100)).toBe(0n) // nothing → 0 packs
    expect(packsFor(5, 1)).toBe(5n) // packs of 1: as many as units
    expect(packsFor(250, 250)).toBe(1n) // exactly 1
    expect(packsFor(251, 250)).toBe(2n) // ceil(1.004) = 2
  })

  it("billableUnits is max(0, units − included), 0 when unlimited", () => {
    expect(billableUnits(800, 100)).toBe(700) // 800 − 100
    expect(billableUnits(50, 100)).toBe(0) // below the allowance → 0, never negative
    expect(billableUnits(100, 100)).toBe(0) // exactly the allowance
    expect(billableUnits(7, 0)).toBe(7) // nothing included
    expect(billableUnits(1_000_000, "unlimited")).toBe(0) // unlimited → never billable
  })
})

// ---------------------------------------------------------------------------------------------
// tierShares: the one breakdown behind a tiered amount and its derivation
// ---------------------------------------------------------------------------------------------

describe("tierShares: the tiers reached, whose costs make up tierPrice", () => {
  it("graduated 250: 100 units → 10, 150 units → 7.50; volume 250: all in the ≤500 tier → 12.50", () => {
    const graduated = tierShares(itemPrice(pricingCatalog, "graduated", "messages"), 250)
    expect(graduated.shares.map((s) => [s.tier.upTo, Number(s.units.n) / Number(s.units.d)])).toEqual([[100, 100], [500, 150]])
    expectExact(graduated.shares[0]?.cost ?? Rational.zero, "10")
    expectExact(graduated.shares[1]?.cost ?? Rational.zero, "7.50")
    const volume = tierShares(itemPrice(pricingCatalog, "volume", "messages"), 250)
    expect(volume.shares.map((s) => s.tier.upTo)).toEqual([500])
    expectExact(volume.total, "12.50")
  })

  it("for every plan and unit count, the total is tierPrice and the sum of the tiers' costs", () => {
    for (const planId of ["graduated", "volume", "packTiersGraduated", "packTiersVolume", "flatGraduated", "flatVolume"]) {
      const price = itemPrice(pricingCatalog, planId, "messages")
      for (const n of [0, 1, 99, 100, 101, 250, 499, 500, 501, 1000, 12_345]) {
        const b = tierShares(price, n)
        expect(same(b.total, usd(planId, n)), `${planId} ${n}`).toBe(true)
        expect(same(b.shares.reduce((t, s) => Rational.add(t, s.cost), Rational.zero), b.total), `${planId} ${n}`).toBe(true)
      }
    }
  })
})
