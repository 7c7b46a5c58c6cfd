/**
 * The subscription document as a change writes it (src/internal/subscriptionDocument.ts): the
 * instants a change sets printed as ISO text, the keys in order. Hand-written examples, then the
 * edit against its definition, `{ ...withoutKeys(sub, dropped), ...printed }`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Subscription } from "../../src/Customer.ts"
import { epochMs } from "../../src/internal/instants.ts"
import {
  type SubscriptionEdit, appliedDiscount, creditedSpan, editedSubscription, ledgerEntry, restampedDiscount
} from "../../src/internal/subscriptionDocument.ts"
import { subscriptionFacts } from "../../src/internal/subscriptionFacts.ts"

const JAN_16 = epochMs(Date.UTC(2025, 0, 16))
const FEB_1 = epochMs(Date.UTC(2025, 1, 1))

const sub = {
  id: "sub_pro", planId: "pro", status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z",
  featureQuantities: [{ featureId: "seats", quantity: 3 }]
} as unknown as Subscription
const cancelling = { ...sub, cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00Z", providerSubscriptionId: "sub_1" } as unknown as Subscription

describe("editedSubscription: hand-written", () => {
  it("prints a new end as ISO text with milliseconds, appended after the subscription's own keys", () => {
    const out = editedSubscription(sub, { status: "expired", endsAt: JAN_16 })
    expect(Object.keys(out)).toEqual(["id", "planId", "status", "billingAnchor", "startedAt", "featureQuantities", "endsAt"])
    expect([out.status, out.endsAt]).toEqual(["expired", "2025-01-16T00:00:00.000Z"])
  })

  it("writes an end it sets again in place, and a dropped one last", () => {
    expect(Object.keys(editedSubscription(cancelling, { endsAt: JAN_16 })).indexOf("endsAt")).toBe(7)
    const ended = editedSubscription(cancelling, { status: "expired", endsAt: JAN_16, drop: ["cancelAtPeriodEnd", "endsAt"] })
    expect(Object.keys(ended)).toEqual(["id", "planId", "status", "billingAnchor", "startedAt", "featureQuantities", "providerSubscriptionId", "endsAt"])
    expect(ended.cancelAtPeriodEnd).toBeUndefined()
  })

  it("ends with the trial at the trial's end as the document wrote it", () => {
    const trialing = { ...sub, status: "trialing", trialEndsAt: "2025-01-15T00:00:00Z" } as unknown as Subscription
    expect(editedSubscription(trialing, { status: "expired", endsAt: "trialEnd" }).endsAt).toBe("2025-01-15T00:00:00Z")
  })

  it("removes a list given empty, and writes quantities from their map in its order", () => {
    expect(Object.hasOwn(editedSubscription(sub, { quantities: new Map() }), "featureQuantities")).toBe(false)
    expect(editedSubscription(sub, { quantities: new Map([["seats", 5], ["api", 2]]) }).featureQuantities)
      .toEqual([{ featureId: "seats", quantity: 5 }, { featureId: "api", quantity: 2 }])
  })

  it("writes ledger entries, credits and applied discounts with their instants printed", () => {
    const span = ledgerEntry(null, JAN_16, FEB_1, 5000n)
    expect(span.entry).toEqual({ featureId: null, from: "2025-01-16T00:00:00.000Z", to: "2025-02-01T00:00:00.000Z", amount: 5000 })
    const credited = creditedSpan(span, Date.UTC(2025, 0, 20), 700n)
    expect(credited.entry.credits).toEqual([{ at: "2025-01-20T00:00:00.000Z", amount: 700 }])
    expect(credited.creditsAt).toEqual([Date.UTC(2025, 0, 20)])
    expect(span.entry.credits).toBeUndefined()
    const welcome = appliedDiscount("welcome", JAN_16)
    expect(welcome.applied).toEqual({ discountId: "welcome", appliedAt: "2025-01-16T00:00:00.000Z" })
    expect(restampedDiscount(welcome, FEB_1).applied.appliedAt).toBe("2025-02-01T00:00:00.000Z")
    const out = editedSubscription(sub, { billed: [credited], discounts: [welcome] })
    expect(out.billed).toEqual([credited.entry])
    expect(out.discounts).toEqual([welcome.applied])
  })
})

/** The definition: the subscription without the dropped keys and the emptied lists, then what the edit writes, printed. */
const definition = (s: Subscription, edit: SubscriptionEdit): Record<string, unknown> => {
  const printed: Record<string, unknown> = {}
  if (edit.status !== undefined) printed["status"] = edit.status
  if (edit.cancelAtPeriodEnd !== undefined) printed["cancelAtPeriodEnd"] = true
  if (typeof edit.endsAt === "number") printed["endsAt"] = new Date(edit.endsAt).toISOString()
  const emptied: Array<string> = []
  if (edit.quantities !== undefined) {
    if (edit.quantities.size === 0) emptied.push("featureQuantities")
    else printed["featureQuantities"] = [...edit.quantities].map(([featureId, quantity]) => ({ featureId, quantity }))
  }
  const rest: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(s)) if (!(edit.drop ?? []).includes(k as never) && !emptied.includes(k)) rest[k] = v
  return { ...rest, ...printed }
}

const editArb: fc.Arbitrary<SubscriptionEdit> = fc.record({
  status: fc.constantFrom("active" as const, "past_due" as const, "expired" as const),
  cancelAtPeriodEnd: fc.constant(true as const),
  endsAt: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }).map(epochMs),
  quantities: fc.array(fc.tuple(fc.constantFrom("seats", "api"), fc.nat(9)), { maxLength: 2 }).map((q) => new Map(q)),
  drop: fc.subarray(["cancelAtPeriodEnd", "endsAt"] as const)
}, { requiredKeys: [] })

describe("editedSubscription: against its definition", () => {
  it("writes the keys in the definition's order and its values, and leaves the subscription as it was", () => {
    fc.assert(fc.property(fc.constantFrom(sub, cancelling), editArb, (s, edit) => {
      const before = JSON.stringify(s)
      const out = editedSubscription(s, edit)
      const expected = definition(s, edit)
      expect(Object.keys(out)).toEqual(Object.keys(expected))
      expect(JSON.stringify(out)).toBe(JSON.stringify(expected))
      expect(JSON.stringify(s)).toBe(before)
      expect(subscriptionFacts(out).endsAt).toBe(typeof edit.endsAt === "number" ? edit.endsAt : (edit.drop ?? []).includes("endsAt") ? undefined : subscriptionFacts(s).endsAt)
    }), { numRuns: 300 })
  })
})
