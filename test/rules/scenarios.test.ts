/**
 * Issue #3, item 4 — scenario edge cases (docs/spec.md §6, §9, §11; decisions.md rules 1, 16, 23).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $10 × 16/31 = 160/31 = 5.1612… → 516
 */
import { describe, expect, it } from "vitest"
import { FEB1, JAN1, JAN16, addOn, catalog, customer, doc, freePlan, monthly, oneOff, plan, referenceCatalog, request, subscription } from "../support/build.ts"
import { actionTypes, brief, ok, preview, rows, subAfter, subsAfter } from "../support/run.ts"

const scat = catalog([
  freePlan("free"),
  freePlan("starter"),
  monthly("lite", "10"),
  monthly("pro", "20"),
  monthly("premium", "50"),
  addOn("extra", "10"),
  oneOff("pack", "15")
])

/** premium (Jan 1) cancelling at Feb 1, with pro scheduled from Feb 1 (a pending downgrade). */
const pendingDowngrade = customer([
  subscription("premium", JAN1, { cancelAtPeriodEnd: true, endsAt: FEB1 }),
  subscription("pro", JAN1, { id: "sub_pro_scheduled", status: "scheduled", startsAt: FEB1, startedAt: FEB1 })
])

describe("active: the current plan again (docs/spec.md §6 rule 4)", () => {
  it("no lines, no actions, timing none; the current next cycle is still shown", () => {
    const p = ok(doc(scat, customer([subscription("pro", JAN1)]), request(JAN16, "pro")))
    expect(p.scenario).toBe("active")
    expect(p.changes).toEqual([{ planId: "pro", scenario: "active", timing: "none", replaces: null, entityId: null, effectiveAt: JAN16 }])
    expect(p.lines).toEqual([])
    expect(p.actions).toEqual([])
    expect(p).toMatchObject({ total: 0, amountDue: 0, checkout: "none" })
    expect(subsAfter(p)).toEqual([subscription("pro", JAN1)])
    // docs/decisions.md rule 16: renewal Feb 1 at $20 → 2000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 2000 })
  })
})

describe("renew: the current plan is set to cancel at period end (docs/spec.md §6 rule 4)", () => {
  it("a pending downgrade: renew, nothing charged, uncancelled, the scheduled plan released", () => {
    const p = ok(doc(scat, pendingDowngrade, request(JAN16, "premium")))
    expect(p.scenario).toBe("renew")
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    const premium = subAfter(p, "premium")
    expect(premium).toMatchObject({ status: "active" })
    expect(premium?.["cancelAtPeriodEnd"]).toBeUndefined()
    expect(premium?.["endsAt"]).toBeUndefined()
    expect(subAfter(p, "pro")).toMatchObject({ id: "sub_pro_scheduled", status: "expired" })
    expect(actionTypes(p)).toContain("releaseSchedule")
    // premium renews Feb 1 at $50 → 5000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 5000 })
  })

  it("a plain cancellation (no scheduled plan): renew, uncancelled, next cycle restored", () => {
    const p = ok(doc(scat, customer([subscription("pro", JAN1, { cancelAtPeriodEnd: true, endsAt: FEB1 })]), request(JAN16, "pro")))
    expect(p.scenario).toBe("renew")
    expect(p.lines).toEqual([])
    expect(subAfter(p, "pro")?.["cancelAtPeriodEnd"]).toBeUndefined()
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 2000 })
  })
})

describe("scheduled: attaching the pending scheduled plan (docs/spec.md §6 rule 5)", () => {
  it("scenario scheduled, timing none, effective at its start; nothing changes", () => {
    const p = ok(doc(scat, pendingDowngrade, request(JAN16, "pro")))
    expect(p.changes).toEqual([{ planId: "pro", scenario: "scheduled", timing: "none", replaces: null, entityId: null, effectiveAt: FEB1 }])
    expect(p.lines).toEqual([])
    expect(subAfter(p, "pro")).toMatchObject({ status: "scheduled", startsAt: FEB1 })
    expect(subAfter(p, "premium")).toMatchObject({ cancelAtPeriodEnd: true })
  })
})

describe("cancel: paid → free (docs/spec.md §6 rule 7, §9)", () => {
  it("scenario cancel, end of cycle, no lines, nothing billed any more → nextCycle null", () => {
    const p = ok(doc(scat, customer([subscription("pro", JAN1)]), request(JAN16, "free")))
    expect(p.changes).toEqual([{ planId: "free", scenario: "cancel", timing: "end_of_cycle", replaces: "pro", entityId: null, effectiveAt: FEB1 }])
    expect(p.lines).toEqual([])
    expect(p.nextCycle).toBeNull()
    expect(subAfter(p, "pro")).toMatchObject({ cancelAtPeriodEnd: true, endsAt: FEB1 })
    expect(subAfter(p, "free")).toMatchObject({ status: "scheduled", startsAt: FEB1 })
    expect(actionTypes(p)).toContain("cancelSubscription")
  })
})

