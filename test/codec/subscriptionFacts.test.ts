/**
 * Subscription facts: a held subscription's instants, billing key, quantities, usage and ledger,
 * decoded once from its document (src/internal/subscriptionFacts.ts), and kept right through the
 * planner's changes. Examples with hand-computed values, then the laws.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import type { Subscription } from "../../src/Customer.ts"
import { type AttachInput, decodeAttachDocument } from "../../src/Document.ts"
import { todayDiscounts } from "../../src/planner/discounts.ts"
import { todayLines } from "../../src/planner/lines.ts"
import { resolve } from "../../src/planner/resolve.ts"
import { stateAfter } from "../../src/planner/stateAfter.ts"
import { todayTotals } from "../../src/planner/totals.ts"
import { transitionsOf } from "../../src/planner/transitions.ts"
import { planAttach } from "../../src/Planner.ts"
import { epochMs } from "../../src/internal/instants.ts"
import { type SubscriptionEdit, appliedDiscount, creditedSpan, editedSubscription, ledgerEntry } from "../../src/internal/subscriptionDocument.ts"
import { factsAfterEdit, subscriptionFacts } from "../../src/internal/subscriptionFacts.ts"
import type { Entry } from "../../src/internal/working.ts"
import { customerDocArb, plannedDocumentArb } from "../support/arbitraries.ts"

const JAN_1 = Date.UTC(2025, 0, 1)
const FEB_1 = Date.UTC(2025, 1, 1)

const pro: Subscription = {
  id: "sub_pro",
  planId: "pro",
  status: "active",
  billingAnchor: "2025-01-01T00:00:00Z",
  startedAt: "2024-12-31T23:00:00-01:00",
  featureQuantities: [{ featureId: "seats", quantity: 3 }, { featureId: "seats", quantity: 5 }],
  usage: [{ featureId: "api", used: 120 }],
  billed: [{ featureId: null, from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00.000Z", amount: 2000, credits: [{ at: "2025-01-16", amount: 500 }] }]
}

describe("subscriptionFacts: hand-computed", () => {
  it("decodes every instant once, whatever its ISO form", () => {
    const facts = subscriptionFacts(pro)
    expect(facts.billingAnchor).toBe(JAN_1)
    // 23:00 at −01:00 is midnight UTC
    expect(facts.startedAt).toBe(JAN_1)
    expect([facts.startsAt, facts.trialEndsAt, facts.endsAt]).toEqual([undefined, undefined, undefined])
    expect(facts.billed.map((s) => [s.from, s.to, s.creditsAt])).toEqual([[JAN_1, FEB_1, [Date.UTC(2025, 0, 16)]]])
  })

  it("keys the billing subscription by the provider's id, else by the anchor's instant", () => {
    expect(subscriptionFacts(pro).billingKey).toBe(`anchor:${JAN_1}`)
    expect(subscriptionFacts({ ...pro, providerSubscriptionId: "sub_stripe" }).billingKey).toBe("sub_stripe")
    // two texts of one instant are one billing subscription
    expect(subscriptionFacts({ ...pro, billingAnchor: "2025-01-01" }).billingKey).toBe(subscriptionFacts(pro).billingKey)
  })

  it("holds quantities and usage as maps, a feature listed twice at its later entry", () => {
    const facts = subscriptionFacts(pro)
    expect([...facts.quantities]).toEqual([["seats", 5]])
    expect([...facts.usage]).toEqual([["api", 120]])
  })

  it("keeps the facts of an edit that moved none of them, and takes what an edit moved as its decoded values", () => {
    const facts = subscriptionFacts(pro)
    expect(factsAfterEdit(facts, {})).toBe(facts)
    const pastDue = factsAfterEdit(facts, { status: "past_due" })
    expect([pastDue.status, pastDue.cancelAtPeriodEnd]).toEqual(["past_due", false])
    expect(pastDue.billed).toBe(facts.billed)
    const after = factsAfterEdit(facts, { cancelAtPeriodEnd: true, endsAt: epochMs(FEB_1) })
    expect([after.endsAt, after.cancelAtPeriodEnd]).toEqual([FEB_1, true])
    expect(after.quantities).toBe(facts.quantities)
    expect(after.billed).toBe(facts.billed)
    expect(factsAfterEdit(after, { drop: ["cancelAtPeriodEnd", "endsAt"] })).toMatchObject({ endsAt: undefined, cancelAtPeriodEnd: false })
    // ending with the trial takes the trial's end
    const trialing = subscriptionFacts({ ...pro, status: "trialing", trialEndsAt: "2025-01-15" })
    expect(factsAfterEdit(trialing, { status: "expired", endsAt: "trialEnd" }).endsAt).toBe(Date.UTC(2025, 0, 15))
  })

  it("decodes the applied discounts' instants, each beside its entry as written", () => {
    // 01:00 at +01:00 is midnight UTC
    const welcome = { discountId: "welcome", appliedAt: "2025-01-01T01:00:00+01:00" }
    const held = { ...pro, discounts: [welcome] }
    const facts = subscriptionFacts(held)
    expect(facts.discounts).toEqual([{ discountId: "welcome", appliedAt: JAN_1, applied: welcome }])
    expect(subscriptionFacts(pro).discounts).toEqual([])
    expect(factsAfterEdit(facts, { status: "past_due" }).discounts).toBe(facts.discounts)
    const loyal = appliedDiscount("loyal", FEB_1)
    expect(factsAfterEdit(facts, { discounts: [...facts.discounts, loyal] }).discounts.map((d) => d.appliedAt)).toEqual([JAN_1, FEB_1])
  })

  it("takes an added ledger entry's span as made, and keeps the spans of the entries kept", () => {
    const facts = subscriptionFacts(pro)
    const span = ledgerEntry("seats", Date.UTC(2025, 0, 16), FEB_1, 750n)
    const after = factsAfterEdit(facts, { billed: [...facts.billed, span] })
    expect(after.billed[0]).toBe(facts.billed[0])
    expect(after.billed[1]).toBe(span)
  })
})

const subscriptionsArb = customerDocArb("cus_1").map((c) => (c["subscriptions"] ?? []) as unknown as ReadonlyArray<Subscription>)

/** Laws of the facts of one subscription: its instants, and the facts after an edit. */
const ofOneSubscription = () => {
  it("agree with Date.parse on every instant of a generated subscription", () => {
    fc.assert(fc.property(subscriptionsArb, (subs) => {
      for (const sub of subs) {
        const facts = subscriptionFacts(sub)
        expect(facts.billingAnchor).toBe(Date.parse(sub.billingAnchor))
        expect(facts.startedAt).toBe(Date.parse(sub.startedAt))
        expect(facts.startsAt).toBe(sub.startsAt === undefined ? undefined : Date.parse(sub.startsAt))
        expect(facts.trialEndsAt).toBe(sub.trialEndsAt === undefined ? undefined : Date.parse(sub.trialEndsAt))
        expect(facts.endsAt).toBe(sub.endsAt === undefined ? undefined : Date.parse(sub.endsAt))
      }
    }), { numRuns: 300 })
  })

  it("after any edit, equal the facts decoded afresh from the edited document", () => {
    const editArb = fc.record({
      status: fc.option(fc.constantFrom("active" as const, "past_due" as const, "expired" as const), { nil: undefined }),
      endsAt: fc.option(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }), { nil: undefined }),
      dropCancel: fc.boolean(),
      cancel: fc.boolean(),
      quantities: fc.option(fc.array(fc.tuple(fc.constantFrom("seats", "api"), fc.integer({ min: 0, max: 9 })), { maxLength: 2 }), { nil: undefined }),
      credit: fc.option(fc.tuple(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }), fc.integer({ min: 1, max: 500 })), { nil: undefined }),
      discount: fc.option(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }), { nil: undefined })
    })
    fc.assert(fc.property(subscriptionsArb, editArb, (subs, c) => {
      for (const sub of subs) {
        const facts = subscriptionFacts(sub)
        const first = facts.billed[0]
        const edit: SubscriptionEdit = {
          ...(c.status === undefined ? {} : { status: c.status }),
          ...(c.endsAt === undefined ? {} : { endsAt: epochMs(c.endsAt) }),
          ...(c.dropCancel ? { drop: ["cancelAtPeriodEnd", "endsAt"] as const } : {}),
          ...(c.cancel ? { cancelAtPeriodEnd: true as const } : {}),
          ...(c.quantities === undefined ? {} : { quantities: new Map(c.quantities) }),
          ...(c.credit === undefined || first === undefined ? {} : { billed: [creditedSpan(first, c.credit[0], BigInt(c.credit[1])), ...facts.billed.slice(1)] }),
          ...(c.discount === undefined ? {} : { discounts: [...facts.discounts, appliedDiscount("welcome", c.discount)] })
        }
        const after = editedSubscription(sub, edit)
        expect(factsAfterEdit(facts, edit)).toEqual(subscriptionFacts(after))
      }
    }), { numRuns: 300 })
  })
}

