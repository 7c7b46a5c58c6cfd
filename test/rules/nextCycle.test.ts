/**
 * The next cycle (docs/spec.md §9): the next invoice of the subscription the attach touched — the
 * in-advance prices whose period starts then, the discounts still running, the consumable items as
 * usage lines — and the one-off prices it leaves out (docs/spec.md §8.1, §8.3).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $10 × 16/31 = 160/31 = 5.1612… → 516      $20 × 16/31 → 1032      $50 × 16/31 → 2581
 */
import { describe, expect, it } from "vitest"
import { JAN1, JAN16, catalog, customer, doc, monthly, oneOff, prepaidItem, request, subscription, usageItem } from "../support/build.ts"
import { brief, preview } from "../support/run.ts"

describe("one-off prices of a recurring plan (docs/spec.md §8.1, §8.3) and the next cycle (docs/spec.md §9)", () => {
  const cat = catalog([
    monthly("pro", "20"),
    monthly("premium", "50"),
    // a one-off $100 setup fee and $1 a unit a month of storage
    oneOff("setup", "100", { addOn: true, items: [prepaidItem("storage", { amount: "1" })] }),
    // $20 a month and storage bought once at $1 a unit
    monthly("proOnce", "20", { items: [prepaidItem("storage", { amount: "1", interval: "one_off" })] }),
    // $20 a month and storage at $12 a unit a year
    monthly("mixed", "20", { items: [prepaidItem("storage", { amount: "12", interval: "year" })] })
  ])

  it("a one-off price is charged in full, the recurring part prorated; the next cycle has no one-off price", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, [{ planId: "setup", featureQuantities: [{ featureId: "storage", quantity: 10 }] }])))
    // setup: $100 full, no period → 10000; storage 10 × $1 = $10 × 16/31 = 160/31 → 516
    expect(brief(p.lines).map((l) => [l.featureId, l.amount])).toEqual([[null, 10000], ["storage", 516]])
    expect(p.lines[0]?.period).toBeNull()
    // 10000 + 516 = 10516
    expect(p.total).toBe(10516)
    // Feb 1: pro 2000 + storage 1000 = 3000 (no setup fee)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 3000 })
  })

  it("one-off prices are never credited", () => {
    const c = customer([subscription("proOnce", JAN1, { featureQuantities: [{ featureId: "storage", quantity: 50 }] })])
    const p = preview(doc(cat, c, request(JAN16, "premium")))
    // only the monthly base is credited: −(20 × 16/31) → −1032; the $50 of storage bought once is not
    expect(brief(p.lines).map((l) => [l.kind, l.featureId, l.amount])).toEqual([["credit", null, -1032], ["charge", null, 2581]])
    expect(p.total).toBe(1549)
  })

  it("an annual item is not part of a monthly renewal", () => {
    const p = preview(doc(cat, customer([]), request("2025-03-10T12:00:00Z", [{ planId: "mixed", featureQuantities: [{ featureId: "storage", quantity: 5 }] }])))
    // base $20 full month → 2000; storage 5 × $12 = $60 full year → 6000; total 8000
    expect(brief(p.lines).map((l) => l.amount)).toEqual([2000, 6000])
    expect(p.lines[1]?.period).toEqual({ start: "2025-03-10T12:00:00.000Z", end: "2026-03-10T12:00:00.000Z" })
    expect(p.total).toBe(8000)
    // Apr 10: only the monthly base starts a period then → 2000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-10T12:00:00.000Z", total: 2000 })
    expect(brief(p.nextCycle?.lines ?? []).map((l) => l.featureId)).toEqual([null])
  })

  it("consumable items are listed as usage lines, with the overage so far when known", () => {
    const usageCat = catalog([monthly("proUsage", "20", { items: [usageItem("messages", { amount: "0.01" }, { included: 1000, reset: { interval: "month" } })] })])
    const active = preview(doc(usageCat, customer([subscription("proUsage", JAN1, { usage: [{ featureId: "messages", used: 1500 }] })]), request(JAN16, "proUsage")))
    // 1500 − 1000 = 500 so far
    expect(active.nextCycle?.usageLines).toEqual([{ planId: "proUsage", featureId: "messages", overage: 500 }])
    const fresh = preview(doc(usageCat, customer([]), request(JAN16, "proUsage")))
    expect(fresh.nextCycle?.usageLines).toEqual([{ planId: "proUsage", featureId: "messages" }])
    // the new subscription pays only the base today: 2000
    expect(fresh.total).toBe(2000)
  })
})
