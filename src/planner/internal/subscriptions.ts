/**
 * The customer's subscriptions as the transitions change them, one immutable list per step: a
 * subscription replaced by a changed copy, a schedule released, a subscription created. The
 * lists share the entries nothing changed, so that a billing subscription untouched by the attach
 * keeps its very objects (the provider actions skip it for that).
 *
 * @example updated(entries, pro, { cancelAtPeriodEnd: true, endsAt: periodEnd }) // a new list; `entries` unchanged
 */
import type { Plan } from "../../Catalog.ts"
import { type Subscription, isCurrent } from "../../Customer.ts"
import { epochMs } from "../../internal/instants.ts"
import { type DroppedField, type SubscriptionEdit, newSubscriptionDocument } from "../../internal/subscriptionDocument.ts"
import type { DiscountApplied, SubscriptionFacts } from "../../internal/subscriptionFacts.ts"
import { type Entry, type Priced, type SubscriptionIds, type WithFacts, edited, newSubscriptionId, subscriptionIds } from "../../internal/working.ts"
import type { PlanPrice } from "../../Pricing.ts"
import type { Held } from "../../Scenario.ts"

/**
 * The subscriptions after the changes so far, and the ids taken (built on the first new
 * subscription; a step's ids are only ever added to and pass to the next step, never back).
 */
export interface Working {
  readonly entries: ReadonlyArray<Entry>
  readonly ids: SubscriptionIds | undefined
}

/**
 * The entries with the subscription `which` (found by id and plan: an earlier step may have
 * replaced its object) changed by `edit`.
 */
export const updated = (entries: ReadonlyArray<Entry>, which: Subscription, edit: SubscriptionEdit): ReadonlyArray<Entry> => {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as Entry
    if (entry.facts.id !== which.id || entry.facts.planId !== which.planId) continue
    const out = entries.slice()
    out[i] = edited(entry, edit, false)
    return out
  }
  return entries
}

const CANCEL: ReadonlyArray<DroppedField> = ["cancelAtPeriodEnd", "endsAt"]

/** The edit by which a subscription no longer cancels at the end of its period. @example updated(entries, pro, withoutCancel) */
export const withoutCancel: SubscriptionEdit = { drop: CANCEL }

/**
 * The entries with `which` ended at `at`: expired, a pending cancellation dropped (it ends now).
 *
 * @example endedNow(entries, currentPro.sub, at).find((e) => e.sub.id === currentPro.sub.id)?.facts.endsAt === at // true
 */
export const endedNow = (entries: ReadonlyArray<Entry>, which: Subscription, at: number): ReadonlyArray<Entry> =>
  updated(entries, which, { status: "expired", endsAt: epochMs(at), drop: CANCEL })

/**
 * The entries with a pending scheduled plan expired now, and the plan it was to replace no longer
 * cancelling because of it.
 *
 * @example releaseSchedule(entries, scheduledBasic, at).map((e) => e.sub.status) // ["active", "expired"]
 */
export const releaseSchedule = (entries: ReadonlyArray<Entry>, schedule: WithFacts, at: number): ReadonlyArray<Entry> => {
  const scheduled = schedule.sub
  const out = updated(entries, scheduled, { status: "expired", endsAt: epochMs(at) }).slice()
  for (let i = 0; i < out.length; i++) {
    const e = out[i] as Entry
    if (e.facts.cancelAtPeriodEnd && e.facts.endsAt !== undefined && schedule.facts.startsAt !== undefined && e.facts.endsAt === schedule.facts.startsAt && e.facts.entityId === schedule.facts.entityId && isCurrent(e.facts)) {
      out[i] = edited(e, withoutCancel, false)
    }
  }
  return out
}

/** What a new subscription starts with. */
export interface NewSubscription {
  readonly status: Subscription["status"]
  readonly anchor: number
  readonly startedAt: number
  readonly startsAt?: number
  readonly quantities: ReadonlyMap<string, number>
  readonly carried: ReadonlyMap<string, number>
  readonly providerSubscriptionId: string | undefined
  /** Discounts of the replaced subscription, which stay with the plan that replaces it. */
  readonly discounts?: ReadonlyArray<DiscountApplied> | undefined
  /** What today's charges priced for it, by price (for its next cycle). */
  readonly priced?: ReadonlyMap<PlanPrice, Priced>
}

/** The id the next subscription of `plan` starting at `startsAt` gets, and the ids taken then. @example nextId(working, "pro", at).id // "sub_pro_20250116T000000Z" */
export const nextId = (working: Working, planId: string, startsAt: number): { readonly id: string; readonly ids: SubscriptionIds } => {
  const ids = working.ids ?? subscriptionIds(working.entries.map((e) => e.facts.id))
  return { id: newSubscriptionId(planId, startsAt, ids), ids }
}

/**
 * A subscription of `plan` with id `id` (its document written by `newSubscriptionDocument`), with
 * what today's charges priced for it.
 *
 * @example newSubscription("sub_pro_20250116T000000Z", pro, null, { status: "active", anchor: at, startedAt: at, … }).sub.status // "active"
 */
export const newSubscription = (id: string, plan: Plan, scope: string | null, s: NewSubscription): Entry => {
  const facts: SubscriptionFacts = {
    id,
    planId: plan.id,
    version: plan.version,
    entityId: scope,
    status: s.status,
    cancelAtPeriodEnd: false,
    providerSubscriptionId: s.providerSubscriptionId,
    billingAnchor: epochMs(s.anchor),
    startedAt: epochMs(s.startedAt),
    startsAt: s.startsAt === undefined ? undefined : epochMs(s.startsAt),
    trialEndsAt: s.status === "trialing" ? epochMs(s.anchor) : undefined,
    endsAt: undefined,
    billingKey: s.providerSubscriptionId ?? `anchor:${s.anchor}`,
    quantities: s.quantities,
    usage: s.carried,
    billed: [],
    discounts: s.discounts ?? NO_DISCOUNTS
  }
  const created = newSubscriptionDocument({
    id, plan, scope, status: s.status, anchor: facts.billingAnchor, startedAt: facts.startedAt, startsAt: facts.startsAt,
    quantities: s.quantities, usage: s.carried, providerSubscriptionId: s.providerSubscriptionId, discounts: facts.discounts
  })
  return s.priced === undefined || s.priced.size === 0 ? { sub: created, facts, plan } : { sub: created, facts, plan, priced: { sub: created, byPrice: s.priced } }
}

const NO_DISCOUNTS: ReadonlyArray<DiscountApplied> = []

/** The customer's current subscriptions (not expired), each with the catalog plan it holds. @example currentSubscriptions(entries)[0]?.plan.id // "pro" */
export const currentSubscriptions = (entries: ReadonlyArray<Entry>): Array<Held> => {
  const out: Array<Held> = []
  for (const e of entries) if (e.plan !== undefined && e.facts.status !== "expired") out.push({ sub: e.sub, facts: e.facts, plan: e.plan })
  return out
}
