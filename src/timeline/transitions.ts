/**
 * What happens to a customer's subscriptions when the clock passes an instant: trials end,
 * scheduled plans start, cancellations at period end take effect, allowances reset. Each change
 * is recorded as a timeline event. Works on the planner's working entries, in place.
 *
 * The examples' `state`: sub_pro, trialing Pro (examples/catalog.json) from 2025-01-01 to 01-15,
 * 40 messages used, LAUNCH20 applied on Jan 1.
 *
 * @example applyTransitions(state, Date.parse("2025-01-15T00:00:00Z")) // sub_pro's trial ends: charged with a card, else canceled or sent to checkout
 */
import { isCurrent } from "../Customer.ts"
import type { Catalog } from "../Catalog.ts"
import type { InvalidRequest } from "../Errors.ts"
import type { CurrencyUnit } from "../Money.ts"
import type { DiscountApplied } from "../internal/subscriptionFacts.ts"
import { type Interval, addMonths, periodAt } from "../Interval.ts"
import { type EpochMs, iso } from "../internal/instants.ts"
import { type Entry, type WithFacts, edited } from "../internal/working.ts"
import { recurringInterval } from "../Pricing.ts"
import type { TimelineEvent, TrialEndWithoutCard } from "./Timeline.ts"

/**
 * The customer as the clock moves: working entries, balance and card, and the events so far.
 * @example
 * const state: RollState = { entries, customerDiscounts: [], unit: Money.currencyUnit("usd"), balance: 0n, hasPaymentMethod: true, trialEndWithoutCard: "cancel", events: [] }
 * // `entries`: the customer's subscriptions with their decoded facts and catalog plans
 */
export interface RollState {
  readonly entries: Array<Entry>
  /** The customer's own applied discounts, instants decoded once for the roll. */
  readonly customerDiscounts: ReadonlyArray<DiscountApplied>
  /** The invoices' currency unit, worked out once for the roll. */
  readonly unit: CurrencyUnit
  balance: bigint
  readonly hasPaymentMethod: boolean
  readonly trialEndWithoutCard: TrialEndWithoutCard
  readonly events: Array<TimelineEvent>
  /** Set when a cycle's amounts cannot be written exactly: the roll stops and fails with it. */
  failure?: InvalidRequest
}

/**
 * At most this many events per timeline (an allowance resetting daily for years stops here).
 * @example state.events.length <= MAX_EVENTS // always true: 5000 at most
 */
export const MAX_EVENTS = 5_000

const push = (s: RollState, e: TimelineEvent): void => {
  if (s.events.length < MAX_EVENTS) s.events.push(e)
}

/** The end of a cancellation at period end due by `t`, if one is. */
const dueEnd = ({ facts }: WithFacts, t: number): EpochMs | undefined =>
  isCurrent(facts) && facts.cancelAtPeriodEnd && facts.endsAt !== undefined && facts.endsAt <= t ? facts.endsAt : undefined

/** The end of a trial due by `t`, if one is. */
const dueTrialEnd = ({ facts }: WithFacts, t: number): EpochMs | undefined =>
  facts.status === "trialing" && facts.trialEndsAt !== undefined && facts.trialEndsAt <= t ? facts.trialEndsAt : undefined

/** The start of a scheduled plan due by `t`, if one is. */
const dueStart = ({ facts }: WithFacts, t: number): EpochMs | undefined =>
  facts.status === "scheduled" && facts.startsAt !== undefined && facts.startsAt <= t ? facts.startsAt : undefined

/**
 * The next instant after `t` at which a subscription of `key` changes (trial end, start, cancellation).
 * @example nextTransition(state, "anchor:1735689600000", Date.parse("2025-01-01T00:00:00Z")) // Date.parse("2025-01-15T00:00:00Z"): sub_pro's trial ends
 */
export const nextTransition = (s: RollState, key: string, t: number): number | undefined => {
  let next = Number.POSITIVE_INFINITY
  for (const { facts } of s.entries) {
    if (facts.billingKey !== key) continue
    const at = facts.status === "trialing" ? facts.trialEndsAt : facts.status === "scheduled" ? facts.startsAt : isCurrent(facts) && facts.cancelAtPeriodEnd ? facts.endsAt : undefined
    if (at !== undefined && at > t) next = Math.min(next, at)
  }
  return Number.isFinite(next) ? next : undefined
}

/**
 * Runs the changes due at `t`. Returns the billing subscriptions whose trial ended without a
 * card under `checkout` (their invoice at `t` is sent, not charged).
 *
 * @example applyTransitions(state, Date.parse("2025-01-15T00:00:00Z")) // Set {} with a card; sub_pro is active, and a trial_ended event "charged" is recorded
 */
