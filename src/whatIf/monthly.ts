/**
 * Recurring revenue per month of a customer under a catalog: everything its renewals bill over
 * the next `cycles` cycles — a cycle being the longest recurring interval of the plans it holds
 * (a month for monthly plans, a year as soon as one is annual; day and week intervals count as a
 * month) — divided by the months of that window, rounded once to minor units. The renewals are
 * the timeline's roll, so trials ending, scheduled changes, cancellations at period end and
 * discounts running out all count.
 *
 * @example monthlyRevenue(catalog, customer, Date.parse("2025-01-16T00:00:00Z"), 1) // Result of 2000n for a $20/month plan, 1667n for $200/year
 */
import * as Result from "effect/Result"
import { type Catalog, findPlan, type PriceInterval } from "../Catalog.ts"
import { type Customer, isCurrent } from "../Customer.ts"
import type { InvalidRequest, UnknownPlan } from "../Errors.ts"
import { addMonths, type Interval } from "../Interval.ts"
import * as Money from "../Money.ts"
import { recurringInterval } from "../Pricing.ts"
import * as Rational from "../Rational.ts"
import { rollInvoices } from "../timeline/roll.ts"

const MONTHS: Readonly<Record<Interval["unit"], number>> = { day: 1, week: 1, month: 1, quarter: 3, semi_annual: 6, year: 12 }

const monthsOfInterval = (interval: PriceInterval): number => {
  const r = recurringInterval(interval)
  return r === undefined ? 0 : r.unit === "day" || r.unit === "week" ? 1 : MONTHS[r.unit] * r.count
}

/** The longest recurring interval, in months, of the plans the customer holds (at least 1). */
const cycleMonths = (catalog: Catalog, customer: Customer): number => {
  let longest = 1
  for (const sub of customer.subscriptions ?? []) {
    if (!(isCurrent(sub) || sub.status === "scheduled")) continue
    const plan = findPlan(catalog, sub.planId, sub.version)
    if (plan === undefined) continue
    if (plan.price !== undefined) longest = Math.max(longest, monthsOfInterval(plan.price.interval))
    for (const item of plan.items) if (item.price !== undefined) longest = Math.max(longest, monthsOfInterval(item.price.interval))
  }
  return longest
}

/**
 * The customer's recurring revenue per month in minor units of its currency; `UnknownPlan`
 * when a live subscription's plan is not in the catalog, `amount_out_of_range` beyond exact amounts.
 *
 * @example Result.getOrThrow(monthlyRevenue(catalog, customer, at, 3))
 */
export const monthlyRevenue = (catalog: Catalog, customer: Customer, at: number, cycles: number): Result.Result<Money.Minor, UnknownPlan | InvalidRequest> => {
  const months = cycles * cycleMonths(catalog, customer)
  const rolled = rollInvoices({
    catalog, currency: customer.currency ?? catalog.defaultCurrency, customer, hasPaymentMethod: customer.hasPaymentMethod === true,
    from: at, cycles: undefined, until: addMonths(at, months), entityId: undefined, trialEndWithoutCard: "cancel", newlyAppliedAt: undefined, firstInvoiceEmpty: () => false
  })
  if (Result.isFailure(rolled)) return Result.fail(rolled.failure)
  let billed = 0n
  for (const inv of rolled.success) billed += BigInt(inv.total)
  const total = Rational.make(billed, BigInt(months))
  return Result.succeed(Money.round(total))
}
