/**
 * Tier pricing (docs/spec.md §8.2), plan classes (docs/spec.md §3) and the upgrade test (docs/spec.md §6), on plans
 * decoded from JSON catalogs with `decodeCatalog`. Every expected number is worked out by hand in
 * the comment next to it: the exact fraction first, then the rounded minor units where relevant.
 */
import { describe, expect, it } from "vitest"
import { type Catalog, type ItemPrice, type Plan, findPlan } from "../../src/Catalog.ts"
import * as Money from "../../src/Money.ts"
import { isFree, isOneOff, isRecurring, monthlyTotal } from "../../src/Pricing.ts"
import { billableUnits, packsFor, tierPrice, tierShares } from "../../src/Tiers.ts"
import * as Rational from "../../src/Rational.ts"
import { isUpgrade } from "../../src/Scenario.ts"
import { type Obj, catalog, freePlan, monthly, plan, prepaidItem, usageItem } from "../support/build.ts"
import { decoded } from "../support/run.ts"

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** An exact rational from a decimal string ("17.5" → 175/10). */
const dec = (s: string): Rational.Rational => {
  const negative = s.startsWith("-")
  const [whole = "0", frac = ""] = (negative ? s.slice(1) : s).split(".")
  const n = BigInt(whole + frac)
  return Rational.make(negative ? -n : n, 10n ** BigInt(frac.length))
}
const same = (a: Rational.Rational, b: Rational.Rational): boolean => Rational.compare(a, b) === 0
/** Asserts an exact rational equals a decimal, and shows both on failure. */
const expectExact = (actual: Rational.Rational, expected: string): void => {
  expect(same(actual, dec(expected)), `${actual.n}/${actual.d} should be ${expected}`).toBe(true)
}

const planOf = (cat: Catalog, id: string, version?: number): Plan => {
  const p = findPlan(cat, id, version)
  if (p === undefined) throw new Error(`no plan ${id}`)
  return p
}
const itemPrice = (cat: Catalog, planId: string, featureId: string): ItemPrice => {
  const price = planOf(cat, planId).items.find((i) => i.featureId === featureId)?.price
  if (price === undefined) throw new Error(`no price for ${featureId} on ${planId}`)
  return price
}

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
// Plan classes (docs/spec.md §3)
// ---------------------------------------------------------------------------------------------

const classCatalog = decoded(catalog([
  freePlan("free"),
  plan("zero", "0"), // a base price of 0: still free
  { id: "zeroTiers", items: [prepaidItem("messages", { tiers: [{ upTo: 10, amount: "0" }, { upTo: "inf", amount: "0" }] })] },
  { id: "flatFeeOnly", items: [prepaidItem("messages", { tiers: [{ upTo: 10, amount: "0", flatAmount: "1" }, { upTo: "inf", amount: "0" }] })] },
  monthly("pro", "20"),
  plan("pack", "15", "one_off"),
  plan("zeroOneOff", "0", "one_off"), // one-off but zero: free, not one-off
  // a one-off setup fee plus a monthly seat price: recurring
  plan("setup", "100", "one_off", { items: [{ featureId: "seats", price: { amount: "10", interval: "month", billingMethod: "usage_based" } }] }),
  // only consumable usage: recurring (billed in arrears every month)
  { id: "payg", items: [{ featureId: "messages", price: { amount: "0.01", interval: "month", billingMethod: "usage_based" } }] }
]))
const cls = (id: string): [boolean, boolean, boolean] => {
  const p = planOf(classCatalog, id)
  return [isFree(p), isOneOff(p), isRecurring(p)]
}

describe("isFree / isOneOff / isRecurring (docs/spec.md §3)", () => {
  it("a plan with no price, or only zero amounts, is free", () => {
    // [isFree, isOneOff, isRecurring]
    expect(cls("free")).toEqual([true, false, false])
    expect(cls("zero")).toEqual([true, false, false])
    expect(cls("zeroTiers")).toEqual([true, false, false])
    expect(cls("zeroOneOff")).toEqual([true, false, false])
  })

  it("a tier flatAmount is a non-zero amount", () => {
    expect(cls("flatFeeOnly")).toEqual([false, false, true])
  })

  it("one-off when every price is one_off and one is non-zero", () => {
    expect(cls("pack")).toEqual([false, true, false])
  })

  it("recurring otherwise: a monthly price, one-off + monthly, usage only", () => {
    expect(cls("pro")).toEqual([false, false, true])
    expect(cls("setup")).toEqual([false, false, true])
    expect(cls("payg")).toEqual([false, false, true])
  })
})

// ---------------------------------------------------------------------------------------------
// monthlyTotal and isUpgrade (docs/spec.md §6)
// ---------------------------------------------------------------------------------------------

