/**
 * The instants and intervals the Interval tests are written in: ISO texts in, ISO texts out, so a
 * failing case reads as the calendar dates it is about.
 *
 * @example
 * boundaries("2024-01-31T00:00:00.000Z", iv("month"), [1]) // ["2024-02-29T00:00:00.000Z"]
 */
import * as Interval from "../../src/Interval.ts"
import { iso } from "../support/build.ts"

/** The instant of an ISO text (a text that is no instant is a bug of the test). */
export const at = (iso: string): number => {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) throw new Error(`bad test instant ${iso}`)
  return t
}
/** The interval of `count` units. */
export const iv = (unit: Interval.IntervalUnit, count = 1): Interval.Interval => ({ unit, count })
/** The k-th boundaries from the anchor, for each k of `ks`, as ISO texts. */
export const boundaries = (anchor: string, interval: Interval.Interval, ks: ReadonlyArray<number>): Array<string> =>
  ks.map((k) => iso(Interval.boundary(at(anchor), interval, k)))
/** The period around `t`, its ends as ISO texts. */
export const period = (anchor: string, interval: Interval.Interval, t: string): { start: string; end: string } => {
  const p = Interval.periodAt(at(anchor), interval, at(t))
  return { start: iso(p.start), end: iso(p.end) }
}