export const applyTransitions = (s: RollState, t: number): Set<string> => {
  const checkout = new Set<string>()
  const ending = s.entries.filter((e) => dueEnd(e, t) !== undefined)
  for (let i = 0; i < s.entries.length; i++) {
    const e = s.entries[i] as Entry
    const { sub, facts } = e
    const trialEnd = dueTrialEnd(e, t)
    const start = trialEnd === undefined ? dueStart(e, t) : undefined
    const end = trialEnd === undefined && start === undefined ? dueEnd(e, t) : undefined
    if (trialEnd !== undefined) s.entries[i] = endTrial(s, e, trialEnd, checkout)
    else if (start !== undefined) {
      // the document texts are compared, as they always were: the same instant written two ways is no replacement
      const replaced = ending.find((o) => o.facts.entityId === facts.entityId && o.facts.billingKey === facts.billingKey && o.sub.endsAt === sub.startsAt)
      s.entries[i] = edited(e, { status: "active" }, false)
      push(s, { at: iso(start), type: "phase_started", entityId: facts.entityId, subscriptionId: facts.id, planId: facts.planId, replaces: replaced?.facts.planId ?? null })
    } else if (end !== undefined) {
      s.entries[i] = edited(e, { status: "expired", drop: ["cancelAtPeriodEnd"] }, false)
      const successor = s.entries.some((o) => dueStart(o, t) !== undefined && o.facts.entityId === facts.entityId && o.sub.startsAt === sub.endsAt)
      if (!successor) push(s, { at: iso(end), type: "subscription_canceled", entityId: facts.entityId, subscriptionId: facts.id, planId: facts.planId })
    }
  }
  return checkout
}

/** The entry after its trial ended at `at` (`trialEndsAt`, decoded): charged, sent for checkout, or canceled then. */
const endTrial = (s: RollState, e: Entry, at: EpochMs, checkout: Set<string>): Entry => {
  const facts = e.facts
  const base = { at: iso(at), type: "trial_ended" as const, entityId: facts.entityId, subscriptionId: facts.id, planId: facts.planId }
  if (s.hasPaymentMethod) {
    push(s, { ...base, outcome: "charged" })
    return edited(e, { status: "active" }, false)
  }
  if (s.trialEndWithoutCard === "checkout") {
    push(s, { ...base, outcome: "checkout" })
    checkout.add(e.facts.billingKey)
    return edited(e, { status: "past_due" }, false)
  }
  push(s, { ...base, outcome: "canceled" })
  return edited(e, { status: "expired", endsAt: "trialEnd" }, false)
}

/**
 * Consumable usage starts again from zero once its period is invoiced.
 * @example resetUsage(state, "anchor:1735689600000") // sub_pro's 40 messages used are dropped: state.entries[0].sub.usage is undefined
 */
export const resetUsage = (s: RollState, key: string): void => {
  for (let i = 0; i < s.entries.length; i++) {
    const e = s.entries[i] as Entry
    if (e.plan === undefined || e.sub.usage === undefined || e.facts.billingKey !== key || !isCurrent(e.facts)) continue
    const plan = e.plan
    const kept = e.sub.usage.filter((u) => !plan.items.some((item) => item.featureId === u.featureId && item.feature.consumable))
    if (kept.length !== e.sub.usage.length) s.entries[i] = edited(e, { usage: kept }, false)
  }
}

/**
 * Events for every allowance of a consumable feature that resets in `(from, to]` on a current subscription.
 * @example allowanceResets(state, Date.parse("2025-01-15T00:00:00Z"), Date.parse("2025-03-01T00:00:00Z")) // two allowance_reset events of 100 messages, Feb 1 and Mar 1
 */
export const allowanceResets = (s: RollState, from: number, to: number): void => {
  for (const { facts, plan } of s.entries) {
    if (plan === undefined || !isCurrent(facts)) continue
    const end = facts.endsAt ?? Number.POSITIVE_INFINITY
    for (const item of plan.items) {
      if (!item.feature.consumable || typeof item.included !== "number" || item.included <= 0) continue
      const interval: Interval | undefined = item.reset ?? (item.price === undefined ? undefined : recurringInterval(item.price.interval))
      if (interval === undefined) continue
      const anchor = facts.billingAnchor
      for (let b = periodAt(anchor, interval, from).end; b <= to && b < end && s.events.length < MAX_EVENTS; b = periodAt(anchor, interval, b).end) {
        push(s, { at: iso(b), type: "allowance_reset", entityId: facts.entityId, subscriptionId: facts.id, planId: plan.id, featureId: item.featureId, included: item.included })
      }
    }
  }
}

/**
 * Events for discounts of a fixed number of months running out in `(from, to]`.
 * @example discountExpiries(state, catalog, Date.parse("2025-01-01T00:00:00Z"), Date.parse("2025-06-01T00:00:00Z")) // LAUNCH20 (3 months from Jan 1): discount_expired at 2025-04-01
 */
export const discountExpiries = (s: RollState, catalog: Catalog, from: number, to: number): void => {
  const seen = new Set<string>()
  const visit = (applied: ReadonlyArray<DiscountApplied>, entry: Entry | null): void => {
    for (const a of applied) {
      const d = catalog.discountsById.get(a.discountId)
      if (d === undefined || typeof d.duration !== "object") continue
      const at = addMonths(a.appliedAt, d.duration.months)
      const key = `${a.discountId}\u0000${entry === null ? "" : entry.facts.billingKey}\u0000${at}`
      const alive = entry === null || entry.facts.endsAt === undefined || entry.facts.endsAt > at
      if (at <= from || at > to || !alive || seen.has(key)) continue
      seen.add(key)
      push(s, { at: iso(at), type: "discount_expired", entityId: entry === null ? null : entry.facts.entityId, discountId: a.discountId, subscriptionId: entry === null ? null : entry.facts.id })
    }
  }
  visit(s.customerDiscounts, null)
  for (const e of s.entries) if (e.facts.status !== "scheduled" || e.facts.startsAt === undefined || e.facts.startsAt <= to) visit(e.facts.discounts, e)
}
