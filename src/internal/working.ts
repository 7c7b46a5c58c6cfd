import type { Plan } from "../Catalog.ts"
import type { Subscription } from "../Customer.ts"
import { isCurrent } from "../Customer.ts"
import { periodAt } from "../Interval.ts"
import { planPrices, recurringInterval } from "../Pricing.ts"
import { ms } from "./instants.ts"

/** A subscription of the customer as the attach goes, with its catalog plan. */
export interface Entry {
  sub: Subscription
  readonly plan: Plan | undefined
}

/** Which billing subscription a plan instance belongs to: the provider's id, or its anchor. */
export const billingKey = (sub: Subscription): string =>
  sub.providerSubscriptionId ?? `anchor:${ms(sub.billingAnchor)}`

/**
 * The end of the current period of a subscription at `at`: the trial end while trialing, else
 * the earliest next boundary of its recurring prices (`at` when it has none).
 */
export const currentPeriodEnd = (sub: Subscription, plan: Plan, at: number): number => {
  if (sub.trialEndsAt !== undefined && ms(sub.trialEndsAt) > at) return ms(sub.trialEndsAt)
  const anchor = ms(sub.billingAnchor)
  let end = Number.POSITIVE_INFINITY
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval !== undefined) end = Math.min(end, periodAt(anchor, interval, at).end)
  }
  return Number.isFinite(end) ? end : at
}

/** Whether a subscription is trialing at `at` (so it has paid nothing for the period). */
export const isTrialingAt = (sub: Subscription, at: number): boolean =>
  sub.status === "trialing" || (sub.trialEndsAt !== undefined && ms(sub.trialEndsAt) > at && isCurrent(sub))

/** A deterministic subscription id for a plan attached at an instant, unique among `taken`. */
export const newSubscriptionId = (planId: string, at: number, taken: ReadonlySet<string>): string => {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")
  const base = `sub_${planId}_${stamp}`
  let id = base
  for (let i = 2; taken.has(id); i++) id = `${base}_${i}`
  return id
}

/** A stable 64-bit hash (two FNV-1a 32-bit lanes), hex, for idempotency keys and fingerprints. */
export const fnv1a64 = (text: string): string => {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15)
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0")
}

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

/**
 * A fingerprint of a customer's state: the same state (whatever its key order) gives the same
 * fingerprint, and any change to it gives another.
 *
 * @example customerFingerprint({ id: "cus_1" }) === customerFingerprint({ id: "cus_1" }) // true
 */
export const customerFingerprint = (customer: unknown): string => `cf_${fnv1a64(canonical(customer))}`