/** Laws across the planner: planning with or without the facts, and the facts of the state after. */
const throughThePlanner = () => {
  it("planning with the facts decoded with the document answers as planning without them", () => {
    fc.assert(fc.property(plannedDocumentArb, (doc) => {
      const input = decodeAttachDocument(doc)
      if (Result.isFailure(input)) return
      expect(input.success.decodedCustomer?.subscriptions.length).toBe(input.success.customer.subscriptions?.length ?? 0)
      const { decodedCustomer: _decoded, decodedRequest: _request, ...bare } = input.success
      expect(JSON.stringify(planAttach(input.success))).toBe(JSON.stringify(planAttach(bare)))
    }), { numRuns: 200 })
  })

  it("the facts a change knows of its own values (ends, discounts, ledger) equal those decoded afresh from the state after", () => {
    let checked = 0
    fc.assert(fc.property(plannedDocumentArb, (doc) => {
      const input = decodeAttachDocument(doc)
      if (Result.isFailure(input)) return
      const entries = entriesAfter(input.success)
      for (const entry of entries ?? []) {
        checked++
        expect(entry.facts).toEqual(subscriptionFacts(entry.sub))
      }
    }), { numRuns: 300 })
    expect(checked).toBeGreaterThan(300)
  })
}

describe("subscriptionFacts: laws", () => {
  describe("of one subscription", ofOneSubscription)
  describe("through the planner", throughThePlanner)
})

/** The planner's stages up to the state after (src/planner/plan.ts), or undefined when one refuses the attach. */
const entriesAfter = (input: AttachInput): ReadonlyArray<Entry> | undefined => {
  const resolved = resolve(input)
  if (Result.isFailure(resolved)) return undefined
  const moved = transitionsOf(resolved.success)
  if (Result.isFailure(moved)) return undefined
  const today = todayLines(resolved.success.ctx, moved.success.transitions)
  if (Result.isFailure(today)) return undefined
  const discounts = todayDiscounts(resolved.success, moved.success, today.success)
  const totals = todayTotals(resolved.success.ctx, discounts.lines)
  if (Result.isFailure(totals)) return undefined
  return stateAfter(resolved.success, moved.success, today.success, discounts.lines, totals.success.balanceAfter).entries
}
