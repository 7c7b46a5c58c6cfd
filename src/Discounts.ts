/**
 * Discounts (docs/spec.md §8.8): which discounts are active for an invoice, and the largest-remainder
 * split amount-off discounts come off its lines by. How they come off a plan's lines is the
 * planner's (planner/lineDiscounts.ts).
 *
 * @example
 * import { Discounts } from "attach-planner"
 * Discounts.splitByLargestRemainder(100n, [1n, 1n, 1n]) // [34n, 33n, 33n]
 */
import type { Discount } from "./Catalog.ts"
import { addMonths } from "./Interval.ts"
import * as Money from "./Money.ts"

/**
 * A discount in force for a customer: when it was applied, and whether this attach applies it.
 * @example
 * const launch: ActiveDiscount = { discount, appliedAt: Date.parse("2025-01-01T00:00:00Z"), newlyApplied: true }
 * // `discount`: a decoded catalog Discount, e.g. catalog.discountsById.get("LAUNCH20")
 */
export interface ActiveDiscount {
  readonly discount: Discount
  readonly appliedAt: number
  readonly newlyApplied: boolean
}

/**
 * Whether a discount applies to an invoice starting at `invoiceStart`. `once` applies to the
 * first invoice after it is applied: today's, or the next one when today's has nothing to
 * discount (`firstInvoice`).
 *
 * @example appliesToInvoice({ discount: { duration: { months: 3 } }, appliedAt: jan1 }, apr1, false) // false
 */
export const appliesToInvoice = (d: ActiveDiscount, invoiceStart: number, firstInvoice: boolean): boolean => {
  const duration = d.discount.duration
  if (duration === "forever") return true
  if (duration === "once") return d.newlyApplied && firstInvoice
  return invoiceStart < addMonths(d.appliedAt, duration.months)
}

/**
 * Splits `amount` minor units across weights in proportion: {@link Money.allocate} (largest
 * remainder, ties to the earlier weight). The shares sum to `amount`.
 *
 * @example splitByLargestRemainder(1000n, [2000n, 1000n]) // [667n, 333n]
 */
export const splitByLargestRemainder: (amount: bigint, weights: ReadonlyArray<bigint>) => Array<bigint> = Money.allocate
