import { Decimal } from "decimal.js"
import * as Schema from "effect/Schema"
import * as Rational from "../Rational.ts"

/** Parses a decimal given as a string or number into an exact rational, or undefined. */
export const parseDecimal = (input: string | number): Rational.Rational | undefined => {
  if (typeof input === "number" && !Number.isFinite(input)) return undefined
  if (typeof input === "string" && !/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(input)) return undefined
  let d: Decimal
  try {
    d = new Decimal(typeof input === "number" ? input.toString() : input.trim())
  } catch {
    return undefined
  }
  if (!d.isFinite() || d.abs().gt("1e15") || (d.decimalPlaces() ?? 0) > 12) return undefined
  const [n, den] = d.toFraction()
  if (n === undefined || den === undefined) return undefined
  return Rational.make(BigInt(n.toFixed(0)), BigInt(den.toFixed(0)))
}

/** A non-negative decimal amount in major units, as a JSON string (preferred) or number. */
export const DecimalAmount = Schema.Union([Schema.String, Schema.Number]).annotate({ expected: "a decimal" }).check(
  Schema.makeFilter((s: string | number) => parseDecimal(s) !== undefined, { expected: "a decimal" }),
  Schema.makeFilter((s: string | number) => (parseDecimal(s)?.n ?? 0n) >= 0n, { expected: "a non-negative amount" })
)

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/

/** Parses an ISO-8601 instant (UTC or with an offset) into epoch milliseconds. */
export const parseInstant = (s: string): number => Date.parse(s)

/** Whether the calendar fields exist: `Date.parse` silently rolls "2025-02-30" over to March 2. */
const isRealDateTime = (s: string): boolean => {
  const year = Number(s.slice(0, 4))
  const month = Number(s.slice(5, 7))
  const day = Number(s.slice(8, 10))
  const hour = s.length > 10 ? Number(s.slice(11, 13)) : 0
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23
}

/** An ISO-8601 instant string. */
export const Instant = Schema.String.check(
  Schema.makeFilter((s: string) => ISO_INSTANT.test(s) && isRealDateTime(s) && !Number.isNaN(Date.parse(s)), {
    expected: "an ISO-8601 instant such as 2025-01-16T00:00:00Z"
  })
)

/** A whole number ≥ 1. */
export const PositiveInt = Schema.Int.check(Schema.makeFilter((n: number) => n >= 1, { expected: "an integer ≥ 1" }))
/** A whole number ≥ 0. */
export const NonNegativeInt = Schema.Int.check(Schema.makeFilter((n: number) => n >= 0 && n <= Number.MAX_SAFE_INTEGER, { expected: "a safe integer ≥ 0" }))
/** A finite number ≥ 0. */
export const NonNegativeNumber = Schema.Finite.check(Schema.makeFilter((n: number) => n >= 0 && n <= 1e15, { expected: "a number ≥ 0 (at most 1e15)" }))
/** A non-empty identifier. */
export const Id = Schema.String.check(Schema.makeFilter((s: string) => s.length > 0 && s.length <= 512, { expected: "a non-empty id (at most 512 characters)" }))

export const IntervalUnitSchema = Schema.Literals(["day", "week", "month", "quarter", "semi_annual", "year"])
export const PriceIntervalSchema = Schema.Literals(["day", "week", "month", "quarter", "semi_annual", "year", "one_off"])
export const CurrencyCode = Schema.String.check(
  Schema.makeFilter((s: string) => /^[A-Za-z]{3}$/.test(s), { expected: "a 3-letter ISO 4217 currency code" })
)
