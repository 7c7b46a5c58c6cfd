/**
 * The fields that the generated catalog, customer and request documents share: ids, texts,
 * currencies and intervals.
 *
 * @example
 * fc.sample(idArb, 1) // e.g. ["über-plan"]
 */
import fc from "fast-check"
import { decimalDocArb } from "../amounts.ts"
import { opt } from "./optional.ts"

/** Ids, names and descriptions, including unicode and spaces. */
export const idArb = fc.oneof(fc.constantFrom("pro", "team", "free", "ws_1", "über-plan", "計画", "a b"), fc.string({ minLength: 1, maxLength: 8 }))
/** Names and descriptions, including unicode and the empty text. */
export const textArb = fc.oneof(fc.constantFrom("Pro", "Équipe", "🚀 Rocket", ""), fc.string({ maxLength: 12 }))

/** A currency code in any case, one of them unknown to ISO 4217. */
export const currencyArb = fc.constantFrom("usd", "USD", "eur", "Jpy", "kwd", "xyz")
/** A price's amounts in other currencies, or none. */
export const currenciesArb = opt(fc.dictionary(fc.constantFrom("eur", "GBP", "jpy", "kwd"), decimalDocArb, { maxKeys: 3 }))
/** An interval unit as a document states it. */
export const unitArb = fc.constantFrom("day", "week", "month", "quarter", "semi_annual", "year")
/** A price's interval: a unit, or one_off one time in six. */
export const priceIntervalArb = fc.oneof({ weight: 5, arbitrary: unitArb }, { weight: 1, arbitrary: fc.constant("one_off") })
