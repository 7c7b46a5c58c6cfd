/**
 * Conversions between ISO-8601 strings and epoch milliseconds, as `Date.parse` and
 * `toISOString` do them, but computed with civil-date arithmetic for the document form
 * (`YYYY-MM-DDTHH:MM:SS[.sss]Z`, years 0–9999); anything else goes to `Date` itself. A document's
 * instants are parsed once, when its subscriptions' facts are decoded; printed instants are kept
 * in a small direct-mapped cache (the same boundaries are printed by many lines).
 */
import { DAY_MS, civilFromDays, daysFromCivil, daysInMonth } from "./civil.ts"

const ZERO = 48

/** The value of the two or more digits at `[from, to)`, or -1 when one is not a digit. */
const digits = (s: string, from: number, to: number): number => {
  let n = 0
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - ZERO
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

/** Epoch milliseconds of the document form, or NaN when the text is not exactly that form. */
const parseDocumentForm = (s: string): number => {
  const length = s.length
  if (length !== 20 && length !== 24) return Number.NaN
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || s.charCodeAt(10) !== 0x54 || s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a || s.charCodeAt(length - 1) !== 0x5a) return Number.NaN
  if (length === 24 && s.charCodeAt(19) !== 0x2e) return Number.NaN
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 7)
  const day = digits(s, 8, 10)
  const hour = digits(s, 11, 13)
  const minute = digits(s, 14, 16)
  const second = digits(s, 17, 19)
  const milli = length === 24 ? digits(s, 20, 23) : 0
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return Number.NaN
  if (day > daysInMonth(year, month)) return Number.NaN
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
}

declare const EpochMsBrand: unique symbol

/**
 * An instant as epoch milliseconds, decoded from a document's ISO text (by {@link ms}) or computed
 * from decoded instants (by {@link epochMs}); a plain number (a count, an amount) is not one.
 */
export type EpochMs = number & { readonly [EpochMsBrand]: "EpochMs" }

/** An instant the calendar arithmetic computed (a period's end, a trial's end), as an {@link EpochMs}. */
export const epochMs = (t: number): EpochMs => t as EpochMs

/** The later of two instants. @example later(epochMs(1), epochMs(2)) // 2 */
export const later = (a: EpochMs, b: EpochMs): EpochMs => (a >= b ? a : b)

/** The earlier of two instants. @example earlier(epochMs(1), epochMs(2)) // 1 */
export const earlier = (a: EpochMs, b: EpochMs): EpochMs => (a <= b ? a : b)

/** Epoch milliseconds of an ISO-8601 instant (validated at decoding). */
export const ms = (iso: string): EpochMs => {
  const t = parseDocumentForm(iso)
  return (Number.isNaN(t) ? Date.parse(iso) : t) as EpochMs
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"))
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"))
/** Instants of years 0–9999, the range `toISOString` prints without a sign. */
const FIRST = -62_167_219_200_000
const LAST = 253_402_300_799_999

/**
 * An instant a computation reached past the end of year 9999 (or no instant at all): documents
 * cannot hold it. Thrown by {@link iso} within {@link documentInstants} (the planner), which
 * returns it as a tagged error; elsewhere `iso` prints what `toISOString` prints.
 */
export class InstantOutOfRange extends RangeError {
  constructor(readonly t: number) {
    super(`a computed instant falls after 9999-12-31T23:59:59.999Z (${Number.isFinite(t) ? `${Math.round(t)} ms after 1970` : String(t)}); documents hold years 1970–9999`)
  }
}

let strict = 0

/**
 * Runs `f` with instants held to the document's years: an {@link iso} past 9999 throws
 * {@link InstantOutOfRange} instead of printing `+010000-…`.
 */
export const documentInstants = <A>(f: () => A): A => {
  strict++
  try {
    return f()
  } finally {
    strict--
  }
}

const format = (t: number): string => {
  if (!Number.isInteger(t) || t < FIRST || t > LAST) return new Date(t).toISOString()
  const days = Math.floor(t / DAY_MS)
  let rest = t - days * DAY_MS
  const civil = civilFromDays(days)
  const hour = Math.floor(rest / 3_600_000)
  rest -= hour * 3_600_000
  const minute = Math.floor(rest / 60_000)
  rest -= minute * 60_000
  const second = Math.floor(rest / 1000)
  const year = civil.year
  return `${TWO[Math.floor(year / 100)] as string}${TWO[year % 100] as string}-${TWO[civil.month] as string}-${TWO[civil.day] as string}T${TWO[hour] as string}:${TWO[minute] as string}:${TWO[second] as string}.${THREE[rest - second * 1000] as string}Z`
}

const SLOTS = 4096
const printedAt = new Float64Array(SLOTS).fill(Number.NaN)
const printed: Array<string> = new Array<string>(SLOTS).fill("")

/** The document form of an instant: UTC, millisecond precision (`toISOString`). */
export const iso = (t: number): string => {
  // Before the cache: an out-of-range instant printed outside the planner may be cached.
  if (strict > 0 && !(t <= LAST)) throw new InstantOutOfRange(t)
  const slot = (Math.floor(t / 1000) ^ Math.floor(t / 86_400_000)) & (SLOTS - 1)
  if (printedAt[slot] === t) return printed[slot] as string
  const s = format(t)
  printedAt[slot] = t
  printed[slot] = s
  return s
}