describe("a pending scheduled downgrade is replaced by a new attach in the group (docs/spec.md §6 timing)", () => {
  it("another downgrade (lite): the pending pro is released and lite scheduled at Feb 1", () => {
    const p = ok(doc(scat, pendingDowngrade, request(JAN16, "lite")))
    expect(p.changes[0]).toMatchObject({ planId: "lite", scenario: "downgrade", timing: "end_of_cycle", replaces: "premium", effectiveAt: FEB1 })
    expect(p.lines).toEqual([])
    expect(subAfter(p, "pro")).toMatchObject({ id: "sub_pro_scheduled", status: "expired" })
    expect(subAfter(p, "lite")).toMatchObject({ status: "scheduled", startsAt: FEB1 })
    expect(actionTypes(p)).toContain("releaseSchedule")
  })

  // docs/spec.md §6 timing: "the new plan is scheduled from the current period's end, the old one cancels
  // then" — releasing the pending schedule must not leave premium uncancelled.
  it("…and premium still cancels at Feb 1, so the next cycle bills lite alone ($10 → 1000)", () => {
    const p = ok(doc(scat, pendingDowngrade, request(JAN16, "lite")))
    expect(subAfter(p, "premium")).toMatchObject({ cancelAtPeriodEnd: true, endsAt: FEB1 })
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 1000 })
  })

  it("a cancel (free) replaces the pending downgrade too", () => {
    const p = ok(doc(scat, pendingDowngrade, request(JAN16, "free")))
    expect(p.changes[0]).toMatchObject({ planId: "free", scenario: "cancel", timing: "end_of_cycle", replaces: "premium" })
    expect(subAfter(p, "pro")).toMatchObject({ status: "expired" })
    expect(subAfter(p, "free")).toMatchObject({ status: "scheduled", startsAt: FEB1 })
  })

  // docs/spec.md §6 rule 7 / §9: a downgrade to free leaves nothing billed → nextCycle null.
  it("…and after that cancel nothing is billed any more: premium cancels at Feb 1, nextCycle null", () => {
    const p = ok(doc(scat, pendingDowngrade, request(JAN16, "free")))
    expect(subAfter(p, "premium")).toMatchObject({ cancelAtPeriodEnd: true, endsAt: FEB1 })
    expect(p.nextCycle).toBeNull()
  })
})

describe("recurring add-on stacking (docs/spec.md §6 rule 2)", () => {
  it("an add-on already held creates a second instance, prorated onto the anchor", () => {
    const p = ok(doc(scat, customer([subscription("pro", JAN1), subscription("extra", JAN1)]), request(JAN16, "extra")))
    expect(p.changes).toEqual([{ planId: "extra", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: JAN16 }])
    // 10 × 16/31 → 516
    expect(rows(p.lines)).toEqual([["charge", "extra", null, 516, 516]])
    const extras = subsAfter(p).filter((s) => s["planId"] === "extra")
    expect(extras.map((s) => s["status"])).toEqual(["active", "active"])
    expect(new Set(extras.map((s) => s["id"])).size).toBe(2)
    // Feb 1: pro 2000 + extra 1000 + extra 1000 = 4000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 4000 })
  })
})

describe("a one-off beside a main plan (docs/spec.md §6 rule 1, §9)", () => {
  it("new, replaces nothing, charged in full with no period; nextCycle null; the main plan stays", () => {
    const p = ok(doc(scat, customer([subscription("pro", JAN1)]), request(JAN16, "pack")))
    expect(p.changes).toEqual([{ planId: "pack", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: JAN16 }])
    // one-off $15 → 1500, not prorated
    expect(rows(p.lines)).toEqual([["charge", "pack", null, 1500, 1500]])
    expect(p.lines[0]?.period).toBeNull()
    expect(p.nextCycle).toBeNull()
    expect(subAfter(p, "pro")).toMatchObject({ status: "active" })
    expect(subAfter(p, "pro")?.["cancelAtPeriodEnd"]).toBeUndefined()
  })
})

describe("free → free switches now (docs/spec.md §6 rule 6)", () => {
  it("scenario new, immediate, the old free plan expired, nothing billed", () => {
    const p = ok(doc(scat, customer([subscription("free", JAN1)]), request(JAN16, "starter")))
    expect(p.changes).toEqual([{ planId: "starter", scenario: "new", timing: "immediate", replaces: "free", entityId: null, effectiveAt: JAN16 }])
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    expect(p.nextCycle).toBeNull()
    expect(subAfter(p, "free")).toMatchObject({ status: "expired", endsAt: JAN16 })
    expect(subAfter(p, "starter")).toMatchObject({ status: "active" })
  })
})

