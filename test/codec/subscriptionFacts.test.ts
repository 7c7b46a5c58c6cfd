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
import { factsAfterChange, knownSpan, subscriptionFacts } from "../../src/internal/subscriptionFacts.ts"
import { type Entry, patched } from "../../src/internal/working.ts"
import { customerDocArb, instantDocArb, plannedDocumentArb } from "../support/arbitraries.ts"

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

  it("keeps the facts of a change that moved none of them, and decodes what a change moved", () => {
    const facts = subscriptionFacts(pro)
    expect(factsAfterChange(facts, pro, patched(pro, { status: "past_due" }))).toBe(facts)
    const cancelled = patched(pro, { cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00.000Z" })
    const after = factsAfterChange(facts, pro, cancelled)
    expect(after.endsAt).toBe(FEB_1)
    expect(after.quantities).toBe(facts.quantities)
    expect(after.billed).toBe(facts.billed)
  })

  it("decodes the applied discounts' instants, and decodes them again only when a change replaced them", () => {
    // 01:00 at +01:00 is midnight UTC
    const held = { ...pro, discounts: [{ discountId: "welcome", appliedAt: "2025-01-01T01:00:00+01:00" }] }
    const facts = subscriptionFacts(held)
    expect(facts.discounts).toEqual([{ discountId: "welcome", appliedAt: JAN_1 }])
    expect(subscriptionFacts(pro).discounts).toEqual([])
    expect(factsAfterChange(facts, held, patched(held, { status: "past_due" })).discounts).toBe(facts.discounts)
    const more = patched(held, { discounts: [...held.discounts, { discountId: "loyal", appliedAt: "2025-02-01" }] })
    expect(factsAfterChange(facts, held, more).discounts).toEqual([{ discountId: "welcome", appliedAt: JAN_1 }, { discountId: "loyal", appliedAt: FEB_1 }])
  })

  it("takes an added ledger entry's span as made, and reuses the spans of the entries kept", () => {
    const facts = subscriptionFacts(pro)
    const entry = { featureId: "seats", from: "2025-01-16T00:00:00.000Z", to: "2025-02-01T00:00:00.000Z", amount: 750 }
    const span = knownSpan(entry, Date.UTC(2025, 0, 16), FEB_1)
    const after = factsAfterChange(facts, pro, patched(pro, { billed: [...(pro.billed ?? []), entry] }), { spans: [span] })
    expect(after.billed[0]).toBe(facts.billed[0])
    expect(after.billed[1]).toBe(span)
  })
})

const subscriptionsArb = customerDocArb("cus_1").map((c) => (c["subscriptions"] ?? []) as unknown as ReadonlyArray<Subscription>)

describe("subscriptionFacts: laws", () => {
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

  it("after any change, equal the facts decoded afresh from the changed document", () => {
    const changeArb = fc.record({
      status: fc.option(fc.constantFrom("active", "past_due", "expired"), { nil: undefined }),
      endsAt: fc.option(instantDocArb, { nil: undefined }),
      billingAnchor: fc.option(instantDocArb, { nil: undefined }),
      dropCancel: fc.boolean(),
      quantities: fc.option(fc.array(fc.record({ featureId: fc.constantFrom("seats", "api"), quantity: fc.integer({ min: 0, max: 9 }) }), { maxLength: 2 }), { nil: undefined })
    })
    fc.assert(fc.property(subscriptionsArb, changeArb, (subs, c) => {
      for (const sub of subs) {
        const patch: Record<string, unknown> = {}
        if (c.status !== undefined) patch["status"] = c.status
        if (c.endsAt !== undefined) patch["endsAt"] = c.endsAt
        if (c.billingAnchor !== undefined) patch["billingAnchor"] = c.billingAnchor
        if (c.quantities !== undefined) patch["featureQuantities"] = c.quantities
        const after = patched(sub, patch, c.dropCancel ? ["cancelAtPeriodEnd", "endsAt"] : [])
        expect(factsAfterChange(subscriptionFacts(sub), sub, after)).toEqual(subscriptionFacts(after))
      }
    }), { numRuns: 300 })
  })

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
