import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Interval from "../../src/Interval.ts"
import * as Rational from "../../src/Rational.ts"
import { DAY, iso } from "../support/build.ts"

const at = (iso: string): number => {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) throw new Error(`bad test instant ${iso}`)
  return t
}
const iv = (unit: Interval.IntervalUnit, count = 1): Interval.Interval => ({ unit, count })
const boundaries = (anchor: string, interval: Interval.Interval, ks: ReadonlyArray<number>): Array<string> =>
  ks.map((k) => iso(Interval.boundary(at(anchor), interval, k)))
const period = (anchor: string, interval: Interval.Interval, t: string): { start: string; end: string } => {
  const p = Interval.periodAt(at(anchor), interval, at(t))
  return { start: iso(p.start), end: iso(p.end) }
}

describe("Interval.boundary — months clamp from the anchor, never chained", () => {
  it("Jan 31 anchor in a leap year: Feb 29, Mar 31, Apr 30", () => {
    expect(boundaries("2024-01-31T00:00:00.000Z", iv("month"), [0, 1, 2, 3, 4, 5, 12, 13])).toEqual([
      "2024-01-31T00:00:00.000Z",
      "2024-02-29T00:00:00.000Z",
      "2024-03-31T00:00:00.000Z",
      "2024-04-30T00:00:00.000Z",
      "2024-05-31T00:00:00.000Z",
      "2024-06-30T00:00:00.000Z",
      "2025-01-31T00:00:00.000Z",
      "2025-02-28T00:00:00.000Z"
    ])
  })

  it("Jan 31 anchor in a common year: Feb 28, then back to Mar 31", () => {
    expect(boundaries("2025-01-31T00:00:00.000Z", iv("month"), [1, 2, 3])).toEqual([
      "2025-02-28T00:00:00.000Z",
      "2025-03-31T00:00:00.000Z",
      "2025-04-30T00:00:00.000Z"
    ])
  })

  it("Feb 29 2024 annual: Feb 28 2025, 2026, 2027, then Feb 29 2028", () => {
    expect(boundaries("2024-02-29T00:00:00.000Z", iv("year"), [1, 2, 3, 4, -4])).toEqual([
      "2025-02-28T00:00:00.000Z",
      "2026-02-28T00:00:00.000Z",
      "2027-02-28T00:00:00.000Z",
      "2028-02-29T00:00:00.000Z",
      "2020-02-29T00:00:00.000Z"
    ])
  })

  it("quarter from Nov 30: Feb 29, May 30, Aug 30, Nov 30", () => {
    expect(boundaries("2023-11-30T00:00:00.000Z", iv("quarter"), [1, 2, 3, 4])).toEqual([
      "2024-02-29T00:00:00.000Z",
      "2024-05-30T00:00:00.000Z",
      "2024-08-30T00:00:00.000Z",
      "2024-11-30T00:00:00.000Z"
    ])
  })

  it("quarter from Jan 31: Apr 30, Jul 31, Oct 31, Jan 31", () => {
    expect(boundaries("2025-01-31T00:00:00.000Z", iv("quarter"), [1, 2, 3, 4])).toEqual([
      "2025-04-30T00:00:00.000Z",
      "2025-07-31T00:00:00.000Z",
      "2025-10-31T00:00:00.000Z",
      "2026-01-31T00:00:00.000Z"
    ])
  })

  it("semi_annual from Aug 31: Feb 28, Aug 31, Feb 29 (leap)", () => {
    expect(boundaries("2024-08-31T00:00:00.000Z", iv("semi_annual"), [1, 2, 3, 4])).toEqual([
      "2025-02-28T00:00:00.000Z",
      "2025-08-31T00:00:00.000Z",
      "2026-02-28T00:00:00.000Z",
      "2026-08-31T00:00:00.000Z"
    ])
    expect(boundaries("2023-08-31T00:00:00.000Z", iv("semi_annual"), [1])).toEqual(["2024-02-29T00:00:00.000Z"])
  })

  it("year from Jan 15", () => {
    expect(boundaries("2025-01-15T08:00:00.000Z", iv("year"), [1, 2, -1])).toEqual([
      "2026-01-15T08:00:00.000Z",
      "2027-01-15T08:00:00.000Z",
      "2024-01-15T08:00:00.000Z"
    ])
  })

  it("every 2 months from Dec 31: Feb 29, Apr 30, Jun 30, Aug 31", () => {
    expect(boundaries("2023-12-31T00:00:00.000Z", iv("month", 2), [1, 2, 3, 4])).toEqual([
      "2024-02-29T00:00:00.000Z",
      "2024-04-30T00:00:00.000Z",
      "2024-06-30T00:00:00.000Z",
      "2024-08-31T00:00:00.000Z"
    ])
  })

  it("every 2 years and every 2 quarters", () => {
    expect(boundaries("2024-02-29T00:00:00.000Z", iv("year", 2), [1, 2])).toEqual([
      "2026-02-28T00:00:00.000Z",
      "2028-02-29T00:00:00.000Z"
    ])
    expect(boundaries("2024-05-31T00:00:00.000Z", iv("quarter", 2), [1, 2])).toEqual([
      "2024-11-30T00:00:00.000Z",
      "2025-05-31T00:00:00.000Z"
    ])
  })

  it("negative k walks back from the anchor with the same clamping", () => {
    expect(boundaries("2024-03-31T00:00:00.000Z", iv("month"), [-1, -2, -3, -4])).toEqual([
      "2024-02-29T00:00:00.000Z",
      "2024-01-31T00:00:00.000Z",
      "2023-12-31T00:00:00.000Z",
      "2023-11-30T00:00:00.000Z"
    ])
  })

  it("days and weeks are fixed lengths of 24 h", () => {
    expect(boundaries("2025-01-06T00:00:00.000Z", iv("week", 2), [1, 2, -1])).toEqual([
      "2025-01-20T00:00:00.000Z",
      "2025-02-03T00:00:00.000Z",
      "2024-12-23T00:00:00.000Z"
    ])
    expect(boundaries("2025-01-06T00:00:00.000Z", iv("week"), [1, 4])).toEqual([
      "2025-01-13T00:00:00.000Z",
      "2025-02-03T00:00:00.000Z"
    ])
    expect(boundaries("2024-02-28T10:30:00.000Z", iv("day"), [1, 2])).toEqual([
      "2024-02-29T10:30:00.000Z",
      "2024-03-01T10:30:00.000Z"
    ])
    expect(Interval.boundary(0, iv("day", 2), 3)).toBe(6 * DAY)
    expect(Interval.boundary(0, iv("day", 3), -1)).toBe(-3 * DAY)
  })

  it("keeps the time of day", () => {
    expect(boundaries("2025-01-31T10:30:00.000Z", iv("month"), [1, 2])).toEqual([
      "2025-02-28T10:30:00.000Z",
      "2025-03-31T10:30:00.000Z"
    ])
    expect(boundaries("2024-02-29T23:59:59.999Z", iv("year"), [1])).toEqual(["2025-02-28T23:59:59.999Z"])
  })

  it("works for years 0–99 (Date.UTC would move them to the 1900s)", () => {
    expect(boundaries("0050-01-31T12:00:00.000Z", iv("month"), [1, 2])).toEqual([
      "0050-02-28T12:00:00.000Z",
      "0050-03-31T12:00:00.000Z"
    ])
    expect(boundaries("0100-01-31T00:00:00.000Z", iv("month"), [-11])).toEqual(["0099-02-28T00:00:00.000Z"])
  })
})

