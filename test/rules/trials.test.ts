/**
 * Issue #3, item 1 — free trials (docs/spec.md §8.5, §4, §7, §10; decisions.md rules 5 and 9).
 *
 * Money is worked out in the comment beside each number: exact fraction, then one
 * half-away-from-zero rounding to minor units per line.
 */
import { describe, expect, it } from "vitest"
import { JAN1, JAN16, catalog, customer, doc, freePlan, iso, monthly, prepaidItem, request, subscription } from "../support/build.ts"
import { actionTypes, err, ok, rows, subAfter } from "../support/run.ts"

const MAR10 = "2025-03-10T00:00:00.000Z"
const MAR24 = "2025-03-24T00:00:00.000Z" // Mar 10 + 14 days
const JAN20 = "2025-01-20T00:00:00.000Z"
const JAN30 = "2025-01-30T00:00:00.000Z" // Jan 16 + 14 days

/** lite $10, pro $20 with a 14-day trial, premium $50 without one. */
const trialCat = (trial: Record<string, unknown> = { length: 14, unit: "day" }): Record<string, unknown> => catalog([
  freePlan(),
  monthly("lite", "10"),
  monthly("pro", "20", { freeTrial: trial }),
  monthly("premium", "50")
])

describe("a plan's trial starts (docs/spec.md §8.5)", () => {
  it("today 0 with no charge lines; trialEndsAt = at + 14 days; the next cycle at the trial end at full price", () => {
    const p = ok(doc(trialCat(), customer([]), request(MAR10, "pro")))
    expect(p.scenario).toBe("new")
    // in-advance recurring charges are dropped during a trial → no line at all
    expect(p.lines).toEqual([])
    expect(p).toMatchObject({ subtotal: 0, discountTotal: 0, total: 0, amountDue: 0 })
    // Mar 10 + 14 × 86 400 000 ms = Mar 24
    expect(p.trialEndsAt).toBe(MAR24)
    // next cycle at the trial end, the full $20 → 2000, for the period [Mar 24, Apr 24)
    expect(p.nextCycle?.startsAt).toBe(MAR24)
    expect(rows(p.nextCycle?.lines ?? [])).toEqual([["charge", "pro", null, 2000, 2000]])
    expect(p.nextCycle?.lines[0]?.period).toEqual({ start: MAR24, end: "2025-04-24T00:00:00.000Z" })
    expect(p.nextCycle?.total).toBe(2000)
  })

  it("customerAfter: the subscription is trialing until the trial end (anchored there) and the trial is recorded as used", () => {
    const p = ok(doc(trialCat(), customer([]), request(MAR10, "pro")))
    expect(subAfter(p, "pro")).toMatchObject({ status: "trialing", trialEndsAt: MAR24, billingAnchor: MAR24, startedAt: MAR10 })
    expect(p.customerAfter.trialsUsed).toEqual(["pro"])
    // nothing to invoice or pay today
    expect(actionTypes(p)).not.toContain("createInvoice")
    expect(actionTypes(p)).not.toContain("payInvoice")
  })

  it("trialsUsed keeps earlier entries and appends the plan once", () => {
    const p = ok(doc(trialCat(), customer([], { trialsUsed: ["other"] }), request(MAR10, "pro")))
    expect(p.customerAfter.trialsUsed).toEqual(["other", "pro"])
  })
})

describe("only in-advance recurring charges are dropped during a trial (docs/spec.md §8.5, §8.1)", () => {
  it("a one-off prepaid item of the trial plan is still charged today: 2 × $5 → 1000", () => {
    const setupCat = catalog([monthly("setup", "20", {
      freeTrial: { length: 14, unit: "day" },
      items: [prepaidItem("storage", { amount: "5", interval: "one_off" }, { included: 0 })]
    })])
    const p = ok(doc(setupCat, customer([]), request(MAR10, [{ planId: "setup", featureQuantities: [{ featureId: "storage", quantity: 2 }] }])))
    // one-off: full amount, never prorated, no period; the $20 base is dropped for the trial
    expect(rows(p.lines)).toEqual([["charge", "setup", "storage", 1000, 1000]])
    expect(p.lines[0]?.period).toBeNull()
    expect(p.trialEndsAt).toBe(MAR24)
    // the next cycle bills the base alone (a one-off is not renewed): 2000
    expect(rows(p.nextCycle?.lines ?? [])).toEqual([["charge", "setup", null, 2000, 2000]])
  })
})

