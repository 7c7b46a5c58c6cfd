/**
 * Exact rational numbers over bigint: the arithmetic under every money amount.
 *
 * Every division in the engine goes through {@link roundHalfAwayFromZero}, the one rounding
 * function; everything before it is exact.
 *
 * @example
 * import { Rational } from "attach-planner"
 * const third = Rational.make(1n, 3n)
 * Rational.roundHalfAwayFromZero(Rational.mul(third, Rational.fromBigInt(2000n))) // 667n
 */

/** An exact fraction `n / d` with `d > 0`, not necessarily reduced. */
export interface Rational {
  readonly n: bigint
  readonly d: bigint
}

/**
 * Builds a rational; a negative denominator moves its sign to the numerator.
 *
 * @example
 * Rational.make(3n, -4n) // { n: -3n, d: 4n }
 */
export const make = (n: bigint, d: bigint): Rational => (d < 0n ? { n: -n, d: -d } : { n, d })

/** @example Rational.zero.n // 0n */
export const zero: Rational = { n: 0n, d: 1n }
/** @example Rational.one.n // 1n */
export const one: Rational = { n: 1n, d: 1n }

/** @example Rational.fromBigInt(5n) // { n: 5n, d: 1n } */
export const fromBigInt = (n: bigint): Rational => ({ n, d: 1n })

/** @example Rational.fromInt(5) // { n: 5n, d: 1n } */
export const fromInt = (n: number): Rational => ({ n: BigInt(n), d: 1n })

/** @example Rational.add(Rational.make(1n, 2n), Rational.make(1n, 3n)) // 5/6 */
export const add = (a: Rational, b: Rational): Rational =>
  a.d === b.d ? { n: a.n + b.n, d: a.d } : { n: a.n * b.d + b.n * a.d, d: a.d * b.d }

/** @example Rational.sub(Rational.one, Rational.make(1n, 4n)) // 3/4 */
export const sub = (a: Rational, b: Rational): Rational =>
  a.d === b.d ? { n: a.n - b.n, d: a.d } : { n: a.n * b.d - b.n * a.d, d: a.d * b.d }

/** @example Rational.mul(Rational.make(1n, 2n), Rational.make(2n, 3n)) // 2/6 */
export const mul = (a: Rational, b: Rational): Rational =>
  // Most factors are whole (prices, quantities): no bigint product for a denominator of 1.
  ({ n: a.n * b.n, d: b.d === 1n ? a.d : a.d === 1n ? b.d : a.d * b.d })

/** Division by a non-zero rational. @example Rational.div(Rational.one, Rational.fromInt(4)) // 1/4 */
export const div = (a: Rational, b: Rational): Rational => make(a.n * b.d, a.d * b.n)

/** @example Rational.negate(Rational.one) // -1/1 */
export const negate = (a: Rational): Rational => ({ n: -a.n, d: a.d })

/** @example Rational.compare(Rational.make(1n, 3n), Rational.make(1n, 2n)) // -1 */
export const compare = (a: Rational, b: Rational): -1 | 0 | 1 => {
  if (a.d === b.d) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0
  const l = a.n * b.d
  const r = b.n * a.d
  return l < r ? -1 : l > r ? 1 : 0
}

/** @example Rational.isZero(Rational.zero) // true */
export const isZero = (a: Rational): boolean => a.n === 0n

/**
 * The one rounding function of the engine: to the nearest integer, halves away from zero
 * (decimal.js `ROUND_HALF_UP`).
 *
 * @example
 * Rational.roundHalfAwayFromZero(Rational.make(5n, 2n))  // 3n
 * Rational.roundHalfAwayFromZero(Rational.make(-5n, 2n)) // -3n
 */
export const roundHalfAwayFromZero = (a: Rational): bigint => {
  if (a.d === 1n) return a.n
  const negative = a.n < 0n
  const abs = negative ? -a.n : a.n
  const q = (2n * abs + a.d) / (2n * a.d)
  return negative ? -q : q
}

/**
 * Rounds up to the next integer (used for whole packs, never for money).
 *
 * @example Rational.ceil(Rational.make(7n, 2n)) // 4n
 */
export const ceil = (a: Rational): bigint => {
  if (a.d === 1n) return a.n
  const q = a.n / a.d
  return a.n > 0n && q * a.d !== a.n ? q + 1n : q
}

/** Rounds down (toward −∞). @example Rational.floor(Rational.make(-7n, 2n)) // -4n */
export const floor = (a: Rational): bigint => {
  if (a.d === 1n) return a.n
  const q = a.n / a.d
  return a.n < 0n && q * a.d !== a.n ? q - 1n : q
}
