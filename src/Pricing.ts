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
import type { BasePrice, Catalog, ItemPrice, Plan, PlanItem, PriceAmount, PriceInterval, Tier } from "./Catalog.ts"
import type { Interval } from "./Interval.ts"
import { lengthInMonths } from "./Interval.ts"
import * as Rational from "./Rational.ts"

/** One price of a plan: its base price, or the price of one of its items. */
export type PlanPrice =
  | { readonly kind: "base"; readonly plan: Plan; readonly price: BasePrice }
  | { readonly kind: "item"; readonly plan: Plan; readonly item: PlanItem; readonly price: ItemPrice }

/** How an item price is billed. */
export type BillingKind = "base" | "prepaid" | "allocated" | "arrears"

/**
 * Every price of a plan, base first, then items in catalog order.
 *
 * @example planPrices(pro).length // 2 for a base price and one priced item
 */
export const planPrices = (plan: Plan): ReadonlyArray<PlanPrice> => factsOf(plan).prices

/** What the planner asks of a plan again and again, computed once per (immutable) catalog plan. */
interface PlanFacts {
  readonly prices: ReadonlyArray<PlanPrice>
  readonly free: boolean
  readonly oneOff: boolean
  /** {@link monthlyTotal} by currency (and the catalog's default currency), filled on demand. */
  monthly?: Map<string, Rational.Rational>
  /** {@link pricedIn} by currency (and the catalog's default currency), filled on demand. */
  pricedIn?: Map<string, boolean>
}

const facts = new WeakMap<Plan, PlanFacts>()