describe("the request's freeTrial (docs/spec.md §5, §8.5)", () => {
  it("overrides the plan's trial: 1 month instead of 14 days → Apr 10", () => {
    const p = ok(doc(trialCat(), customer([]), request(MAR10, "pro", { freeTrial: { length: 1, unit: "month" } })))
    expect(p.lines).toEqual([])
    expect(p.trialEndsAt).toBe("2025-04-10T00:00:00.000Z")
    expect(subAfter(p, "pro")).toMatchObject({ status: "trialing", trialEndsAt: "2025-04-10T00:00:00.000Z" })
  })

  it("gives a trial to a plan without one: premium, 7 days → Mar 17, next cycle 5000", () => {
    const p = ok(doc(trialCat(), customer([]), request(MAR10, "premium", { freeTrial: { length: 7, unit: "day" } })))
    expect(p.lines).toEqual([])
    expect(p.trialEndsAt).toBe("2025-03-17T00:00:00.000Z")
    // full $50 at the trial end → 5000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-03-17T00:00:00.000Z", total: 5000 })
  })

  it("freeTrial: null removes the plan's trial: full first period charged, active, no trial recorded", () => {
    const p = ok(doc(trialCat(), customer([]), request(MAR10, "pro", { freeTrial: null })))
    // new subscription anchored at `at`: fraction 1 → $20 → 2000
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 2000]])
    expect(p.total).toBe(2000)
    expect(p.trialEndsAt).toBeNull()
    expect(subAfter(p, "pro")).toMatchObject({ status: "active", billingAnchor: MAR10 })
    expect(subAfter(p, "pro")?.["trialEndsAt"]).toBeUndefined()
    expect(p.customerAfter.trialsUsed).toBeUndefined()
  })
})

describe("a trial already used gives no trial (docs/spec.md §4, §8.5)", () => {
  it("via trialsUsed: full charge 2000, active, trialEndsAt null", () => {
    const p = ok(doc(trialCat(), customer([], { trialsUsed: ["pro"] }), request(MAR10, "pro")))
    // fraction 1 → 2000
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 2000]])
    expect(p.trialEndsAt).toBeNull()
    expect(subAfter(p, "pro", "active")).toBeDefined()
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-10T00:00:00.000Z", total: 2000 })
  })

  it("via a past (expired) subscription of the plan that had a trial: full charge 2000", () => {
    const past = subscription("pro", "2024-06-15T00:00:00Z", {
      status: "expired", startedAt: "2024-06-01T00:00:00Z", trialEndsAt: "2024-06-15T00:00:00Z", endsAt: "2024-09-15T00:00:00Z"
    })
    const p = ok(doc(trialCat(), customer([past]), request(MAR10, "pro")))
    expect(p.scenario).toBe("new")
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 2000]])
    expect(p.trialEndsAt).toBeNull()
  })

  it("a request freeTrial does not revive a used trial either", () => {
    const p = ok(doc(trialCat(), customer([], { trialsUsed: ["pro"] }), request(MAR10, "pro", { freeTrial: { length: 30, unit: "day" } })))
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 2000]])
    expect(p.trialEndsAt).toBeNull()
  })

  it("another plan's used trial does not count: trialsUsed [lite] still gives pro its trial", () => {
    const p = ok(doc(trialCat(), customer([], { trialsUsed: ["lite"] }), request(MAR10, "pro")))
    expect(p.lines).toEqual([])
    expect(p.trialEndsAt).toBe(MAR24)
  })
})

