/**
 * The civil-arithmetic instants of `src/internal/instants.ts` against `Date`, which they replace on
 * the hot path: `ms` must equal `Date.parse` and `iso` must equal `toISOString` for every input,
 * including texts that are not in the document form (they go to `Date`). Fixed seed.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { documentInstants, InstantOutOfRange, iso, ms } from "../../src/internal/instants.ts"

const RUNS = { seed: 20251123, numRuns: 3000 } as const
const MAX = 8.64e15

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** Texts close to the document form: valid ones, rolled-over days, hour 24, odd fractions. */
const textArb = fc.record({
  year: fc.integer({ min: 0, max: 9999 }),
  month: fc.integer({ min: 0, max: 13 }),
  day: fc.integer({ min: 0, max: 32 }),
  hour: fc.integer({ min: 0, max: 25 }),
  minute: fc.integer({ min: 0, max: 60 }),
  second: fc.integer({ min: 0, max: 60 }),
  fraction: fc.constantFrom("", ".000", ".5", ".25", ".123", ".9999", "."),
  zone: fc.constantFrom("Z", "Z", "z", "+00:00", "+01:30", "")
}).map((f) => `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${f.fraction}${f.zone}`)

describe("ms", () => {
  it("equals Date.parse on texts in and near the document form", () => {
    fc.assert(fc.property(textArb, (text) => {
      expect(Object.is(ms(text), Date.parse(text))).toBe(true)
    }), RUNS)
  })

  it("equals Date.parse on the printed form of any instant, and on other texts", () => {
    fc.assert(fc.property(fc.integer({ min: -MAX, max: MAX }), fc.string(), (t, junk) => {
      const text = new Date(t).toISOString()
      expect(ms(text)).toBe(t)
      expect(Object.is(ms(junk), Date.parse(junk))).toBe(true)
    }), RUNS)
  })

  it("reads a known instant", () => {
    // 2025-01-16 is day 20,104 after 1970-01-01: 20,104 × 86,400,000 ms, plus 10:20:30.456.
    expect(ms("2025-01-16T10:20:30.456Z")).toBe(20_104 * 86_400_000 + 37_230_456)
    expect(ms("2025-02-30T00:00:00Z")).toBe(Date.parse("2025-02-30T00:00:00Z"))
  })
})

describe("iso", () => {
  it("equals toISOString for every instant a Date holds, twice in a row (cached)", () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ min: -MAX, max: MAX }), fc.integer({ min: -62_167_219_200_010, max: -62_167_219_199_990 }), fc.integer({ min: 253_402_300_799_990, max: 253_402_300_800_010 })), (t) => {
      expect(iso(t)).toBe(new Date(t).toISOString())
      expect(iso(t)).toBe(new Date(t).toISOString())
    }), RUNS)
  })

  it("throws like toISOString on an invalid instant", () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError)
  })

  it("within the planner (documentInstants), refuses an instant past the end of year 9999", () => {
    const last = 253_402_300_799_999
    expect(documentInstants(() => iso(last))).toBe("9999-12-31T23:59:59.999Z")
    for (const t of [last + 1, last + 10, MAX]) expect(() => documentInstants(() => iso(t))).toThrow(InstantOutOfRange)
    expect(iso(last + 1)).toBe(new Date(last + 1).toISOString())
  })
})
