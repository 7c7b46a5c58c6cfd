/**
 * Coupons and subscription discounts on the local Stripe-compatible test server, as Stripe
 * documents them:
 *
 * - a coupon is `amount_off` in one currency (the server refuses `percent_off`: the adapter sends
 *   none, and Stripe's own rounding of a percentage is not modelled), with a `duration`: `once`,
 *   `forever`, or `repeating` for `duration_in_months`;
 * - `discounts` on a subscription (create or update) replaces its discounts; `""` removes them all.
 *   A coupon becomes a discount that starts when it is attached; a repeating one ends
 *   `duration_in_months` calendar months later (`end`), a forever one never;
 * - a renewal invoice takes each discount in force when it is created (`end` after the clock) off
 *   its subtotal in turn — the coupon's whole `amount_off`, at most what is left — recorded in
 *   `total_discount_amounts`; a `once` discount is removed once it has applied to an invoice.
 *
 * @example setDiscounts(state, sub, [{ coupon: "ap_usd_1200_forever" }])
 */
import { type FakeCoupon, type FakeDiscount, type FakeInvoice, type FakeState, type FakeSubscription, type Json, addMonths, newId } from "./fakeObjects.ts"
import { type Route, invalid, list, meta, missing, need, num, str } from "./fakeRoutes.ts"

/** Replaces a subscription's discounts with the `discounts` parameter (absent: unchanged). */
export const setDiscounts = (s: FakeState, sub: FakeSubscription, param: unknown): void => {
  if (param === undefined) return
  if (param !== "" && !Array.isArray(param)) throw invalid("discounts must be a list or an empty string")
  const next: Array<string> = []
  for (const d of param === "" ? [] : list(param)) {
    const reuse = str(d["discount"])
    if (reuse !== undefined) {
      if (!sub.discounts.includes(reuse)) throw missing("discount", reuse)
      next.push(reuse)
      continue
    }
    const coupon = need(s.coupons, str(d["coupon"]), "coupon")
    if (coupon.currency !== null && coupon.currency !== sub.currency) throw invalid(`Coupon ${coupon.id} is in ${coupon.currency}, the subscription in ${sub.currency}`)
    const discount: FakeDiscount = {
      id: newId(s, "di"), object: "discount", source: { type: "coupon", coupon }, start: s.now,
      end: coupon.duration === "repeating" ? addMonths(s.now, coupon.duration_in_months ?? 0) : null, subscription: sub.id, customer: sub.customer
    }
    coupon.times_redeemed++
    s.discounts.set(discount.id, discount)
    next.push(discount.id)
  }
  sub.discounts = next
}

/** Takes the subscription's discounts in force now off a renewal invoice (before it is finalized). */
export const discountRenewal = (s: FakeState, sub: FakeSubscription, inv: FakeInvoice): void => {
  let left = inv.lines.data.filter((l) => l.discountable).reduce((sum, l) => sum + l.amount, 0)
  const kept: Array<string> = []
  for (const id of sub.discounts) {
    const d = s.discounts.get(id)
    if (d === undefined || (d.end !== null && d.end <= s.now)) continue
    const amount = Math.min(d.source.coupon.amount_off ?? 0, Math.max(0, left))
    left -= amount
    if (amount > 0) inv.total_discount_amounts.push({ amount, discount: d.id })
    if (d.source.coupon.duration !== "once") kept.push(id)
  }
  sub.discounts = kept
}

/** The subscription's discounts as objects (for `expand[]=discounts`). */
export const expandDiscounts = (s: FakeState, o: Json): Json => {
  const ids = o["discounts"]
  return Array.isArray(ids) ? { ...o, discounts: ids.map((id) => (typeof id === "string" ? s.discounts.get(id) ?? id : id)) } : o
}

/** The coupon endpoints. */
export const COUPON_ROUTES: Array<Route> = [
  { method: "POST", path: /^\/v1\/coupons$/, file: "Coupons", iface: "CouponCreateParams", handle: ({ s, params }) => {
    const id = str(params["id"]) ?? newId(s, "co")
    if (s.coupons.has(id)) throw invalid(`Coupon already exists.`, "resource_already_exists")
    if (params["percent_off"] !== undefined) throw invalid("The test server models amount_off coupons only")
    const amount = num(params["amount_off"])
    const currency = str(params["currency"])
    if (amount === undefined || !Number.isInteger(amount) || amount <= 0 || currency === undefined) throw invalid("amount_off (a positive integer) and currency are required", "parameter_missing")
    const duration = str(params["duration"]) ?? "once"
    const months = num(params["duration_in_months"]) ?? null
    if (!["once", "forever", "repeating"].includes(duration) || (duration === "repeating") !== (months !== null) || (months !== null && (!Number.isInteger(months) || months < 1))) {
      throw invalid("duration_in_months (a positive integer) goes with duration repeating, and only with it")
    }
    const coupon: FakeCoupon = {
      id, object: "coupon", amount_off: amount, percent_off: null, currency, duration, duration_in_months: months,
      name: str(params["name"]) ?? null, metadata: meta({}, params["metadata"]), valid: true, times_redeemed: 0
    }
    s.coupons.set(id, coupon)
    return coupon
  } },
  { method: "GET", path: /^\/v1\/coupons\/([^/]+)$/, file: "Coupons", iface: "CouponRetrieveParams", handle: ({ s, args }) => need(s.coupons, args[0], "coupon") }
]
