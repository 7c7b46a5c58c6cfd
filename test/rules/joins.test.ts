/**
 * Which subscription a new plan joins (docs/spec.md §7): the customer's paid recurring
 * subscription — the same entity's first — whose anchor it takes; a plan joining a trialing
 * subscription joins its trial (docs/decisions.md rule 24).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $10 × 16/31 = 160/31 = 5.1612… → 516
 */
import { describe, expect, it } from "vitest"
import { JAN1, JAN16, addOn, catalog, customer, doc, monthly, referenceCatalog, request, subscription } from "../support/build.ts"
import { brief, ok, preview, subAfter } from "../support/run.ts"

const TRIAL_END = "2025-01-30T00:00:00.000Z"

describe("an add-on joining a trialing subscription", () => {
  const trialing = subscription("pro", TRIAL_END, { status: "trialing", trialEndsAt: TRIAL_END, startedAt: "2025-01-16T00:00:00.000Z" })
  const document = doc(catalog([monthly("pro", "20"), addOn("extra", "10")]), customer([trialing]), request(JAN16, "extra"))

  it("charges nothing today: the add-on's price starts at the trial end", () => {
    const p = ok(document)
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
  })

  it("bills both plans in full at the trial end", () => {
    // Jan 30: pro 2000 + extra 1000, full periods on the trial-end anchor.
    expect(ok(document).nextCycle).toMatchObject({ startsAt: TRIAL_END, total: 3000 })
  })
})

describe("add-on joins the existing subscription (docs/spec.md §6 rule 2, §7)", () => {
  it("prorated to the existing anchor's period end; the next cycle bills both", () => {
    const c = customer([subscription("pro", JAN1, { providerSubscriptionId: "stripe_sub_1" })])
    const p = preview(doc(referenceCatalog(), c, request(JAN16, "extra")))
    expect(p.scenario).toBe("new")
    expect(p.changes).toEqual([{ planId: "extra", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }])
    // 10 × 16/31 = 160/31 = 5.1612… → 516
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "extra", featureId: null, amount: 516, total: 516 }])
    expect(p.lines[0]?.period).toEqual({ start: "2025-01-16T00:00:00.000Z", end: "2025-02-01T00:00:00.000Z" })
    // Feb 1: pro 2000 + extra 1000 = 3000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", subtotal: 3000, total: 3000 })
    expect(brief(p.nextCycle?.lines ?? []).map((l) => [l.planId, l.amount])).toEqual([["pro", 2000], ["extra", 1000]])
    expect(subAfter(p, "extra")).toMatchObject({ billingAnchor: "2025-01-01T00:00:00.000Z", providerSubscriptionId: "stripe_sub_1" })
    // the main plan is untouched
    expect(subAfter(p, "pro")).toMatchObject({ status: "active" })
  })
})

describe("which subscription a new plan joins (docs/spec.md §7)", () => {
  const subs = [
    subscription("pro", JAN1, { id: "sub_customer" }),
    subscription("pro", "2025-01-10T00:00:00Z", { id: "sub_entity", entityId: "ent_1" })
  ]

  it("the same entity's subscription first", () => {
    const p = preview(doc(referenceCatalog(), customer(subs), request(JAN16, [{ planId: "extra", entityId: "ent_1" }])))
    // ent_1 anchor Jan 10: period [Jan 10, Feb 10) = 31 days, 25 left: 10 × 25/31 = 250/31 = 8.0645… → 806
    expect(brief(p.lines).map((l) => l.amount)).toEqual([806])
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-10T00:00:00.000Z", total: 3000 }) // pro 2000 + extra 1000
  })

  it("the customer's subscription for a customer-level plan", () => {
    const p = preview(doc(referenceCatalog(), customer(subs), request(JAN16, "extra")))
    // Jan 1 anchor: 10 × 16/31 → 516
    expect(brief(p.lines).map((l) => l.amount)).toEqual([516])
  })

  it("newBillingSubscription starts a new subscription anchored at `at` (full period)", () => {
    const p = preview(doc(referenceCatalog(), customer(subs), request(JAN16, "extra", { newBillingSubscription: true })))
    // fraction 1: $10 → 1000, Jan 16 → Feb 16
    expect(brief(p.lines).map((l) => l.amount)).toEqual([1000])
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-16T00:00:00.000Z", total: 1000 })
  })
})
