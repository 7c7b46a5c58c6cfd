import { describe, expect, it } from "vitest"
import { formatMismatches, partialMatch } from "./partialMatch.ts"

const paths = (expected: unknown, actual: unknown): Array<string> => partialMatch(expected, actual).map((m) => m.path)

describe("partialMatch: objects, null and arrays", () => {
  it("accepts extra fields in objects (partial match)", () => {
    expect(partialMatch({ total: 1549 }, { total: 1549, subtotal: 1549, lines: [] })).toEqual([])
    expect(partialMatch({}, { anything: 1 })).toEqual([])
  })

  it("fails on a different value, naming its path", () => {
    const m = partialMatch({ total: 1549 }, { total: 1548 })
    expect(m).toHaveLength(1)
    expect(formatMismatches(m)).toBe("$.total: expected 1549, got 1548")
  })

  it("fails on a missing field", () => {
    expect(paths({ nextCycle: { total: 5000 } }, { nextCycle: {} })).toEqual(["$.nextCycle.total"])
    expect(paths({ trialEndsAt: null }, {})).toEqual(["$.trialEndsAt"])
  })

  it("distinguishes null from a value and from an object", () => {
    expect(paths({ nextCycle: null }, { nextCycle: { total: 0 } })).toEqual(["$.nextCycle"])
    expect(paths({ nextCycle: { total: 0 } }, { nextCycle: null })).toEqual(["$.nextCycle"])
    expect(partialMatch({ nextCycle: null }, { nextCycle: null })).toEqual([])
  })

  it("requires arrays of exactly the same length, matched in order", () => {
    expect(paths({ lines: [] }, { lines: [{ kind: "charge" }] })).toEqual(["$.lines"])
    expect(paths({ lines: [{ kind: "charge" }] }, { lines: [] })).toEqual(["$.lines"])
    expect(paths({ lines: [{ kind: "credit" }, { kind: "charge" }] }, { lines: [{ kind: "charge" }, { kind: "credit" }] }))
      .toEqual(["$.lines[0].kind", "$.lines[1].kind"])
    expect(partialMatch({ lines: [{ kind: "credit" }, { kind: "charge", amount: 2581 }] },
      { lines: [{ kind: "credit", amount: -1032 }, { kind: "charge", amount: 2581, total: 2581 }] })).toEqual([])
    expect(paths({ lines: [] }, { lines: "none" })).toEqual(["$.lines"])
  })
})

describe("partialMatch: instants, strings, tags, tolerance, numbers, booleans, and every mismatch reported", () => {
  it("compares instants as instants", () => {
    expect(partialMatch({ startsAt: "2025-02-01T00:00:00Z" }, { startsAt: "2025-02-01T00:00:00.000Z" })).toEqual([])
    expect(partialMatch({ startsAt: "2025-02-01T01:00:00+01:00" }, { startsAt: "2025-02-01T00:00:00.000Z" })).toEqual([])
    expect(paths({ startsAt: "2025-02-01T00:00:00Z" }, { startsAt: "2025-02-01T00:00:00.001Z" })).toEqual(["$.startsAt"])
    expect(paths({ startsAt: "2025-02-01T00:00:00Z" }, { startsAt: "soon" })).toEqual(["$.startsAt"])
    expect(paths({ startsAt: "2025-02-01T00:00:00Z" }, { startsAt: null })).toEqual(["$.startsAt"])
  })

  it("compares other strings exactly", () => {
    expect(paths({ scenario: "upgrade" }, { scenario: "Upgrade" })).toEqual(["$.scenario"])
    expect(paths({ currency: "jpy" }, { currency: "usd" })).toEqual(["$.currency"])
  })

  it("accepts any tag of a _tag array, and only those", () => {
    expect(partialMatch({ error: { _tag: ["UnknownPlan", "DecodeError"] } }, { error: { _tag: "DecodeError", message: "x" } })).toEqual([])
    expect(paths({ error: { _tag: ["UnknownPlan", "DecodeError"] } }, { error: { _tag: "InvalidRequest" } })).toEqual(["$.error._tag"])
    expect(paths({ error: { _tag: "UnknownPlan" } }, { customerId: "cus_1" })).toEqual(["$.error"])
  })

  it("applies totalTolerance to total only", () => {
    expect(partialMatch({ total: 100, totalTolerance: 1 }, { total: 101 })).toEqual([])
    expect(partialMatch({ total: 100, totalTolerance: 1 }, { total: 99 })).toEqual([])
    expect(paths({ total: 100, totalTolerance: 1 }, { total: 102 })).toEqual(["$.total"])
    expect(paths({ total: 100, subtotal: 100, totalTolerance: 1 }, { total: 100, subtotal: 101 })).toEqual(["$.subtotal"])
    expect(paths({ total: 100 }, { total: 101 })).toEqual(["$.total"])
    expect(partialMatch({ nextCycle: { total: 5000, totalTolerance: 1 } }, { nextCycle: { total: 4999 } })).toEqual([])
  })

  it("compares numbers by value, not by representation or type", () => {
    expect(partialMatch({ amount: 2000 }, { amount: 2000.0 })).toEqual([])
    expect(partialMatch({ amount: 2000 }, { amount: 2000n })).toEqual([])
    expect(paths({ amount: 2000 }, { amount: "2000" })).toEqual(["$.amount"])
    expect(paths({ amount: 0 }, { amount: null })).toEqual(["$.amount"])
  })

  it("compares booleans and null strictly", () => {
    expect(paths({ hasPaymentMethod: false }, { hasPaymentMethod: 0 })).toEqual(["$.hasPaymentMethod"])
    expect(paths({ replaces: null }, { replaces: "pro" })).toEqual(["$.replaces"])
  })

  it("reports every mismatch, not only the first", () => {
    const m = partialMatch({ scenario: "upgrade", total: 1549, lines: [{ amount: -1032 }] }, { scenario: "new", total: 2000, lines: [{ amount: 0 }] })
    expect(m.map((x) => x.path)).toEqual(["$.scenario", "$.total", "$.lines[0].amount"])
  })
})
