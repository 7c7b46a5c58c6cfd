/**
 * A new subscription (docs/spec.md §7, §8.1, §9): with nothing to join it is anchored at `at` and
 * pays a full first period; its next cycle is one interval later. Every amount is worked out in the
 * comment beside it.
 */
import { describe, expect, it } from "vitest"
import { catalog, customer, doc, monthly, plan, prepaidItem, referenceCatalog, request, usageItem } from "../support/build.ts"
import { brief, lineFor, preview, subAfter } from "../support/run.ts"

describe("new subscription with a card on file: full first period of a month, a quarter, a year (docs/spec.md §7, §8.1, §9)", () => {
  it("monthly $20 at 2025-03-10T12:00Z: 2000 now, next cycle one month later", () => {
    const p = preview(doc(referenceCatalog(), customer([]), request("2025-03-10T12:00:00Z", "pro")))
    expect(p.scenario).toBe("new")
    // new subscription anchored at `at`: fraction 1 → $20.00 → 2000
    expect(p.lines).toEqual([{
      kind: "charge",
      planId: "pro",
      featureId: null,
      description: expect.any(String),
      quantity: 1,
      period: { start: "2025-03-10T12:00:00.000Z", end: "2025-04-10T12:00:00.000Z" },
      amount: 2000,
      discounts: [],
      total: 2000,
      // issue #12: the full period (Mar 10 12:00 → Apr 10 12:00, 31 days) by the millisecond
      derivation: {
        exact: "2000", roundingDelta: "0", base: "2000", policy: "exact", discounts: [],
        fraction: { numerator: 2_678_400_000, denominator: 2_678_400_000, unit: "millisecond", from: "2025-03-10T12:00:00.000Z", to: "2025-04-10T12:00:00.000Z" }
      }
    }])
    expect(p).toMatchObject({ subtotal: 2000, discountTotal: 0, total: 2000, creditApplied: 0, amountDue: 2000, trialEndsAt: null, checkout: "none" })
    // boundary 1 = anchor + 1 month = 2025-04-10T12:00Z, full price 2000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-10T12:00:00.000Z", subtotal: 2000, discountTotal: 0, total: 2000, usageLines: [] })
    expect(brief(p.nextCycle?.lines ?? [])).toEqual([{ kind: "charge", planId: "pro", featureId: null, amount: 2000, total: 2000 }])
    expect(p.changes).toEqual([{ planId: "pro", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: "2025-03-10T12:00:00.000Z" }])
    // docs/decisions.md rule 22: sub_<planId>_<yyyymmddThhmmssZ>
    expect(subAfter(p, "pro")).toMatchObject({
      id: "sub_pro_20250310T120000Z", status: "active", billingAnchor: "2025-03-10T12:00:00.000Z", startedAt: "2025-03-10T12:00:00.000Z"
    })
  })

  it("quarterly $54 anchored Jan 31: 5400 now, next cycle Apr 30 (Jan 31 + 3 months clamps)", () => {
    const cat = catalog([plan("proQ", "54", "quarter")])
    const p = preview(doc(cat, customer([]), request("2025-01-31T00:00:00Z", "proQ")))
    // full quarter: $54.00 → 5400; Jan 31 + 3 months = "Apr 31" → Apr 30
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "proQ", featureId: null, amount: 5400, total: 5400 }])
    expect(p.lines[0]?.period).toEqual({ start: "2025-01-31T00:00:00.000Z", end: "2025-04-30T00:00:00.000Z" })
    expect(p.total).toBe(5400)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-30T00:00:00.000Z", total: 5400 })
  })

  it("annual $200 anchored Feb 29 2024: 20000 now, next cycle Feb 28 2025", () => {
    const cat = catalog([plan("proY", "200", "year")])
    const p = preview(doc(cat, customer([]), request("2024-02-29T00:00:00Z", "proY")))
    // full year: $200.00 → 20000; Feb 29 2024 + 12 months → Feb 28 2025 (clamped)
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "proY", featureId: null, amount: 20000, total: 20000 }])
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-28T00:00:00.000Z", total: 20000 })
  })
})

describe("new subscription with a card on file: full first period of a base price and priced features (docs/spec.md §8.1, §9)", () => {
  it("base + prepaid graduated packs + allocated seats: seats held 0 gives no seat line", () => {
    const cat = catalog([monthly("team", "30", {
      items: [
        prepaidItem("messages", { billingUnits: 100, tiers: [{ upTo: 500, amount: "2" }, { upTo: "inf", amount: "1" }] }, { included: 100 }),
        usageItem("seats", { amount: "10" }, { included: 2 })
      ]
    })])
    const p = preview(doc(cat, customer([]), request("2025-03-10T12:00:00Z", [{ planId: "team", featureQuantities: [{ featureId: "messages", quantity: 1250 }] }])))
    // base: $30 full period → 3000
    // messages: billable = 1250 − 100 = 1150 → ceil(1150/100) = 12 packs → u = 1200 units
    //   graduated: 500 units = 5 packs × $2 = 10; 700 units = 7 packs × $1 = 7 → $17 → 1700, quantity 1200
    // seats: held 0 (a new plan carries nothing) → max(0, 0 − 2) = 0 → 0 → dropped
    expect(brief(p.lines)).toEqual([
      { kind: "charge", planId: "team", featureId: null, amount: 3000, total: 3000 },
      { kind: "charge", planId: "team", featureId: "messages", amount: 1700, total: 1700 }
    ])
    expect(lineFor(p.lines, "charge", "team", "messages")?.quantity).toBe(1200)
    // 3000 + 1700 = 4700
    expect(p).toMatchObject({ subtotal: 4700, total: 4700, amountDue: 4700 })
    // next cycle: the same in-advance prices at full period: 3000 + 1700 = 4700
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-10T12:00:00.000Z", total: 4700 })
    expect(brief(p.nextCycle?.lines ?? []).map((l) => l.amount)).toEqual([3000, 1700])
    expect(subAfter(p, "team")?.["featureQuantities"]).toEqual([{ featureId: "messages", quantity: 1250 }])
  })
})
