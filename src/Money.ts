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

/**
 * A lower-case ISO 4217 code such as `usd`.
 * @example const currency: Currency = "eur"
 */
export type Currency = string

declare const MinorBrand: unique symbol

/**
 * An integer amount in minor units of some currency (cents for usd, yen for jpy). Made by
 * {@link round} or {@link toMinor} from an exact amount, the only places money is rounded, or by
 * {@link minor} from an integer that already is one (a document's amount, a sum of amounts).
 *
 * @example const cents: Minor = Money.minor(1549n)
 */
export type Minor = bigint & { readonly [MinorBrand]: "Minor" }

/**
 * An amount of money: integer minor units and their currency.
 *
 * @example Money.make(Money.minor(1549n), "usd") // { minor: 1549n, currency: "usd" }
 */
export interface Money {
  readonly minor: Minor
  readonly currency: Currency
}

/**
 * An amount of money from its minor units and currency.
 *
 * @example Money.format(Money.make(Money.minor(-1032n), "usd")) // "-$10.32"
 */
export const make = (amount: Minor, currency: Currency): Money => ({ minor: amount, currency })

/**
 * An integer already in minor units (a document's amount, a sum or difference of amounts), as
 * {@link Minor}. It does not round: an exact amount becomes minor units only through {@link round}.
 *
 * @example Money.minor(2000) // 2000n
 */
export const minor = (units: bigint | number): Minor => (typeof units === "bigint" ? units : BigInt(units)) as Minor

/** Zero minor units. @example Money.zero // 0n */
export const zero: Minor = minor(0n)

/**
 * The sum of amounts in minor units.
 *
 * @example Money.sum([Money.minor(1000n), Money.minor(549n)]) // 1549n
 */
export const sum = (amounts: Iterable<Minor>): Minor => {
  let total = 0n
  for (const a of amounts) total += a
  return total as Minor
}

/**
 * Rounds an exact amount in minor units to whole minor units, half away from zero: the one
 * rounding of money in this library (each invoice line is rounded once, here).
 *
 * @example Money.round(Rational.make(3n, 2n)) // 2n; Money.round(Rational.make(-3n, 2n)) // -2n
 */
export const round = (exactMinor: Rational.Rational): Minor => Rational.roundHalfAwayFromZero(exactMinor) as Minor

/**
 * Formats an amount of money for people (see {@link formatMinor}).
 *
 * @example Money.format(Money.make(Money.minor(1549n), "usd")) // "$15.49"
 */
export const format = (money: Money): string => formatMinor(money.minor, money.currency)

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
export const exponentOf = (currency: Currency): 0 | 2 | 3 => exponentOfCode(normalizeCurrency(currency))

const exponentOfCode = (code: Currency): 0 | 2 | 3 => (ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2)

const SCALES: Readonly<Record<0 | 2 | 3, Rational.Rational>> = { 0: Rational.fromBigInt(1n), 2: Rational.fromBigInt(100n), 3: Rational.fromBigInt(1000n) }

/**
 * A currency with what its minor units are: its code, its exponent and the factor from major to
 * minor units. An attach works out the unit of its invoice's currency once, when it is resolved,
 * and the stages read it from there (the code is looked up in the tables once, not at every line).
 *
 * @example Money.currencyUnit("JPY") // { code: "jpy", exponent: 0, minorPerMajor: { n: 1n, d: 1n } }
 */
export interface CurrencyUnit {
  readonly code: Currency
  readonly exponent: 0 | 2 | 3
  readonly minorPerMajor: Rational.Rational
}

/**
 * The unit of a currency code (normalised to lower case).
 *
 * @example Money.currencyUnit("kwd").exponent // 3
 */
export const currencyUnit = (currency: Currency): CurrencyUnit => {
  const code = normalizeCurrency(currency)
  const exponent = exponentOfCode(code)
  return { code, exponent, minorPerMajor: SCALES[exponent] }
}

/**
 * The factor from major to minor units (`100` for usd, `1` for jpy).
 *
 * @example Money.minorPerMajor("usd") // { n: 100n, d: 1n }
 */
export const minorPerMajor = (currency: Currency): Rational.Rational => SCALES[exponentOf(currency)]

/**
 * An exact amount in major units, rounded once (half away from zero, by {@link round}) to minor
 * units of a currency, given by its code or its {@link CurrencyUnit}.
 *
 * @example Money.toMinor(Rational.make(2000n, 3n), "usd") // 66667n
 */
export const toMinor = (major: Rational.Rational, currency: Currency | CurrencyUnit): Minor =>
  round(Rational.mul(major, typeof currency === "string" ? minorPerMajor(currency) : currency.minorPerMajor))

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
