/**
 * Instants for the property suites: epoch milliseconds between 2015 and ~2035, and the ISO-8601
 * texts a document states them in.
 *
 * @example
 * fc.sample(anchorAndAtArb, 1) // [{ anchor, at }] with anchor ≤ at ≤ anchor + 3 years
 */
import fc from "fast-check"
import { DAY } from "../build.ts"

const BASE = Date.parse("2015-01-01T00:00:00Z")

/** An instant between 2015 and ~2035 (ms precision). */
export const instantArb = fc.tuple(fc.integer({ min: 0, max: 7300 }), fc.integer({ min: 0, max: DAY - 1 }))
  .map(([d, ms]) => BASE + d * DAY + ms)

/** An anchor and an instant at or after it, up to three years later. */
export const anchorAndAtArb = fc.tuple(instantArb, fc.integer({ min: 0, max: 3 * 365 }), fc.integer({ min: 0, max: DAY - 1 }))
  .map(([anchor, d, ms]) => ({ anchor, at: anchor + d * DAY + ms }))

/** An instant in one of the ISO-8601 forms the decoder accepts. */
export const instantDocArb: fc.Arbitrary<string> = fc.tuple(instantArb, fc.integer({ min: 0, max: 4 })).map(([t, form]) => {
  const s = new Date(t).toISOString()
  switch (form) {
    case 0: return s
    case 1: return s.slice(0, 10)
    case 2: return `${s.slice(0, 16)}Z`
    case 3: return `${s.slice(0, 19)}+01:00`
    default: return `${s.slice(0, 23)}000-0230`
  }
})