describe("Interval.periodAt", () => {
  it("finds the period around an instant inside it", () => {
    expect(period("2024-01-31T00:00:00.000Z", iv("month"), "2024-02-10T00:00:00.000Z")).toEqual({
      start: "2024-01-31T00:00:00.000Z",
      end: "2024-02-29T00:00:00.000Z"
    })
    expect(period("2024-01-31T00:00:00.000Z", iv("month"), "2024-03-15T00:00:00.000Z")).toEqual({
      start: "2024-02-29T00:00:00.000Z",
      end: "2024-03-31T00:00:00.000Z"
    })
    expect(period("2025-01-01T00:00:00.000Z", iv("month"), "2025-01-16T00:00:00.000Z")).toEqual({
      start: "2025-01-01T00:00:00.000Z",
      end: "2025-02-01T00:00:00.000Z"
    })
  })

  it("an instant exactly on a boundary starts a new period", () => {
    expect(period("2024-01-31T00:00:00.000Z", iv("month"), "2024-02-29T00:00:00.000Z")).toEqual({
      start: "2024-02-29T00:00:00.000Z",
      end: "2024-03-31T00:00:00.000Z"
    })
    expect(period("2025-01-01T00:00:00.000Z", iv("month"), "2025-01-01T00:00:00.000Z")).toEqual({
      start: "2025-01-01T00:00:00.000Z",
      end: "2025-02-01T00:00:00.000Z"
    })
  })

  it("an instant 1 ms before a boundary is still in the previous period", () => {
    expect(period("2024-01-31T00:00:00.000Z", iv("month"), "2024-02-28T23:59:59.999Z")).toEqual({
      start: "2024-01-31T00:00:00.000Z",
      end: "2024-02-29T00:00:00.000Z"
    })
    expect(period("2025-01-06T00:00:00.000Z", iv("week"), "2025-01-12T23:59:59.999Z")).toEqual({
      start: "2025-01-06T00:00:00.000Z",
      end: "2025-01-13T00:00:00.000Z"
    })
  })

  it("keeps the anchor's time of day at the boundary", () => {
    const anchor = "2025-01-31T10:30:00.000Z"
    expect(period(anchor, iv("month"), "2025-02-28T10:29:59.999Z")).toEqual({
      start: "2025-01-31T10:30:00.000Z",
      end: "2025-02-28T10:30:00.000Z"
    })
    expect(period(anchor, iv("month"), "2025-02-28T10:30:00.000Z")).toEqual({
      start: "2025-02-28T10:30:00.000Z",
      end: "2025-03-31T10:30:00.000Z"
    })
    // earlier on the anchor's day of month is still the previous period
    expect(period(anchor, iv("month"), "2025-03-31T09:00:00.000Z")).toEqual({
      start: "2025-02-28T10:30:00.000Z",
      end: "2025-03-31T10:30:00.000Z"
    })
  })

  it("works with anchors in the future (the period before the anchor)", () => {
    expect(period("2025-03-15T00:00:00.000Z", iv("month"), "2025-01-20T00:00:00.000Z")).toEqual({
      start: "2025-01-15T00:00:00.000Z",
      end: "2025-02-15T00:00:00.000Z"
    })
    expect(period("2025-03-31T00:00:00.000Z", iv("month"), "2025-02-10T00:00:00.000Z")).toEqual({
      start: "2025-01-31T00:00:00.000Z",
      end: "2025-02-28T00:00:00.000Z"
    })
    expect(period("2025-03-31T00:00:00.000Z", iv("month"), "2025-03-30T23:59:59.999Z")).toEqual({
      start: "2025-02-28T00:00:00.000Z",
      end: "2025-03-31T00:00:00.000Z"
    })
    expect(period("2026-01-15T00:00:00.000Z", iv("year"), "2024-06-01T00:00:00.000Z")).toEqual({
      start: "2024-01-15T00:00:00.000Z",
      end: "2025-01-15T00:00:00.000Z"
    })
    expect(period("2025-01-20T00:00:00.000Z", iv("week", 2), "2025-01-01T00:00:00.000Z")).toEqual({
      start: "2024-12-23T00:00:00.000Z",
      end: "2025-01-06T00:00:00.000Z"
    })
  })

  it("handles every unit and counts > 1", () => {
    const anchor = "2024-01-31T00:00:00.000Z"
    expect(period(anchor, iv("quarter"), "2024-05-01T00:00:00.000Z")).toEqual({
      start: "2024-04-30T00:00:00.000Z",
      end: "2024-07-31T00:00:00.000Z"
    })
    expect(period(anchor, iv("semi_annual"), "2024-12-01T00:00:00.000Z")).toEqual({
      start: "2024-07-31T00:00:00.000Z",
      end: "2025-01-31T00:00:00.000Z"
    })
    expect(period(anchor, iv("year"), "2025-01-30T00:00:00.000Z")).toEqual({
      start: "2024-01-31T00:00:00.000Z",
      end: "2025-01-31T00:00:00.000Z"
    })
    expect(period(anchor, iv("month", 2), "2024-04-15T00:00:00.000Z")).toEqual({
      start: "2024-03-31T00:00:00.000Z",
      end: "2024-05-31T00:00:00.000Z"
    })
    expect(period(anchor, iv("month", 2), "2024-03-30T00:00:00.000Z")).toEqual({
      start: "2024-01-31T00:00:00.000Z",
      end: "2024-03-31T00:00:00.000Z"
    })
    expect(period(anchor, iv("day"), "2024-02-10T05:00:00.000Z")).toEqual({
      start: "2024-02-10T00:00:00.000Z",
      end: "2024-02-11T00:00:00.000Z"
    })
    expect(period(anchor, iv("day", 3), "2024-02-04T00:00:00.000Z")).toEqual({
      start: "2024-02-03T00:00:00.000Z",
      end: "2024-02-06T00:00:00.000Z"
    })
    expect(period(anchor, iv("week"), "2024-02-14T00:00:00.000Z")).toEqual({
      start: "2024-02-14T00:00:00.000Z",
      end: "2024-02-21T00:00:00.000Z"
    })
  })

  it("finds periods far from the anchor", () => {
    expect(period("2000-01-31T00:00:00.000Z", iv("month"), "2100-02-28T12:00:00.000Z")).toEqual({
      start: "2100-02-28T00:00:00.000Z", // 2100 is not a leap year
      end: "2100-03-31T00:00:00.000Z"
    })
    expect(period("2100-01-31T00:00:00.000Z", iv("day"), "2000-02-29T12:00:00.000Z")).toEqual({
      start: "2000-02-29T00:00:00.000Z",
      end: "2000-03-01T00:00:00.000Z"
    })
  })
})

