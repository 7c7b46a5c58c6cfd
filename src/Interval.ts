/**
 * Billing intervals and cycle boundaries. Boundaries are computed from the anchor each time
 * (boundary k = anchor + k × interval), never chained, so month-end anchors clamp without drift:
 * Jan 31 → Feb 28 (29) → Mar 31 → Apr 30.
 *
 * Instants are UTC epoch milliseconds. The arithmetic takes any epoch-millisecond number and
 * returns an {@link EpochMs}: an instant, which a count or an amount is not.
 *
 * @example
 * import { Interval } from "attach-planner"
 * const anchor = Date.parse("2024-01-31T00:00:00Z")
 * new Date(Interval.boundary(anchor, { unit: "month", count: 1 }, 1)).toISOString()
 * // "2024-02-29T00:00:00.000Z"
 */
import { DAY_MS, civilFromDays, daysFromCivil, daysInMonth } from "./internal/civil.ts"
import { type EpochMs, epochMs } from "./internal/instants.ts"
import * as Rational from "./Rational.ts"

/**
 * A recurring interval unit of docs/spec.md §2.2.
 * @example const unit: IntervalUnit = "semi_annual"
 */
export type IntervalUnit = "day" | "week" | "month" | "quarter" | "semi_annual" | "year"

/**
 * A recurring interval: a unit times a count ≥ 1.
 * @example const quarterly: Interval = { unit: "month", count: 3 }
 */
export interface Interval {
  readonly unit: IntervalUnit
  readonly count: number
}

/**
 * A half-open period `[start, end)` of instants in epoch milliseconds ({@link period} makes one).
 * @example const january: Period = Interval.period(Date.parse("2025-01-01T00:00:00Z"), Date.parse("2025-02-01T00:00:00Z")) // { start: 1735689600000, end: 1738368000000 }
 */
export interface Period {
  readonly start: EpochMs
  readonly end: EpochMs
}

/**
 * An instant as epoch milliseconds (UTC), branded so that a count or an amount is not taken for one.
 * @example const start: EpochMs = Interval.boundary(anchor, { unit: "month", count: 1 }, 0)
 */
export type { EpochMs }

/**
 * The period `[start, end)` of two epoch-millisecond instants.
 * @example Interval.period(Date.parse("2025-01-01T00:00:00Z"), Date.parse("2025-02-01T00:00:00Z")).end // 1738368000000
 */
export const period = (start: number, end: number): Period => ({ start: epochMs(start), end: epochMs(end) })

const MONTHS: Partial<Record<IntervalUnit, number>> = { month: 1, quarter: 3, semi_annual: 6, year: 12 }
const DAYS: Partial<Record<IntervalUnit, number>> = { day: 1, week: 7 }

/**
 * The length of an interval in months, exactly (days count as 12/365 of a month-year), used to
 * compare and normalise prices of different intervals.
 *
 * @example Interval.lengthInMonths({ unit: "quarter", count: 2 }) // 6/1
 */
export const lengthInMonths = (interval: Interval): Rational.Rational => {
  const months = MONTHS[interval.unit]
  if (months !== undefined) return Rational.fromInt(months * interval.count)
  return Rational.make(BigInt((DAYS[interval.unit] ?? 1) * interval.count * 12), 365n)
}

/** The instant `months` calendar months after the civil date `monthIndex` (year × 12 + month − 1), day `day`, time `timeOfDay`. */
const shiftMonths = (monthIndex: number, day: number, timeOfDay: number, months: number): EpochMs => {
  const total = monthIndex + months
  const year = Math.floor(total / 12)
  const month = total - year * 12 + 1
  return epochMs(daysFromCivil(year, month, Math.min(day, daysInMonth(year, month))) * DAY_MS + timeOfDay)
}

/**
 * Adds `months` calendar months to an instant, keeping its day-of-month and time of day and
 * clamping to the target month's last day.
 *
 * @example
 * new Date(Interval.addMonths(Date.parse("2025-01-31T10:00:00Z"), 1)).toISOString()
 * // "2025-02-28T10:00:00.000Z"
 */
export const addMonths = (instant: number, months: number): EpochMs => {
  const days = Math.floor(instant / DAY_MS)
  const date = civilFromDays(days)
  return shiftMonths(date.year * 12 + (date.month - 1), date.day, instant - days * DAY_MS, months)
}

