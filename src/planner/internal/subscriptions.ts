/**
 * The customer's subscriptions as the transitions change them, one immutable list per step: a
 * subscription replaced by a changed copy, a schedule released, a subscription created. The
 * lists share the entries nothing changed, so that a billing subscription untouched by the attach
 * keeps its very objects (the provider actions skip it for that).
 *
 * @example updated(entries, pro, (sub) => patched(sub, { cancelAtPeriodEnd: true })) // a new list; `entries` unchanged
 */
import type { Plan } from "../../Catalog.ts"
import { type Subscription, isCurrent } from "../../Customer.ts"
import { epochMs, iso } from "../../internal/instants.ts"
import { type KnownFacts, type SubscriptionFacts, discountsApplied } from "../../internal/subscriptionFacts.ts"
import { type Entry, type Priced, type SubscriptionIds, type WithFacts, newSubscriptionId, patched, subscriptionIds, withSubscription } from "../../internal/working.ts"
import type { PlanPrice } from "../../Pricing.ts"
import { type Held, scopeOf } from "../../Scenario.ts"

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
 * replaced its object) changed by `update`, which sets what `known` holds decoded, if anything.
 */
export const updated = (
  entries: ReadonlyArray<Entry>, which: Subscription, update: (current: Subscription) => Subscription, known?: KnownFacts
): ReadonlyArray<Entry> => {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as Entry
    if (entry.sub.id !== which.id || entry.sub.planId !== which.planId) continue
    const out = entries.slice()
    out[i] = withSubscription(entry, update(entry.sub), false, known)
    return out
  }
  return entries
}

const CANCEL: ReadonlyArray<keyof Subscription> = ["cancelAtPeriodEnd", "endsAt"]

/** A subscription that no longer cancels at the end of its period. @example withoutCancel(sub).cancelAtPeriodEnd // undefined */
export const withoutCancel = (sub: Subscription): Subscription => patched(sub, {}, CANCEL)

/** A subscription ended at `at` (a pending cancellation dropped: it ends now). @example endedAt(sub, at).status // "expired" */
const endedAt = (sub: Subscription, at: number): Subscription => patched(sub, { status: "expired", endsAt: iso(at) }, CANCEL)

/**
 * The entries with `which` ended at `at` ({@link endedAt}), its end known.
 *
 * @example endedNow(entries, currentPro.sub, at).find((e) => e.sub.id === currentPro.sub.id)?.facts.endsAt === at // true
 */
export const endedNow = (entries: ReadonlyArray<Entry>, which: Subscription, at: number): ReadonlyArray<Entry> =>
  updated(entries, which, (sub) => endedAt(sub, at), { endsAt: epochMs(at) })

/**
 * The entries with a pending scheduled plan expired now, and the plan it was to replace no longer
 * cancelling because of it.
 *
 * @example releaseSchedule(entries, scheduledBasic, at).map((e) => e.sub.status) // ["active", "expired"]
 */
export const releaseSchedule = (entries: ReadonlyArray<Entry>, schedule: WithFacts, at: number): ReadonlyArray<Entry> => {
  const scheduled = schedule.sub
  const out = updated(entries, scheduled, (sub) => patched(sub, { status: "expired", endsAt: iso(at) }), { endsAt: epochMs(at) }).slice()
  for (let i = 0; i < out.length; i++) {
    const e = out[i] as Entry
    if (e.sub.cancelAtPeriodEnd === true && e.facts.endsAt !== undefined && schedule.facts.startsAt !== undefined && e.facts.endsAt === schedule.facts.startsAt && scopeOf(e.sub) === scopeOf(scheduled) && isCurrent(e.sub)) {
      out[i] = withSubscription(e, withoutCancel(e.sub), false)
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
  readonly discounts?: Subscription["discounts"] | undefined
  /** What today's charges priced for it, by price (for its next cycle). */
  readonly priced?: ReadonlyMap<PlanPrice, Priced>
}

/** The id the next subscription of `plan` starting at `startsAt` gets, and the ids taken then. @example nextId(working, "pro", at).id // "sub_pro_20250116T000000Z" */
export const nextId = (working: Working, planId: string, startsAt: number): { readonly id: string; readonly ids: SubscriptionIds } => {
  const ids = working.ids ?? subscriptionIds(working.entries.map((e) => e.sub.id))
  return { id: newSubscriptionId(planId, startsAt, ids), ids }
}

/**
 * A subscription of `plan` with id `id`, built field by field in the document's key order
 * (conditional spreads are slow), with what today's charges priced for it.
 *
 * @example newSubscription("sub_pro_20250116T000000Z", pro, null, { status: "active", anchor: at, startedAt: at, … }).sub.status // "active"
 */
export const newSubscription = (id: string, plan: Plan, scope: string | null, s: NewSubscription): Entry => {
  const sub: Record<string, unknown> = { id, planId: plan.id, version: plan.version }
  if (scope !== null) sub["entityId"] = scope
  sub["status"] = s.status
  sub["billingAnchor"] = iso(s.anchor)
  sub["startedAt"] = iso(s.startedAt)
  if (s.startsAt !== undefined) sub["startsAt"] = iso(s.startsAt)
  if (s.status === "trialing") sub["trialEndsAt"] = iso(s.anchor)
  if (s.quantities.size > 0) sub["featureQuantities"] = pairs(s.quantities, (featureId, quantity) => ({ featureId, quantity }))
  if (s.carried.size > 0) sub["usage"] = pairs(s.carried, (featureId, used) => ({ featureId, used }))
  if (s.providerSubscriptionId !== undefined) sub["providerSubscriptionId"] = s.providerSubscriptionId
  if (s.discounts !== undefined && s.discounts.length > 0) sub["discounts"] = s.discounts
  const created = sub as unknown as Subscription
  const facts: SubscriptionFacts = {
    billingAnchor: epochMs(s.anchor),
    startedAt: epochMs(s.startedAt),
    startsAt: s.startsAt === undefined ? undefined : epochMs(s.startsAt),
    trialEndsAt: s.status === "trialing" ? epochMs(s.anchor) : undefined,
    endsAt: undefined,
    billingKey: s.providerSubscriptionId ?? `anchor:${s.anchor}`,
    quantities: s.quantities,
    usage: s.carried,
    billed: [],
    discounts: discountsApplied(s.discounts)
  }
  return s.priced === undefined || s.priced.size === 0 ? { sub: created, facts, plan } : { sub: created, facts, plan, priced: { sub: created, byPrice: s.priced } }
}

const pairs = <A>(map: ReadonlyMap<string, number>, f: (featureId: string, n: number) => A): Array<A> => {
  const out: Array<A> = []
  for (const [featureId, n] of map) out.push(f(featureId, n))
  return out
}

/** The customer's current subscriptions (not expired), each with the catalog plan it holds. @example currentSubscriptions(entries)[0]?.plan.id // "pro" */
export const currentSubscriptions = (entries: ReadonlyArray<Entry>): Array<Held> => {
  const out: Array<Held> = []
  for (const e of entries) if (e.plan !== undefined && e.sub.status !== "expired") out.push({ sub: e.sub, facts: e.facts, plan: e.plan })
  return out
}
