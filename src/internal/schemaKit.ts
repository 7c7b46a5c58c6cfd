import * as Schema from "effect/Schema"
import * as Rational from "../Rational.ts"
import { withPlainChecks } from "./compiledSchema.ts"

const DECIMAL_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/
const MAX_PLACES = 12
const LIMIT = 10n ** 15n

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a
  let y = b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

// Every amount is read twice when a catalog is decoded (the decoder's check, then the
// normaliser), and a stream of documents carrying one catalog repeats the same few texts: the
// reading is kept by text. Rationals are immutable, so one may stand for every equal amount.
const MAX_CACHED_TEXT = 40
const MAX_CACHED_TEXTS = 4096
const NOT_A_DECIMAL = "not a decimal"
const parsedTexts = new Map<string, Rational.Rational | typeof NOT_A_DECIMAL>()

/**
 * Parses a decimal given as a string or number into an exact rational in lowest terms, or
 * undefined: not a decimal, not finite, more than 1e15 in magnitude or more than twelve decimal
 * places (trailing zeros do not count). A number is read from its shortest round-trip text, so
 * `0.1` is exactly one tenth. Integer arithmetic only.
 *
 * @example
 * parseDecimal("19.99") // { n: 1999n, d: 100n }
 * parseDecimal(0.5) // { n: 1n, d: 2n }
 * parseDecimal("1e-13") // undefined (thirteen places)
 */
export const parseDecimal = (input: string | number): Rational.Rational | undefined => {
  if (typeof input === "number" && !Number.isFinite(input)) return undefined
  const text = typeof input === "number" ? input.toString() : input
  if (text.length > MAX_CACHED_TEXT) return parseText(text)
  const known = parsedTexts.get(text)
  if (known !== undefined) return known === NOT_A_DECIMAL ? undefined : known
  if (parsedTexts.size >= MAX_CACHED_TEXTS) parsedTexts.clear()
  const parsed = parseText(text)
  parsedTexts.set(text, parsed ?? NOT_A_DECIMAL)
  return parsed
}

const parseText = (text: string): Rational.Rational | undefined => {
  const plain = plainParts(text)
  if (plain !== undefined) return fromParts(plain.negative, plain.whole, plain.fraction, undefined)
  const m = DECIMAL_TEXT.exec(text)
  return m === null ? undefined : fromParts(m[1] === "-", m[2] ?? "", m[3] ?? "", m[4])
}

/**
 * The sign, whole and fraction digits of the common form `[+-]digits[.digits]` (no spaces, no
 * exponent) without the regular expression, or undefined for any other text, which
 * {@link DECIMAL_TEXT} then reads: the parts are the ones that expression captures.
 */
const plainParts = (text: string): { readonly negative: boolean; readonly whole: string; readonly fraction: string } | undefined => {
  const first = text.charCodeAt(0)
  const start = first === 45 || first === 43 ? 1 : 0
  let dot = -1
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 46 && dot === -1) dot = i
    else if (c < 48 || c > 57) return undefined
  }
  if (dot === -1) return { negative: first === 45, whole: text.slice(start), fraction: "" }
  return { negative: first === 45, whole: text.slice(start, dot), fraction: text.slice(dot + 1) }
}

const isAllZeros = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false
  return true
}

/** The rational of the captured parts of a decimal's text (see {@link parseDecimal}). */
const fromParts = (negative: boolean, whole: string, fraction: string, exponent: string | undefined): Rational.Rational | undefined => {
  if (whole === "" && fraction === "") return undefined
  if (exponent !== undefined && exponent.replace(/^[+-]?0*/, "").length > 6) return isAllZeros(whole + fraction) ? Rational.zero : undefined
  const all = whole + fraction
  let end = all.length
  while (end > 0 && all.charCodeAt(end - 1) === 48) end--
  let begin = 0
  while (begin < end && all.charCodeAt(begin) === 48) begin++
  const digits = all.slice(begin, end)
  const places = fraction.length - (exponent === undefined ? 0 : Number(exponent)) - (all.length - end)
  if (digits === "") return Rational.zero
  // Twelve places at most and 1e15 at most leave no room for more significant digits than this.
  if (places > MAX_PLACES || digits.length - places > 16 || digits.length > 28) return undefined
  return fromDigits(negative, BigInt(digits), places)
}

const fromDigits = (negative: boolean, digits: bigint, places: number): Rational.Rational | undefined => {
  const scale = 10n ** BigInt(Math.abs(places))
  const n = negative ? -digits : digits
  if (places <= 0) return digits * scale > LIMIT ? undefined : Rational.make(n * scale, 1n)
  if (digits > LIMIT * scale) return undefined
  const common = gcd(n, scale)
  return Rational.make(n / common, scale / common)
}

/** Whether a value is a decimal amount ≥ 0, as a string or number (the checks of {@link DecimalAmount}), read once. */
export const isDecimalAmount = (u: unknown): boolean => {
  if (typeof u !== "string" && typeof u !== "number") return false
  const r = parseDecimal(u)
  return r !== undefined && r.n >= 0n
}

/** A non-negative decimal amount in major units, as a JSON string (preferred) or number. */
export const DecimalAmount = withPlainChecks(
  Schema.Union([Schema.String, Schema.Number]).annotate({ expected: "a decimal" }).check(
    Schema.makeFilter((s: string | number) => parseDecimal(s) !== undefined, { expected: "a decimal" }),
    Schema.makeFilter((s: string | number) => (parseDecimal(s)?.n ?? 0n) >= 0n, { expected: "a non-negative amount" })
  ),
  isDecimalAmount
)

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/

