/**
 * `advanceClock(state, to)`: makes the timeline happen. Every event of the customer's timeline
 * from the instant the clock stands at up to `to` runs through the {@link PaymentProvider} port:
 * at each instant the provider's test clock (when the port has one, as the sandbox's does) takes
 * pending phases into effect, ends trials and carries out cancellations at period end; a trial
 * ending without a card is canceled (or its invoice sent); every renewal invoice is created and
 * charged. The invoices are the timeline's, line for line (the same roll: `rollForward`).
 *
 * Failure handling is an attach's: every call carries an idempotency key derived from the
 * customer, the billing subscription and the instant, so advancing again from the same state
 * after a provider failure (`PaymentProviderError`) completes the work without charging twice. A
 * declined renewal leaves the invoice open and the subscription `past_due`, as Stripe does.
 *
 * @example
 * import { advanceClock, Sandbox } from "attach-planner"
 * const sandbox = Sandbox.make()
 * const result = await Effect.runPromise(Effect.provideService(
 *   advanceClock({ catalog, customer, at: "2025-01-16T00:00:00.000Z" }, "2025-04-01T00:00:00.000Z"),
 *   PaymentProvider, sandbox.port))
 * result.invoices.map((i) => [i.at, i.total, i.outcome])
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { type Customer, isCurrent, type Subscription } from "../Customer.ts"
import type { InvalidRequest, UnknownPlan } from "../Errors.ts"
import { type ActionRef, PaymentProviderError } from "../Execute.ts"
import { billingView } from "../internal/billingView.ts"
import { iso, ms } from "../internal/instants.ts"
import type { Entry } from "../internal/working.ts"
import { editedSubscription, restampedDiscount } from "../internal/subscriptionDocument.ts"
import { type DiscountApplied, discountsApplied } from "../internal/subscriptionFacts.ts"
import type { Line } from "../Preview.ts"
import {
  hasTestClock, isPaymentFailure, type PaymentPort, PaymentProvider, type ProviderError, type ProviderInvoice, type TestClockPort
} from "../Provider.ts"
import { rollForward } from "./roll.ts"
import { type TimelineEvent, type TimelineInvoice, TimelineOptionError, type TrialEndWithoutCard } from "./Timeline.ts"

/**
 * What the clock advances: the catalog, the customer's stored state, and the instant its clock
 * stands at (the last attach, or the last `to` it was advanced to).
 *
 * @example const state: ClockState = { catalog, customer, at: "2025-01-16T00:00:00.000Z" }
 */
export interface ClockState {
  readonly catalog: Catalog
  readonly customer: Customer
  readonly at: string
  /**
   * Whether the attach at `at` issued an invoice with lines (its `once` discounts went on it).
   * Give it when advancing right after an attach (`preview.lines.length > 0`); left out, it is
   * inferred from the subscriptions' billed periods.
   */
  readonly attachInvoiced?: boolean
}

/** Options of the clock: what a trial ending without a card does (default `cancel`). @example { trialEndWithoutCard: "checkout" } */
export interface ClockOptions {
  readonly trialEndWithoutCard?: TrialEndWithoutCard
}

/**
 * A renewal the clock ran: the timeline's invoice, the provider's invoice, and what became of it
 * (`paid`; `open` when sent for the customer to pay; `payment_failed` when the charge was
 * declined: the subscription is then `past_due`).
 *
 * @example result.invoices.filter((i) => i.outcome === "payment_failed")
 */
export interface ClockInvoice {
  readonly at: string
  readonly billingSubscription: string | null
  readonly entityId: string | null
  readonly currency: string
  readonly lines: ReadonlyArray<Line>
  readonly total: number
  readonly creditApplied: number
  readonly amountDue: number
  readonly invoice: ProviderInvoice
  readonly outcome: "paid" | "open" | "payment_failed"
  readonly failure?: string
}

/**
 * What advancing the clock did: the clock's new instant, the customer's state to store, the
 * renewals, the timeline's events, and every port call made, in order.
 *
 * @example store.save(result.customer)
 */
export interface ClockResult {
  readonly at: string
  readonly customer: Customer
  readonly invoices: ReadonlyArray<ClockInvoice>
  readonly events: ReadonlyArray<TimelineEvent>
  readonly completed: ReadonlyArray<ActionRef>
}

/** Every error of the clock. @example Effect.catchTag(advanceClock(state, to), "PaymentProviderError", retry) */
export type ClockError = TimelineOptionError | UnknownPlan | InvalidRequest | PaymentProviderError

type Step = <A>(ref: ActionRef, call: Effect.Effect<A, ProviderError>) => Effect.Effect<A, PaymentProviderError>

