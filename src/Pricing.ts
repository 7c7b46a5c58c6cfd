/**
 * Prices of a plan: which prices it has, what they cost in a currency, tier pricing with billing
 * units (docs/spec.md §8.2), and the plan classes free / one-off / recurring (docs/spec.md §3).
 *
 * All amounts here are exact rationals in major units; rounding happens once per line elsewhere.
 *
 * @example
 * import { Pricing } from "attach-planner"
 * // tiers [≤100 @0.10, ≤500 @0.05, ∞ @0.02]: graduated 250 units → 17.50
 */
import type { Plan, PlanPrice } from "./Catalog.ts"
import { lengthInMonths } from "./Interval.ts"
import { billingKind, type CurrencyContext, emptyFacts, recurringInterval, sumMonthly, workOutFacts } from "./internal/planFacts.ts"
import * as Rational from "./Rational.ts"

export type { PlanFacts, PlanPrice } from "./Catalog.ts"
export { amountIn, type BillingKind, billingKind, type CurrencyContext, recurringInterval } from "./internal/planFacts.ts"

/**
 * Every price of a plan, base first, then items in catalog order.
 *
 * @example planPrices(pro).length // 2 for a base price and one priced item
 */
export const planPrices = (plan: Plan): ReadonlyArray<PlanPrice> => plan.facts.prices

/**
 * A plan with its {@link PlanFacts} worked out for the currencies the catalog prices in, from the
 * plan without its facts (the decoder builds its plans with their facts instead).
 *
 * @example preparePlan(draft, ["usd", "eur"], { defaultCurrency: "usd" }).facts.free // false
 */
export const preparePlan = (draft: Omit<Plan, "facts">, currencies: Iterable<string>, catalog: CurrencyContext): Plan => {
  const facts = emptyFacts()
  const plan: Plan = { ...draft, facts }
  workOutFacts(plan, facts, currencies, catalog)
  return plan
}

/** A plan is free when none of its prices has a non-zero amount. @example isFree(freePlan) // true */
export const isFree = (plan: Plan): boolean => plan.facts.free

/** One-off: not free and every price is `one_off`. @example isOneOff(creditsPack) // true */
export const isOneOff = (plan: Plan): boolean => plan.facts.oneOff

/** Recurring: neither free nor one-off. @example isRecurring(pro) // true */
export const isRecurring = (plan: Plan): boolean => !plan.facts.free && !plan.facts.oneOff

/**
 * Whether every price of a plan can be charged in a currency (tiered prices are priced in the
 * catalog's default currency only).
 *
 * @example pricedIn(pro, "eur") // false without an eur amount
 */
export const pricedIn = (plan: Plan, currency: string): boolean => plan.facts.free || plan.facts.pricedIn.has(currency)

/**
 * The monthly-normalised total of a plan's in-advance recurring prices, quantities ignored
 * (docs/spec.md §6 `isUpgrade` rule 5): each amount divided by its interval in months.
 *
 * @example monthlyTotal(annualPlan240, "usd", catalog) // 20/1
 */
export const monthlyTotal = (plan: Plan, currency: string, catalog: CurrencyContext): Rational.Rational =>
  plan.facts.monthlyTotals.get(currency) ?? sumMonthly(plan.facts.prices, currency, catalog)

/**
 * The longest recurring interval of a plan, in months (0 when it has none).
 *
 * @example longestInterval(annualPlan) // 12/1
 */
export const longestInterval = (plan: Plan): Rational.Rational => {
  let longest = Rational.zero
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval === undefined) continue
    const months = lengthInMonths(interval)
    if (Rational.compare(months, longest) > 0) longest = months
  }
  return longest
}

/**
 * Whether every price of a plan is a consumable usage-based price (billed in arrears).
 *
 * @example allArrears(payAsYouGo) // true
 */
export const allArrears = (plan: Plan): boolean => {
  const prices = planPrices(plan)
  return prices.length > 0 && prices.every((p) => billingKind(p) === "arrears")
}
