/**
 * The timeline (issue #15) on hand-computed cases, one per event it lists: a scheduled downgrade
 * taking effect, a trial ending with a card, without one (canceled, or sent for checkout), a
 * repeating discount running out, a cancellation at period end, a prepaid allowance resetting,
 * a credit balance consumed invoice by invoice, an anchor reset; per customer and per entity;
 * and the Result / Effect / Promise forms.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { previewTimeline, previewTimelinePromise, previewTimelineSync, type Timeline, type TimelineOptions, timelineDocument } from "../../src/index.ts"
import { FEB1, JAN1, JAN16, addOn, catalog, customer, doc, monthly, prepaidItem, request, subscription } from "../support/build.ts"

const MAR1 = "2025-03-01T00:00:00.000Z"
const APR1 = "2025-04-01T00:00:00.000Z"
const MAY1 = "2025-05-01T00:00:00.000Z"

/** lite $10, pro $20 with a 14-day trial needing no card, premium $50, team $30 with 100 prepaid messages a month, an add-on $5. */
const cat = catalog([
  monthly("lite", "10"),
  monthly("pro", "20", { freeTrial: { length: 14, unit: "day", cardRequired: false } }),
  monthly("premium", "50"),
  monthly("team", "30", { items: [prepaidItem("messages", { amount: "5", billingUnits: 100 }, { included: 100, reset: { interval: "month" } })] }),
  addOn("addon", "5")
], { discounts: [{ id: "M3", percentOff: "20", duration: { months: 3 } }] })

const timeline = (d: unknown, options: TimelineOptions): Timeline => {
  const r = previewTimelineSync(d, options)
  if (Result.isFailure(r)) throw new Error(`expected a timeline, got ${r.failure._tag}: ${r.failure.message}`)
  return r.success
}
/** Each invoice as [at, total, creditApplied, amountDue]. */
const money = (t: Timeline) => t.invoices.map((i) => [i.at, i.total, i.creditApplied, i.amountDue])
const events = (t: Timeline) => t.events.map((e) => [e.at, e.type])

describe("previewTimeline: every event the issue lists, hand-computed — a scheduled downgrade, a trial's end", () => {
  it("a scheduled downgrade premium → lite takes effect at the period end: nothing today, then $10 a month", () => {
    const t = timeline(doc(cat, customer([subscription("premium", JAN1)]), request(JAN16, "lite")), { cycles: 2 })
    expect(money(t)).toEqual([[JAN16, 0, 0, 0], [FEB1, 1000, 0, 1000], [MAR1, 1000, 0, 1000]])
    expect(t.invoices[1]?.lines.map((l) => l.planId)).toEqual(["lite"])
    expect(t.events).toEqual([{ at: FEB1, type: "phase_started", entityId: null, subscriptionId: "sub_lite_20250201T000000Z", planId: "lite", replaces: "premium" }])
  })

  const trial = (hasPaymentMethod: boolean) => doc(cat, customer([], { hasPaymentMethod }), request("2025-03-10T00:00:00Z", "pro"))
  const MAR24 = "2025-03-24T00:00:00.000Z"
  it("a trial ending with a card: the first charge of $20 at the trial end (Mar 10 + 14 days), then monthly", () => {
    const t = timeline(trial(true), { cycles: 2 })
    expect(money(t)).toEqual([["2025-03-10T00:00:00.000Z", 0, 0, 0], [MAR24, 2000, 0, 2000], ["2025-04-24T00:00:00.000Z", 2000, 0, 2000]])
    expect(t.events).toMatchObject([{ at: MAR24, type: "trial_ended", outcome: "charged" }])
  })

  it("a trial ending without a card: canceled at the trial end, no invoice (the default)", () => {
    const t = timeline(trial(false), { cycles: 2 })
    expect(money(t)).toEqual([["2025-03-10T00:00:00.000Z", 0, 0, 0]])
    expect(t.events).toMatchObject([{ at: MAR24, type: "trial_ended", outcome: "canceled", planId: "pro" }])
  })

  it("a trial ending without a card under checkout: the first $20 invoice is sent, not charged", () => {
    const t = timeline(trial(false), { cycles: 1, trialEndWithoutCard: "checkout" })
    expect(t.invoices[1]).toMatchObject({ at: MAR24, total: 2000, amountDue: 2000, collection: "checkout" })
    expect(t.events).toMatchObject([{ at: MAR24, type: "trial_ended", outcome: "checkout" }])
  })
})