/** Parses an ISO-8601 instant (UTC or with an offset) into epoch milliseconds. */
export const parseInstant = (s: string): number => Date.parse(s)

/**
 * Whether the calendar fields exist: `Date.parse` silently rolls "2025-02-30" over to March 2.
 * Runs after {@link ISO_INSTANT} matched, so the digits are where it reads them.
 */
const isRealDateTime = (s: string): boolean => {
  const digit = (i: number): number => s.charCodeAt(i) - 48
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
  const month = digit(5) * 10 + digit(6)
  const day = digit(8) * 10 + digit(9)
  const hour = s.length > 10 ? digit(11) * 10 + digit(12) : 0
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23
}

/** Instants of the years 1970–9999, the range every computed instant must also stay in. */
const inDocumentYears = (t: number): boolean => t >= 0 && t <= 253_402_300_799_999

// A document often repeats an instant (a subscription's billingAnchor and startedAt). Starts
// unset: an empty string is no instant, even before the first one is seen.
let lastInstant: string | undefined

const isInstantForm = (s: string): boolean => ISO_INSTANT.test(s) && isRealDateTime(s) && !Number.isNaN(Date.parse(s))

/** Whether a string is an ISO-8601 instant with real calendar fields, of the years 1970–9999 (the checks of {@link Instant}). */
export const isInstant = (s: string): boolean => {
  if (s === lastInstant) return true
  const ok = isInstantForm(s) && inDocumentYears(Date.parse(s))
  if (ok) lastInstant = s
  return ok
}

/** An ISO-8601 instant string of the years 1970–9999 (a malformed one is reported by the first check only). */
export const Instant = withPlainChecks(
  Schema.String.check(
    Schema.makeFilter(isInstantForm, { expected: "an ISO-8601 instant such as 2025-01-16T00:00:00Z" }),
    Schema.makeFilter((s: string) => !isInstantForm(s) || inDocumentYears(Date.parse(s)), { expected: "an instant of the years 1970–9999" })
  ),
  (u) => typeof u === "string" && isInstantForm(u) && inDocumentYears(Date.parse(u))
)

// The predicates below are the plain checks the compiled decoders (`internal/compiledSchema.ts`)
// run for the schemas that follow them: each accepts exactly the values its schema accepts (the
// string ones are the schemas' own filters), so a fast decode never succeeds where Schema would fail.

/** Whether a value is a safe integer ≥ 1 (the check of {@link PositiveInt}). */
export const isPositiveInt = (u: unknown): u is number => typeof u === "number" && Number.isSafeInteger(u) && u >= 1
/** Whether a value is a safe integer ≥ 0 (the check of {@link NonNegativeInt}). */
export const isNonNegativeInt = (u: unknown): u is number => typeof u === "number" && Number.isSafeInteger(u) && u >= 0
/** Whether a value is a finite number from 0 to 1e15 (the check of {@link NonNegativeNumber}). */
export const isNonNegativeNumber = (u: unknown): u is number => typeof u === "number" && Number.isFinite(u) && u >= 0 && u <= 1e15
/** Whether a value is a whole quantity from 0 to 1e15 (the check of {@link Quantity}). */
export const isQuantity = (u: unknown): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0 && u <= 1e15
/** Whether a value is a non-empty id of at most 512 characters (the check of {@link Id}). */
export const isId = (u: unknown): u is string => typeof u === "string" && u.length > 0 && u.length <= 512
/** Whether a string is a 3-letter currency code (the check of {@link CurrencyCode}). */
export const isCurrencyCode = (s: string): boolean => /^[A-Za-z]{3}$/.test(s)

/** A whole number ≥ 1. */
export const PositiveInt = withPlainChecks(Schema.Int.check(Schema.makeFilter((n: number) => n >= 1, { expected: "an integer ≥ 1" })), isPositiveInt)
/** A whole number ≥ 0. */
export const NonNegativeInt = withPlainChecks(Schema.Int.check(Schema.makeFilter((n: number) => n >= 0 && n <= Number.MAX_SAFE_INTEGER, { expected: "a safe integer ≥ 0" })), isNonNegativeInt)
/** A finite number ≥ 0. */
export const NonNegativeNumber = withPlainChecks(Schema.Finite.check(Schema.makeFilter((n: number) => n >= 0 && n <= 1e15, { expected: "a number ≥ 0 (at most 1e15)" })), isNonNegativeNumber)
/** A whole quantity of a feature (seats are not fractional), 0 to 1e15. */
export const Quantity = withPlainChecks(Schema.Int.check(Schema.makeFilter((n: number) => n >= 0 && n <= 1e15, { expected: "a whole number ≥ 0 (at most 1e15)" })), isQuantity)
/** A non-empty identifier. */
export const Id = withPlainChecks(Schema.String.check(Schema.makeFilter(isId, { expected: "a non-empty id (at most 512 characters)" })), isId)

export const IntervalUnitSchema = Schema.Literals(["day", "week", "month", "quarter", "semi_annual", "year"])
export const PriceIntervalSchema = Schema.Literals(["day", "week", "month", "quarter", "semi_annual", "year", "one_off"])
export const CurrencyCode = withPlainChecks(Schema.String.check(
  Schema.makeFilter(isCurrencyCode, { expected: "a 3-letter ISO 4217 currency code" })
), (u) => typeof u === "string" && isCurrencyCode(u))