const upgradeCatalog = decoded(catalog([
  freePlan("free"),
  monthly("pro", "20"),
  monthly("premium", "50"),
  plan("annual100", "100", "year"),
  plan("annual240", "240", "year"),
  plan("annual300", "300", "year"),
  plan("quarterly60", "60", "quarter"),
  plan("weekly7", "7", "week"),
  plan("daily1", "1", "day"),
  // $10 base + $10 per seat (quantity ignored) = $20 a month
  monthly("team", "10", { items: [usageItem("seats", { amount: "10" })] }),
  // $20 a month + consumable usage (left out of the comparison) + a one-off fee (left out)
  monthly("proUsage", "20", { items: [{ featureId: "messages", included: 1000, price: { amount: "0.01", interval: "month", billingMethod: "usage_based" } }] }),
  // tiered seats: the first tier's amount per pack: $30 per pack of 5 seats, monthly
  { id: "tieredSeats", items: [{ featureId: "seats", price: { tiers: [{ upTo: 10, amount: "30" }, { upTo: "inf", amount: "1" }], interval: "month", billingMethod: "usage_based", billingUnits: 5 } }] },
  // only consumable usage
  { id: "payg", items: [usageItem("messages", { amount: "0.01" })] },
  { id: "paygCheap", items: [usageItem("messages", { amount: "0.005" })] }
]))
const up = (from: string, to: string): boolean => isUpgrade(planOf(upgradeCatalog, from), planOf(upgradeCatalog, to), "usd", upgradeCatalog)
const mt = (id: string): Rational.Rational => monthlyTotal(planOf(upgradeCatalog, id), "usd", upgradeCatalog)

describe("monthlyTotal (docs/spec.md §6 rule 5, docs/decisions.md rule 13)", () => {
  it("divides each in-advance amount by its interval in months", () => {
    expectExact(mt("pro"), "20") // 20 / 1
    expectExact(mt("annual240"), "20") // 240 / 12 = 20
    expect(same(mt("annual100"), Rational.make(100n, 12n))).toBe(true) // 100 / 12 = 25/3
    expectExact(mt("quarterly60"), "20") // 60 / 3 = 20
    // a week is 84/365 of a month: 7 / (84/365) = 7 × 365 / 84 = 365/12
    expect(same(mt("weekly7"), Rational.make(365n, 12n))).toBe(true)
    // a day is 12/365 of a month: 1 / (12/365) = 365/12
    expect(same(mt("daily1"), Rational.make(365n, 12n))).toBe(true)
  })

  it("counts the item rate once, quantities ignored; leaves out consumable usage", () => {
    expectExact(mt("team"), "20") // 10 base + 10 per seat
    expectExact(mt("proUsage"), "20") // 20 base; the 0.01 arrears price is left out
    expectExact(mt("tieredSeats"), "30") // first tier's amount per pack: 30 / 1
    expectExact(mt("payg"), "0") // all arrears: nothing in advance
    expectExact(mt("free"), "0")
  })
})

describe("isUpgrade (docs/spec.md §6), the first rule that fires", () => {
  it("rule 1: free → paid is an upgrade", () => {
    expect(up("free", "pro")).toBe(true)
    expect(up("free", "payg")).toBe(true)
  })

  it("rule 2: paid → free is a downgrade", () => {
    expect(up("pro", "free")).toBe(false)
    expect(up("payg", "free")).toBe(false)
  })

  it("rule 3: all consumable usage-based on both sides is an upgrade, whatever the rates", () => {
    expect(up("payg", "paygCheap")).toBe(true) // 0.01 → 0.005 is still an upgrade
    expect(up("paygCheap", "payg")).toBe(true)
  })

  it("rule 4: a strictly longer interval is an upgrade, even when cheaper per month", () => {
    // monthly $20 → annual $100: 100/12 ≈ 8.33 a month < 20, but 12 months > 1 month → upgrade
    expect(up("pro", "annual100")).toBe(true)
    // premium $50/month → annual $240 (20/month): longer → upgrade
    expect(up("premium", "annual240")).toBe(true)
  })

  it("rule 5: shorter interval falls through to the monthly comparison", () => {
    // annual $300 → monthly $20: 12 > 1 so rule 4 does not fire; 300/12 = 25 > 20 → downgrade
    expect(up("annual300", "pro")).toBe(false)
    // annual $100 → monthly $20: 100/12 = 8.33 ≤ 20 → upgrade
    expect(up("annual100", "pro")).toBe(true)
  })

  it("rule 5: a monthly-normalised tie is an upgrade (≤)", () => {
    // quarterly $60 → monthly $20: 60/3 = 20 ≤ 20 → upgrade (in both directions rule 5 compares 20 vs 20,
    // but monthly → quarterly fires rule 4 first: also an upgrade)
    expect(up("quarterly60", "pro")).toBe(true)
    expect(up("pro", "quarterly60")).toBe(true)
    // pro $20 ↔ team $10 + $10/seat: 20 ≤ 20 both ways
    expect(up("pro", "team")).toBe(true)
    expect(up("team", "pro")).toBe(true)
    // annual $240 → monthly $20: 240/12 = 20 ≤ 20 → upgrade
    expect(up("annual240", "pro")).toBe(true)
  })

  it("rule 5: cheaper is a downgrade", () => {
    // premium 50 → pro 20: 50 ≤ 20 is false → downgrade
    expect(up("premium", "pro")).toBe(false)
    expect(up("pro", "premium")).toBe(true) // 20 ≤ 50
    // tiered seats (30/month) → pro (20/month): 30 ≤ 20 false → downgrade
    expect(up("tieredSeats", "pro")).toBe(false)
    // consumable usage is ignored: proUsage (20 + usage) → pro (20) is a tie → upgrade
    expect(up("proUsage", "pro")).toBe(true)
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
