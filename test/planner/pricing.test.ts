/**
 * Plan classes (docs/spec.md §3) and the upgrade test (docs/spec.md §6), on plans decoded from JSON
 * catalogs with `decodeCatalog`. Every expected number is worked out by hand in the comment next to
 * it. Tier pricing (docs/spec.md §8.2): tiers.test.ts.
 */
import { describe, expect, it } from "vitest"
import { isFree, isOneOff, isRecurring, monthlyTotal } from "../../src/Pricing.ts"
import * as Rational from "../../src/Rational.ts"
import { isUpgrade } from "../../src/Scenario.ts"
import { catalog, freePlan, monthly, plan, prepaidItem, usageItem } from "../support/build.ts"
import { decoded } from "../support/run.ts"
import { expectExact, planOf, same } from "./exact.ts"

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
