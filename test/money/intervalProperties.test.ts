import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Interval from "../../src/Interval.ts"
import { DAY } from "../support/build.ts"
import { iv } from "./intervalCases.ts"

const MONTH_STEP: Partial<Record<Interval.IntervalUnit, number>> = { month: 1, quarter: 3, semi_annual: 6, year: 12 }
const DAY_STEP: Partial<Record<Interval.IntervalUnit, number>> = { day: 1, week: 7 }

const lastDay = (year: number, monthIndex: number): number => {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][monthIndex] ?? 31
}

/** Anchors between 1971 and 2199 at any millisecond, half of them on a month-end-ish day. */
const arbAnchor: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2199, 11, 31) }),
  fc
    .record({
      year: fc.integer({ min: 1971, max: 2199 }),
      month: fc.integer({ min: 0, max: 11 }),
      day: fc.integer({ min: 28, max: 31 }),
      ms: fc.integer({ min: 0, max: DAY - 1 })
    })
    .map(({ year, month, day, ms }) => Date.UTC(year, month, Math.min(day, lastDay(year, month))) + ms)
)
const arbInterval: fc.Arbitrary<Interval.Interval> = fc.record({
  unit: fc.constantFrom<Interval.IntervalUnit>("day", "week", "month", "quarter", "semi_annual", "year"),
  count: fc.integer({ min: 1, max: 5 })
})
/** An offset of up to ±40 years, so instants both before and after the anchor. */
const arbOffset = fc.integer({ min: -40 * 366 * DAY, max: 40 * 366 * DAY })
const props = { seed: 31_0124, numRuns: 200 } as const

/** The index k with boundary(anchor, interval, k) = start, computed from calendar fields alone. */
const indexOf = (anchor: number, interval: Interval.Interval, start: number): number => {
  const months = MONTH_STEP[interval.unit]
  if (months === undefined) return (start - anchor) / ((DAY_STEP[interval.unit] ?? 1) * interval.count * DAY)
  const a = new Date(anchor)
  const s = new Date(start)
  const diff = (s.getUTCFullYear() - a.getUTCFullYear()) * 12 + (s.getUTCMonth() - a.getUTCMonth())
  return diff / (months * interval.count)
}

describe("Interval properties: periods", () => {
  it("periodAt(t) = [boundary k, boundary k+1) with start ≤ t < end", () => {
    fc.assert(
      fc.property(arbAnchor, arbInterval, arbOffset, (anchor, interval, offset) => {
        const t = anchor + offset
        const p = Interval.periodAt(anchor, interval, t)
        expect(p.start).toBeLessThanOrEqual(t)
        expect(t).toBeLessThan(p.end)
        const k = indexOf(anchor, interval, p.start)
        expect(Number.isInteger(k)).toBe(true)
        expect(Interval.boundary(anchor, interval, k)).toBe(p.start)
        expect(Interval.boundary(anchor, interval, k + 1)).toBe(p.end)
      }),
      props
    )
  })

  it("a boundary starts its period and 1 ms earlier ends the previous one", () => {
    fc.assert(
      fc.property(arbAnchor, arbInterval, fc.integer({ min: -200, max: 200 }), (anchor, interval, k) => {
        const b = Interval.boundary(anchor, interval, k)
        const on = Interval.periodAt(anchor, interval, b)
        expect(on.start).toBe(b)
        expect(on.end).toBe(Interval.boundary(anchor, interval, k + 1))
        const before = Interval.periodAt(anchor, interval, b - 1)
        expect(before.end).toBe(b)
        expect(before.start).toBe(Interval.boundary(anchor, interval, k - 1))
      }),
      props
    )
  })

  it("the period of any instant inside a period is that period", () => {
    fc.assert(
      fc.property(arbAnchor, arbInterval, arbOffset, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (anchor, interval, offset, u) => {
        const p = Interval.periodAt(anchor, interval, anchor + offset)
        const inside = p.start + Math.floor(u * (p.end - p.start))
        expect(Interval.periodAt(anchor, interval, inside)).toEqual(p)
      }),
      props
    )
  })
})

describe("Interval properties: boundaries", () => {
  it("boundaries never drift: month boundaries keep the anchor's day (clamped) and time of day", () => {
    fc.assert(
      fc.property(
        arbAnchor,
        fc.constantFrom<Interval.IntervalUnit>("month", "quarter", "semi_annual", "year"),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: -300, max: 300 }),
        (anchor, unit, count, k) => {
          const interval = iv(unit, count)
          const a = new Date(anchor)
          const b = new Date(Interval.boundary(anchor, interval, k))
          const totalMonth = a.getUTCFullYear() * 12 + a.getUTCMonth() + k * (MONTH_STEP[unit] ?? 0) * count
          const year = Math.floor(totalMonth / 12)
          const month = totalMonth - year * 12
          expect(b.getUTCFullYear()).toBe(year)
          expect(b.getUTCMonth()).toBe(month)
          expect(b.getUTCDate()).toBe(Math.min(a.getUTCDate(), lastDay(year, month)))
          const timeOfDay = (d: Date): number => d.getTime() - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
          expect(timeOfDay(b)).toBe(timeOfDay(a))
        }
      ),
      props
    )
  })

  it("boundaries strictly increase with k, and day-based ones are exactly k × length apart", () => {
    fc.assert(
      fc.property(arbAnchor, arbInterval, fc.integer({ min: -300, max: 300 }), (anchor, interval, k) => {
        const b0 = Interval.boundary(anchor, interval, k)
        const b1 = Interval.boundary(anchor, interval, k + 1)
        expect(b0).toBeLessThan(b1)
        const days = DAY_STEP[interval.unit]
        if (days !== undefined) expect(b0).toBe(anchor + k * days * interval.count * DAY)
        else {
          // one month-based period is between 28 days × months and 31 days × months
          const months = (MONTH_STEP[interval.unit] ?? 0) * interval.count
          expect(b1 - b0).toBeGreaterThanOrEqual(months * 28 * DAY - DAY)
          expect(b1 - b0).toBeLessThanOrEqual(months * 31 * DAY)
        }
      }),
      props
    )
  })
})
