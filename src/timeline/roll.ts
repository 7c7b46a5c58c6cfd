/**
 * Rolls a customer's state forward in time: at each instant something is due (a renewal, a
 * trial end, a scheduled change, a cancellation) it runs the transitions, then bills every
 * billing subscription due then with the planner's own next-cycle invoice (`nextCycleOf`), so a
 * renewal line is computed, described and discounted exactly as a preview's `nextCycle` line.
 * Each renewal is computed once: the cycle that finds the next instant is the one billed then,
 * unless a subscription changed in between. Pure: no clock, no I/O.
 *
 * @example
 * rollForward({ catalog, currency: "usd", customer, from: Date.parse(at), cycles: 3, … })
 */
import * as Result from "effect/Result"
import { type Catalog, findPlan } from "../Catalog.ts"
import { type Customer, type Subscription, isCurrent } from "../Customer.ts"
import type { ActiveDiscount } from "../Discounts.ts"
import { type InvalidRequest, UnknownPlan } from "../Errors.ts"
import * as Money from "../Money.ts"
import { type EpochMs, epochMs, iso } from "../internal/instants.ts"
import { nextCycleDocument } from "../planner/encode.ts"
import { nextCycleOf } from "../planner/nextCycle.ts"
import { type Entry, entryOf, isTrialingAt } from "../internal/working.ts"
import { type DiscountApplied, discountsApplied } from "../internal/subscriptionFacts.ts"
import type { NextCycle } from "../Preview.ts"
import type { TimelineEvent, TimelineInvoice, TrialEndWithoutCard } from "./Timeline.ts"
import { type RollState, allowanceResets, applyTransitions, discountExpiries, nextTransition, resetUsage } from "./transitions.ts"

/**
 * What to roll forward, and how far: `cycles` invoices per billing subscription, or up to `until` (inclusive).
 * @example rollForward({ ...input, cycles: 3, until: undefined }) // three invoices per billing subscription from `from` on
 */
export interface RollInput {
  readonly catalog: Catalog
  readonly currency: string
  readonly customer: Customer
  readonly hasPaymentMethod: boolean
  readonly from: number
  readonly cycles: number | undefined
  readonly until: number | undefined
  readonly entityId: string | undefined
  readonly trialEndWithoutCard: TrialEndWithoutCard
  /** Discounts applied at this instant count as newly applied (a `once` discount of the attach). */
  readonly newlyAppliedAt: number | undefined
  /** Whether the invoice at `from` was empty for a billing subscription (a `once` discount then goes to its first renewal). */
  readonly firstInvoiceEmpty: (key: string, members: ReadonlyArray<Entry>) => boolean
}

/**
 * The invoices and events from `from` on, and the state at the last instant reached.
 * @example Result.map(rollForward(input), (out) => out.invoices.length) // Success(3) for `cycles: 3` and one billing subscription
 */
export interface RollOutput {
  readonly invoices: Array<TimelineInvoice>
  readonly events: Array<TimelineEvent>
  readonly customer: Customer
  /** The rolled subscriptions with their facts, in the order of `customer.subscriptions` (those the entity filter left out follow them there). */
  readonly entries: ReadonlyArray<Entry>
  readonly reached: number
}

const MAX_STEPS = 10_000

/**
 * Rolls the state forward; fails with `UnknownPlan` when a live subscription's plan is not in the
 * catalog, and with `amount_out_of_range` when a cycle's amounts cannot be written exactly.
 *
 * @example Result.map(rollForward(input), (out) => out.invoices.length)
 */
export const rollForward = (input: RollInput): Result.Result<RollOutput, UnknownPlan | InvalidRequest> =>
  Result.map(roll(input, true), ({ invoices, s, t }) => {
    const reached = input.until ?? t
    discountExpiries(s, input.catalog, input.from, reached)
    return { invoices, events: s.events, customer: customerOf(input.customer, s), entries: s.entries, reached }
  })

/**
 * The invoices alone of {@link rollForward}, the same ones: the events that bill nothing
 * (allowances resetting, discounts running out) and the state after are not built.
 *
 * @example Result.map(rollInvoices(input), (invoices) => invoices.reduce((n, i) => n + i.total, 0))
 */
export const rollInvoices = (input: RollInput): Result.Result<Array<TimelineInvoice>, UnknownPlan | InvalidRequest> =>
  Result.map(roll(input, false), (rolled) => rolled.invoices)

