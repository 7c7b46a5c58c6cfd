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
import type { Catalog, Plan, PlanPrice, PriceAmount, PriceInterval } from "./Catalog.ts"
import type { Interval } from "./Interval.ts"
import { lengthInMonths } from "./Interval.ts"
import * as Rational from "./Rational.ts"

export type { PlanFacts, PlanPrice } from "./Catalog.ts"

/** How an item price is billed. */
export type BillingKind = "base" | "prepaid" | "allocated" | "arrears"

/** What prices in a currency depend on besides the price: the catalog's default currency. */
export type CurrencyContext = Pick<Catalog, "defaultCurrency">

/**
 * Every price of a plan, base first, then items in catalog order.
 *
 * @example planPrices(pro).length // 2 for a base price and one priced item
 */
export const planPrices = (plan: Plan): ReadonlyArray<PlanPrice> => plan.facts.prices

/**
 * A plan with its {@link PlanFacts} worked out for the currencies the catalog prices in: made
 * once when the catalog is decoded, from the plan without its facts.
 *
 * @example preparePlan(draft, ["usd", "eur"], { defaultCurrency: "usd" }).facts.free // false
 */
export const preparePlan = (draft: Omit<Plan, "facts">, currencies: Iterable<string>, catalog: CurrencyContext): Plan => {
  const prices: Array<PlanPrice> = []
  const facts = { prices, free: true, oneOff: false, monthlyTotals: new Map<string, Rational.Rational>(), pricedIn: new Set<string>() }
  const plan: Plan = { ...draft, facts }
  if (plan.price !== undefined) prices.push({ kind: "base", plan, price: plan.price })
  for (const item of plan.items) if (item.price !== undefined) prices.push({ kind: "item", plan, item, price: item.price })
  facts.free = !prices.some(priceIsNonZero)
  facts.oneOff = !facts.free && prices.every((p) => p.price.interval === "one_off")
  for (const currency of currencies) {
    facts.monthlyTotals.set(currency, sumMonthly(prices, currency, catalog))
    if (pricesChargeableIn(prices, currency, catalog)) facts.pricedIn.add(currency)
  }
  return plan
}

/**
 * How a price is billed: the base price and prepaid items in advance, non-consumable usage-based
 * items in advance on the units held ("allocated"), consumable usage-based items in arrears.
 *
 * @example billingKind(planPrices(pro)[0]) // "base"
 */
export const billingKind = (p: PlanPrice): BillingKind => {
  if (p.kind === "base") return "base"
  if (p.price.billingMethod === "prepaid") return "prepaid"
  return p.item.feature.consumable ? "arrears" : "allocated"
}

/** The recurring interval of a price, or undefined when it is one-off. */
export const recurringInterval = (interval: PriceInterval): Interval | undefined =>
  interval === "one_off" ? undefined : interval

const amountIsNonZero = (a: PriceAmount): boolean =>
  a.amount.n !== 0n || [...a.currencies.values()].some((v) => v.n !== 0n)

const priceIsNonZero = (p: PlanPrice): boolean => {
  if (p.kind === "base") return amountIsNonZero(p.price)
  if (p.price.amount !== undefined) return amountIsNonZero(p.price.amount)
  return (p.price.tiers ?? []).some((t) => t.amount.n !== 0n || t.flatAmount.n !== 0n)
}

/** A plan is free when none of its prices has a non-zero amount. @example isFree(freePlan) // true */
export const isFree = (plan: Plan): boolean => plan.facts.free

/** One-off: not free and every price is `one_off`. @example isOneOff(creditsPack) // true */
export const isOneOff = (plan: Plan): boolean => plan.facts.oneOff

/** Recurring: neither free nor one-off. @example isRecurring(pro) // true */
export const isRecurring = (plan: Plan): boolean => !plan.facts.free && !plan.facts.oneOff

/**
 * The amount of a price in a currency: the catalog amount in the default currency, or its
 * per-currency override; `undefined` when the price has no amount in that currency (a zero
 * amount is valid in every currency).
 *
 * @example amountIn(pro.price, "eur", catalog) // 18/1 when currencies: { eur: "18" }
 */
export const amountIn = (a: PriceAmount, currency: string, catalog: CurrencyContext): Rational.Rational | undefined => {
  const override = a.currencies.get(currency)
  if (override !== undefined) return override
  if (currency === catalog.defaultCurrency || a.amount.n === 0n) return a.amount
  return undefined
}

/**
 * Whether every price of a plan can be charged in a currency (tiered prices are priced in the
 * catalog's default currency only).
 *
 * @example pricedIn(pro, "eur") // false without an eur amount
 */
export const pricedIn = (plan: Plan, currency: string): boolean => plan.facts.free || plan.facts.pricedIn.has(currency)

const pricesChargeableIn = (prices: ReadonlyArray<PlanPrice>, currency: string, catalog: CurrencyContext): boolean =>
  prices.every((p) => {
    if (!priceIsNonZero(p)) return true
    if (p.kind === "base") return amountIn(p.price, currency, catalog) !== undefined
    if (p.price.amount !== undefined) return amountIn(p.price.amount, currency, catalog) !== undefined
    return currency === catalog.defaultCurrency
  })

/**
 * The per-pack rate used to compare plans: a flat amount, or the first tier's amount.
 *
 * @example comparisonRate(itemPrice, "usd", catalog) // 10/1
 */
const comparisonRate = (p: PlanPrice, currency: string, catalog: CurrencyContext): Rational.Rational => {
  if (p.kind === "base") return amountIn(p.price, currency, catalog) ?? p.price.amount
  if (p.price.amount !== undefined) return amountIn(p.price.amount, currency, catalog) ?? p.price.amount.amount
  return p.price.tiers?.[0]?.amount ?? Rational.zero
}

/**
 * The monthly-normalised total of a plan's in-advance recurring prices, quantities ignored
 * (docs/spec.md §6 `isUpgrade` rule 5): each amount divided by its interval in months.
 *
 * @example monthlyTotal(annualPlan240, "usd", catalog) // 20/1
 */
export const monthlyTotal = (plan: Plan, currency: string, catalog: CurrencyContext): Rational.Rational =>
  plan.facts.monthlyTotals.get(currency) ?? sumMonthly(plan.facts.prices, currency, catalog)

const sumMonthly = (prices: ReadonlyArray<PlanPrice>, currency: string, catalog: CurrencyContext): Rational.Rational => {
  let total = Rational.zero
  for (const p of prices) {
    const interval = recurringInterval(p.price.interval)
    if (interval === undefined || billingKind(p) === "arrears") continue
    total = Rational.add(total, Rational.div(comparisonRate(p, currency, catalog), lengthInMonths(interval)))
  }
  return total
}

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