const providerFailure = (e: ProviderError, failed: ActionRef, completed: ReadonlyArray<ActionRef>): PaymentProviderError =>
  new PaymentProviderError({
    message: `${failed.type} failed (${e._tag}: ${e.message}) while advancing the clock; ${completed.length} call(s) completed. Keep the customer state and the clock as they were and advance again to complete it.`,
    providerError: e, failed, completed, compensating: false
  })

const checkInstants = (from: string, to: string): TimelineOptionError | undefined => {
  const bad = (path: string, value: string) => new TimelineOptionError({ path, message: `${path}: expected an ISO-8601 instant, got ${JSON.stringify(value)}` })
  if (Number.isNaN(Date.parse(from))) return bad("state.at", from)
  if (Number.isNaN(Date.parse(to))) return bad("to", to)
  if (Date.parse(to) < Date.parse(from)) return new TimelineOptionError({ path: "to", message: `to: the clock stands at ${iso(ms(from))}; it cannot go back to ${iso(ms(to))}` })
  return undefined
}

/** The instants at which something happens, in order. */
const instantsOf = (invoices: ReadonlyArray<TimelineInvoice>, events: ReadonlyArray<TimelineEvent>): Array<number> =>
  [...new Set([...invoices.map((i) => ms(i.at)), ...events.map((e) => ms(e.at))])].sort((a, b) => a - b)

const keyOf = (customerId: string, subscription: string, t: number, call: string): string => `clk_${customerId}_${subscription}_${t}_${call}`

/** A line as the provider keeps it: the preview line without its derivation (that stays in the preview). */
const providerLine = ({ derivation: _derivation, ...line }: Line): Omit<Line, "derivation"> => line

/** Runs one renewal: the invoice is created, then charged unless it is sent for checkout. */
const renew = (port: PaymentPort, step: Step, customerId: string, inv: TimelineInvoice) =>
  Effect.gen(function* () {
    const t = ms(inv.at)
    const sub = inv.billingSubscription ?? "none"
    const createKey = keyOf(customerId, sub, t, "createInvoice")
    const sent = inv.collection === "checkout"
    const created = yield* step({ type: "createInvoice", idempotencyKey: createKey }, port.createInvoice({
      idempotencyKey: createKey, customerId, currency: inv.currency, description: `Renewal of ${inv.at.slice(0, 10)}`, lines: inv.lines.map(providerLine),
      subtotal: inv.subtotal, discountTotal: inv.discountTotal, total: inv.total, creditApplied: inv.creditApplied, amountDue: inv.amountDue,
      collection: sent ? "send_invoice" : "charge_automatically", finalize: true, netTermsDays: null
    }))
    const base = { at: inv.at, billingSubscription: inv.billingSubscription, entityId: inv.entityId, currency: inv.currency, lines: inv.lines, total: inv.total, creditApplied: inv.creditApplied, amountDue: inv.amountDue }
    if (sent || created.status !== "open") return { ...base, invoice: created, outcome: created.status === "paid" ? "paid" as const : "open" as const }
    const payKey = keyOf(customerId, sub, t, "payInvoice")
    const paid = yield* Effect.result(port.payInvoice({ idempotencyKey: payKey, invoiceId: created.id, amount: created.amountDue, creditApplied: inv.creditApplied }))
    if (Result.isSuccess(paid)) {
      yield* step({ type: "payInvoice", idempotencyKey: payKey }, Effect.succeed(undefined))
      return { ...base, invoice: paid.success, outcome: "paid" as const }
    }
    if (!isPaymentFailure(paid.failure)) return yield* step({ type: "payInvoice", idempotencyKey: payKey }, Effect.fail(paid.failure))
    return { ...base, invoice: created, outcome: "payment_failed" as const, failure: paid.failure._tag }
  })

/** The provider's id of a customer subscription (its billing key when that is the provider's). */
const providerIdOf = (customer: Customer, subscriptionId: string): string | undefined =>
  (customer.subscriptions ?? []).find((s) => s.id === subscriptionId)?.providerSubscriptionId

