/**
 * Issue #3, item 5 — several plans in one request (docs/spec.md §6 "Multi-plan requests", §7, §9, §11).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $10 × 16/31 = 5.1612… → 516   $20 × 16/31 = 10.3225… → 1032   $50 × 16/31 = 25.8064… → 2581
 */
import { describe, expect, it } from "vitest"
import { FEB16, JAN1, JAN16, addOn, catalog, customer, doc, monthly, referenceCatalog, request, subscription } from "../support/build.ts"
import { actionTypes, brief, err, ok, preview, rows, subAfter } from "../support/run.ts"

const mcat = catalog([
  monthly("pro", "20"),
  monthly("premium", "50"),
  monthly("support", "10", { group: "support" }),
  addOn("extra", "10")
])

describe("a main plan and an add-on for a new customer (docs/spec.md §6, §7)", () => {
  const p = ok(doc(mcat, customer([]), request(JAN16, [{ planId: "pro" }, { planId: "extra" }])))

  it("one invoice with both charges for a full first period", () => {
    // pro: new subscription at `at`, fraction 1 → 2000; extra joins it at the same anchor → fraction 1 → 1000
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 2000], ["charge", "extra", null, 1000, 1000]])
    expect(p.lines.map((l) => l.period)).toEqual([{ start: JAN16, end: FEB16 }, { start: JAN16, end: FEB16 }])
    expect(p).toMatchObject({ subtotal: 3000, total: 3000, amountDue: 3000 })
    expect(actionTypes(p).filter((t) => t === "createInvoice")).toHaveLength(1)
  })

  it("one shared billing subscription: the same billingAnchor, one createSubscription with both plans", () => {
    expect(subAfter(p, "pro")?.["billingAnchor"]).toBe(JAN16)
    expect(subAfter(p, "extra")?.["billingAnchor"]).toBe(JAN16)
    const creates = p.actions.filter((a) => a.type === "createSubscription")
    expect(creates).toHaveLength(1)
    expect(creates[0]?.["planIds"]).toEqual(["pro", "extra"])
    // the shared next cycle: 2000 + 1000 = 3000 on Feb 16
    expect(p.nextCycle).toMatchObject({ startsAt: FEB16, total: 3000 })
  })

  it("two changes entries, in request order", () => {
    expect(p.changes).toEqual([
      { planId: "pro", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: JAN16 },
      { planId: "extra", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: JAN16 }
    ])
    expect(p.scenario).toBe("new")
  })
})

describe("at most one main plan per (group, scope) (docs/spec.md §6)", () => {
  it("two main plans of the same group → InvalidRequest two_main_plans_in_group", () => {
    const e = err(doc(mcat, customer([]), request(JAN16, [{ planId: "pro" }, { planId: "premium" }])))
    expect(e).toMatchObject({ _tag: "InvalidRequest", reason: "two_main_plans_in_group" })
  })

  it("main plans of different groups are fine: pro 2000 + support 1000", () => {
    const p = ok(doc(mcat, customer([]), request(JAN16, [{ planId: "pro" }, { planId: "support" }])))
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 2000], ["charge", "support", null, 1000, 1000]])
  })

  it("the same group for two different entities is fine", () => {
    const p = ok(doc(mcat, customer([]), request(JAN16, [{ planId: "pro", entityId: "ent_1" }, { planId: "premium", entityId: "ent_2" }])))
    expect(p.changes.map((c) => [c.planId, c.scenario, c.entityId])).toEqual([["pro", "new", "ent_1"], ["premium", "new", "ent_2"]])
  })
})

describe("multi-plan requests are immediate (docs/spec.md §6)", () => {
  it("planSchedule end_of_cycle with several plans → InvalidRequest", () => {
    const e = err(doc(mcat, customer([]), request(JAN16, [{ planId: "pro" }, { planId: "extra" }], { planSchedule: "end_of_cycle" })))
    expect(e).toMatchObject({ _tag: "InvalidRequest", reason: "multi_plan_must_be_immediate" })
  })

  it("a downgrade inside a multi-plan request happens now: premium → pro + extra", () => {
    const p = ok(doc(mcat, customer([subscription("premium", JAN1)]), request(JAN16, [{ planId: "pro" }, { planId: "extra" }])))
    expect(p.changes.map((c) => [c.planId, c.scenario, c.timing])).toEqual([["pro", "downgrade", "immediate"], ["extra", "new", "immediate"]])
    // credit −2581; pro 1032; extra 516 → −1033
    expect(rows(p.lines)).toEqual([["credit", "premium", null, -2581, -2581], ["charge", "pro", null, 1032, 1032], ["charge", "extra", null, 516, 516]])
    expect(p).toMatchObject({ total: -1033, amountDue: 0 })
    expect(p.customerAfter.creditBalance).toBe(1033)
  })
})

describe("changes entries (docs/spec.md §13)", () => {
  it("list every plan of a multi-plan request in order", () => {
    const p = preview(doc(referenceCatalog(), customer([subscription("pro", JAN1)]), request(JAN16, [{ planId: "premium" }, { planId: "extra" }])))
    expect(p.changes).toEqual([
      { planId: "premium", scenario: "upgrade", timing: "immediate", replaces: "pro", entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" },
      { planId: "extra", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }
    ])
    // credit −1032; charges premium 2581 and extra 10 × 16/31 → 516: −1032 + 2581 + 516 = 2065
    expect(brief(p.lines).map((l) => [l.kind, l.planId, l.amount])).toEqual([["credit", "pro", -1032], ["charge", "premium", 2581], ["charge", "extra", 516]])
    expect(p.total).toBe(2065)
    // Feb 1: premium 5000 + extra 1000 = 6000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 6000 })
  })
})