/** The roll: its invoices, the state reached and the last instant; `resets` records allowance resets. */
const roll = (input: RollInput, resets: boolean): Result.Result<{ readonly invoices: Array<TimelineInvoice>; readonly s: RollState; readonly t: number }, UnknownPlan | InvalidRequest> => {
  const entries: Array<Entry> = []
  for (const sub of input.customer.subscriptions ?? []) {
    if (input.entityId !== undefined && sub.entityId !== input.entityId) continue
    const plan = findPlan(input.catalog, sub.planId, sub.version)
    if (plan === undefined && sub.status !== "expired") {
      return Result.fail(new UnknownPlan({ planId: sub.planId, ...(sub.version === undefined ? {} : { version: sub.version }), message: `Subscription "${sub.id}" holds plan "${sub.planId}", which is not in the catalog` }))
    }
    entries.push(entryOf(sub, plan))
  }
  const s: RollState = {
    entries, customerDiscounts: discountsApplied(input.customer.discounts), unit: Money.currencyUnit(input.currency), balance: BigInt(input.customer.creditBalance ?? 0), hasPaymentMethod: input.hasPaymentMethod, trialEndWithoutCard: input.trialEndWithoutCard, events: []
  }
  const invoices: Array<TimelineInvoice> = []
  const counts = new Map<string, number>()
  const firstEmpty = new Map<string, boolean>()
  for (const key of keysOf(s)) firstEmpty.set(key, input.firstInvoiceEmpty(key, s.entries.filter((e) => e.facts.billingKey === key)))
  const cycles = new Map<string, CachedCycle>()
  let t = input.from
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = nextInstant(input, s, t, counts, firstEmpty, cycles)
    if (s.failure !== undefined) return Result.fail(s.failure)
    if (next === undefined || (input.until !== undefined && next > input.until)) break
    if (resets) allowanceResets(s, t, next)
    const checkout = applyTransitions(s, next)
    for (const key of keysOf(s)) {
      const count = counts.get(key) ?? 0
      if (input.cycles !== undefined && count >= input.cycles) continue
      const cycle = dueCycle(input, s, key, next, count === 0 && firstEmpty.get(key) === true, cycles)
      if (s.failure !== undefined) return Result.fail(s.failure)
      const invoice = invoiceAt(input, s, key, next, cycle, checkout.has(key))
      if (invoice === undefined) continue
      invoices.push(invoice)
      counts.set(key, count + 1)
      resetUsage(s, key)
    }
    t = next
  }
  return Result.succeed({ invoices, s, t })
}

/** Billing subscriptions with a current or scheduled plan, in order of first listing. */
const keysOf = (s: RollState): Array<string> => {
  const keys: Array<string> = []
  for (const { facts, plan } of s.entries) {
    if (plan === undefined || !(isCurrent(facts) || facts.status === "scheduled")) continue
    const key = facts.billingKey
    if (!keys.includes(key)) keys.push(key)
  }
  return keys
}

/** The next instant after `t` at which a billing subscription that still has cycles to go is invoiced or changes. */
const nextInstant = (
  input: RollInput, s: RollState, t: number, counts: ReadonlyMap<string, number>, firstEmpty: ReadonlyMap<string, boolean>, cache: Map<string, CachedCycle>
): number | undefined => {
  let next = Number.POSITIVE_INFINITY
  for (const key of keysOf(s)) {
    const count = counts.get(key) ?? 0
    if (input.cycles !== undefined && count >= input.cycles) continue
    const renewal = cycleFrom(input, s, key, t, count === 0 && firstEmpty.get(key) === true, cache)
    if (renewal !== undefined) next = Math.min(next, renewal.startsAt)
    const change = nextTransition(s, key, t)
    if (change !== undefined) next = Math.min(next, change)
  }
  return Number.isFinite(next) ? next : undefined
}

/** The discounts in force on a billing subscription: the customer's, then those of its plans. */
const discountsOf = (input: RollInput, s: RollState, key: string): Array<ActiveDiscount> => {
  const out: Array<ActiveDiscount> = []
  addDiscounts(input, out, s.customerDiscounts)
  for (const e of s.entries) if (e.facts.discounts.length > 0 && e.facts.billingKey === key) addDiscounts(input, out, e.facts.discounts)
  return out
}

function addDiscounts(input: RollInput, out: Array<ActiveDiscount>, applied: ReadonlyArray<DiscountApplied>): void {
  for (const { discountId, appliedAt } of applied) {
    const discount = input.catalog.discountsById.get(discountId)
    if (discount !== undefined && !out.some((o) => o.discount.id === discount.id)) out.push({ discount, appliedAt, newlyApplied: appliedAt === input.newlyAppliedAt })
  }
}

/** A next cycle with the instant it starts at, decoded once when the cycle is computed. */
interface Renewal {
  readonly cycle: NextCycle
  readonly startsAt: EpochMs
}

/** A billing subscription's next cycle as computed after `at`, and the subscriptions it was computed from. */
interface CachedCycle {
  readonly cycle: Renewal | undefined
  readonly at: number
  readonly first: boolean
  readonly subs: ReadonlyArray<Subscription>
}

