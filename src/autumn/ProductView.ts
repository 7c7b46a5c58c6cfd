/**
 * A catalog plan as Autumn's v1 API shows a product (the `product` of a checkout, the 0.x
 * `products` listing): every item with its feature in full, the trial, and the properties a
 * pricing page reads. Prices are major units, as in Autumn's catalog; `created_at`, `version` and
 * the display-only item fields are those of the Autumn products the catalog was imported from.
 *
 * @example
 * import * as Autumn from "attach-planner/autumn"
 * Autumn.productView({ catalog, env: "sandbox", currency: "usd" }, pro, { scenario: "new", hasTrial: false }).items[0]
 * // { type: "price", feature_id: null, feature: null, interval: "month", price: 20 }
 */
import type { Catalog, Feature, Plan, PlanItem, PriceInterval } from "../Catalog.ts"
import type { Scenario } from "../Preview.ts"
import { productInfoOf, type ProductInfo } from "./internal/productInfo.ts"
import { toWireAmount } from "./Responses.ts"

/** Autumn's feature types, from the catalog's (`boolean`; metered consumable or not). @example "single_use" */
export type AutumnFeatureType = "boolean" | "single_use" | "continuous_use"

/** A feature as a v1 product item shows it. @example { id: "messages", name: "Messages", type: "single_use", display: { singular: "message", plural: "messages" } } */
export interface FeatureView {
  readonly id: string
  readonly name: string
  readonly type: AutumnFeatureType
  readonly display: { readonly singular: string; readonly plural: string }
}

/** A product item as the v1 API shows it. @example { type: "priced_feature", feature_id: "messages", included_usage: 100, interval: "month", usage_model: "pay_per_use", price: 0.1, billing_units: 1 } */
export interface ProductItem {
  readonly type: "price" | "priced_feature" | "feature"
  readonly feature_id: string | null
  readonly feature_type?: AutumnFeatureType
  readonly feature: FeatureView | null
  readonly included_usage?: number | "inf"
  readonly interval: string | null
  readonly interval_count?: number
  readonly price?: number
  readonly tiers?: ReadonlyArray<{ readonly to: number | "inf"; readonly amount: number }>
  readonly usage_model?: "prepaid" | "pay_per_use"
  readonly billing_units?: number
  readonly reset_usage_when_enabled?: boolean
  readonly entity_feature_id?: string | null
}

/** The properties of a product (v1 API). @example { is_free: false, is_one_off: false, interval_group: "month", has_trial: false, updateable: false } */
export interface ProductProperties {
  readonly is_free: boolean
  readonly is_one_off: boolean
  readonly interval_group: string
  readonly has_trial: boolean
  readonly updateable: boolean
}

/** A product's free trial (v1 API). @example { duration: "day", length: 14, unique_fingerprint: false, card_required: true, trial_available: true } */
export interface FreeTrialView {
  readonly duration: string
  readonly length: number
  readonly unique_fingerprint: boolean
  readonly card_required: boolean
  readonly trial_available: boolean
}

/** A product as the v1 API shows it, with the scenario of the call. @example checkout.product.scenario // "upgrade" */
export interface Product {
  readonly id: string
  readonly name: string
  readonly group: string | null
  readonly env: "sandbox" | "live"
  readonly is_add_on: boolean
  readonly is_default: boolean
  readonly version: number
  readonly created_at: number
  readonly items: ReadonlyArray<ProductItem>
  readonly free_trial: FreeTrialView | null
  readonly base_variant_id: string | null
  readonly scenario?: Scenario | "active"
  readonly properties: ProductProperties
}

/** Where a product is shown: its catalog, the server's environment and the customer's currency. @example const at: ViewContext = { catalog, env: "sandbox", currency: "usd" } */
export interface ViewContext {
  readonly catalog: Catalog
  readonly env: "sandbox" | "live"
  readonly currency: string
}

const intervalName = (i: PriceInterval): string | null => (i === "one_off" ? null : i.unit)

const amountOf = (amount: { readonly amount: import("../Rational.ts").Rational; readonly currencies: ReadonlyMap<string, import("../Rational.ts").Rational> }, at: ViewContext): number =>
  toWireAmount(at.currency === at.catalog.defaultCurrency ? amount.amount : amount.currencies.get(at.currency) ?? amount.amount)

/**
 * Autumn's type of a catalog feature.
 *
 * @example featureType({ id: "seats", type: "metered", consumable: false }) // "continuous_use"
 */
export const featureType = (f: Pick<Feature, "type" | "consumable">): AutumnFeatureType =>
  f.type === "boolean" ? "boolean" : f.consumable ? "single_use" : "continuous_use"

/**
 * A catalog feature as a product item shows it; without a display of its own, both names are its name.
 *
 * @example featureView(messages) // { id: "messages", name: "Messages", type: "single_use", display: { singular: "message", plural: "messages" } }
 */
