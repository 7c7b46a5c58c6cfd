/**
 * Prices: which Stripe price bills a plan held on a subscription. A provider item
 * `{ planId, version, quantities }` becomes one Stripe subscription item for the plan's base price
 * and one per prepaid feature (quantity = the packs bought past the included allowance); usage
 * billed in arrears is not a Stripe item (the plan's invoices bill it).
 *
 * The price of a {@link PriceRef} comes from the host's price map or lookup function, else from
 * Stripe by its `lookup_key` ({@link lookupKeyOf}), else — when the host allows it — is created
 * with that lookup key from the catalog's amount.
 *
 * @example
 * import { lookupKeyOf } from "attach-planner/stripe"
 * lookupKeyOf({ planId: "pro", version: 1, featureId: null, currency: "usd" }) // "ap_pro@1_usd"
 */
import type Stripe from "stripe"
import type { Catalog, Plan } from "../Catalog.ts"
import type { Interval } from "../Interval.ts"
import * as Money from "../Money.ts"
import { type ProviderItem, ProviderRejected } from "../Provider.ts"
import type * as Rational from "../Rational.ts"
import { stripeCall } from "./errors.ts"

/**
 * One price a subscription item needs: a plan's base price (`featureId: null`) or the per-pack
 * price of one of its prepaid features, in one currency.
 *
 * @example const ref: PriceRef = { planId: "team", version: 1, featureId: "seats", currency: "usd" }
 */
export interface PriceRef {
  readonly planId: string
  readonly version: number
  readonly featureId: string | null
  readonly currency: string
}

/**
 * Where prices come from: a map from {@link lookupKeyOf} keys to Stripe price ids, or a function
 * answering a price id (or `null`: not known, look it up by lookup key).
 *
 * @example const prices: PriceSource = { "ap_pro@1_usd": "price_1Q…" }
 */
export type PriceSource = Readonly<Record<string, string>> | ((ref: PriceRef) => Promise<string | null>)

/**
 * The lookup key of a price: `ap_<plan>@<version>_<currency>`, with `_<feature>` before the
 * currency for a prepaid feature.
 *
 * @example lookupKeyOf({ planId: "team", version: 2, featureId: "seats", currency: "eur" }) // "ap_team@2_seats_eur"
 */
export const lookupKeyOf = (ref: PriceRef): string =>
  `ap_${ref.planId}@${ref.version}${ref.featureId === null ? "" : `_${ref.featureId}`}_${ref.currency}`

/** One Stripe subscription item of a provider item. @example { ref, quantity: 3 } */
export interface PricedItem {
  readonly ref: PriceRef
  readonly quantity: number
}

const planOf = (catalog: Catalog, item: { readonly planId: string; readonly version: number | null }): Plan | ProviderRejected => {
  const versions = catalog.plansById.get(item.planId)
  const plan = item.version === null ? versions?.[versions.length - 1] : versions?.find((p) => p.version === item.version)
  return plan ?? new ProviderRejected({ code: "price_missing", message: `The catalog has no plan ${item.planId}@${item.version ?? "latest"}` })
}

/**
 * The Stripe items of a provider item: the base price (quantity 1) and each prepaid feature with
 * packs bought past its allowance (`ceil(max(0, quantity − included) / billingUnits)`).
 *
 * @example pricedItems(catalog, [{ planId: "team", version: 1, entityId: null, quantities: [{ featureId: "seats", quantity: 5 }] }], "usd")
 */
export const pricedItems = (catalog: Catalog, items: ReadonlyArray<ProviderItem>, currency: string): Array<PricedItem> | ProviderRejected => {
  const out: Array<PricedItem> = []
  for (const item of items) {
    const plan = planOf(catalog, item)
    if (plan instanceof ProviderRejected) return plan
    const ref = { planId: plan.id, version: plan.version, currency }
    if (plan.price !== undefined && plan.price.interval !== "one_off") out.push({ ref: { ...ref, featureId: null }, quantity: 1 })
    for (const q of item.quantities) {
      const planItem = plan.items.find((i) => i.featureId === q.featureId)
      if (planItem?.price?.billingMethod !== "prepaid" || planItem.included === "unlimited") continue
      const packs = Math.ceil(Math.max(0, q.quantity - planItem.included) / planItem.price.billingUnits)
      if (packs > 0) out.push({ ref: { ...ref, featureId: q.featureId }, quantity: packs })
    }
  }
  return out
}

