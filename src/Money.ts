/**
 * Currencies, their minor-unit exponents, and conversion of exact major-unit amounts to
 * integer minor units.
 *
 * @example
 * import { Money } from "attach-planner"
 * Money.exponentOf("jpy") // 0
 * Money.formatMinor(1549n, "usd") // "$15.49"
 */
import * as Rational from "./Rational.ts"

/** A lower-case ISO 4217 code such as `usd`. */
export type Currency = string

const ZERO_DECIMAL = new Set([
  "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
  "xaf", "xof", "xpf"
])
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"])

/**
 * Normalises a currency code to lower case.
 *
 * @example Money.normalizeCurrency("USD") // "usd"
 */
export const normalizeCurrency = (code: string): Currency => code.toLowerCase()

/**
 * The number of minor-unit digits of a currency: 0, 3, or 2 for every other code.
 *
 * @example Money.exponentOf("kwd") // 3
 */
export const exponentOf = (currency: Currency): 0 | 2 | 3 => {
  const code = normalizeCurrency(currency)
  return ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2
}

const SCALES: Readonly<Record<0 | 2 | 3, Rational.Rational>> = { 0: Rational.fromBigInt(1n), 2: Rational.fromBigInt(100n), 3: Rational.fromBigInt(1000n) }

/**
 * The factor from major to minor units (`100` for usd, `1` for jpy).
 *
 * @example Money.minorPerMajor("usd") // { n: 100n, d: 1n }
 */
export const minorPerMajor = (currency: Currency): Rational.Rational => SCALES[exponentOf(currency)]

/**
 * An exact amount in major units, rounded once (half away from zero) to minor units.
 *
 * @example Money.toMinor(Rational.make(2000n, 3n), "usd") // 66667n
 */
export const toMinor = (major: Rational.Rational, currency: Currency): bigint =>
  Rational.roundHalfAwayFromZero(Rational.mul(major, minorPerMajor(currency)))

/**
 * Formats integer minor units for people: `$15.49`, `¥1,548`, `-€3.00`, `12.345 KWD`.
 *
 * @example Money.formatMinor(-1032n, "usd") // "-$10.32"
 */
export const formatMinor = (minor: bigint | number, currency: Currency): string => {
  const value = BigInt(minor)
  const exponent = exponentOf(currency)
  const abs = value < 0n ? -value : value
  const scale = 10n ** BigInt(exponent)
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  const frac = exponent === 0 ? "" : "." + (abs % scale).toString().padStart(exponent, "0")
  const symbol = Object.hasOwn(SYMBOLS, normalizeCurrency(currency)) ? SYMBOLS[normalizeCurrency(currency)] : undefined
  const body = symbol === undefined ? `${whole}${frac} ${currency.toUpperCase()}` : `${symbol}${whole}${frac}`
  return value < 0n ? `-${body}` : body
}

const SYMBOLS: Record<string, string> = { usd: "$", eur: "€", gbp: "£", jpy: "¥", inr: "₹", krw: "₩" }

/**
 * Allocates `total` minor units (≥ 0) across non-negative `weights` by largest remainder: each
 * part starts at the floor of its exact share `total × weight / Σweights`, then the units left
 * over go one each to the largest remainders; equal remainders go in index order (the earlier
 * weight first), so the result depends on nothing but its arguments. The parts sum to `total`,
 * each lies within one minor unit of its exact share, and a zero weight gets zero. When every
 * weight is zero there is nothing to be proportional to and every part is zero.
 *
 * @example
 * import { Money } from "attach-planner"
 * Money.allocate(100n, [1n, 1n, 1n]) // [34n, 33n, 33n]
 * Money.allocate(1000n, [2000n, 1000n]) // [667n, 333n]
 * Money.allocate(5n, [0n, 3n]) // [0n, 5n]
 */
export const allocate = (total: bigint, weights: ReadonlyArray<bigint>): Array<bigint> => {
  const sum = weights.reduce((a, b) => a + b, 0n)
  if (sum <= 0n) return weights.map(() => 0n)
  const parts = weights.map((w) => (total * w) / sum)
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % sum }))
  let left = total - parts.reduce((a, b) => a + b, 0n)
  remainders.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i))
  for (const { i } of remainders) {
    if (left <= 0n) break
    parts[i] = (parts[i] ?? 0n) + 1n
    left--
  }
  return parts
}