export const featureView = (f: Feature): FeatureView => ({
  id: f.id,
  name: f.name,
  type: featureType(f),
  display: f.display ?? { singular: f.name, plural: f.name }
})

const itemFacts = (item: PlanItem, info: ProductInfo | undefined) => {
  const facts = info?.items.get(item.featureId)
  return {
    reset_usage_when_enabled: facts?.resetUsageWhenEnabled ?? item.feature.consumable,
    entity_feature_id: facts?.entityFeatureId ?? null
  }
}

/**
 * One plan item as a product item.
 *
 * @example productItem(at, undefined)(proMessages).usage_model // "pay_per_use"
 */
export const productItem = (at: ViewContext, info: ProductInfo | undefined) => (item: PlanItem): ProductItem => {
  const included = item.included === "unlimited" ? "inf" as const : item.included
  const feature = { feature_id: item.featureId, feature_type: featureType(item.feature), feature: featureView(item.feature) }
  const price = item.price
  if (price === undefined) {
    return { type: "feature", ...feature, included_usage: included, interval: item.reset === undefined ? null : item.reset.unit, ...itemFacts(item, info) }
  }
  return {
    type: "priced_feature", ...feature, included_usage: included, interval: intervalName(price.interval),
    ...(price.interval !== "one_off" && price.interval.count !== 1 ? { interval_count: price.interval.count } : {}),
    ...(price.amount === undefined ? {} : { price: amountOf(price.amount, at) }),
    ...(price.tiers === undefined ? {} : { tiers: price.tiers.map((t) => ({ to: t.upTo, amount: toWireAmount(t.amount) })) }),
    usage_model: price.billingMethod === "prepaid" ? "prepaid" : "pay_per_use", billing_units: price.billingUnits,
    ...itemFacts(item, info)
  }
}

/**
 * The base price of a plan as a product item, when it has one.
 *
 * @example basePriceItem(at, pro) // { type: "price", feature_id: null, feature: null, interval: "month", price: 20 }
 */
export const basePriceItem = (at: ViewContext, plan: Plan): ProductItem | undefined => {
  const p = plan.price
  if (p === undefined) return undefined
  return {
    type: "price", feature_id: null, feature: null, interval: intervalName(p.interval),
    ...(p.interval !== "one_off" && p.interval.count !== 1 ? { interval_count: p.interval.count } : {}),
    price: amountOf(p, at)
  }
}

const prices = (plan: Plan): Array<PriceInterval> => [
  ...(plan.price === undefined ? [] : [plan.price.interval]),
  ...plan.items.flatMap((i) => (i.price === undefined ? [] : [i.price.interval]))
]

/**
 * The properties of a product: free (no price at all), one-off (every price one-off), its
 * interval group (the interval of its first recurring price), whether this call starts a
 * trial, and whether it has prepaid quantities the customer can update.
 *
 * @example productProperties(pro, false) // { is_free: false, is_one_off: false, interval_group: "month", has_trial: false, updateable: false }
 */
export const productProperties = (plan: Plan, hasTrial: boolean): ProductProperties => {
  const all = prices(plan)
  const recurring = all.find((i): i is Exclude<PriceInterval, "one_off"> => i !== "one_off")
  return {
    is_free: all.length === 0,
    is_one_off: all.length > 0 && recurring === undefined,
    interval_group: recurring === undefined ? (all.length > 0 ? "one_off" : "") : recurring.unit,
    has_trial: hasTrial,
    updateable: plan.items.some((i) => i.price?.billingMethod === "prepaid")
  }
}

/**
 * A plan as a v1 product. `scenario` is the call's (Autumn has no scenario for a quantity change
 * of the plan held: it shows the plan `active`); `hasTrial` whether the call starts its trial.
 *
 * @example productView(at, pro, { scenario: "new", hasTrial: false }).properties.interval_group // "month"
 */
export const productView = (at: ViewContext, plan: Plan, call: { readonly scenario: Scenario | "active" | undefined; readonly hasTrial: boolean }): Product => {
  const info = productInfoOf(at.catalog, plan.id, plan.version)
  const base = basePriceItem(at, plan)
  return {
    id: plan.id,
    name: plan.name,
    group: plan.group === "" ? null : plan.group,
    env: at.env,
    is_add_on: plan.addOn,
    is_default: plan.autoEnable,
    version: plan.version,
    created_at: info?.createdAt ?? 0,
    items: [...(base === undefined ? [] : [base]), ...plan.items.map(productItem(at, info))],
    free_trial: plan.freeTrial === undefined ? null : {
      duration: plan.freeTrial.unit, length: plan.freeTrial.length, unique_fingerprint: info?.uniqueFingerprint ?? false,
      card_required: plan.freeTrial.cardRequired, trial_available: call.hasTrial
    },
    base_variant_id: null,
    ...(call.scenario === undefined ? {} : { scenario: call.scenario === "update_prepaid_quantity" ? "active" : call.scenario }),
    properties: productProperties(plan, call.hasTrial)
  }
}