/** The provider's side of an instant: its test clock, then what a trial ending without a card does. */
const providerSide = (port: PaymentPort & Partial<TestClockPort>, step: Step, customer: Customer, catalog: Catalog, t: number, events: ReadonlyArray<TimelineEvent>) =>
  Effect.gen(function* () {
    if (hasTestClock(port)) yield* step({ type: "advanceTestClock", idempotencyKey: keyOf(customer.id, "clock", t, "advance") }, port.advanceTestClock({ customerId: customer.id, to: iso(t) }))
    for (const e of events) {
      if (e.type !== "trial_ended" || ms(e.at) !== t || e.outcome === "charged") continue
      const providerId = providerIdOf(customer, e.subscriptionId)
      if (providerId === undefined) continue
      if (e.outcome === "canceled") {
        const held = billingView(customer, catalog).find((b) => b.providerId === providerId)
        const kept = (held?.items ?? []).filter((i) => !(i.planId === e.planId && i.entityId === e.entityId))
        if (held !== undefined && kept.length > 0) {
          // other plans share the provider's subscription: only the trial's plan leaves it
          const key = keyOf(customer.id, providerId, t, "updateSubscription")
          yield* step({ type: "updateSubscription", idempotencyKey: key }, port.updateSubscription({ idempotencyKey: key, subscriptionId: providerId, subscriptionIds: [e.subscriptionId], items: kept, previousItems: held.items, prorationBehavior: "none" }))
          continue
        }
        const key = keyOf(customer.id, providerId, t, "cancelSubscription")
        yield* step({ type: "cancelSubscription", idempotencyKey: key }, port.cancelSubscription({ idempotencyKey: key, subscriptionId: providerId, subscriptionIds: [e.subscriptionId], atPeriodEnd: false, at: e.at }))
      } else if (hasTestClock(port)) {
        yield* step({ type: "setSubscriptionStatus", idempotencyKey: keyOf(customer.id, providerId, t, "pastDue") }, port.setSubscriptionStatus({ subscriptionId: providerId, status: "past_due" }))
      }
    }
  })

const isOnce = (catalog: Catalog, discountId: string): boolean => catalog.discountsById.get(discountId)?.duration === "once"

/** A `once` discount is used up by the invoice that carried it: the discounts left once those `used` says are spent. */
const withoutUsedOnce = (applied: ReadonlyArray<DiscountApplied>, catalog: Catalog, used: (a: DiscountApplied) => boolean): ReadonlyArray<DiscountApplied> | undefined => {
  const spent = (a: DiscountApplied): boolean => isOnce(catalog, a.discountId) && used(a)
  return applied.some(spent) ? applied.filter((a) => !spent(a)) : undefined
}

/**
 * The customer without the `once` discounts the attach's invoice at `from` carried. Read from the
 * documents: the roll decodes its entries from what this returns, so there are no facts yet.
 */
const withoutAttachOnce = (customer: Customer, catalog: Catalog, from: number): Customer =>
  customer.subscriptions === undefined ? customer : {
    ...customer,
    subscriptions: customer.subscriptions.map((s) => {
      const kept = withoutUsedOnce(discountsApplied(s.discounts), catalog, (a) => a.appliedAt === from)
      return kept === undefined ? s : editedSubscription(s, { discounts: kept })
    })
  }

/** What the clock's renewals settle on the rolled subscriptions, by billing key. */
interface Settled {
  readonly catalog: Catalog
  /** Renewed: their `once` discounts are used up. */
  readonly renewed: ReadonlySet<string>
  /** First renewal still to come: their `once` discounts applied at `from` wait for it. */
  readonly pending: ReadonlySet<string>
  /** Renewal declined: their current subscriptions are `past_due`. */
  readonly pastDue: ReadonlySet<string>
  readonly from: number
  readonly to: number
}

/**
 * A rolled subscription as the clock leaves it. A `once` discount applied at `from` that waits for its first renewal,
 * not reached by `to`, is stamped `to`, where the next advance starts, so that it still counts as newly applied.
 */
const settled = ({ sub, facts }: Entry, on: Settled): Subscription => {
  const key = facts.billingKey
  const discounts = on.renewed.has(key) ? withoutUsedOnce(facts.discounts, on.catalog, () => true) : restamped(facts.discounts, key, on)
  const pastDue = isCurrent(facts) && on.pastDue.has(key)
  if (discounts === undefined && !pastDue) return sub
  return editedSubscription(sub, { ...(pastDue ? { status: "past_due" as const } : {}), ...(discounts === undefined ? {} : { discounts }) })
}

/** The discounts of a billing subscription whose first renewal is still to come, the `once` ones applied at `from` stamped `to` (undefined: none to stamp). */
const restamped = (applied: ReadonlyArray<DiscountApplied>, key: string, on: Settled): ReadonlyArray<DiscountApplied> | undefined => {
  if (!on.pending.has(key) || on.from === on.to) return undefined
  const waiting = (a: DiscountApplied): boolean => isOnce(on.catalog, a.discountId) && a.appliedAt === on.from
  return applied.some(waiting) ? applied.map((a) => (waiting(a) ? restampedDiscount(a, on.to) : a)) : undefined
}

