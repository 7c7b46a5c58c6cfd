/** The civil-date arithmetic of Interval.addMonths agrees with a Date-based reference everywhere. */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { addMonths } from "../../src/Interval.ts"

const reference = (instant: number, months: number): number => {
  const d = new Date(instant)
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months
  const year = Math.floor(total / 12)
  const month = total - year * 12
  const last = new Date(0)
  last.setUTCFullYear(year, month + 1, 0)
  const day = Math.min(d.getUTCDate(), last.getUTCDate())
  const out = new Date(0)
  out.setUTCFullYear(year, month, day)
  const midnight = new Date(0)
  midnight.setUTCFullYear(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  return out.getTime() + (instant - midnight.getTime())
}

describe("addMonths", () => {
  it("matches the Date-based reference for instants from year -2000 to 4000", () => {
    const min = Date.UTC(-2000, 0, 1)
    const max = Date.UTC(4000, 0, 1)
    fc.assert(
      fc.property(fc.integer({ min, max }), fc.integer({ min: -3000, max: 3000 }), (t, m) => {
        expect(addMonths(t, m)).toBe(reference(t, m))
      }),
      { seed: 1123, numRuns: 5000 }
    )
  })

  it("keeps years 0–99 as they are (Date.UTC would move them to 1900–1999)", () => {
    const t = new Date(0).setUTCFullYear(50, 0, 31)
    expect(new Date(addMonths(t, 1)).getUTCFullYear()).toBe(50)
    expect(new Date(addMonths(t, 1)).getUTCDate()).toBe(28)
  })
})
