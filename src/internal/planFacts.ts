/**
 * The {@link PlanFacts} of a plan, worked out once when the catalog is decoded, and the price
 * reading they are made of (how a price is billed, its amount in a currency, the monthly total),
 * which `Pricing.ts` exports. The facts are filled into the plan object the normaliser builds, so
 * that a plan is made once rather than drafted and copied.
 *
 * @example
 * const facts = emptyFacts()
 * const plan: Plan = { ...fields, facts }
 * workOutFacts(plan, facts, ["usd"], { defaultCurrency: "usd" })
 */
import type { Catalog, Plan, PlanFacts, PlanPrice, PriceAmount, PriceInterval } from "../Catalog.ts"
import type { Interval } from "../Interval.ts"
import { lengthInMonths } from "../Interval.ts"
import * as Rational from "../Rational.ts"

/** How an item price is billed. */
export type BillingKind = "base" | "prepaid" | "allocated" | "arrears"

/** What prices in a currency depend on besides the price: the catalog's default currency. */
export type CurrencyContext = Pick<Catalog, "defaultCurrency">

/** Plan facts while they are worked out. */
export interface FactsInProgress {
  readonly prices: Array<PlanPrice>
  free: boolean
  oneOff: boolean
  readonly monthlyTotals: Map<string, Rational.Rational>
  readonly pricedIn: Set<string>
}

/**
 * Facts with nothing worked out yet, to put in a plan before {@link workOutFacts} fills them.
 *
 * @example emptyFacts().prices.length // 0
 */
export const emptyFacts = (): FactsInProgress => ({ prices: [], free: true, oneOff: false, monthlyTotals: new Map(), pricedIn: new Set() })

/**
 * Fills `facts`, the facts of `plan`, for the currencies the catalog prices in.
 *
 * @example workOutFacts(plan, facts, ["usd", "eur"], { defaultCurrency: "usd" }); facts.free // false
 */
export const workOutFacts = (plan: Plan, facts: FactsInProgress, currencies: Iterable<string>, catalog: CurrencyContext): PlanFacts => {
  const prices = facts.prices
  if (plan.price !== undefined) prices.push({ kind: "base", plan, price: plan.price })
  for (const item of plan.items) if (item.price !== undefined) prices.push({ kind: "item", plan, item, price: item.price })
  facts.free = !prices.some(priceIsNonZero)
  facts.oneOff = !facts.free && prices.every((p) => p.price.interval === "one_off")
  for (const currency of currencies) {
    facts.monthlyTotals.set(currency, sumMonthly(prices, currency, catalog))
    if (pricesChargeableIn(prices, currency, catalog)) facts.pricedIn.add(currency)
  }
  return facts
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

/** The recurring interval of a price, or undefined when it is one-off. @example recurringInterval("one_off") // undefined */
export const recurringInterval = (interval: PriceInterval): Interval | undefined =>
  interval === "one_off" ? undefined : interval

const amountIsNonZero = (a: PriceAmount): boolean =>
  a.amount.n !== 0n || [...a.currencies.values()].some((v) => v.n !== 0n)

const priceIsNonZero = (p: PlanPrice): boolean => {
  if (p.kind === "base") return amountIsNonZero(p.price)
  if (p.price.amount !== undefined) return amountIsNonZero(p.price.amount)
  return (p.price.tiers ?? []).some((t) => t.amount.n !== 0n || t.flatAmount.n !== 0n)
}

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
 * The monthly-normalised total of in-advance recurring prices in a currency, quantities ignored.
 *
 * @example sumMonthly(planPrices(annualPlan240), "usd", catalog) // 20/1
 */
export const sumMonthly = (prices: ReadonlyArray<PlanPrice>, currency: string, catalog: CurrencyContext): Rational.Rational => {
  let total = Rational.zero
  for (const p of prices) {
    const interval = recurringInterval(p.price.interval)
    if (interval === undefined || billingKind(p) === "arrears") continue
    total = Rational.add(total, Rational.div(comparisonRate(p, currency, catalog), lengthInMonths(interval)))
  }
  return total
}
