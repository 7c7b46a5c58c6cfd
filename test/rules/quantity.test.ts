/**
 * Issue #3, item 3 — prepaid quantity changes on the current plan (docs/spec.md §6 rule 4, §8.6, §5;
 * decisions.md rules 11 and 12).
 *
 * Plan "team": $20/month + prepaid storage in packs of 10 GB at $5 a pack, 10 GB included,
 * at most 100 GB above the allowance. The customer holds 30 GB: billable 20 → 2 packs → $10.
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 */
import { describe, expect, it } from "vitest"
import type { AttachPreview } from "../../src/Preview.ts"
import { FEB1, JAN1, JAN16, type Obj, catalog, customer, doc, monthly, prepaidItem, request, subscription } from "../support/build.ts"
import { actionTypes, err, ok, rows, subAfter } from "../support/run.ts"

const qcat = (proration?: Obj): Obj => catalog([
  monthly("team", "20", {
    items: [prepaidItem("storage", { amount: "5", billingUnits: 10, maxPurchase: 100 }, { included: 10, ...(proration === undefined ? {} : { proration }) })]
  }),
  // business: $50 + storage in packs of 25 GB at $10, nothing included
  monthly("business", "50", { items: [prepaidItem("storage", { amount: "10", billingUnits: 25 }, { included: 0 })] })
])

const holding30 = customer([subscription("team", JAN1, { featureQuantities: [{ featureId: "storage", quantity: 30 }] })])

const change = (quantity: number, proration?: Obj): AttachPreview =>
  ok(doc(qcat(proration), holding30, request(JAN16, [{ planId: "team", featureQuantities: [{ featureId: "storage", quantity }] }])))

const quantityAfter = (p: AttachPreview, planId: string): unknown => subAfter(p, planId)?.["featureQuantities"]

describe("attaching the current plan with another prepaid quantity is update_prepaid_quantity (docs/spec.md §6 rule 4)", () => {
  it("30 → 50 GB: scenario update_prepaid_quantity, no replacement", () => {
    const p = change(50)
    expect(p.changes).toEqual([{ planId: "team", scenario: "update_prepaid_quantity", timing: "immediate", replaces: null, entityId: null, effectiveAt: JAN16 }])
    expect(quantityAfter(p, "team")).toEqual([{ featureId: "storage", quantity: 50 }])
    expect(actionTypes(p)).toContain("updateSubscription")
  })

  it("the same quantity is active: nothing changes", () => {
    const p = change(30)
    expect(p.scenario).toBe("active")
    expect(p.lines).toEqual([])
  })
})

describe("onIncrease (docs/spec.md §8.6)", () => {
  it("prorate (default): Δprice × fraction now", () => {
    const p = change(50)
    // old: 20 billable → 2 packs → $10; new: 40 billable → 4 packs → $20; Δ = $10
    // 10 × 16/31 = 160/31 = 5.1612… → 516
    expect(rows(p.lines)).toEqual([["charge", "team", "storage", 516, 516]])
    // Δ shown in units: 4 packs × 10 − 2 packs × 10 = 20
    expect(p.lines[0]).toMatchObject({ quantity: 20, period: { start: JAN16, end: FEB1 } })
    expect(p.total).toBe(516)
    // next cycle at the new quantity: base 2000 + 4 packs × $5 = 2000 → 4000
    expect(rows(p.nextCycle?.lines ?? [])).toEqual([["charge", "team", null, 2000, 2000], ["charge", "team", "storage", 2000, 2000]])
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 4000 })
  })

  it("prorate with a partial pack: 45 GB → 35 billable → ceil(3.5) = 4 packs, the same Δ $10 → 516", () => {
    const p = change(45)
    expect(rows(p.lines)).toEqual([["charge", "team", "storage", 516, 516]])
  })

  it("charge_full: the full-period Δ now", () => {
    const p = change(50, { onIncrease: "charge_full" })
    // Δ $10 unprorated → 1000
    expect(rows(p.lines)).toEqual([["charge", "team", "storage", 1000, 1000]])
    expect(p.total).toBe(1000)
    expect(p.nextCycle?.total).toBe(4000)
  })

  it("next_cycle: no line now; the next cycle uses the new quantity", () => {
    const p = change(50, { onIncrease: "next_cycle" })
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    expect(quantityAfter(p, "team")).toEqual([{ featureId: "storage", quantity: 50 }])
    // Feb 1: 2000 + 2000 = 4000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 4000 })
  })
})