describe("downgrade: scheduled for the period end (docs/spec.md §6 timing)", () => {
  it("premium → pro mid-cycle: no lines, change at Feb 1, the old sub cancels then, the new one is scheduled", () => {
    const c = customer([subscription("premium", JAN1, { providerSubscriptionId: "stripe_sub_1" })])
    const p = preview(doc(referenceCatalog(), c, request(JAN16, "pro")))
    expect(p.scenario).toBe("downgrade")
    expect(p.lines).toEqual([])
    expect(p).toMatchObject({ subtotal: 0, discountTotal: 0, total: 0, creditApplied: 0, amountDue: 0, checkout: "none" })
    // period end = anchor + 1 month = Feb 1
    expect(p.changes).toEqual([{ planId: "pro", scenario: "downgrade", timing: "end_of_cycle", replaces: "premium", entityId: null, effectiveAt: "2025-02-01T00:00:00.000Z" }])
    expect(subAfter(p, "premium")).toMatchObject({ status: "active", cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00.000Z" })
    expect(subAfter(p, "pro")).toMatchObject({
      status: "scheduled",
      startsAt: "2025-02-01T00:00:00.000Z",
      billingAnchor: "2025-01-01T00:00:00.000Z", // keeps the old anchor (docs/decisions.md rule 5)
      providerSubscriptionId: "stripe_sub_1"
    })
    // next cycle at the period end with the new plan's price only: $20 → 2000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", subtotal: 2000, total: 2000 })
    expect(brief(p.nextCycle?.lines ?? [])).toEqual([{ kind: "charge", planId: "pro", featureId: null, amount: 2000, total: 2000 }])
  })
})

describe("scenario rules of docs/spec.md §6: a plan of another group, a plan of another interval", () => {
  const cat = catalog([
    freePlan("free"),
    freePlan("free2"),
    monthly("lite", "10"),
    monthly("pro", "20"),
    monthly("premium", "50"),
    monthly("support", "5", { group: "support" }),
    plan("annual100", "100", "year"),
    plan("proQ", "54", "quarter")
  ])

  it("rule 3: a plan of another group is new and joins the paid subscription", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "support")))
    expect(p.changes[0]).toMatchObject({ planId: "support", scenario: "new", replaces: null })
    // joins the Jan 1 anchor: 5 × 16/31 = 80/31 = 2.5806… → 258
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "support", featureId: null, amount: 258, total: 258 }])
    expect(subAfter(p, "pro")).toMatchObject({ status: "active" })
    // Feb 1: pro 2000 + support 500 = 2500
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 2500 })
  })

  it("rule 4 of isUpgrade: monthly $20 → annual $100 is an upgrade, charged on the shared anchor's annual period", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "annual100")))
    expect(p.scenario).toBe("upgrade")
    // credit −(20 × 16/31) → −1032
    // annual period from the Jan 1 anchor: [Jan 1 2025, Jan 1 2026) = 365 days, 350 left:
    //   100 × 350/365 = 35000/365 = 95.8904… → 9589
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-1032, 9589])
    expect(p.lines[1]?.period).toEqual({ start: "2025-01-16T00:00:00.000Z", end: "2026-01-01T00:00:00.000Z" })
    // −1032 + 9589 = 8557
    expect(p.total).toBe(8557)
    expect(p.nextCycle).toMatchObject({ startsAt: "2026-01-01T00:00:00.000Z", total: 10000 })
  })

  it("monthly $20 → quarterly $54 joins the anchor with the quarter's own period", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "proQ")))
    expect(p.scenario).toBe("upgrade")
    // quarter from Jan 1: [Jan 1, Apr 1) = 31 + 28 + 31 = 90 days, 75 left (Jan 16 → Apr 1)
    //   54 × 75/90 = 45 exactly → 4500; credit −1032; total 3468
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-1032, 4500])
    expect(p.total).toBe(3468)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-01T00:00:00.000Z", total: 5400 })
  })
})

describe("scenario rules of docs/spec.md §6", () => {
  describe("with a pending downgrade premium → pro at Feb 1", () => {
    it("an upgrade releases the schedule and credits the cancelling plan", () => {
      const p = preview(doc(catalog([monthly("pro", "20"), monthly("premium", "50"), monthly("ultra", "100")]), pendingDowngrade, request(JAN16, "ultra")))
      expect(p.changes[0]).toMatchObject({ planId: "ultra", scenario: "upgrade", timing: "immediate", replaces: "premium" })
      // credit −(50 × 16/31) → −2581; charge 100 × 16/31 = 1600/31 = 51.6129… → 5161; total 2580
      expect(brief(p.lines).map((l) => [l.kind, l.planId, l.amount])).toEqual([["credit", "premium", -2581], ["charge", "ultra", 5161]])
      expect(p.total).toBe(2580)
      expect(subAfter(p, "pro")).toMatchObject({ status: "expired" })
    })

    // Regression: docs/spec.md §6 / §8.9 (fixed in the planner).
    it("an upgrade from a plan with a pending schedule ends the old plan; the next cycle bills only the new one", () => {
      const p = preview(doc(catalog([monthly("pro", "20"), monthly("premium", "50"), monthly("ultra", "100")]), pendingDowngrade, request(JAN16, "ultra")))
      expect(subAfter(p, "premium")).toMatchObject({ status: "expired", endsAt: "2025-01-16T00:00:00.000Z" })
      // Feb 1: ultra $100 → 10000
      expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 10000 })
    })
  })
})
