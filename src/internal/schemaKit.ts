import * as Schema from "effect/Schema"
import { withPlainChecks } from "./compiledSchema.ts"
import { decimalSign } from "./decimalText.ts"

export { parseDecimal } from "./decimalText.ts"

/** Whether a value is a decimal amount ≥ 0, as a string or number (the checks of {@link DecimalAmount}), read once. */
export const isDecimalAmount = (u: unknown): boolean =>
  (typeof u === "string" || typeof u === "number") && decimalSign(u) === "non-negative"

/** A non-negative decimal amount in major units, as a JSON string (preferred) or number. */
export const DecimalAmount = withPlainChecks(
  Schema.Union([Schema.String, Schema.Number]).annotate({ expected: "a decimal" }).check(
    Schema.makeFilter((s: string | number) => decimalSign(s) !== "not a decimal", { expected: "a decimal" }),
    Schema.makeFilter((s: string | number) => decimalSign(s) !== "negative", { expected: "a non-negative amount" })
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