/** Stripe's recurring interval of a catalog interval (a quarter is 3 months, a half-year 6). @example stripeInterval({ unit: "quarter", count: 1 }) // { interval: "month", interval_count: 3 } */
export const stripeInterval = (i: Interval): { interval: "day" | "week" | "month" | "year"; interval_count: number } =>
  i.unit === "quarter" ? { interval: "month", interval_count: 3 * i.count }
    : i.unit === "semi_annual" ? { interval: "month", interval_count: 6 * i.count }
    : { interval: i.unit, interval_count: i.count }

const amountIn = (amount: { readonly amount: Rational.Rational; readonly currencies: ReadonlyMap<string, Rational.Rational> }, catalog: Catalog, currency: string): Rational.Rational | undefined =>
  amount.currencies.get(currency) ?? (currency === catalog.defaultCurrency ? amount.amount : undefined)

/** The creation parameters of a price from the catalog, or why it cannot be created. */
const priceParams = (catalog: Catalog, ref: PriceRef): Stripe.PriceCreateParams | ProviderRejected => {
  const plan = planOf(catalog, ref)
  if (plan instanceof ProviderRejected) return plan
  const missing = (why: string) => new ProviderRejected({ code: "price_missing", message: `No Stripe price ${lookupKeyOf(ref)} and it cannot be created: ${why}` })
  const item = ref.featureId === null ? undefined : plan.items.find((i) => i.featureId === ref.featureId)
  const price = ref.featureId === null ? plan.price : item?.price
  if (price === undefined || price.interval === "one_off") return missing("no recurring price")
  const amount = ref.featureId === null ? plan.price : item?.price?.amount
  if (amount === undefined) return missing("a tiered price needs a price map entry")
  const major = amountIn(amount, catalog, ref.currency)
  if (major === undefined) return missing(`no amount in ${ref.currency}`)
  return {
    currency: ref.currency, lookup_key: lookupKeyOf(ref), unit_amount: Number(Money.toMinor(major, ref.currency)),
    recurring: stripeInterval(price.interval),
    product_data: { name: ref.featureId === null ? plan.name : `${plan.name} — ${item?.feature.name ?? ref.featureId}` },
    metadata: { ap_plan: plan.id, ap_version: String(plan.version), ap_feature: ref.featureId ?? "" }
  }
}

/**
 * Resolves prices with a cache: the host's source, then Stripe by lookup key, then (when
 * `create`) a new price from the catalog.
 *
 * @example const priceOf = priceResolver(stripe, catalog, {}, true); await priceOf(ref) // "price_…"
 */
export const priceResolver = (stripe: Stripe, catalog: Catalog, source: PriceSource, create: boolean): ((ref: PriceRef) => Promise<string>) => {
  const cache = new Map<string, Promise<string>>()
  const resolve = async (ref: PriceRef): Promise<string> => {
    const key = lookupKeyOf(ref)
    const given = typeof source === "function" ? await source(ref) : source[key]
    if (given !== undefined && given !== null) return given
    const found = await stripeCall(() => stripe.prices.list({ lookup_keys: [key], limit: 1 }), null)
    const existing = found.data[0]
    if (existing !== undefined) return existing.id
    if (!create) throw new ProviderRejected({ code: "price_missing", message: `No Stripe price with lookup key ${key}; add it to the price map or allow creating prices` })
    const params = priceParams(catalog, ref)
    if (params instanceof ProviderRejected) throw params
    return (await stripeCall(() => stripe.prices.create(params, { idempotencyKey: `ap_price_${key}` }), null)).id
  }
  return (ref) => {
    const key = lookupKeyOf(ref)
    const hit = cache.get(key)
    if (hit !== undefined) return hit
    const p = resolve(ref)
    cache.set(key, p)
    p.catch(() => cache.delete(key))
    return p
  }
}

/** The interval of the first recurring price among the items (for the first period and schedule phases). @example intervalOf(catalog, items) // { unit: "month", count: 1 } */
export const intervalOf = (catalog: Catalog, items: ReadonlyArray<ProviderItem>): Interval | undefined => {
  for (const item of items) {
    const plan = planOf(catalog, item)
    if (!(plan instanceof ProviderRejected) && plan.price !== undefined && plan.price.interval !== "one_off") return plan.price.interval
  }
  return undefined
}
