/**
 * `patched` against its definition, `{ ...withoutKeys(sub, drop), ...patch }`: the same keys in
 * the same order and the same values, whether or not the subscription holds a key to drop.
 */
import { describe, expect, it } from "vitest"
import type { Subscription } from "../../src/Customer.ts"
import { patched } from "../../src/internal/working.ts"

const definition = (sub: Subscription, patch: Partial<Subscription>, drop: ReadonlyArray<keyof Subscription>): Subscription => {
  const rest: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(sub)) if (!drop.includes(k as keyof Subscription)) rest[k] = v
  return { ...rest, ...patch } as unknown as Subscription
}

const sub = {
  id: "sub_pro", planId: "pro", status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z",
  featureQuantities: [{ featureId: "seats", quantity: 3 }]
} as unknown as Subscription
const cancelling = { ...sub, cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00Z", providerSubscriptionId: "sub_1" } as unknown as Subscription
const DROP: ReadonlyArray<keyof Subscription> = ["cancelAtPeriodEnd", "endsAt"]

describe("patched", () => {
  it.each([
    ["no key to drop held, a new key and a changed one", sub, { status: "expired", endsAt: "2025-01-16T00:00:00.000Z" }, DROP],
    ["keys to drop held, one set again by the patch", cancelling, { status: "expired", endsAt: "2025-01-16T00:00:00.000Z" }, DROP],
    ["nothing dropped, nothing new", cancelling, { status: "past_due" }, []],
    ["an empty patch dropping a held key", cancelling, {}, ["providerSubscriptionId"]]
  ] as const)("%s: the keys in order and the values of the definition", (_label, s, patch, drop) => {
    const out = patched(s, patch as Partial<Subscription>, drop)
    const expected = definition(s, patch as Partial<Subscription>, drop)
    expect(Object.keys(out)).toEqual(Object.keys(expected))
    expect(JSON.stringify(out)).toBe(JSON.stringify(expected))
    expect(out).not.toBe(s)
  })
})
