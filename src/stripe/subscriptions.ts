/**
 * The subscription operations of the port on Stripe. Every change goes with
 * `proration_behavior: "none"` (the plan's invoice carries the money); a new subscription's
 * billing cycle is anchored at the end of its first period (which the plan's invoice bills), or
 * at the trial's end. Changes read the subscription first and do nothing when it already holds
 * the target state, so a retry, a replay or a compensation stated in full is harmless; their
 * Stripe idempotency keys are the action's key plus the subscription's revision (`ap_rev`), so a
 * change undone by a compensation is made again when the plan is executed again.
 *
 * @example const port = subscriptionOps(ctx); await port.scheduleChange(request)
 */
import type Stripe from "stripe"
import * as Interval from "../Interval.ts"
import { type ProviderItem, type ProviderSubscription, ProviderRejected, type Request } from "../Provider.ts"
import { type CouponSet, discountParams, misplacedFrom, nowWithin, recordedCoupons, sameCoupons } from "./coupons.ts"
import { renewalCoupons } from "./renewalDiscounts.ts"
import { stripeCall } from "./errors.ts"
import { intervalOf, stripeInterval } from "./prices.ts"
import { type StripeContext, idOf, isSpent, isoOf, itemsOf, phaseOf, revOf, sameItems, samePhase, seconds, stripeItems } from "./context.ts"

const GENERATIONS = 8

const view = (sub: Stripe.Subscription, schedule: Stripe.SubscriptionSchedule | null): ProviderSubscription => ({
  id: sub.id,
  status: sub.status === "trialing" ? "trialing" : sub.status === "canceled" || sub.status === "incomplete_expired" ? "canceled"
    : sub.status === "past_due" || sub.status === "unpaid" ? "past_due" : "active",
  items: itemsOf(sub),
  cancelAt: sub.cancel_at === null ? null : isoOf(sub.cancel_at),
  phase: phaseOf(schedule)
})

const scheduleOf = (sub: Stripe.Subscription): Stripe.SubscriptionSchedule | null =>
  sub.schedule === null || typeof sub.schedule === "string" ? null : sub.schedule

const EXPAND = ["schedule", "discounts"]

const retrieve = (ctx: StripeContext, id: string): Promise<Stripe.Subscription> =>
  stripeCall(() => ctx.stripe.subscriptions.retrieve(id, { expand: EXPAND }), null)

/**
 * Releases a schedule of ours whose phase Stripe has entered at a renewal: the subscription holds
 * the phase's items (and, from the phase's metadata, `ap_items`), and a schedule left attached
 * would refuse the next cancel-at-period-end or schedule.
 */
const releaseSpent = async (ctx: StripeContext, sub: Stripe.Subscription, key: string): Promise<Stripe.Subscription> => {
  const schedule = scheduleOf(sub)
  if (!isSpent(schedule)) return sub
  await stripeCall(() => ctx.stripe.subscriptionSchedules.release(schedule.id, { preserve_cancel_date: true }, { idempotencyKey: `${key}:spent@${revOf(sub)}` }), null)
  return retrieve(ctx, sub.id)
}

/** The subscription, not canceled, with a spent schedule released (under the action's key). */
const live = async (ctx: StripeContext, id: string, key: string): Promise<Stripe.Subscription> => {
  const sub = await retrieve(ctx, id)
  if (sub.status === "canceled" || sub.status === "incomplete_expired") throw new ProviderRejected({ code: "subscription_canceled", message: `Subscription ${id} is canceled` })
  return releaseSpent(ctx, sub, key)
}

/** The end of the first period from `startsAt`, on the cycle of `billingAnchor`. */
const firstPeriodEnd = (ctx: StripeContext, r: Request<"createSubscription">): number => {
  const interval = intervalOf(ctx.catalog, r.items)
  if (interval === undefined) throw new ProviderRejected({ code: "price_missing", message: `No recurring price among ${r.planIds.join(", ")}` })
  return Interval.periodAt(Date.parse(r.billingAnchor), interval, Date.parse(r.startsAt)).end
}

const createParams = async (ctx: StripeContext, r: Request<"createSubscription">): Promise<Stripe.SubscriptionCreateParams> => ({
  customer: await ctx.customerOf(r.customerId),
  currency: r.currency,
  items: await stripeItems(ctx, r.items, r.currency),
  proration_behavior: "none",
  collection_method: r.collection,
  ...(r.collection === "send_invoice" ? { days_until_due: r.netTermsDays ?? 30 } : {}),
  ...(r.trialEndsAt !== null
    ? { trial_end: seconds(r.trialEndsAt), trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } } }
    : { billing_cycle_anchor: Math.floor(firstPeriodEnd(ctx, r) / 1000) }),
  off_session: true,
  metadata: { ap_items: JSON.stringify(r.items), ap_key: r.idempotencyKey, ap_ref: r.ref, ap_rev: "0" }
})