/**
 * Advances the customer's clock from `state.at` to `to`, running every event in between through
 * the port. Fails with `TimelineOptionError` for a bad or earlier `to`, `UnknownPlan` when a live
 * subscription's plan is not in the catalog, `PaymentProviderError` when the provider failed
 * (advance again from the same state to complete it).
 *
 * @example const result = yield* advanceClock({ catalog, customer, at }, "2025-04-01T00:00:00.000Z")
 */
export const advanceClock = (state: ClockState, to: string, options: ClockOptions = {}): Effect.Effect<ClockResult, ClockError, PaymentProvider> =>
  Effect.gen(function* () {
    const bad = checkInstants(state.at, to)
    if (bad !== undefined) return yield* bad
    const from = ms(state.at)
    const { catalog } = state
    const customer = state.attachInvoiced === true ? withoutAttachOnce(state.customer, catalog, from) : state.customer
    const firstEmpty = new Set<string>()
    const rolled = yield* Effect.fromResult(rollForward({
      catalog, currency: customer.currency ?? catalog.defaultCurrency, customer, hasPaymentMethod: customer.hasPaymentMethod === true,
      from, cycles: undefined, until: ms(to), entityId: undefined, trialEndWithoutCard: options.trialEndWithoutCard ?? "cancel",
      newlyAppliedAt: from,
      // a subscription not invoiced at `at` (a trial, a scheduled change) takes a `once` discount applied then at its first renewal
      firstInvoiceEmpty: (key, members) => {
        const empty = state.attachInvoiced === false || !members.some((m) => m.facts.billed.some((b) => b.from >= from))
        if (empty) firstEmpty.add(key)
        return empty
      }
    }))
    const port: PaymentPort & Partial<TestClockPort> = yield* PaymentProvider
    const completed: Array<ActionRef> = []
    const step: Step = (ref, call) => Effect.map(Effect.mapError(call, (e) => providerFailure(e, ref, completed)), (a) => {
      completed.push(ref)
      return a
    })
    const invoices: Array<ClockInvoice> = []
    const pastDue = new Set<string>()
    for (const t of instantsOf(rolled.invoices, rolled.events)) {
      yield* providerSide(port, step, customer, catalog, t, rolled.events)
      for (const inv of rolled.invoices) {
        if (ms(inv.at) !== t) continue
        const ran = yield* renew(port, step, customer.id, inv)
        invoices.push(ran)
        if (ran.outcome !== "payment_failed" || inv.billingSubscription === null) continue
        pastDue.add(inv.billingSubscription)
        if (hasTestClock(port) && !inv.billingSubscription.startsWith("anchor:")) {
          yield* step({ type: "setSubscriptionStatus", idempotencyKey: keyOf(customer.id, inv.billingSubscription, t, "pastDue") }, port.setSubscriptionStatus({ subscriptionId: inv.billingSubscription, status: "past_due" }))
        }
      }
    }
    if (hasTestClock(port)) {
      yield* step({ type: "advanceTestClock", idempotencyKey: keyOf(customer.id, "clock", ms(to), "advance") }, port.advanceTestClock({ customerId: customer.id, to: iso(ms(to)) }))
      yield* step({ type: "setTestClock", idempotencyKey: keyOf(customer.id, "clock", ms(to), "commit") }, port.setTestClock({ customerId: customer.id, at: iso(ms(to)) }))
    }
    const renewed = new Set(rolled.invoices.flatMap((i) => (i.billingSubscription === null ? [] : [i.billingSubscription])))
    const on: Settled = { catalog, renewed, pending: new Set([...firstEmpty].filter((k) => !renewed.has(k))), pastDue, from, to: ms(to) }
    // every subscription was rolled (no entity filter): the rolled customer's are the entries', in order
    const after: Customer = { ...rolled.customer, subscriptions: rolled.entries.map((e) => settled(e, on)) }
    return { at: iso(ms(to)), customer: after, invoices, events: rolled.events, completed }
  })

/**
 * The Promise form of {@link advanceClock}: `provider` is the port (`Sandbox.make().port`).
 * Resolves with the result; rejects with the tagged error.
 *
 * @example const result = await advanceClockPromise({ catalog, customer, at }, "2025-04-01T00:00:00.000Z", sandbox.port)
 */
export const advanceClockPromise = (state: ClockState, to: string, provider: PaymentPort, options: ClockOptions = {}): Promise<ClockResult> =>
  Effect.runPromise(Effect.result(Effect.provideService(advanceClock(state, to, options), PaymentProvider, provider))).then((r) =>
    Result.isSuccess(r) ? r.success : Promise.reject(r.failure))