describe("previewTimeline: every event the issue lists, hand-computed — a discount, a cancellation, an allowance, a credit balance, an anchor", () => {
  it("a 3-month 20% discount runs out: $50 − 20% = $40 on Jan 1, Feb 1, Mar 1; $50 from Apr 1", () => {
    const t = timeline(doc(cat, customer([]), request(JAN1, "premium", { discounts: [{ discountId: "M3" }] })), { cycles: 4 })
    expect(money(t)).toEqual([[JAN1, 4000, 0, 4000], [FEB1, 4000, 0, 4000], [MAR1, 4000, 0, 4000], [APR1, 5000, 0, 5000], [MAY1, 5000, 0, 5000]])
    expect(t.invoices[1]?.lines[0]?.discounts).toEqual([{ discountId: "M3", amount: 1000 }])
    expect(t.events).toEqual([{ at: APR1, type: "discount_expired", entityId: null, discountId: "M3", subscriptionId: "sub_premium_20250101T000000Z" }])
  })

  it("a cancellation at period end: premium ends Feb 1 and is not renewed; the add-on ($5 × 16/31 = 2.58 today) renews alone", () => {
    const premium = subscription("premium", JAN1, { cancelAtPeriodEnd: true, endsAt: FEB1 })
    const t = timeline(doc(cat, customer([premium]), request(JAN16, "addon")), { cycles: 2 })
    expect(money(t)).toEqual([[JAN16, 258, 0, 258], [FEB1, 500, 0, 500], [MAR1, 500, 0, 500]])
    expect(t.invoices.slice(1).flatMap((i) => i.lines.map((l) => l.planId))).toEqual(["addon", "addon"])
    expect(events(t)).toEqual([[FEB1, "subscription_canceled"]])
  })

  it("a prepaid allowance resets each month: 100 messages on Feb 1 and Mar 1", () => {
    const t = timeline(doc(cat, customer([]), request(JAN1, "team")), { cycles: 2 })
    expect(money(t)).toEqual([[JAN1, 3000, 0, 3000], [FEB1, 3000, 0, 3000], [MAR1, 3000, 0, 3000]])
    expect(t.events).toMatchObject([
      { at: FEB1, type: "allowance_reset", featureId: "messages", included: 100 },
      { at: MAR1, type: "allowance_reset", featureId: "messages", included: 100 }
    ])
  })

  it("a credit balance of $60 is consumed invoice by invoice: $50 today, the last $10 on Feb 1, none on Mar 1", () => {
    const t = timeline(doc(cat, customer([], { creditBalance: 6000 }), request(JAN1, "premium")), { cycles: 2 })
    expect(money(t)).toEqual([[JAN1, 5000, 5000, 0], [FEB1, 5000, 1000, 4000], [MAR1, 5000, 0, 5000]])
    expect(t.events).toEqual([
      { at: JAN1, type: "credit_applied", entityId: null, amount: 5000, balanceAfter: 1000 },
      { at: FEB1, type: "credit_applied", entityId: null, amount: 1000, balanceAfter: 0 }
    ])
  })

  it("an anchor reset: lite → premium with billingCycleAnchor now renews on the 16th (−$10 × 16/31 = −5.16, + $50 today)", () => {
    const t = timeline(doc(cat, customer([subscription("lite", JAN1)]), request(JAN16, "premium", { billingCycleAnchor: "now" })), { cycles: 1 })
    expect(money(t)).toEqual([[JAN16, 4484, 0, 4484], ["2025-02-16T00:00:00.000Z", 5000, 0, 5000]])
    expect(t.events).toEqual([{ at: JAN16, type: "anchor_reset", entityId: null, subscriptionId: "sub_premium_20250116T000000Z", planId: "premium", billingAnchor: JAN16 }])
  })
})

describe("previewTimeline per entity", () => {
  // ent_a holds lite; premium is attached for ent_b on Jan 10 ($50 × 22/31 = 35.48), on the same billing subscription
  const d = doc(cat, customer([subscription("lite", JAN1, { id: "sub_a", entityId: "ent_a" })]), request("2025-01-10T00:00:00Z", "premium", { entityId: "ent_b" }))
  it("the customer's timeline bills both entities together on Feb 1 ($10 + $50)", () => {
    expect(money(timeline(d, { cycles: 1 }))).toEqual([["2025-01-10T00:00:00.000Z", 3548, 0, 3548], [FEB1, 6000, 0, 6000]])
  })
  it("an entity's timeline holds only its own dates and amounts", () => {
    const a = timeline(d, { cycles: 1, entityId: "ent_a" })
    expect(a.invoices.map((i) => [i.at, i.entityId, i.total])).toEqual([[FEB1, "ent_a", 1000]])
    const b = timeline(d, { cycles: 1, entityId: "ent_b" })
    expect(b.invoices.map((i) => [i.at, i.entityId, i.total])).toEqual([["2025-01-10T00:00:00.000Z", "ent_b", 3548], [FEB1, "ent_b", 5000]])
  })
})

describe("previewTimeline's forms", () => {
  const d = doc(cat, customer([]), request(JAN1, "premium"))
  it("Effect and Promise give the Result's timeline", async () => {
    const sync = timeline(d, { cycles: 2 })
    expect(await Effect.runPromise(previewTimeline(d, { cycles: 2 }))).toEqual(sync)
    expect(await previewTimelinePromise(d, { cycles: 2 })).toEqual(sync)
    expect(timelineDocument(d, { cycles: 2 })).toEqual(sync)
  })
  it("a bad option is a tagged error naming it, in every form", async () => {
    const r = previewTimelineSync(d, { cycles: 0 })
    expect(Result.isFailure(r) && r.failure).toMatchObject({ _tag: "TimelineOptionError", path: "options.cycles" })
    const e = await Effect.runPromise(Effect.flip(previewTimeline(d, { cycles: 121 })))
    expect(e).toMatchObject({ _tag: "TimelineOptionError", path: "options.cycles" })
    await expect(previewTimelinePromise(d, { cycles: 1.5 })).rejects.toMatchObject({ _tag: "TimelineOptionError" })
    expect(timelineDocument({ catalog: 1 }, { cycles: 1 })).toMatchObject({ error: { _tag: "DecodeError" } })
  })
})