/** The `items` update from what a subscription holds to the target prices: kept prices change quantity, others are added or deleted. */
const itemChanges = (current: ReadonlyArray<Stripe.SubscriptionItem>, target: ReadonlyArray<{ price: string; quantity: number }>): Array<Stripe.SubscriptionUpdateParams.Item> => {
  const kept = new Set<string>()
  const out: Array<Stripe.SubscriptionUpdateParams.Item> = []
  for (const t of target) {
    const same = current.find((c) => c.price.id === t.price && !kept.has(c.id))
    if (same === undefined) out.push(t)
    else {
      kept.add(same.id)
      out.push({ id: same.id, quantity: t.quantity })
    }
  }
  for (const c of current) if (!kept.has(c.id)) out.push({ id: c.id, deleted: true })
  return out
}

const update = (ctx: StripeContext, sub: Stripe.Subscription, key: string, params: Stripe.SubscriptionUpdateParams): Promise<Stripe.Subscription> => {
  const rev = revOf(sub)
  return stripeCall(() => ctx.stripe.subscriptions.update(sub.id, {
    ...params, expand: EXPAND, metadata: { ...params.metadata, ap_rev: String(rev + 1) }
  }, { idempotencyKey: `${key}@${rev}` }), null)
}

/** What a subscription request says of its renewal: the plan's renewal, or the compensation of a change. */
type RenewalOf = Pick<Request<"updateSubscription">, "idempotencyKey" | "renewal" | "compensates">

/** The coupon set a request wants on the subscription; undefined: leave its discounts as they are. */
const wantedCoupons = (ctx: StripeContext, sub: Stripe.Subscription, r: RenewalOf, items: ReadonlyArray<ProviderItem>): CouponSet | undefined => {
  if (r.compensates !== undefined) return sub.metadata?.["ap_discounts_key"] === r.compensates ? recordedCoupons(sub, "ap_discounts_prev") : undefined
  const interval = intervalOf(ctx.catalog, items)
  return r.renewal === undefined || interval === undefined ? undefined : renewalCoupons(ctx.catalog, sub.currency, interval, r.renewal)
}

/**
 * Gives the subscription the renewal coupons the request wants (docs/adapters.md §8, Discounts):
 * replaced when they differ from the recorded set, then checked where Stripe ends each repeating
 * discount — counted again from Stripe's own start of it when that is a renewal off.
 */
const renewWith = async (ctx: StripeContext, sub: Stripe.Subscription, r: RenewalOf, items: ReadonlyArray<ProviderItem>, now: number): Promise<Stripe.Subscription> => {
  const wanted = wantedCoupons(ctx, sub, r, items)
  if (wanted === undefined) return sub
  const recorded = recordedCoupons(sub, "ap_discounts")
  let out = sub
  if (!sameCoupons(wanted, recorded)) {
    out = await update(ctx, sub, `${r.idempotencyKey}:discounts`, {
      ...(await discountParams(ctx, wanted, sub.currency, now)),
      // The key that wrote the set: its compensation restores the previous one, a compensation's own replay finds another key and does nothing.
      metadata: { ap_discounts: JSON.stringify(wanted), ap_discounts_prev: JSON.stringify(recorded), ap_discounts_key: r.idempotencyKey }
    })
  }
  const from = misplacedFrom(out, wanted)
  return from === undefined ? out : update(ctx, out, `${r.idempotencyKey}:discounts`, await discountParams(ctx, wanted, sub.currency, from))
}

/** The subscription's discounts, kept as they are (`""`: none). */
const keptDiscounts = (sub: Stripe.Subscription): Array<{ discount: string }> | "" => {
  const ids = (sub.discounts ?? []).map((d) => (typeof d === "string" ? d : d.id))
  return ids.length === 0 ? "" : ids.map((discount) => ({ discount }))
}

/**
 * The phase's discounts and their record: the plan's renewal coupons for the new items, counted
 * from the phase's start (when Stripe attaches them); without a renewal, the subscription's own.
 */