/** The planner's next cycle of `key` after `at`; a failure is kept in the state, which stops the roll. */
const computeCycle = (input: RollInput, s: RollState, key: string, at: number, first: boolean): Renewal | undefined => {
  const cycle = nextCycleOf({ catalog: input.catalog, currency: input.currency, unit: s.unit, at: epochMs(at) }, s.entries, key, discountsOf(input, s, key), first)
  if (Result.isSuccess(cycle)) return cycle.success === undefined ? undefined : { cycle: nextCycleDocument(cycle.success, input.catalog), startsAt: cycle.success.startsAt }
  s.failure = cycle.failure
  return undefined
}

/** The next cycle of `key` after `t`, with the discounts it would bill with, kept for {@link dueCycle}. */
const cycleFrom = (input: RollInput, s: RollState, key: string, t: number, first: boolean, cache: Map<string, CachedCycle>): Renewal | undefined => {
  const cycle = computeCycle(input, s, key, t, first)
  const subs: Array<Subscription> = []
  for (const e of s.entries) subs.push(e.sub)
  cache.set(key, { cycle, at: t, first, subs })
  return cycle
}

/** Whether every subscription is the one `cached` was computed from, none starting or stopping a trial before `t`. */
const unchanged = (cached: CachedCycle, s: RollState, t: number): boolean => {
  if (cached.subs.length !== s.entries.length) return false
  for (let i = 0; i < cached.subs.length; i++) {
    const entry = s.entries[i]
    if (entry === undefined || entry.sub !== cached.subs[i] || isTrialingAt(entry, cached.at) !== isTrialingAt(entry, t - 1)) return false
  }
  return true
}

/**
 * The cycle of `key` that may start at `t` (what `nextCycleOf` answers just before `t`). When no
 * subscription changed since the cycle found after the previous instant, that one: no renewal or
 * change of `key` lies between the two instants, so the same periods hold both. Else computed again.
 */
const dueCycle = (input: RollInput, s: RollState, key: string, t: number, first: boolean, cache: ReadonlyMap<string, CachedCycle>): Renewal | undefined => {
  const cached = cache.get(key)
  if (cached?.cycle !== undefined && cached.first === first && unchanged(cached, s, t)) return cached.cycle.startsAt === t ? cached.cycle : undefined
  return computeCycle(input, s, key, t - 1, first)
}

/** The invoice of billing subscription `key` at `t`, if `renewal` is due then. */
const invoiceAt = (input: RollInput, s: RollState, key: string, t: number, renewal: Renewal | undefined, checkout: boolean): TimelineInvoice | undefined => {
  if (renewal === undefined || renewal.startsAt !== t) return undefined
  const cycle = renewal.cycle
  const total = BigInt(cycle.total)
  const creditApplied = total > 0n ? (s.balance < total ? s.balance : total) : 0n
  s.balance += total < 0n ? -total : -creditApplied
  const entity = entityOfKey(s, key, t)
  if (creditApplied > 0n) s.events.push({ at: iso(t), type: "credit_applied", entityId: entity, amount: Number(creditApplied), balanceAfter: Number(s.balance) })
  return {
    at: iso(t),
    kind: "renewal",
    currency: input.currency,
    entityId: entity,
    billingSubscription: key,
    lines: cycle.lines,
    subtotal: cycle.subtotal,
    discountTotal: cycle.discountTotal,
    total: cycle.total,
    creditApplied: Number(creditApplied),
    amountDue: Number(total > 0n ? total - creditApplied : 0n),
    usageLines: cycle.usageLines,
    collection: checkout ? "checkout" : "charge_automatically"
  }
}

/** The entity of a billing subscription's current plans, when they all belong to one. */
const entityOfKey = (s: RollState, key: string, t: number): string | null => {
  let entity: string | null | undefined
  for (const { facts } of s.entries) {
    if (facts.billingKey !== key || !isCurrent(facts) || (facts.endsAt !== undefined && facts.endsAt <= t && facts.cancelAtPeriodEnd)) continue
    const e = facts.entityId
    if (entity === undefined) entity = e
    else if (entity !== e) return null
  }
  return entity ?? null
}

const customerOf = (before: Customer, s: RollState): Customer => {
  const kept = (before.subscriptions ?? []).filter((sub) => !s.entries.some((e) => e.facts.id === sub.id && e.facts.planId === sub.planId))
  const balance = Number(s.balance)
  const after: Record<string, unknown> = {}
  for (const key of Object.keys(before)) if (key !== "subscriptions" && key !== "creditBalance") after[key] = before[key as keyof Customer]
  if (!(balance === 0 && before.creditBalance === undefined)) after["creditBalance"] = balance
  after["subscriptions"] = [...s.entries.map((e) => e.sub), ...kept]
  return after as Customer
}
