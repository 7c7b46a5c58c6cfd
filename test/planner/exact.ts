/**
 * What the tier and pricing tests (tiers.test.ts, pricing.test.ts) share: exact rationals compared
 * against the decimals worked out by hand, and the plans and prices of a decoded catalog.
 *
 * @example
 * expectExact(tierPrice(itemPrice(cat, "graduated", "messages"), 250, "usd", cat), "17.50")
 */
import { expect } from "vitest"
import { type Catalog, type ItemPrice, type Plan, findPlan } from "../../src/Catalog.ts"
import * as Rational from "../../src/Rational.ts"

/** An exact rational from a decimal string ("17.5" → 175/10). */
const dec = (s: string): Rational.Rational => {
  const negative = s.startsWith("-")
  const [whole = "0", frac = ""] = (negative ? s.slice(1) : s).split(".")
  const n = BigInt(whole + frac)
  return Rational.make(negative ? -n : n, 10n ** BigInt(frac.length))
}

/**
 * Whether two rationals are the same number.
 *
 * @example
 * same(Rational.make(1n, 2n), Rational.make(2n, 4n)) // true
 */
export const same = (a: Rational.Rational, b: Rational.Rational): boolean => Rational.compare(a, b) === 0

/**
 * Asserts an exact rational equals a decimal, and shows both on failure.
 *
 * @example
 * expectExact(Rational.make(35n, 2n), "17.50")
 */
export const expectExact = (actual: Rational.Rational, expected: string): void => {
  expect(same(actual, dec(expected)), `${actual.n}/${actual.d} should be ${expected}`).toBe(true)
}

/**
 * A plan of a decoded catalog, which the test must hold.
 *
 * @example
 * planOf(cat, "pro").id // "pro"
 */
export const planOf = (cat: Catalog, id: string, version?: number): Plan => {
  const p = findPlan(cat, id, version)
  if (p === undefined) throw new Error(`no plan ${id}`)
  return p
}

/**
 * The price of a feature's item on a plan of a decoded catalog, which the test must hold.
 *
 * @example
 * itemPrice(cat, "graduated", "messages").tiers
 */
export const itemPrice = (cat: Catalog, planId: string, featureId: string): ItemPrice => {
  const price = planOf(cat, planId).items.find((i) => i.featureId === featureId)?.price
  if (price === undefined) throw new Error(`no price for ${featureId} on ${planId}`)
  return price
}