const phaseDiscounts = async (ctx: StripeContext, sub: Stripe.Subscription, r: Request<"scheduleChange">, interval: Interval.Interval) => {
  // Undoing a release: the phase gets back the coupons it had (recorded by the release).
  const restored = r.compensates !== undefined && sub.metadata?.["ap_phase_discounts_key"] === r.compensates ? recordedCoupons(sub, "ap_phase_discounts") : undefined
  if (restored === undefined && (r.renewal === undefined || r.compensates !== undefined)) return { discounts: keptDiscounts(sub), metadata: {} }
  const wanted = restored ?? (r.renewal === undefined ? [] : renewalCoupons(ctx.catalog, sub.currency, interval, r.renewal))
  const metadata = { ap_discounts: JSON.stringify(wanted), ap_discounts_prev: JSON.stringify(recordedCoupons(sub, "ap_discounts")), ap_discounts_key: r.idempotencyKey }
  return { ...(await discountParams(ctx, wanted, sub.currency, seconds(r.at))), metadata }
}

const schedulePhases = async (ctx: StripeContext, sub: Stripe.Subscription, schedule: Stripe.SubscriptionSchedule, r: Request<"scheduleChange">): Promise<Array<Stripe.SubscriptionScheduleUpdateParams.Phase>> => {
  const current = schedule.phases[0]
  const interval = intervalOf(ctx.catalog, r.items)
  if (current === undefined || interval === undefined) throw new ProviderRejected({ code: "schedule_invalid", message: `Cannot schedule ${r.items.map((i) => i.planId).join(", ")} on ${sub.id}` })
  const next = await phaseDiscounts(ctx, sub, r, interval)
  return [
    {
      items: current.items.map((i) => ({ price: idOf(i.price), quantity: i.quantity ?? 1 })), start_date: current.start_date, end_date: seconds(r.at),
      proration_behavior: "none", discounts: keptDiscounts(sub)
    },
    // The phase's metadata becomes the subscription's when Stripe enters it, so `ap_items` (and the coupons' record) read the phase's then.
    {
      items: await stripeItems(ctx, r.items, sub.currency), duration: stripeInterval(interval), proration_behavior: "none",
      discounts: next.discounts, metadata: { ap_items: JSON.stringify(r.items), ...next.metadata }
    }
  ]
}

/** A new subscription, created once per key (a canceled one is created again under the next generation of the key). */
const createSubscription = async (ctx: StripeContext, r: Request<"createSubscription">): Promise<ProviderSubscription> => {
  const params = await createParams(ctx, r)
  // A subscription canceled by a compensation answers its key for 24 h: the next generation creates it again.
  for (let generation = 0; generation < GENERATIONS; generation++) {
    const key = generation === 0 ? r.idempotencyKey : `${r.idempotencyKey}~${generation}`
    const sub = await stripeCall(() => ctx.stripe.subscriptions.create({ ...params, expand: EXPAND }, { idempotencyKey: key }), null)
    const now = await retrieve(ctx, sub.id)
    if (now.status === "canceled") continue
    const renewed = await renewWith(ctx, now, { ...r, idempotencyKey: key }, r.items, seconds(r.startsAt))
    return view(renewed, scheduleOf(renewed))
  }
  throw new ProviderRejected({ code: "subscription_canceled", message: `${r.idempotencyKey} was canceled ${GENERATIONS} times` })
}

/** A change of a subscription's items, from the items it held before the change or already to them. */
const updateSubscription = async (ctx: StripeContext, r: Request<"updateSubscription">): Promise<ProviderSubscription> => {
  const sub = await live(ctx, r.subscriptionId, r.idempotencyKey)
  const holds = itemsOf(sub)
  if (!sameItems(holds, r.items) && !sameItems(holds, r.previousItems)) throw new ProviderRejected({ code: "state_mismatch", message: `Subscription ${sub.id} does not hold the items this change starts from` })
  const updated = sameItems(holds, r.items) ? sub : await update(ctx, sub, r.idempotencyKey, {
    items: itemChanges(sub.items.data, await stripeItems(ctx, r.items, sub.currency)), proration_behavior: "none", metadata: { ap_items: JSON.stringify(r.items) }
  })
  const renewed = await renewWith(ctx, updated, r, r.items, nowWithin(updated))
  return view(renewed, scheduleOf(renewed))
}

/** Cancels a subscription now or at its period end. */
const cancelSubscription = async (ctx: StripeContext, r: Request<"cancelSubscription">): Promise<ProviderSubscription> => {
  const found = await retrieve(ctx, r.subscriptionId)
  const sub = found.status === "canceled" ? found : await releaseSpent(ctx, found, r.idempotencyKey)
  if (sub.status === "canceled" || (r.atPeriodEnd && sub.cancel_at_period_end)) return view(sub, scheduleOf(sub))
  if (r.atPeriodEnd) {
    const updated = await update(ctx, sub, r.idempotencyKey, { cancel_at_period_end: true, proration_behavior: "none" })
    return view(updated, scheduleOf(updated))
  }
  const canceled = await stripeCall(() => ctx.stripe.subscriptions.cancel(sub.id, { prorate: false, invoice_now: false }, { idempotencyKey: r.idempotencyKey }), null)
  return view(canceled, null)
}