describe("onDecrease (docs/spec.md §8.6)", () => {
  it("prorate (default): a credit of Δprice × fraction", () => {
    const p = change(10)
    // new: 0 billable → $0; Δ = −$10; −(10 × 16/31) = −160/31 → −516
    expect(rows(p.lines)).toEqual([["credit", "team", "storage", -516, -516]])
    expect(p.lines[0]?.quantity).toBe(20)
    expect(p.total).toBe(-516)
    expect(p.customerAfter.creditBalance).toBe(516)
    // Feb 1: base 2000 only (0 packs gives no line)
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 2000 })
  })

  it("none: no line now; the quantity drops at the next cycle", () => {
    const p = change(10, { onDecrease: "none" })
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 2000 })
  })

  it("next_cycle: no line now; the quantity drops at the next cycle", () => {
    const p = change(20, { onDecrease: "next_cycle" })
    expect(p.lines).toEqual([])
    // 20 GB → 10 billable → 1 pack → $5; Feb 1: 2000 + 500 = 2500
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 2500 })
  })

  it("an increase setting does not govern a decrease: onIncrease next_cycle still credits a decrease (prorate)", () => {
    const p = change(10, { onIncrease: "next_cycle" })
    expect(rows(p.lines)).toEqual([["credit", "team", "storage", -516, -516]])
  })
})

describe("quantities on a plan change (docs/spec.md §5; decisions rule 11)", () => {
  it("inherited when none is requested, converted to the new pack size", () => {
    const p = ok(doc(qcat(), holding30, request(JAN16, "business")))
    expect(p.changes[0]).toMatchObject({ scenario: "upgrade", replaces: "team" })
    // credits (old price, old quantity): base −1032; storage 2 packs $10 → −(10 × 16/31) → −516
    // charges: base 50 × 16/31 → 2581; storage 30 GB → ceil(30/25) = 2 packs × $10 = $20 → 320/31 → 1032
    expect(rows(p.lines)).toEqual([
      ["credit", "team", null, -1032, -1032],
      ["credit", "team", "storage", -516, -516],
      ["charge", "business", null, 2581, 2581],
      ["charge", "business", "storage", 1032, 1032]
    ])
    // 2 packs of 25 → 50 GB shown
    expect(p.lines[3]?.quantity).toBe(50)
    // −1032 − 516 + 2581 + 1032 = 2065
    expect(p.total).toBe(2065)
    expect(quantityAfter(p, "business")).toEqual([{ featureId: "storage", quantity: 30 }])
    // Feb 1: 5000 + 2000 = 7000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 7000 })
  })

  it("a requested quantity wins over the inherited one: 60 GB → 3 packs → $30", () => {
    const p = ok(doc(qcat(), holding30, request(JAN16, [{ planId: "business", featureQuantities: [{ featureId: "storage", quantity: 60 }] }])))
    // 30 × 16/31 = 480/31 = 15.4838… → 1548, 3 × 25 = 75 GB
    expect(p.lines.find((l) => l.kind === "charge" && l.featureId === "storage")).toMatchObject({ amount: 1548, quantity: 75 })
  })
})

describe("maxPurchase (docs/spec.md §3; decisions rule 12)", () => {
  it("exceeded: 111 GB = 101 above the 10 included > 100 → InvalidRequest quantity_above_max_purchase", () => {
    const e = err(doc(qcat(), holding30, request(JAN16, [{ planId: "team", featureQuantities: [{ featureId: "storage", quantity: 111 }] }])))
    expect(e).toMatchObject({ _tag: "InvalidRequest", reason: "quantity_above_max_purchase" })
  })

  it("at the limit: 110 GB = 100 above → allowed, 10 packs", () => {
    const p = change(110)
    // new $50, old $10, Δ $40 × 16/31 = 640/31 = 20.6451… → 2065
    expect(rows(p.lines)).toEqual([["charge", "team", "storage", 2065, 2065]])
  })

  it("also checked for a new customer", () => {
    const e = err(doc(qcat(), customer([]), request(JAN16, [{ planId: "team", featureQuantities: [{ featureId: "storage", quantity: 500 }] }])))
    expect(e).toMatchObject({ _tag: "InvalidRequest", reason: "quantity_above_max_purchase" })
  })
})