describe("upgrading from a paid plan into a trial keeps the credit (docs/spec.md §8.5, §8.3)", () => {
  it("lite $10 (anchor Jan 1) → pro with a 14-day trial on Jan 16: only the credit for lite", () => {
    const p = ok(doc(trialCat(), customer([subscription("lite", JAN1)]), request(JAN16, "pro")))
    expect(p.changes).toEqual([{ planId: "pro", scenario: "upgrade", timing: "immediate", replaces: "lite", entityId: null, effectiveAt: JAN16 }])
    // credit −(10 × 16/31) = −160/31 = −5.1612… → −516; no charge for pro during the trial
    expect(rows(p.lines)).toEqual([["credit", "lite", null, -516, -516]])
    // a negative total owes nothing (docs/spec.md §8.9) and becomes customer credit: 0 + 516
    expect(p).toMatchObject({ total: -516, creditApplied: 0, amountDue: 0 })
    expect(p.customerAfter.creditBalance).toBe(516)
    // Jan 16 + 14 days = Jan 30; the anchor moves there
    expect(p.trialEndsAt).toBe(JAN30)
    expect(subAfter(p, "pro")).toMatchObject({ status: "trialing", billingAnchor: JAN30, trialEndsAt: JAN30 })
    expect(subAfter(p, "lite")).toMatchObject({ status: "expired", endsAt: JAN16 })
    // next cycle: pro alone at the trial end, $20 → 2000
    expect(p.nextCycle).toMatchObject({ startsAt: JAN30, total: 2000 })
    expect(rows(p.nextCycle?.lines ?? [])).toEqual([["charge", "pro", null, 2000, 2000]])
  })
})

describe("ending a trial by upgrading to a plan without a trial (docs/spec.md §8.5, §7)", () => {
  // pro trialing since Jan 6, trial (and anchor) until Jan 20
  const trialing = subscription("pro", JAN20, { status: "trialing", startedAt: "2025-01-06T00:00:00Z", trialEndsAt: JAN20 })

  it("no credit line, re-anchored at `at`, full-period charge", () => {
    const p = ok(doc(trialCat(), customer([trialing], { trialsUsed: ["pro"] }), request(JAN16, "premium")))
    expect(p.changes[0]).toMatchObject({ planId: "premium", scenario: "upgrade", timing: "immediate", replaces: "pro" })
    // nothing was paid for the trial → no credit; a new period [Jan 16, Feb 16) at fraction 1 → $50 → 5000
    expect(rows(p.lines)).toEqual([["charge", "premium", null, 5000, 5000]])
    expect(p.lines[0]?.period).toEqual({ start: JAN16, end: "2025-02-16T00:00:00.000Z" })
    expect(p.total).toBe(5000)
    expect(p.trialEndsAt).toBeNull()
    expect(subAfter(p, "premium")).toMatchObject({ status: "active", billingAnchor: JAN16 })
    expect(subAfter(p, "premium")?.["trialEndsAt"]).toBeUndefined()
    expect(subAfter(p, "pro")).toMatchObject({ status: "expired" })
    // next cycle one month after the new anchor
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-16T00:00:00.000Z", total: 5000 })
  })
})

