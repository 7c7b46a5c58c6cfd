/**
 * Issue #3, item 4 — scenario edge cases (docs/spec.md §6, §9, §11; decisions.md rules 1, 16, 23).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $10 × 16/31 = 160/31 = 5.1612… → 516
 */
import { describe, expect, it } from "vitest"
import { FEB1, JAN1, JAN16, addOn, catalog, customer, doc, freePlan, monthly, oneOff, request, subscription } from "../support/build.ts"
import { actionTypes, ok, rows, subAfter, subsAfter } from "../support/run.ts"

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
    expect(p.changes[0]).toMatchObject({ planId: "starter", scenario: "new", timing: "immediate", effectiveAt: JAN16 })
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    expect(subAfter(p, "free")).toMatchObject({ status: "expired", endsAt: JAN16 })
    expect(subAfter(p, "starter")).toMatchObject({ status: "active" })
  })
})
