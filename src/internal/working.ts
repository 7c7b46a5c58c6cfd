import type { Plan } from "../Catalog.ts"
import type { Subscription } from "../Customer.ts"
import { isCurrent } from "../Customer.ts"
import { periodAt } from "../Interval.ts"
import { planPrices, recurringInterval } from "../Pricing.ts"

/** A subscription of the customer as the attach goes, with its catalog plan. */
export interface Entry {
  sub: Subscription
  readonly plan: Plan | undefined
}

/** Which billing subscription a plan instance belongs to: the provider's id, or its anchor. */
export const billingKey = (sub: Subscription): string =>
  sub.providerSubscriptionId ?? `anchor:${Date.parse(sub.billingAnchor)}`

/**
 * The end of the current period of a subscription at `at`: the trial end while trialing, else
 * the earliest next boundary of its recurring prices (`at` when it has none).
 */
export const currentPeriodEnd = (sub: Subscription, plan: Plan, at: number): number => {
  if (sub.trialEndsAt !== undefined && Date.parse(sub.trialEndsAt) > at) return Date.parse(sub.trialEndsAt)
  const anchor = Date.parse(sub.billingAnchor)
  let end = Number.POSITIVE_INFINITY
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval !== undefined) end = Math.min(end, periodAt(anchor, interval, at).end)
  }
  return Number.isFinite(end) ? end : at
}

/** Whether a subscription is trialing at `at` (so it has paid nothing for the period). */
export const isTrialingAt = (sub: Subscription, at: number): boolean =>
  sub.status === "trialing" || (sub.trialEndsAt !== undefined && Date.parse(sub.trialEndsAt) > at && isCurrent(sub))

/** A deterministic subscription id for a plan attached at an instant, unique among `taken`. */
export const newSubscriptionId = (planId: string, at: number, taken: ReadonlySet<string>): string => {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")
  const base = `sub_${planId}_${stamp}`
  let id = base
  for (let i = 2; taken.has(id); i++) id = `${base}_${i}`
  return id
}

/** A stable 64-bit FNV-1a hash, hex, for idempotency keys and fingerprints. */
export const fnv1a64 = (text: string): string => {
  let h = 0xcbf29ce484222325n
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i))
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return h.toString(16).padStart(16, "0")
}