describe("a downgrade while trialing is scheduled at the existing trial end (docs/spec.md §8.5; decisions rule 5)", () => {
  it("premium trialing until Jan 20 → pro: end_of_cycle at Jan 20, no lines, pro gets no trial of its own", () => {
    const trialing = subscription("premium", JAN20, { status: "trialing", startedAt: "2025-01-06T00:00:00Z", trialEndsAt: JAN20 })
    const p = ok(doc(trialCat(), customer([trialing]), request(JAN16, "pro")))
    expect(p.changes).toEqual([{ planId: "pro", scenario: "downgrade", timing: "end_of_cycle", replaces: "premium", entityId: null, effectiveAt: JAN20 }])
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    // a downgrade starts no trial (pro's own 14-day trial does not apply)
    expect(p.trialEndsAt).toBeNull()
    expect(subAfter(p, "pro")).toMatchObject({ status: "scheduled", startsAt: JAN20 })
    expect(subAfter(p, "pro")?.["trialEndsAt"]).toBeUndefined()
    expect(subAfter(p, "premium")).toMatchObject({ status: "trialing", cancelAtPeriodEnd: true, endsAt: JAN20 })
    expect(p.customerAfter.trialsUsed).toBeUndefined()
    // first paid invoice at the trial end: pro $20 → 2000
    expect(p.nextCycle).toMatchObject({ startsAt: JAN20, total: 2000 })
  })

  it("the trial end wins over the anchor's period end: anchor Jan 6 (period end Feb 6), trial until Jan 20 → Jan 20", () => {
    const trialing = subscription("premium", "2025-01-06T00:00:00Z", { status: "trialing", trialEndsAt: JAN20 })
    const p = ok(doc(trialCat(), customer([trialing]), request(JAN16, "pro")))
    expect(p.changes[0]).toMatchObject({ scenario: "downgrade", timing: "end_of_cycle", effectiveAt: JAN20 })
    expect(subAfter(p, "pro")).toMatchObject({ status: "scheduled", startsAt: JAN20 })
    expect(subAfter(p, "premium")).toMatchObject({ cancelAtPeriodEnd: true, endsAt: JAN20 })
  })
})

describe("a downgrade never starts a trial (docs/spec.md §8.5), even when forced immediate", () => {
  it("premium → pro (pro has a 14-day trial) with planSchedule immediate: credit and a prorated charge, no trial", () => {
    const p = ok(doc(trialCat(), customer([subscription("premium", JAN1)]), request(JAN16, "pro", { planSchedule: "immediate" })))
    expect(p.changes[0]).toMatchObject({ scenario: "downgrade", timing: "immediate", replaces: "premium" })
    // credit −(50 × 16/31) = −800/31 = −25.806… → −2581; charge 20 × 16/31 = 320/31 = 10.322… → 1032
    expect(rows(p.lines)).toEqual([["credit", "premium", null, -2581, -2581], ["charge", "pro", null, 1032, 1032]])
    expect(p.trialEndsAt).toBeNull()
    expect(subAfter(p, "pro")).toMatchObject({ status: "active", billingAnchor: JAN1 })
    expect(p.customerAfter.trialsUsed).toBeUndefined()
  })
})

describe("a trial without a card requirement (docs/spec.md §10)", () => {
  it("cardRequired false, no payment method → checkout none", () => {
    const p = ok(doc(trialCat({ length: 14, unit: "day", cardRequired: false }), customer([], { hasPaymentMethod: false }), request(MAR10, "pro")))
    expect(p.trialEndsAt).toBe(MAR24)
    expect(p.checkout).toBe("none")
    expect(actionTypes(p)).not.toContain("createCheckoutSession")
  })

  it("contrast: the default cardRequired (true), no payment method → provider_checkout", () => {
    const p = ok(doc(trialCat(), customer([], { hasPaymentMethod: false }), request(MAR10, "pro")))
    expect(p.trialEndsAt).toBe(MAR24)
    expect(p.checkout).toBe("provider_checkout")
  })

  it("a request trial with cardRequired false, no payment method → checkout none", () => {
    const p = ok(doc(trialCat(), customer([], { hasPaymentMethod: false }), request(MAR10, "premium", { freeTrial: { length: 7, unit: "day", cardRequired: false } })))
    expect(p.lines).toEqual([])
    expect(p.checkout).toBe("none")
  })
})

