/**
 * The reading of a decimal amount's text: where its significant digits are and how many places
 * they have, found by one scan without building a number. Both readers of a catalog amount start
 * from it — the decoder's checks ({@link decimalSign}: is it a decimal, is it negative) and the
 * normaliser ({@link parseDecimal}: the exact rational) — so they cannot disagree on which texts
 * are decimals, and only the normaliser builds a bigint.
 *
 * @example
 * decimalSign("19.99") // "non-negative"
 * parseDecimal("19.99") // { n: 1999n, d: 100n }
 */
import * as Rational from "../Rational.ts"

const DECIMAL_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/
const MAX_PLACES = 12

/** A decimal's significant digits, as indexes into a text of digits with at most one dot. */
interface Reading {
  readonly negative: boolean
  readonly text: string
  /** Index of the first non-zero digit. */
  readonly first: number
  /** Index of the last non-zero digit. */
  readonly last: number
  /** Index of the dot, or -1. */
  readonly dot: number
  readonly count: number
  readonly places: number
}

const NOT_A_DECIMAL = "not a decimal"
const ZERO = "zero"

/**
 * Reads `text[from..]`, digits with at most one dot, scaled by 10^exponent; undefined when any
 * other character occurs (the caller then tries {@link DECIMAL_TEXT}).
 */
const scanDigits = (text: string, from: number, negative: boolean, exponent: number): Reading | typeof NOT_A_DECIMAL | typeof ZERO | undefined => {
  let dot = -1
  let first = -1
  let last = -1
  let digits = 0
  let whole = 0
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 46 && dot === -1) {
      dot = i
      whole = digits
    } else if (c < 48 || c > 57) return undefined
    else {
      if (c !== 48) {
        if (first === -1) first = i
        last = i
      }
      digits++
    }
  }
  if (digits === 0) return NOT_A_DECIMAL
  if (first === -1) return ZERO
  if (dot === -1) whole = digits
  const lastIndex = last - from - (dot !== -1 && dot < last ? 1 : 0)
  const count = lastIndex - (first - from - (dot !== -1 && dot < first ? 1 : 0)) + 1
  return { negative, text, first, last, dot, count, places: lastIndex + 1 - whole - exponent }
}

/** The reading of a text in the form {@link DECIMAL_TEXT} accepts but the plain scan does not (spaces, an exponent). */
const readWithExponent = (text: string): Reading | typeof NOT_A_DECIMAL | typeof ZERO => {
  const m = DECIMAL_TEXT.exec(text)
  if (m === null) return NOT_A_DECIMAL
  const exponent = m[4]
  const huge = exponent !== undefined && exponent.replace(/^[+-]?0*/, "").length > 6
  const reading = scanDigits(`${m[2] ?? ""}.${m[3] ?? ""}`, 0, m[1] === "-", huge || exponent === undefined ? 0 : Number(exponent)) ?? NOT_A_DECIMAL
  return huge && typeof reading !== "string" ? NOT_A_DECIMAL : reading
}

/**
 * What a text reads as, within the bounds of {@link parseDecimal}: more than twelve places or
 * more than 1e15 in magnitude is no decimal. At most 1e15 is fifteen integer digits, or sixteen
 * when the digits are a single 1 (the significant digits have no trailing zero).
 */
const read = (text: string): Reading | typeof NOT_A_DECIMAL | typeof ZERO => {
  const first = text.charCodeAt(0)
  const sign = first === 45 || first === 43 ? 1 : 0
  const r = scanDigits(text, sign, first === 45, 0) ?? readWithExponent(text)
  if (typeof r === "string") return r
  const integerDigits = r.count - r.places
  if (r.places > MAX_PLACES || integerDigits > 16) return NOT_A_DECIMAL
  return integerDigits === 16 && (r.count !== 1 || r.text.charCodeAt(r.first) !== 49) ? NOT_A_DECIMAL : r
}

const textOf = (input: string | number): string | undefined =>
  typeof input === "string" ? input : Number.isFinite(input) ? input.toString() : undefined

/**
 * Whether a string or number is a decimal (see {@link parseDecimal}) and of which sign, without
 * building its rational: the decoder's checks of an amount.
 *
 * @example
 * decimalSign("-2.5") // "negative"
 * decimalSign("-0") // "non-negative"
 * decimalSign("1e-13") // "not a decimal"
 */
export const decimalSign = (input: string | number): "negative" | "non-negative" | typeof NOT_A_DECIMAL => {
  const text = textOf(input)
  const r = text === undefined ? NOT_A_DECIMAL : read(text)
  return r === NOT_A_DECIMAL ? NOT_A_DECIMAL : r !== ZERO && r.negative ? "negative" : "non-negative"
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a
  let y = b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

const significantDigits = (r: Reading): string =>
  r.dot > r.first && r.dot < r.last ? r.text.slice(r.first, r.dot) + r.text.slice(r.dot + 1, r.last + 1) : r.text.slice(r.first, r.last + 1)

// A stream of documents carrying one catalog repeats the same few texts: the rational is kept
// by text. Rationals are immutable, so one may stand for every equal amount.
const MAX_CACHED_TEXT = 40
const MAX_CACHED_TEXTS = 4096
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
  const text = textOf(input)
  if (text === undefined) return undefined
  if (text.length > MAX_CACHED_TEXT) return rationalOf(text)
  const known = parsedTexts.get(text)
  if (known !== undefined) return known === NOT_A_DECIMAL ? undefined : known
  if (parsedTexts.size >= MAX_CACHED_TEXTS) parsedTexts.clear()
  const parsed = rationalOf(text)
  parsedTexts.set(text, parsed ?? NOT_A_DECIMAL)
  return parsed
}

const rationalOf = (text: string): Rational.Rational | undefined => {
  const r = read(text)
  if (r === NOT_A_DECIMAL) return undefined
  if (r === ZERO) return Rational.zero
  const digits = BigInt(significantDigits(r))
  const n = r.negative ? -digits : digits
  const scale = 10n ** BigInt(Math.abs(r.places))
  if (r.places <= 0) return Rational.make(n * scale, 1n)
  const common = gcd(n, scale)
  return Rational.make(n / common, scale / common)
}
