/**
 * Renewal coupons on Stripe: the amount-off coupons ({@link renewalCoupons}) a subscription
 * carries so that each renewal Stripe bills is the plan's to the minor unit. A coupon is
 * `forever`, or `repeating` for the whole months after which Stripe's discount ends between the
 * last renewal it covers and the next one (Stripe ends a discount `duration_in_months` after it
 * was attached; an invoice at or after that end is not discounted). The coupons are reused
 * across customers (`ap_<currency>_<amount>_<forever|N>m`); what the subscription should carry is
 * recorded in `metadata.ap_discounts` (the previous set in `ap_discounts_prev`, which a
 * compensation restores).
 *
 * @example const params = await discountParams(ctx, coupons, "usd", now) // { discounts: [{ coupon: "ap_usd_1200_forever" }] }
 */
import type Stripe from "stripe"
import * as Interval from "../Interval.ts"
import { ProviderRejected } from "../Provider.ts"
import { stripeCall } from "./errors.ts"
import type { RenewalCoupon } from "./renewalDiscounts.ts"
import type { StripeContext } from "./context.ts"

/** The coupons a subscription should carry, as the adapter records them. @example const none: CouponSet = [] */
export type CouponSet = ReadonlyArray<RenewalCoupon>

/** The coupon set recorded in a metadata field (none when absent or unreadable). @example recordedCoupons(sub, "ap_discounts") */
export const recordedCoupons = (sub: Stripe.Subscription, field: "ap_discounts" | "ap_discounts_prev" | "ap_phase_discounts"): CouponSet => {
  try {
    const v: unknown = JSON.parse(sub.metadata?.[field] ?? "[]")
    return Array.isArray(v) ? v.filter((c): c is RenewalCoupon => typeof c === "object" && c !== null && typeof (c as RenewalCoupon).amountOff === "number") : []
  } catch {
    return []
  }
}

/** Whether two coupon sets are the same. @example sameCoupons([], []) // true */
export const sameCoupons = (a: CouponSet, b: CouponSet): boolean => JSON.stringify(a) === JSON.stringify(b)

/** The whole months after `now` (epoch seconds) at which a discount attached then ends after `through` (and, when it can, by `before`). */
const monthsFor = (now: number, coupon: RenewalCoupon): number => {
  const through = Date.parse(coupon.through ?? "")
  for (let m = 1; m <= 1200; m++) if (Interval.addMonths(now * 1000, m) > through) return m
  return 1200
}

const couponId = (currency: string, amountOff: number, months: number | null): string =>
  `ap_${currency}_${amountOff}_${months === null ? "forever" : `${months}m`}`

/** The coupon, created when Stripe does not have it yet. */
const ensureCoupon = async (ctx: StripeContext, currency: string, amountOff: number, months: number | null): Promise<string> => {
  const id = couponId(currency, amountOff, months)
  try {
    return (await stripeCall(() => ctx.stripe.coupons.retrieve(id), null)).id
  } catch (e) {
    if (!(e instanceof ProviderRejected) || e.code !== "resource_missing") throw e
  }
  const params: Stripe.CouponCreateParams = {
    id, amount_off: amountOff, currency, name: `attach-planner renewal discount`,
    ...(months === null ? { duration: "forever" } : { duration: "repeating", duration_in_months: months }),
    metadata: { ap_coupon: "renewal" }
  }
  return (await stripeCall(() => ctx.stripe.coupons.create(params, { idempotencyKey: `ap_coupon_${id}` }), null)).id
}

/**
 * The `discounts` parameter of a subscription for a coupon set, its repeating coupons counted
 * from `now` (epoch seconds, Stripe's clock as well as it is known); `""` removes every discount.
 *
 * @example await discountParams(ctx, [], "usd", now) // { discounts: "" }
 */
export const discountParams = async (ctx: StripeContext, coupons: CouponSet, currency: string, now: number): Promise<{ discounts: Array<{ coupon: string }> | "" }> => {
  if (coupons.length === 0) return { discounts: "" }
  const out: Array<{ coupon: string }> = []
  for (const c of coupons) out.push({ coupon: await ensureCoupon(ctx, currency, c.amountOff, c.through === null ? null : monthsFor(now, c)) })
  return { discounts: out }
}

const discountsOf = (sub: Stripe.Subscription): Array<Stripe.Discount> =>
  (sub.discounts ?? []).flatMap((d) => (typeof d === "string" ? [] : [d]))

/**
 * The instant (epoch seconds) Stripe attached a repeating coupon whose discount ends at the wrong
 * renewal, to count its months from; undefined when every discount ends where it should.
 *
 * @example misplacedFrom(sub, coupons) // 1737000000
 */
export const misplacedFrom = (sub: Stripe.Subscription, coupons: CouponSet): number | undefined => {
  for (const d of discountsOf(sub)) {
    const coupon = d.source.coupon
    const id = coupon === null ? "" : typeof coupon === "string" ? coupon : coupon.id
    const c = coupons.find((x) => x.through !== null && id.startsWith(`ap_${sub.currency}_${x.amountOff}_`) && !id.endsWith("_forever"))
    if (c === undefined || d.end === null) continue
    const late = d.end * 1000 <= Date.parse(c.through ?? "")
    const early = c.before !== null && d.end * 1000 > Date.parse(c.before)
    if (late || early) return d.start
  }
  return undefined
}

/** Stripe's clock as well as the subscription tells it: now, within its current period. @example nowWithin(sub) */
export const nowWithin = (sub: Stripe.Subscription): number => {
  const item = sub.items.data[0]
  const now = Math.floor(Date.now() / 1000)
  if (item === undefined) return now
  return Math.min(Math.max(now, item.current_period_start), item.current_period_end - 1)
}