/** Takes back a cancellation at period end. */
const uncancelSubscription = async (ctx: StripeContext, r: Request<"uncancelSubscription">): Promise<ProviderSubscription> => {
  const sub = await live(ctx, r.subscriptionId, r.idempotencyKey)
  const updated = !sub.cancel_at_period_end ? sub : await update(ctx, sub, r.idempotencyKey, { cancel_at_period_end: false, proration_behavior: "none" })
  const renewed = await renewWith(ctx, updated, r, itemsOf(updated), nowWithin(updated))
  return view(renewed, scheduleOf(renewed))
}

/** Schedules a change of items at a later instant (a downgrade at period end) as a subscription schedule phase. */
const scheduleChange = async (ctx: StripeContext, r: Request<"scheduleChange">): Promise<ProviderSubscription> => {
  const found = await live(ctx, r.subscriptionId, r.idempotencyKey)
  // Undoing a release: the subscription's own coupons go back to those from before it, too.
  const sub = r.compensates === undefined ? found : await renewWith(ctx, found, r, itemsOf(found), nowWithin(found))
  const phase = { at: r.at, items: r.items }
  const existing = scheduleOf(sub)
  const pending = phaseOf(existing)
  if (pending !== null) {
    if (samePhase(pending, phase)) return view(sub, existing)
    throw new ProviderRejected({ code: "schedule_exists", message: `Subscription ${sub.id} already has a pending change; release it first` })
  }
  const rev = revOf(sub)
  // A schedule without a phase of ours is this change's own, made before a failure: carry on with it.
  const created = existing !== null && existing.status !== "released" && existing.status !== "canceled"
    ? existing
    : await stripeCall(() => ctx.stripe.subscriptionSchedules.create({ from_subscription: sub.id }, { idempotencyKey: `${r.idempotencyKey}:from@${rev}` }), null)
  const phases = await schedulePhases(ctx, sub, created, r)
  const schedule = await stripeCall(() => ctx.stripe.subscriptionSchedules.update(created.id, {
    end_behavior: "release", phases, metadata: { ap_phase: JSON.stringify(phase), ap_key: r.idempotencyKey }
  }, { idempotencyKey: `${r.idempotencyKey}:phases@${rev}` }), null)
  return view(sub, schedule)
}

/** Releases a subscription's pending scheduled change. */
const releaseSchedule = async (ctx: StripeContext, r: Request<"releaseSchedule">): Promise<ProviderSubscription> => {
  const sub = await live(ctx, r.subscriptionId, r.idempotencyKey)
  const schedule = scheduleOf(sub)
  if (schedule !== null && phaseOf(schedule) !== null) {
    await stripeCall(() => ctx.stripe.subscriptionSchedules.release(schedule.id, { preserve_cancel_date: true }, { idempotencyKey: `${r.idempotencyKey}@${revOf(sub)}` }), null)
  }
  // A new revision, so that a schedule made again after this release gets new keys.
  // The released phase's coupons are kept on the subscription, for a compensation that schedules the phase again.
  const bumped = schedule === null || phaseOf(schedule) === null ? sub : await update(ctx, sub, `${r.idempotencyKey}:released`, {
    metadata: { ap_phase_discounts: schedule.phases.at(-1)?.metadata?.["ap_discounts"] ?? "[]", ap_phase_discounts_key: r.idempotencyKey }
  })
  const renewed = await renewWith(ctx, bumped, r, itemsOf(bumped), nowWithin(bumped))
  return view(renewed, null)
}

/**
 * The subscription operations over Stripe.
 *
 * @example const ops = subscriptionOps(ctx); const sub = await ops.createSubscription(request)
 */
export const subscriptionOps = (ctx: StripeContext) => ({
  createSubscription: (r: Request<"createSubscription">) => createSubscription(ctx, r),
  updateSubscription: (r: Request<"updateSubscription">) => updateSubscription(ctx, r),
  cancelSubscription: (r: Request<"cancelSubscription">) => cancelSubscription(ctx, r),
  uncancelSubscription: (r: Request<"uncancelSubscription">) => uncancelSubscription(ctx, r),
  scheduleChange: (r: Request<"scheduleChange">) => scheduleChange(ctx, r),
  releaseSchedule: (r: Request<"releaseSchedule">) => releaseSchedule(ctx, r)
})
