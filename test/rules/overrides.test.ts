/**
 * Issue #3, item 7 — request overrides (docs/spec.md §5, §6 timing, §7, §8.7, §2.1). The credit
 * balance's part of them is in ./totals.test.ts (§8.9), redirectMode and invoiceMode are in
 * ./checkout.test.ts (§10).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $20 × 16/31 = 320/31 = 10.3225… → 1032     $50 × 16/31 = 800/31 = 25.8064… → 2581
 */
import { describe, expect, it } from "vitest"
import type { AttachPreview } from "../../src/Preview.ts"
import {
  FEB1, FEB16, JAN1, JAN16, type Obj, catalog, customer, doc, freePlan, monthly, oneOff, request, subscription
} from "../support/build.ts"
import { actionTypes, err, ok, rows, subAfter } from "../support/run.ts"

const ocat = catalog([
  freePlan(),
  monthly("pro", "20", { price: { amount: "20", interval: "month", currencies: { eur: "18" } } }),
  monthly("premium", "50"),
  oneOff("pack", "15")
])

const onPro = (extra: Obj = {}): Obj => customer([subscription("pro", JAN1)], extra)
const onPremium = (extra: Obj = {}): Obj => customer([subscription("premium", JAN1)], extra)

const upgrade = (requestExtra: Obj, customerExtra: Obj = {}): AttachPreview =>
  ok(doc(ocat, onPro(customerExtra), request(JAN16, "premium", requestExtra)))

describe("planSchedule (docs/spec.md §6: it overrides the timing)", () => {
  it("end_of_cycle on an upgrade: scheduled at the period end, no lines", () => {
    const p = upgrade({ planSchedule: "end_of_cycle" })
    expect(p.changes).toEqual([{ planId: "premium", scenario: "upgrade", timing: "end_of_cycle", replaces: "pro", entityId: null, effectiveAt: FEB1 }])
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    expect(subAfter(p, "premium")).toMatchObject({ status: "scheduled", startsAt: FEB1 })
    expect(subAfter(p, "pro")).toMatchObject({ status: "active", cancelAtPeriodEnd: true, endsAt: FEB1 })
    // Feb 1: premium $50 → 5000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 5000 })
  })

  // Regression: docs/spec.md §6 / §8.9 (fixed in the planner): a negative total has amountDue 0,
  // with no balance and with one.
  it("immediate on a downgrade: credit + charge now; the negative total becomes credit balance", () => {
    const p = ok(doc(ocat, onPremium(), request(JAN16, "pro", { planSchedule: "immediate" })))
    expect(p.changes[0]).toMatchObject({ scenario: "downgrade", timing: "immediate", replaces: "premium", effectiveAt: JAN16 })
    // credit −(50 × 16/31) → −2581; charge 20 × 16/31 → 1032; total −1549
    expect(rows(p.lines)).toEqual([["credit", "premium", null, -2581, -2581], ["charge", "pro", null, 1032, 1032]])
    expect(p).toMatchObject({ subtotal: -1549, total: -1549, creditApplied: 0, amountDue: 0 })
    expect(p.customerAfter.creditBalance).toBe(1549)
    expect(actionTypes(p)).not.toContain("payInvoice")
  })

  it("…and the credit adds to an existing balance: 500 + 1549 = 2049", () => {
    const p = ok(doc(ocat, onPremium({ creditBalance: 500 }), request(JAN16, "pro", { planSchedule: "immediate" })))
    expect(p).toMatchObject({ total: -1549, creditApplied: 0, amountDue: 0 })
    expect(p.customerAfter.creditBalance).toBe(2049)
  })
})

describe("prorationBehavior none (docs/spec.md §8.7)", () => {
  it("on an upgrade: no credit or charge lines; the new price starts at the next renewal", () => {
    const p = upgrade({ prorationBehavior: "none" })
    expect(p.changes[0]).toMatchObject({ scenario: "upgrade", timing: "immediate", replaces: "pro" })
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    expect(subAfter(p, "premium")).toMatchObject({ status: "active", billingAnchor: JAN1 })
    expect(subAfter(p, "pro")).toMatchObject({ status: "expired" })
    // Feb 1 at the new price: 5000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 5000 })
  })

  it("refused free → paid: InvalidRequest proration_none_would_skip_charge", () => {
    const e = err(doc(ocat, customer([subscription("free", JAN1)]), request(JAN16, "pro", { prorationBehavior: "none" })))
    expect(e).toMatchObject({ _tag: "InvalidRequest", reason: "proration_none_would_skip_charge" })
  })

  it("refused when it would end a trial", () => {
    const trialing = subscription("pro", "2025-01-20T00:00:00Z", { status: "trialing", startedAt: "2025-01-06T00:00:00Z", trialEndsAt: "2025-01-20T00:00:00Z" })
    const e = err(doc(ocat, customer([trialing]), request(JAN16, "premium", { prorationBehavior: "none" })))
    expect(e).toMatchObject({ _tag: "InvalidRequest", reason: "proration_none_would_skip_charge" })
  })
})