describe("Interval.addLength and addMonths", () => {
  it("adds days", () => {
    expect(iso(Interval.addLength(at("2025-03-01T00:00:00Z"), 7, "day"))).toBe("2025-03-08T00:00:00.000Z")
    expect(iso(Interval.addLength(at("2024-01-31T10:30:00Z"), 30, "day"))).toBe("2024-03-01T10:30:00.000Z")
    expect(iso(Interval.addLength(at("2025-01-31T10:30:00Z"), 30, "day"))).toBe("2025-03-02T10:30:00.000Z")
  })

  it("adds months with clamping", () => {
    expect(iso(Interval.addLength(at("2025-01-31T00:00:00Z"), 1, "month"))).toBe("2025-02-28T00:00:00.000Z")
    expect(iso(Interval.addLength(at("2024-01-31T10:30:00Z"), 1, "month"))).toBe("2024-02-29T10:30:00.000Z")
    expect(iso(Interval.addLength(at("2025-01-31T00:00:00Z"), 3, "month"))).toBe("2025-04-30T00:00:00.000Z")
    expect(iso(Interval.addLength(at("2025-10-31T00:00:00Z"), 4, "month"))).toBe("2026-02-28T00:00:00.000Z")
    expect(iso(Interval.addLength(at("2025-01-15T00:00:00Z"), 14, "month"))).toBe("2026-03-15T00:00:00.000Z")
  })

  it("adds years with clamping", () => {
    expect(iso(Interval.addLength(at("2024-02-29T00:00:00Z"), 1, "year"))).toBe("2025-02-28T00:00:00.000Z")
    expect(iso(Interval.addLength(at("2024-02-29T00:00:00Z"), 4, "year"))).toBe("2028-02-29T00:00:00.000Z")
    expect(iso(Interval.addLength(at("2024-02-29T00:00:00Z"), 76, "year"))).toBe("2100-02-28T00:00:00.000Z")
    expect(iso(Interval.addLength(at("2025-06-30T23:00:00Z"), 2, "year"))).toBe("2027-06-30T23:00:00.000Z")
  })

  it("addMonths goes backwards too", () => {
    expect(iso(Interval.addMonths(at("2024-03-31T00:00:00Z"), -1))).toBe("2024-02-29T00:00:00.000Z")
    expect(iso(Interval.addMonths(at("2024-01-15T00:00:00Z"), -13))).toBe("2022-12-15T00:00:00.000Z")
    expect(Interval.addMonths(at("2024-01-15T06:00:00Z"), 0)).toBe(at("2024-01-15T06:00:00Z"))
  })
})

describe("Interval.lengthInMonths and toIso", () => {
  it("is exact", () => {
    const eq = (a: Rational.Rational, b: Rational.Rational): boolean => Rational.compare(a, b) === 0
    expect(eq(Interval.lengthInMonths(iv("month")), Rational.fromInt(1))).toBe(true)
    expect(eq(Interval.lengthInMonths(iv("quarter", 2)), Rational.fromInt(6))).toBe(true)
    expect(eq(Interval.lengthInMonths(iv("semi_annual")), Rational.fromInt(6))).toBe(true)
    expect(eq(Interval.lengthInMonths(iv("year", 3)), Rational.fromInt(36))).toBe(true)
    expect(eq(Interval.lengthInMonths(iv("day", 365)), Rational.fromInt(12))).toBe(true)
    expect(eq(Interval.lengthInMonths(iv("week")), Rational.make(84n, 365n))).toBe(true)
  })

  it("formats UTC with milliseconds", () => {
    expect(Interval.toIso(0)).toBe("1970-01-01T00:00:00.000Z")
    expect(Interval.toIso(at("2025-01-16T10:30:00.5Z"))).toBe("2025-01-16T10:30:00.500Z")
  })
})

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

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

describe("Interval properties", () => {
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
