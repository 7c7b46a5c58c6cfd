/**
 * Cached conversions between ISO-8601 strings and epoch milliseconds. The same anchors and
 * period boundaries recur across lines and across customers, and `Date.parse` /
 * `toISOString` dominate the planner's cost without a cache. The caches are bounded.
 */
const LIMIT = 20_000
const parsed = new Map<string, number>()
const printed = new Map<number, string>()

/** Epoch milliseconds of an ISO-8601 instant (validated at decoding). */
export const ms = (iso: string): number => {
  let t = parsed.get(iso)
  if (t === undefined) {
    t = Date.parse(iso)
    if (parsed.size >= LIMIT) parsed.clear()
    parsed.set(iso, t)
  }
  return t
}

/** The document form of an instant: UTC, millisecond precision. */
export const iso = (t: number): string => {
  let s = printed.get(t)
  if (s === undefined) {
    s = new Date(t).toISOString()
    if (printed.size >= LIMIT) printed.clear()
    printed.set(t, s)
  }
  return s
}
