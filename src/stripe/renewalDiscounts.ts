/**
 * Which coupons make Stripe's renewals equal the plan's: from the plan's `nextCycle` and the
 * discounts in force for the subscription ({@link RenewalTerms}), the amount the engine takes off
 * each coming renewal, as a stack of amount-off coupons. Each discount runs for a number of
 * renewals (`forever`: all; `months` N: those starting before N months after it was applied;
 * `once`, or one the state does not record: the next one only). For each distinct run length the
 * coupon is the engine's discount with every discount running at least that long minus the
 * discount with those running longer, so that on every renewal the coupons still running add up to
 * exactly the engine's discount for it (computed by the engine's own `applyDiscounts`, planner/lineDiscounts.ts).
 *
 * @example
 * renewalCoupons(catalog, "usd", { unit: "month", count: 1 }, renewal)
 * // [{ amountOff: 750, through: "2025-02-16T00:00:00.000Z", before: "2025-03-16T00:00:00.000Z" }, { amountOff: 1200, through: null, before: null }]
 */
import type { Catalog, Discount } from "../Catalog.ts"
import type { ActiveDiscount } from "../Discounts.ts"
import { type DraftLine, draftLine } from "../planner/draftLine.ts"
import { applyDiscounts } from "../planner/lineDiscounts.ts"
import * as Interval from "../Interval.ts"
import * as Money from "../Money.ts"
import { ProviderRejected, type RenewalTerms } from "../Provider.ts"

/**
 * One coupon of a renewal: `amountOff` minor units off each renewal up to and including the one
 * starting at `through` (null: every renewal), and none from `before` on (the next renewal).
 *
 * @example const c: RenewalCoupon = { amountOff: 1200, through: null, before: null }
 */
export interface RenewalCoupon {
  readonly amountOff: number
  readonly through: string | null
  readonly before: string | null
}

/** Renewals counted before a discount is taken as never ending (100 years of months). */
const HORIZON = 1200

const discountOff = (lines: ReadonlyArray<DraftLine>, active: ReadonlyArray<ActiveDiscount>, currency: string, catalog: Catalog): bigint =>
  applyDiscounts(lines, active, currency, catalog).reduce((sum, l) => sum + l.discounts.reduce((s, d) => s + d.amount, 0n), 0n)

/** The instant a discount stops applying to renewals (exclusive); undefined: never. */
const endOf = (discount: Discount, appliedAt: string | undefined, first: number): number | undefined => {
  if (discount.duration === "forever") return undefined
  if (discount.duration === "once" || appliedAt === undefined) return first + 1
  return Interval.addMonths(Date.parse(appliedAt), discount.duration.months)
}

/** The starts of the renewals from the first on, as long as `keep` holds (at most {@link HORIZON}). */
const renewalsWhile = (anchor: number, interval: Interval.Interval, first: number, keep: (t: number) => boolean): Array<number> => {
  const out: Array<number> = []
  for (let t = first; out.length < HORIZON && keep(t); t = Interval.periodAt(anchor, interval, t).end) out.push(t)
  return out
}

/**
 * The coupons (longest-running last) whose sum on each renewal is the engine's discount for it.
 * Fails with `amount_mismatch` if the stack does not reproduce the plan's next renewal.
 *
 * @example renewalCoupons(catalog, "jpy", { unit: "month", count: 1 }, renewal).map((c) => c.amountOff) // [1490]
 */
export const renewalCoupons = (catalog: Catalog, currency: string, interval: Interval.Interval, renewal: RenewalTerms): Array<RenewalCoupon> => {
  const next = renewal.nextCycle
  const first = Date.parse(next.startsAt)
  const anchor = Date.parse(renewal.billingAnchor)
  const lines: Array<DraftLine> = next.lines.map((l) => draftLine({
    kind: l.kind, planId: l.planId, featureId: l.featureId, description: l.description, quantity: l.quantity, period: null, amount: Money.minor(l.amount), discounts: []
  }))
  const ids = [...new Set(next.lines.flatMap((l) => l.discounts.map((d) => d.discountId)))]
  const running = ids.flatMap((id) => {
    const discount = catalog.discountsById.get(id)
    if (discount === undefined) return []
    const applied = renewal.discounts.find((d) => d.discountId === id)?.appliedAt
    const end = endOf(discount, applied, first)
    const active: ActiveDiscount = { discount, appliedAt: applied === undefined ? first : Date.parse(applied), newlyApplied: false }
    if (end === undefined) return [{ active, count: Number.POSITIVE_INFINITY, last: first }]
    const renewals = renewalsWhile(anchor, interval, first, (t) => t < end)
    return [{ active, count: renewals.length >= HORIZON ? Number.POSITIVE_INFINITY : renewals.length, last: renewals.at(-1) ?? first }]
  })
  const counts = [...new Set(running.map((r) => r.count))].sort((a, b) => a - b)
  const offWith = (atLeast: number): bigint => discountOff(lines, running.filter((r) => r.count >= atLeast).map((r) => r.active), currency, catalog)
  const coupons: Array<RenewalCoupon> = []
  counts.forEach((count, i) => {
    const amount = offWith(count) - (i + 1 < counts.length ? offWith(counts[i + 1] ?? count) : 0n)
    if (amount <= 0n) return
    const last = running.find((r) => r.count === count)?.last ?? first
    coupons.push(Number.isFinite(count)
      ? { amountOff: Number(amount), through: new Date(last).toISOString(), before: new Date(Interval.periodAt(anchor, interval, last).end).toISOString() }
      : { amountOff: Number(amount), through: null, before: null })
  })
  const total = coupons.reduce((s, c) => s + c.amountOff, 0)
  if (total !== next.discountTotal) {
    throw new ProviderRejected({ code: "amount_mismatch", message: `The renewal coupons take ${total} off, the plan's next cycle ${next.discountTotal}` })
  }
  return coupons
}
