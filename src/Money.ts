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

const scaleCache = new Map<Currency, Rational.Rational>()

/**
 * The factor from major to minor units (`100` for usd, `1` for jpy).
 *
 * @example Money.minorPerMajor("usd") // { n: 100n, d: 1n }
 */
export const minorPerMajor = (currency: Currency): Rational.Rational => {
  let scale = scaleCache.get(currency)
  if (scale === undefined) {
    scale = Rational.fromBigInt(10n ** BigInt(exponentOf(currency)))
    scaleCache.set(currency, scale)
  }
  return scale
}

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
