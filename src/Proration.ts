/**
 * Proration by the millisecond (docs/spec.md §2.3): the part of a period left after an instant, as an
 * exact fraction, and the prorated charge and credit built from it.
 *
 * @example
 * import { Proration } from "attach-planner"
 * const period = { start: Date.parse("2025-01-01T00:00:00Z"), end: Date.parse("2025-02-01T00:00:00Z") }
 * Proration.remainingFraction(period, Date.parse("2025-01-16T00:00:00Z")) // 16/31 (in ms)
 */
import type { Period } from "./Interval.ts"
import * as Rational from "./Rational.ts"

/**
 * `(period.end − t) / (period.end − period.start)`, clamped to [0, 1].
 *
 * @example Proration.remainingFraction({ start: 0, end: 4 }, 1) // 3/4
 */
export const remainingFraction = (period: Period, t: number): Rational.Rational => {
  if (t <= period.start) return Rational.one
  if (t >= period.end) return Rational.zero
  return Rational.make(BigInt(period.end - t), BigInt(period.end - period.start))
}

/**
 * The prorated charge of an exact amount for what remains of the period after `t` (exact; the
 * caller rounds the finished line once).
 *
 * @example Proration.chargeForRemainingTime(Rational.fromInt(2000), { start: 0, end: 4 }, 1) // 6000/4
 */
export const chargeForRemainingTime = (amount: Rational.Rational, period: Period, t: number): Rational.Rational =>
  Rational.mul(amount, remainingFraction(period, t))

/**
 * The credit for the unused time of an amount already paid for the period: the negated
 * prorated charge.
 *
 * @example Proration.creditForUnusedTime(Rational.fromInt(2000), { start: 0, end: 4 }, 1) // -6000/4
 */
export const creditForUnusedTime = (amount: Rational.Rational, period: Period, t: number): Rational.Rational =>
  Rational.negate(chargeForRemainingTime(amount, period, t))