const factsOf = (plan: Plan): PlanFacts => {
  let f = facts.get(plan)
  if (f === undefined) {
    const prices: Array<PlanPrice> = []
    if (plan.price !== undefined) prices.push({ kind: "base", plan, price: plan.price })
    for (const item of plan.items) if (item.price !== undefined) prices.push({ kind: "item", plan, item, price: item.price })
    const free = !prices.some(priceIsNonZero)
    f = { prices, free, oneOff: !free && prices.every((p) => p.price.interval === "one_off") }
    facts.set(plan, f)
  }
  return f
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
export const isFree = (plan: Plan): boolean => factsOf(plan).free

/** One-off: not free and every price is `one_off`. @example isOneOff(creditsPack) // true */
export const isOneOff = (plan: Plan): boolean => factsOf(plan).oneOff

/** Recurring: neither free nor one-off. @example isRecurring(pro) // true */
export const isRecurring = (plan: Plan): boolean => {
  const f = factsOf(plan)
  return !f.free && !f.oneOff
}

/**
 * The amount of a price in a currency: the catalog amount in the default currency, or its
 * per-currency override; `undefined` when the price has no amount in that currency (a zero
 * amount is valid in every currency).
 *
 * @example amountIn(pro.price, "eur", catalog) // 18/1 when currencies: { eur: "18" }
 */
export const amountIn = (a: PriceAmount, currency: string, catalog: Catalog): Rational.Rational | undefined => {
  const override = a.currencies.get(currency)
  if (override !== undefined) return override
  if (currency === catalog.defaultCurrency || a.amount.n === 0n) return a.amount
  return undefined
}

/**
 * Whether every price of a plan can be charged in a currency (tiered prices are priced in the
 * catalog's default currency only).
 *
 * @example pricedIn(pro, "eur", catalog) // false without an eur amount
 */
export const pricedIn = (plan: Plan, currency: string, catalog: Catalog): boolean => {
  const f = factsOf(plan)
  const key = currencyKey(currency, catalog)
  let priced = f.pricedIn?.get(key)
  if (priced === undefined) {
    priced = planPrices(plan).every((p) => {
      if (!priceIsNonZero(p)) return true
      if (p.kind === "base") return amountIn(p.price, currency, catalog) !== undefined
      if (p.price.amount !== undefined) return amountIn(p.price.amount, currency, catalog) !== undefined
      return currency === catalog.defaultCurrency
    })
    ;(f.pricedIn ??= new Map()).set(key, priced)
  }
  return priced
}

/** A cache key for what depends on the invoice currency and the catalog's default currency. */
const currencyKey = (currency: string, catalog: Catalog): string =>
  currency === catalog.defaultCurrency ? currency : `${currency}\u0000${catalog.defaultCurrency}`

/**
 * Billable units after the included allowance: `max(0, units − included)`; 0 when unlimited.
 *
 * @example billableUnits(800, 100) // 700
 */
export const billableUnits = (units: number, included: number | "unlimited"): number =>
  included === "unlimited" ? 0 : Math.max(0, units - included)

/**
 * Whole packs covering `units` billable units (rounded up).
 *
 * @example packsFor(701, 100) // 8
 */
export const packsFor = (units: number, billingUnits: number): bigint => {
  if (Number.isInteger(units) && Math.abs(units) <= SMALL && Number.isInteger(billingUnits) && billingUnits > 0 && billingUnits <= SMALL) {
    // Small whole numbers: the same ceiling in exact integer arithmetic on numbers.
    let q = Math.floor(units / billingUnits)
    let r = units - q * billingUnits
    while (r < 0) {
      q--
      r += billingUnits
    }
    while (r >= billingUnits) {
      q++
      r -= billingUnits
    }
    return BigInt(r === 0 ? q : q + 1)
  }
  return Rational.ceil(Rational.div(Rational.make(...decimalUnits(units)), Rational.fromInt(billingUnits)))
}

/** Below 2^31, products and differences of two such integers are exact in a double. */
const SMALL = 2 ** 31

const decimalUnits = (units: number): [bigint, bigint] => {
  if (Number.isInteger(units)) return [BigInt(units), 1n]
  const [whole = "0", frac = ""] = units.toFixed(12).split(".")
  const scale = 10n ** BigInt(frac.length)
  return [BigInt(whole) * scale + BigInt(frac), scale]
}

/**
 * The price, in major units of `currency`, of `n` billable units of an item price (docs/spec.md §8.2):
 * units round up to whole packs of `billingUnits`; a flat `amount` is per pack; graduated tiers
 * price the units in each tier per pack plus each touched tier's `flatAmount`; volume prices all
 * units at the rate of the tier containing them plus that tier's `flatAmount`.
 *
 * @example
 * // tiers [≤100 @0.10, ≤500 @0.05, ∞ @0.02], billingUnits 1
 * tierPrice(price, 250, "usd", catalog) // graduated: 35/2 (17.50); volume: 25/2 (12.50)
 */
export const tierPrice = (price: ItemPrice, n: number, currency: string, catalog: Catalog): Rational.Rational => {
  if (price.amount !== undefined) {
    const packs = packsFor(n, price.billingUnits)
    return packs === 0n ? Rational.zero : Rational.mul(Rational.fromBigInt(packs), amountIn(price.amount, currency, catalog) ?? price.amount.amount)
  }
  return tierShares(price, n).total
}

/** A tier some units reached: the units priced in it and what they cost there (its flat fee included), in major units. */
export interface TierShare {
  readonly tier: Tier
  readonly units: Rational.Rational
  readonly cost: Rational.Rational
}

/** The tiers of a tiered price that `n` billable units reach, and their total. */
export interface TierBreakdown {
  readonly total: Rational.Rational
  readonly shares: ReadonlyArray<TierShare>
}

const NO_TIERS: TierBreakdown = { total: Rational.zero, shares: [] }

/**
 * How `n` billable units of a tiered price are priced (docs/spec.md §8.2): rounded up to whole
 * packs, then graduated (every tier reached, each priced per pack plus its flat fee) or volume
 * (the one tier holding all units). The flat `amount` of a price is ignored here.
 *
 * @example tierShares(price, 250).shares.map((s) => s.units) // graduated [≤100, ≤500, ∞]: [100/1, 150/1]
 */
export const tierShares = (price: ItemPrice, n: number): TierBreakdown => {
  const packs = packsFor(n, price.billingUnits)
  if (packs === 0n) return NO_TIERS
  const bu = BigInt(price.billingUnits)
  const u = packs * bu
  const tiers = price.tiers ?? []
  if (price.tierBehavior === "volume") {
    const tier = tiers.find((t) => t.upTo === "inf" || Rational.compare(Rational.make(...decimalUnits(t.upTo)), Rational.fromBigInt(u)) >= 0)
    if (tier === undefined) return NO_TIERS
    const cost = Rational.add(Rational.mul(Rational.make(u, bu), tier.amount), tier.flatAmount)
    return { total: cost, shares: [{ tier, units: Rational.fromBigInt(u), cost }] }
  }
  let total = Rational.zero
  let lower = Rational.zero
  const upper = Rational.fromBigInt(u)
  const shares: Array<TierShare> = []
  for (const tier of tiers) {
    const top = tier.upTo === "inf" ? upper : Rational.make(...decimalUnits(tier.upTo))
    const ceiling = Rational.compare(top, upper) < 0 ? top : upper
    const inTier = Rational.sub(ceiling, lower)
    if (inTier.n > 0n) {
      const cost = Rational.add(Rational.mul(Rational.div(inTier, Rational.fromBigInt(bu)), tier.amount), tier.flatAmount)
      total = Rational.add(total, cost)
      shares.push({ tier, units: inTier, cost })
    }
    if (Rational.compare(top, upper) >= 0) break
    lower = top
  }
  return { total, shares }
}

/**
 * The per-pack rate used to compare plans: a flat amount, or the first tier's amount.
 *
 * @example comparisonRate(itemPrice, "usd", catalog) // 10/1
 */
const comparisonRate = (p: PlanPrice, currency: string, catalog: Catalog): Rational.Rational => {
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
export const monthlyTotal = (plan: Plan, currency: string, catalog: Catalog): Rational.Rational => {
  const f = factsOf(plan)
  const key = currencyKey(currency, catalog)
  let total = f.monthly?.get(key)
  if (total === undefined) {
    total = Rational.zero
    for (const p of planPrices(plan)) {
      const interval = recurringInterval(p.price.interval)
      if (interval === undefined || billingKind(p) === "arrears") continue
      total = Rational.add(total, Rational.div(comparisonRate(p, currency, catalog), lengthInMonths(interval)))
    }
    ;(f.monthly ??= new Map()).set(key, total)
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
