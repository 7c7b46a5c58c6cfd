/**
 * Recurring revenue per month of a customer under a catalog: the renewals of the next `cycles`
 * cycles of every billing subscription (the timeline's roll, so trials ending, scheduled changes,
 * cancellations and discounts running out all count), each line spread over the months its
 * period covers, averaged per billing subscription over its renewals, rounded once to minor units.
 *
 * A period of whole calendar months counts as that many months; any other period (days, weeks)
 * as its length over the mean Gregorian month (30.436875 days, 2,629,746,000 ms).
 *
 * @example monthlyRevenue(catalog, customer, Date.parse("2025-01-16T00:00:00Z"), 1) // Result of 2000n for a $20/month plan
 */
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import type { Customer } from "../Customer.ts"
import type { UnknownPlan } from "../Errors.ts"
import { addMonths } from "../Interval.ts"
import type { Line } from "../Preview.ts"
import * as Rational from "../Rational.ts"
import { rollForward } from "../timeline/roll.ts"

const MEAN_MONTH_MS = 2_629_746_000n
const MAX_MONTHS = 120

/** The months a line's period covers, as a rational (undefined without a period). */
const monthsOf = (line: Line): Rational.Rational | undefined => {
  if (line.period === null) return undefined
  const start = Date.parse(line.period.start)
  const end = Date.parse(line.period.end)
  if (!(end > start)) return undefined
  for (let k = 1; k <= MAX_MONTHS; k++) {
    const at = addMonths(start, k)
    if (at === end) return Rational.fromInt(k)
    if (at > end) break
  }
  return Rational.make(BigInt(end - start), MEAN_MONTH_MS)
}

/** A line's amount per month: its total over the months of its period (a line without one is not recurring). */
const perMonth = (line: Line): Rational.Rational => {
  const months = monthsOf(line)
  return months === undefined ? Rational.zero : Rational.div(Rational.fromInt(line.total), months)
}

/**
 * The customer's recurring revenue per month in minor units of its currency, or `UnknownPlan`
 * when a live subscription's plan is not in the catalog.
 *
 * @example Result.getOrThrow(monthlyRevenue(catalog, customer, at, 3))
 */
export const monthlyRevenue = (catalog: Catalog, customer: Customer, at: number, cycles: number): Result.Result<bigint, UnknownPlan> => {
  const rolled = rollForward({
    catalog, currency: customer.currency ?? catalog.defaultCurrency, customer, hasPaymentMethod: customer.hasPaymentMethod === true,
    from: at, cycles, until: undefined, entityId: undefined, trialEndWithoutCard: "cancel", newlyAppliedAt: undefined, firstInvoiceEmpty: () => false
  })
  if (Result.isFailure(rolled)) return Result.fail(rolled.failure)
  const perKey = new Map<string, { sum: Rational.Rational; count: number }>()
  for (const inv of rolled.success.invoices) {
    const key = inv.billingSubscription ?? ""
    const acc = perKey.get(key) ?? { sum: Rational.zero, count: 0 }
    for (const line of inv.lines) acc.sum = Rational.add(acc.sum, perMonth(line))
    acc.count++
    perKey.set(key, acc)
  }
  let total = Rational.zero
  for (const { sum, count } of perKey.values()) total = Rational.add(total, Rational.div(sum, Rational.fromInt(count)))
  return Result.succeed(Rational.roundHalfAwayFromZero(total))
}