describe("trial lengths in months and years clamp to the month's last day (docs/spec.md §2.2, §8.5)", () => {
  it("Jan 31 2025 + 1 month → Feb 28 2025", () => {
    const at = "2025-01-31T00:00:00.000Z"
    const p = ok(doc(trialCat({ length: 1, unit: "month" }), customer([]), request(at, "pro")))
    expect(p.trialEndsAt).toBe("2025-02-28T00:00:00.000Z")
    expect(p.nextCycle?.startsAt).toBe("2025-02-28T00:00:00.000Z")
    expect(subAfter(p, "pro")).toMatchObject({ trialEndsAt: "2025-02-28T00:00:00.000Z", billingAnchor: "2025-02-28T00:00:00.000Z" })
  })

  it("Jan 31 2024 (leap year) + 1 month → Feb 29 2024, keeping the time of day", () => {
    const p = ok(doc(trialCat({ length: 1, unit: "month" }), customer([]), request("2024-01-31T09:30:00Z", "pro")))
    expect(p.trialEndsAt).toBe(iso("2024-02-29T09:30:00Z"))
  })

  it("Feb 29 2024 + 1 year → Feb 28 2025", () => {
    const p = ok(doc(trialCat({ length: 1, unit: "year" }), customer([]), request("2024-02-29T00:00:00Z", "pro")))
    expect(p.trialEndsAt).toBe("2025-02-28T00:00:00.000Z")
  })
})

describe("no trial where docs/spec.md §8.5 excludes it", () => {
  it("a request trial on a free plan does nothing", () => {
    const p = ok(doc(trialCat(), customer([]), request(MAR10, "free", { freeTrial: { length: 7, unit: "day" } })))
    expect(p.trialEndsAt).toBeNull()
    expect(subAfter(p, "free")?.["status"]).toBe("active")
  })

  it("an unknown plan is still an error with a trial requested", () => {
    expect(err(doc(trialCat(), customer([]), request(MAR10, "platinum", { freeTrial: { length: 7, unit: "day" } })))._tag).toBe("UnknownPlan")
  })
})

describe("a prepaid quantity change while trialing (docs/spec.md §8.5 with §8.6)", () => {
  const teamCat = catalog([monthly("team", "20", {
    freeTrial: { length: 14, unit: "day" },
    items: [prepaidItem("storage", { amount: "5", billingUnits: 10 }, { included: 10 })]
  })])
  // trialing since Jan 6 until Jan 20 (anchor Jan 20), holding 30 GB: 20 billable → 2 packs → $10
  const trialing = customer([subscription("team", JAN20, {
    status: "trialing", startedAt: "2025-01-06T00:00:00Z", trialEndsAt: JAN20, featureQuantities: [{ featureId: "storage", quantity: 30 }]
  })], { trialsUsed: ["team"] })
  const to50 = request(JAN16, [{ planId: "team", featureQuantities: [{ featureId: "storage", quantity: 50 }] }])

  it("the new quantity renews at the trial end: Jan 20, base 2000 + 4 packs × $5 = 2000 → 4000", () => {
    const p = ok(doc(teamCat, trialing, to50))
    expect(p.scenario).toBe("update_prepaid_quantity")
    expect(p.nextCycle).toMatchObject({ startsAt: JAN20, total: 4000 })
  })

  // Regression (fixed in the planner) (docs/spec.md §8.5: during a trial the in-advance recurring charges are dropped — nothing
  // is paid for the trial period; decisions.md rule 9: "Trialing subscriptions paid nothing for the
  // period"). quantityChangeLines prorates Δ over the anchor's period [Dec 20, Jan 20) — a period
  // that began before the trial did — and charges Δ $10 × 4/31 = 40/31 = 1.290… → 129 for trial time.
  // Expected: no line today (total 0), the new quantity billed from the trial end.
  it("…and nothing is charged today for the trial time", () => {
    const p = ok(doc(teamCat, trialing, to50))
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
  })

  // Regression (fixed in the planner) (same cause; decisions.md rule 9 "Trialing subscriptions paid nothing for the
  // period: replacing one gives no credit"). A decrease 30 → 10 GB while trialing credits
  // −(Δ $10 × 4/31) = −40/31 = −1.290… → −129 for time that was never paid, and customerAfter gets
  // creditBalance 129. Expected: no line, no credit balance; the lower quantity renews on Jan 20.
  it("a decrease while trialing credits nothing (nothing was paid for the trial)", () => {
    const p = ok(doc(teamCat, trialing, request(JAN16, [{ planId: "team", featureQuantities: [{ featureId: "storage", quantity: 10 }] }])))
    expect(p.lines).toEqual([])
    expect(p.customerAfter.creditBalance).toBeUndefined()
  })
})
