import { describe, expect, it } from "vitest"
import { iv, period } from "./intervalCases.ts"

describe("Interval.periodAt: the period around an instant", () => {
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
})

describe("Interval.periodAt: anchors after the instant and far from it", () => {
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

describe("Interval.periodAt: every unit", () => {
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
})
