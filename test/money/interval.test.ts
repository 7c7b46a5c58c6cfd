import { describe, expect, it } from "vitest"
import * as Interval from "../../src/Interval.ts"
import * as Rational from "../../src/Rational.ts"
import { DAY, iso } from "../support/build.ts"
import { at, boundaries, iv } from "./intervalCases.ts"

// The periods around an instant are in intervalPeriods.test.ts, the laws over generated anchors in intervalProperties.test.ts.

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

  it("every 2 months from Dec 31: Feb 29, Apr 30, Jun 30, Aug 31", () => {
    expect(boundaries("2023-12-31T00:00:00.000Z", iv("month", 2), [1, 2, 3, 4])).toEqual([
      "2024-02-29T00:00:00.000Z",
      "2024-04-30T00:00:00.000Z",
      "2024-06-30T00:00:00.000Z",
      "2024-08-31T00:00:00.000Z"
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
})

describe("Interval.boundary — months clamp from the anchor, never chained: quarters, half years and years", () => {
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
})

describe("Interval.boundary — months clamp from the anchor, never chained: days, weeks, the time of day and early years", () => {
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
