/**
 * Billing intervals and cycle boundaries. Boundaries are computed from the anchor each time
 * (boundary k = anchor + k × interval), never chained, so month-end anchors clamp without drift:
 * Jan 31 → Feb 28 (29) → Mar 31 → Apr 30.
 *
 * Instants are UTC epoch milliseconds.
 *
 * @example
 * import { Interval } from "attach-planner"
 * const anchor = Date.parse("2024-01-31T00:00:00Z")
 * new Date(Interval.boundary(anchor, { unit: "month", count: 1 }, 1)).toISOString()
 * // "2024-02-29T00:00:00.000Z"
 */
import * as Rational from "./Rational.ts"

/** A recurring interval unit of SPEC §2.2. */
export type IntervalUnit = "day" | "week" | "month" | "quarter" | "semi_annual" | "year"

/** A recurring interval: a unit times a count ≥ 1. */
export interface Interval {
  readonly unit: IntervalUnit
  readonly count: number
}

/** A half-open period `[start, end)` in epoch milliseconds. */
export interface Period {
  readonly start: number
  readonly end: number
}

const DAY_MS = 86_400_000

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

/** Midnight UTC of a calendar date; unlike `Date.UTC`, years 0–99 are not moved to 1900–1999. */
const utcMidnight = (year: number, monthIndex: number, day: number): number => new Date(0).setUTCFullYear(year, monthIndex, day)

const daysInMonth = (year: number, monthIndex: number): number =>
  new Date(utcMidnight(year, monthIndex + 1, 0)).getUTCDate()

/**
 * Adds `months` calendar months to an instant, keeping its day-of-month and time of day and
 * clamping to the target month's last day.
 *
 * @example
 * new Date(Interval.addMonths(Date.parse("2025-01-31T10:00:00Z"), 1)).toISOString()
 * // "2025-02-28T10:00:00.000Z"
 */
export const addMonths = (instant: number, months: number): number => {
  const d = new Date(instant)
  const totalMonth = d.getUTCFullYear() * 12 + d.getUTCMonth() + months
  const year = Math.floor(totalMonth / 12)
  const month = totalMonth - year * 12
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month))
  const timeOfDay = instant - utcMidnight(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  return utcMidnight(year, month, day) + timeOfDay
}

/**
 * Boundary k of the cycle that starts at `anchor` (k may be negative).
 *
 * @example Interval.boundary(0, { unit: "day", count: 2 }, 3) // 518400000
 */
export const boundary = (anchor: number, interval: Interval, k: number): number => {
  const months = MONTHS[interval.unit]
  if (months !== undefined) return addMonths(anchor, k * months * interval.count)
  return anchor + k * (DAYS[interval.unit] ?? 1) * interval.count * DAY_MS
}

/** Estimates the index of the period containing `t`, exact for day-based intervals. */
const estimateIndex = (anchor: number, interval: Interval, t: number): number => {
  const months = MONTHS[interval.unit]
  if (months === undefined) {
    return Math.floor((t - anchor) / ((DAYS[interval.unit] ?? 1) * interval.count * DAY_MS))
  }
  const a = new Date(anchor)
  const b = new Date(t)
  const monthDiff = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth())
  return Math.floor(monthDiff / (months * interval.count))
}

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
  let k = estimateIndex(anchor, interval, t)
  while (boundary(anchor, interval, k) > t) k--
  while (boundary(anchor, interval, k + 1) <= t) k++
  return { start: boundary(anchor, interval, k), end: boundary(anchor, interval, k + 1) }
}

/**
 * Adds a trial length (days, months or years) to an instant, month-end clamped.
 *
 * @example new Date(Interval.addLength(Date.parse("2025-03-01T00:00:00Z"), 7, "day")).toISOString()
 * // "2025-03-08T00:00:00.000Z"
 */
export const addLength = (instant: number, length: number, unit: "day" | "month" | "year"): number =>
  unit === "day" ? instant + length * DAY_MS : addMonths(instant, unit === "month" ? length : length * 12)

/**
 * Formats an instant as the ISO-8601 string of the documents (UTC, milliseconds).
 *
 * @example Interval.toIso(0) // "1970-01-01T00:00:00.000Z"
 */
export const toIso = (instant: number): string => new Date(instant).toISOString()