describe("billingCycleAnchor now (docs/spec.md §7, §8.3)", () => {
  it("credit at the old anchor, a full new period charged, next cycle one interval after `at`", () => {
    const p = upgrade({ billingCycleAnchor: "now" })
    // credit on [Jan 1, Feb 1): −(20 × 16/31) → −1032; charge [Jan 16, Feb 16) at fraction 1 → 5000; total 3968
    expect(rows(p.lines)).toEqual([["credit", "pro", null, -1032, -1032], ["charge", "premium", null, 5000, 5000]])
    expect(p.lines.map((l) => l.period)).toEqual([{ start: JAN16, end: FEB1 }, { start: JAN16, end: FEB16 }])
    expect(p.total).toBe(3968)
    expect(subAfter(p, "premium")?.["billingAnchor"]).toBe(JAN16)
    expect(p.nextCycle).toMatchObject({ startsAt: FEB16, total: 5000 })
  })

  // Regression (fixed in the planner) (docs/spec.md §8.8 "Credit lines are discounted only by a discount that was applied to the
  // subscription before the credited period started"; §8.3 "Credits use the old anchor even when
  // charges re-anchor"). The same upgrade without billingCycleAnchor discounts the credit
  // (−1032 → −826, see rules-discounts). With "now", the new subscription gets a new billing key,
  // Planner.activeDiscounts only reads subscription discounts of that key, and the old
  // subscription's forever 20% (applied Dec 1, before the credited period Jan 1) is lost:
  // got credit total −1032 and charge total 5000 (total 3968).
  // Expected: credit −1032 × 20% = −206.4 → −206 → −826 (and, the discount being forever on this
  // subscription, the charge 5000 × 20% = 1000 → 4000; total 3174).
  it("…keeps the old subscription's discount on its credit line", () => {
    const p = ok(doc(
      catalog([monthly("pro", "20"), monthly("premium", "50")], { discounts: [{ id: "PCT20", percentOff: "20", duration: "forever" }] }),
      customer([subscription("pro", JAN1, { discounts: [{ discountId: "PCT20", appliedAt: "2024-12-01T00:00:00Z" }] })]),
      request(JAN16, "premium", { billingCycleAnchor: "now" })
    ))
    expect(rows(p.lines)[0]).toEqual(["credit", "pro", null, -1032, -826])
    expect(p.lines[1]).toMatchObject({ kind: "charge", planId: "premium", amount: 5000, total: 4000 })
    expect(p.total).toBe(3174)
  })
})

describe("customLineItems replace the computed lines (docs/spec.md §8.7)", () => {
  it("an upgrade with one custom line: only that line is billed", () => {
    const p = upgrade({ customLineItems: [{ amount: "12.34", description: "Migration fee" }] })
    // $12.34 → 1234
    expect(p.lines).toEqual([{
      kind: "custom", planId: null, featureId: null, description: "Migration fee", quantity: 1, period: null, amount: 1234, discounts: [], total: 1234,
      derivation: { exact: "1234", roundingDelta: "0", base: "1234", discounts: [] } // issue #12
    }])
    expect(p).toMatchObject({ subtotal: 1234, total: 1234, amountDue: 1234 })
    // the switch itself still happens
    expect(subAfter(p, "premium")).toMatchObject({ status: "active" })
  })

  it("custom amounts are rounded once, half away from zero: 5.005 → 501, −5.005 → −501", () => {
    const p = upgrade({ customLineItems: [{ amount: "5.005", description: "a" }, { amount: "-5.005", description: "b" }] })
    expect(p.lines.map((l) => l.amount)).toEqual([501, -501])
    expect(p.total).toBe(0)
  })
})

describe("currency (docs/spec.md §2.1)", () => {
  it("request currency eur with a plan priced {eur: \"18\"}: amounts in eur", () => {
    const p = ok(doc(ocat, customer([]), request(JAN16, "pro", { currency: "eur" })))
    expect(p.currency).toBe("eur")
    // €18 full period → 1800
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 1800, 1800]])
    expect(p.nextCycle?.total).toBe(1800)
  })

  it("the code is accepted in any case: EUR → eur", () => {
    expect(ok(doc(ocat, customer([]), request(JAN16, "pro", { currency: "EUR" }))).currency).toBe("eur")
  })

  it("the customer's currency is used when the request has none", () => {
    const p = ok(doc(ocat, customer([], { currency: "eur" }), request(JAN16, "pro")))
    expect(p.currency).toBe("eur")
    expect(p.total).toBe(1800)
  })

  it("a plan without an eur amount → CurrencyMismatch", () => {
    const e = err(doc(ocat, customer([]), request(JAN16, "premium", { currency: "eur" })))
    expect(e).toMatchObject({ _tag: "CurrencyMismatch", planId: "premium", currency: "eur" })
  })
})
