/**
 * What the Autumn product import tests (products.test.ts, products-errors.test.ts) share: the
 * Autumn products of fixtures/autumn/, and the DecodeError an import must fail with.
 *
 * @example
 * importError(CHECKOUT_PRO, { defaultCurrency: "euro" }).path // "options.defaultCurrency"
 */
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import { importAutumnCatalog } from "../../src/autumn/Products.ts"
import type { DecodeError } from "../../src/Errors.ts"

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/autumn/${name}`, import.meta.url), "utf8"))

/**
 * The `product` of the response example in Autumn's checkout documentation, verbatim:
 * https://docs.useautumn.com/api-reference/core/checkout (also docs-v1.useautumn.com).
 * A `pro` product: $20 per month, 100 messages included, then $0.10 per message, pay per use.
 *
 * @example
 * importAutumnCatalog(CHECKOUT_PRO) // a catalog with plan pro
 */
export const CHECKOUT_PRO = fixture("checkout-pro-v1.json")
/**
 * A v2 plan as autumn-js 1.x's Plan response has it: $49/month, 3 seats included, prepaid tiered seats, 14-day trial.
 *
 * @example
 * importAutumnCatalog(TEAM_V2, { features: FEATURES }) // a catalog with plan team
 */
export const TEAM_V2 = fixture("team-seats-v2.json")
/**
 * Autumn's features list (GET /v1/features), v1 types.
 *
 * @example
 * importAutumnCatalog({ products: [CHECKOUT_PRO], features: FEATURES })
 */
export const FEATURES = fixture("features-v1.json")

/**
 * The DecodeError importing `products` fails with; a catalog fails the test.
 *
 * @example
 * importError(42).message // "(document): expected an Autumn product, …"
 */
export const importError = (products: unknown, options = {}): DecodeError => {
  const r = importAutumnCatalog(products, options)
  if (Result.isSuccess(r)) throw new Error("expected a DecodeError, got a catalog")
  return r.failure
}
