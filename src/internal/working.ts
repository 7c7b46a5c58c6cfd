import type { Plan } from "../Catalog.ts"
import type { Subscription } from "../Customer.ts"
import { isCurrent } from "../Customer.ts"
import { periodAt } from "../Interval.ts"
import { type PlanPrice, planPrices, recurringInterval } from "../Pricing.ts"
import type { DerivationTier } from "../Preview.ts"
import type * as Rational from "../Rational.ts"
import { iso } from "./instants.ts"
import { type SubscriptionEdit, editedSubscription } from "./subscriptionDocument.ts"
import { type SubscriptionFacts, factsAfterEdit, subscriptionFacts } from "./subscriptionFacts.ts"

/**
 * A price's full-period amount for its billed units (major units) and the tiers of the derivation,
 * from one breakdown when tiered. It depends on the price and its units only, not on the period:
 * the next cycle of a subscription started today reuses today's (the same units by construction).
 *
 * @example pricedCharges.get(proBase)?.price // 50/1
 */
export interface Priced {
  readonly price: Rational.Rational
  readonly tiers: ReadonlyArray<DerivationTier> | undefined
}

/** A subscription of the customer as the attach goes, with its decoded facts and its catalog plan. */
export interface Entry {
  /** Its document as last written: what `customerAfter` echoes (the stages read `facts`). */
  readonly sub: Subscription
  /** `sub` decoded: what the stages read of it. */
  readonly facts: SubscriptionFacts
  readonly plan: Plan | undefined
  /**
   * For a subscription this attach started: what its charged prices cost for a full period, as
   * today's charges priced them for `sub` (the object then: a later change replaces the object,
   * and the prices no longer apply).
   */
  readonly priced?: { readonly sub: Subscription; readonly byPrice: ReadonlyMap<PlanPrice, Priced> }
}

/**
 * The entry of a subscription document and its plan, its facts decoded.
 *
 * @example entryOf(sub, pro).facts.billingAnchor // 1735689600000
 */
export const entryOf = (sub: Subscription, plan: Plan | undefined): Entry => ({ sub, facts: subscriptionFacts(sub), plan })

/**
 * The entry after `edit`: its document written by `editedSubscription`, its facts taken from the
 * edit's decoded values. `samePrices`: the edit leaves what its prices bill alone (a discount or
 * a ledger entry recorded), so what today's charges priced for it still holds for its next cycle.
 *
 * @example edited(entry, { billed: [...entry.facts.billed, span] }, true).priced?.sub // the new document
 */
export const edited = (entry: Entry, edit: SubscriptionEdit, samePrices: boolean): Entry => {
  const sub = editedSubscription(entry.sub, edit)
  const facts = factsAfterEdit(entry.facts, edit)
  const priced = entry.priced
  if (priced === undefined) return { sub, facts, plan: entry.plan }
  return samePrices && priced.sub === entry.sub ? { sub, facts, plan: entry.plan, priced: { sub, byPrice: priced.byPrice } } : { sub, facts, plan: entry.plan, priced }
}

/**
 * The end of the current period of a subscription at `at`: the trial end while trialing, else
 * the earliest next boundary of its recurring prices (`at` when it has none).
 */
export const currentPeriodEnd = ({ facts }: WithFacts, plan: Plan, at: number): number => {
  if (facts.trialEndsAt !== undefined && facts.trialEndsAt > at) return facts.trialEndsAt
  const anchor = facts.billingAnchor
  let end = Number.POSITIVE_INFINITY
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval !== undefined) end = Math.min(end, periodAt(anchor, interval, at).end)
  }
  return Number.isFinite(end) ? end : at
}

/** Whether a subscription is trialing at `at` (so it has paid nothing for the period). */
export const isTrialingAt = ({ facts }: WithFacts, at: number): boolean =>
  facts.status === "trialing" || (facts.trialEndsAt !== undefined && facts.trialEndsAt > at && isCurrent(facts))

/** A subscription document with its decoded facts (an entry, a held plan). */
export interface WithFacts {
  readonly sub: Subscription
  readonly facts: SubscriptionFacts
}

/** `20250116T000000Z` for an instant: its ISO form without separators and milliseconds. */
const stampOf = (at: number): string => {
  const text = iso(at)
  const first = text.charCodeAt(0)
  if (text.length === 24 && first >= 0x30 && first <= 0x39) {
    return `${text.slice(0, 4)}${text.slice(5, 7)}${text.slice(8, 13)}${text.slice(14, 16)}${text.slice(17, 19)}Z`
  }
  return text.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")
}

/**
 * The subscription ids of a working state: those taken, and per id base the suffix last given
 * (ids are only ever added, so the first free suffix never goes down: probing starts there, and
 * attaching N copies of a plan costs N steps, not N²).
 */
export interface SubscriptionIds {
  readonly taken: Set<string>
  readonly lastSuffix: Map<string, number>
}

/** The ids of subscriptions already in a state. */
export const subscriptionIds = (ids: Iterable<string>): SubscriptionIds => ({ taken: new Set(ids), lastSuffix: new Map() })

/** A deterministic subscription id for a plan attached at an instant — `sub_<plan>_<stamp>`, then `_2`, `_3`, … — now taken. */
export const newSubscriptionId = (planId: string, at: number, ids: SubscriptionIds): string => {
  const base = `sub_${planId}_${stampOf(at)}`
  // A base never given a suffix is at 1 (kept implicit: most attaches give none).
  let i = ids.lastSuffix.size === 0 ? 1 : ids.lastSuffix.get(base) ?? 1
  let id = i === 1 ? base : `${base}_${i}`
  while (ids.taken.has(id)) id = `${base}_${++i}`
  if (i !== 1) ids.lastSuffix.set(base, i)
  ids.taken.add(id)
  return id
}