/**
 * Boundary k of the cycle that starts at `anchor` (k may be negative).
 *
 * @example Interval.boundary(0, { unit: "day", count: 2 }, 3) // 518400000
 */
export const boundary = (anchor: number, interval: Interval, k: number): EpochMs => {
  const months = MONTHS[interval.unit]
  if (months !== undefined) return addMonths(anchor, k * months * interval.count)
  return epochMs(anchor + k * (DAYS[interval.unit] ?? 1) * interval.count * DAY_MS)
}

/** The last periods computed: the same period is asked for by several lines of one attach. */
const MEMO = 8
const memoAnchor = new Float64Array(MEMO).fill(Number.NaN)
const memoT = new Float64Array(MEMO)
const memoCount = new Float64Array(MEMO)
const memoUnit: Array<IntervalUnit | undefined> = new Array<IntervalUnit | undefined>(MEMO).fill(undefined)
const memoPeriod: Array<Period> = new Array<Period>(MEMO).fill(period(0, 0))
let memoNext = 0

/**
 * The period `[start, end)` containing `t`: start is the greatest boundary ≤ t and end the
 * smallest boundary > t, so an instant on a boundary starts a new period. Works for anchors in
 * the future too.
 *
 * @example
 * const p = Interval.periodAt(Date.parse("2025-01-01T00:00:00Z"), { unit: "month", count: 1 }, Date.parse("2025-02-01T00:00:00Z"))
 * new Date(p.start).toISOString() // "2025-02-01T00:00:00.000Z"
 */
export const periodAt = (anchor: number, interval: Interval, t: number): Period => {
  for (let i = 0; i < MEMO; i++) {
    if (memoAnchor[i] === anchor && memoT[i] === t && memoUnit[i] === interval.unit && memoCount[i] === interval.count) return memoPeriod[i] as Period
  }
  const period = computePeriod(anchor, interval, t)
  memoAnchor[memoNext] = anchor
  memoT[memoNext] = t
  memoUnit[memoNext] = interval.unit
  memoCount[memoNext] = interval.count
  memoPeriod[memoNext] = period
  memoNext = (memoNext + 1) % MEMO
  return period
}

const computePeriod = (anchor: number, interval: Interval, t: number): Period => {
  const months = MONTHS[interval.unit]
  if (months === undefined) {
    const length = (DAYS[interval.unit] ?? 1) * interval.count * DAY_MS
    let k = Math.floor((t - anchor) / length)
    while (anchor + k * length > t) k--
    while (anchor + (k + 1) * length <= t) k++
    return period(anchor + k * length, anchor + (k + 1) * length)
  }
  // Month-based: boundary k is `addMonths(anchor, k × step)`, with the anchor's civil date computed once.
  const step = months * interval.count
  const anchorDays = Math.floor(anchor / DAY_MS)
  const timeOfDay = anchor - anchorDays * DAY_MS
  const anchorDate = civilFromDays(anchorDays)
  const monthIndex = anchorDate.year * 12 + (anchorDate.month - 1)
  const day = anchorDate.day
  const date = civilFromDays(Math.floor(t / DAY_MS))
  let k = Math.floor((date.year * 12 + (date.month - 1) - monthIndex) / step)
  let start = shiftMonths(monthIndex, day, timeOfDay, k * step)
  while (start > t) start = shiftMonths(monthIndex, day, timeOfDay, --k * step)
  let end = shiftMonths(monthIndex, day, timeOfDay, (k + 1) * step)
  while (end <= t) {
    start = end
    k++
    end = shiftMonths(monthIndex, day, timeOfDay, (k + 1) * step)
  }
  return { start, end }
}

/**
 * Adds a trial length (days, months or years) to an instant, month-end clamped.
 *
 * @example new Date(Interval.addLength(Date.parse("2025-03-01T00:00:00Z"), 7, "day")).toISOString()
 * // "2025-03-08T00:00:00.000Z"
 */
export const addLength = (instant: number, length: number, unit: "day" | "month" | "year"): EpochMs =>
  unit === "day" ? epochMs(instant + length * DAY_MS) : addMonths(instant, unit === "month" ? length : length * 12)

/**
 * Formats an instant as the ISO-8601 string of the documents (UTC, milliseconds).
 *
 * @example Interval.toIso(0) // "1970-01-01T00:00:00.000Z"
 */
export const toIso = (instant: number): string => new Date(instant).toISOString()
