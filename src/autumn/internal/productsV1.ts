/**
 * Autumn's v1 product shape (`is_add_on`, `is_default`, `items` of type `price` / `feature` /
 * `priced_feature`) as Autumn's API returns it, and its conversion into a plan of the catalog
 * input document. Mapping rules: docs/autumn-catalog.md.
 *
 * @example
 * import { V1ProductSchema } from "./productsV1.ts"
 * // decode with Schema.decodeUnknownResult(V1ProductSchema), then v1Hints / v1Plan
 */
import * as Schema from "effect/Schema"
import type { FeatureHint, PlanInput, PlanItemInput, Conversion } from "./productWire.ts"
import {
  AutumnAmount, AutumnCount, AutumnFeatureSchema, AutumnInterval, AutumnPositiveInt, decimalString, flagItem, hintFromFeature,
  intervalUnit, itemInput, nullable, OnDecrease, OnIncrease, planInput, prorationOf, record
} from "./productWire.ts"

const Ignored = Schema.optionalKey(Schema.Unknown)

const V1TierSchema = Schema.Struct({
  to: Schema.Union([AutumnCount, Schema.Literal("inf")]).annotate({ expected: 'a number of units or "inf"' }),
  amount: AutumnAmount,
  flat_amount: Schema.optionalKey(nullable(AutumnAmount, "an amount in major units (a number)"))
})

const V1ItemSchema = Schema.Struct({
  type: Schema.optionalKey(nullable(Schema.Literals(["price", "feature", "priced_feature"]), '"price" | "feature" | "priced_feature"')),
  feature_id: Schema.optionalKey(Schema.NullOr(Schema.String)),
  feature_type: Schema.optionalKey(nullable(Schema.Literals(["boolean", "static", "single_use", "continuous_use", "credit_system"]), '"boolean" | "static" | "single_use" | "continuous_use" | "credit_system"')),
  feature: Schema.optionalKey(Schema.NullOr(AutumnFeatureSchema)),
  included_usage: Schema.optionalKey(nullable(Schema.Union([AutumnCount, Schema.Literal("inf")]), 'a number of units or "inf"')),
  interval: Schema.optionalKey(nullable(AutumnInterval, "an interval (month, quarter, semi_annual, year, …) or null")),
  interval_count: Schema.optionalKey(nullable(AutumnPositiveInt, "an integer ≥ 1")),
  price_interval: Schema.optionalKey(nullable(AutumnInterval, "an interval (month, quarter, semi_annual, year, …) or null")),
  price_interval_count: Schema.optionalKey(nullable(AutumnPositiveInt, "an integer ≥ 1")),
  price: Schema.optionalKey(nullable(AutumnAmount, "an amount in major units (a number)")),
  tiers: Schema.optionalKey(Schema.NullOr(Schema.Array(V1TierSchema))),
  tier_behavior: Schema.optionalKey(nullable(Schema.Literals(["graduated", "volume"]), '"graduated" | "volume"')),
  usage_model: Schema.optionalKey(nullable(Schema.Literals(["prepaid", "pay_per_use"]), '"prepaid" | "pay_per_use"')),
  billing_units: Schema.optionalKey(nullable(AutumnPositiveInt, "an integer ≥ 1")),
  usage_limit: Schema.optionalKey(nullable(AutumnCount, "a number of units")),
  entity_feature_id: Schema.optionalKey(Schema.NullOr(Schema.String)),
  config: Schema.optionalKey(Schema.NullOr(Schema.Struct({
    on_increase: Schema.optionalKey(Schema.NullOr(OnIncrease)),
    on_decrease: Schema.optionalKey(Schema.NullOr(OnDecrease)),
    rollover: Ignored
  }))),
  // Read-only or balance-only fields: no effect on prices (docs/autumn-catalog.md).
  reset_usage_when_enabled: Ignored,
  display: Ignored,
  entitlement_id: Ignored,
  price_id: Ignored,
  pooled: Ignored
})
type V1Item = typeof V1ItemSchema.Type

const V1FreeTrialSchema = Schema.Struct({
  duration: Schema.Literals(["day", "month", "year"]),
  length: AutumnPositiveInt,
  card_required: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  unique_fingerprint: Ignored,
  trial_available: Ignored
})

/** Autumn's v1 product, with the read-only fields its API adds (accepted and ignored). */
export const V1ProductSchema = Schema.Struct({
  id: Schema.String,
  name: Schema.optionalKey(Schema.NullOr(Schema.String)),
  is_add_on: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  is_default: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  group: Schema.optionalKey(Schema.NullOr(Schema.String)),
  version: Schema.optionalKey(AutumnPositiveInt),
  items: Schema.optionalKey(Schema.NullOr(Schema.Array(V1ItemSchema))),
  free_trial: Schema.optionalKey(Schema.NullOr(V1FreeTrialSchema)),
  created_at: Ignored,
  env: Ignored,
  archived: Ignored,
  base_variant_id: Ignored,
  scenario: Ignored,
  properties: Ignored,
  display: Ignored,
  autumn_id: Ignored,
  internal_id: Ignored
})
/** A decoded v1 product. */
export type V1Product = typeof V1ProductSchema.Type

type ItemKind = "price" | "feature" | "priced_feature"

/** The item's type, inferred as Autumn does when `type` is absent. */
const kindOf = (item: V1Item): ItemKind => {
  if (item.type !== undefined && item.type !== null) return item.type
  const priced = (item.price !== undefined && item.price !== null) || (item.tiers !== undefined && item.tiers !== null)
  if (item.feature_id === undefined || item.feature_id === null) return priced ? "price" : "feature"
  return priced ? "priced_feature" : "feature"
}

const hasUsage = (item: V1Item): boolean => item.included_usage !== undefined && item.included_usage !== null

/**
 * What one v1 item says about its feature: Autumn's `feature_type` (or embedded `feature`) when
 * given; otherwise metered when it has included usage, an interval or a price, and consumable
 * when it resets (a `feature` item with an interval, or a pay-per-use price with one).
 */
const itemHint = (item: V1Item, featureId: string, from: string): FeatureHint => {
  if (item.feature !== undefined && item.feature !== null) return { ...hintFromFeature(item.feature, from), id: featureId }
  if (item.feature_type !== undefined && item.feature_type !== null) {
    const metered = item.feature_type !== "boolean" && item.feature_type !== "static"
    return { id: featureId, metered, consumable: metered && item.feature_type !== "continuous_use", explicit: true, from }
  }
  const kind = kindOf(item)
  const resets = item.interval !== undefined && item.interval !== null && item.interval !== "one_off"
  if (kind === "priced_feature") return { id: featureId, metered: true, consumable: resets && item.usage_model !== "prepaid", explicit: false, from }
  return { id: featureId, metered: hasUsage(item) || resets, consumable: resets, explicit: false, from }
}

/** The feature hints of a v1 product's items. */
export const v1Hints = (product: V1Product, at: string): Array<FeatureHint> => {
  const hints: Array<FeatureHint> = []
  for (const [m, item] of (product.items ?? []).entries()) {
    if (kindOf(item) === "price" || item.feature_id === undefined || item.feature_id === null) continue
    hints.push(itemHint(item, item.feature_id, `${at}.items[${m}].feature_id`))
  }
  return hints
}

/** Renames from a generated v1 item path to the Autumn item's fields. */
const ITEM_RENAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\.included/, ".included_usage"],
  [/^\.reset.*/, ".interval"],
  [/^\.price$/, ""],
  [/^\.price\.amount/, ".price"],
  [/^\.price\.tiers/, ".tiers"],
  [/^\.price\.billingMethod/, ".usage_model"],
  [/^\.price\.maxPurchase/, ".usage_limit"],
  [/^\.price\.(?=interval|intervalCount|billingUnits|tierBehavior)/, "."],
  [/^\.proration/, ".config"],
  [/\.upTo/, ".to"]
]

const PRICE_RENAMES: ReadonlyArray<readonly [RegExp, string]> = [[/^\.amount/, ".price"], [/^\.currencies/, ""]]

const PLAN_RENAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\.addOn/, ".is_add_on"],
  [/^\.autoEnable/, ".is_default"],
  [/^\.freeTrial\.unit/, ".free_trial.duration"]
]

/** A v1 product as a plan of the catalog input document; problems go to `conv.issues`. */
export const v1Plan = (product: V1Product, at: string, generated: string, features: ReadonlyMap<string, FeatureHint>, conv: Conversion): PlanInput => {
  record(conv, generated, at, PLAN_RENAMES)
  const items: Array<PlanItemInput> = []
  let price: PlanInput["price"]
  for (const [m, item] of (product.items ?? []).entries()) {
    const path = `${at}.items[${m}]`
    if (kindOf(item) === "price") {
      if (price !== undefined) {
        conv.issues.push({ path, message: "a second flat price: a plan here has one base price (split the product, or fold the prices into one)" })
        continue
      }
      price = basePrice(item, path, conv)
      record(conv, `${generated}.price`, path, PRICE_RENAMES)
      continue
    }
    const converted = planItem(item, path, features, conv)
    if (converted === undefined) continue
    record(conv, `${generated}.items[${items.length}]`, path, ITEM_RENAMES)
    items.push(converted)
  }
  const trial = product.free_trial
  return planInput({
    id: product.id,
    name: product.name,
    group: product.group,
    addOn: product.is_add_on,
    autoEnable: product.is_default,
    version: product.version,
    price,
    items,
    trial: trial === undefined || trial === null ? undefined : { length: trial.length, unit: trial.duration, cardRequired: trial.card_required }
  })
}

const basePrice = (item: V1Item, path: string, conv: Conversion): PlanInput["price"] => {
  if (item.price === undefined || item.price === null) {
    conv.issues.push({ path: `${path}.price`, message: "is required but missing (a price item needs its amount)" })
    return undefined
  }
  const unit = intervalUnit(item.interval, `${path}.interval`, conv)
  if (unit === undefined) return undefined
  const count = item.interval_count ?? undefined
  return { amount: decimalString(item.price), interval: unit, ...(unit !== "one_off" && count !== undefined ? { intervalCount: count } : {}) }
}

const planItem = (item: V1Item, path: string, features: ReadonlyMap<string, FeatureHint>, conv: Conversion): PlanItemInput | undefined => {
  const featureId = item.feature_id
  if (featureId === undefined || featureId === null) {
    conv.issues.push({ path: `${path}.feature_id`, message: `is required but missing (a ${kindOf(item)} item names its feature)` })
    return undefined
  }
  if (item.entity_feature_id !== undefined && item.entity_feature_id !== null) {
    conv.issues.push({ path: `${path}.entity_feature_id`, message: "per-entity items have no counterpart in this catalog (entities attach plans of their own)" })
    return undefined
  }
  const feature = features.get(featureId)
  if (feature !== undefined && !feature.metered) return flagItem(featureId, kindOf(item) === "priced_feature", `${path}.${item.tiers !== undefined && item.tiers !== null ? "tiers" : "price"}`, conv)
  const consumable = feature?.consumable === true
  const included = item.included_usage === "inf" ? "unlimited" : item.included_usage ?? undefined
  const resetUnit = resetOf(item, consumable, path, conv)
  const price = kindOf(item) === "priced_feature" ? itemPrice(item, path, included, conv) : undefined
  const proration = item.config === undefined || item.config === null
    ? undefined
    : prorationOf(item.config.on_increase, item.config.on_decrease, `${path}.config`, conv)
  return itemInput(featureId, included, resetUnit, price, proration)
}

/** The reset of a consumable feature: the item's `interval` (a price's own interval may differ when `price_interval` is given). */
const resetOf = (item: V1Item, consumable: boolean, path: string, conv: Conversion): PlanItemInput["reset"] => {
  if (!consumable) return undefined
  const unit = intervalUnit(item.interval, `${path}.interval`, conv)
  if (unit === undefined || unit === "one_off") return undefined
  const count = item.interval_count ?? undefined
  return { interval: unit, ...(count !== undefined ? { intervalCount: count } : {}) }
}

type ItemPriceInput = NonNullable<PlanItemInput["price"]>

const itemPrice = (item: V1Item, path: string, included: number | "unlimited" | undefined, conv: Conversion): ItemPriceInput | undefined => {
  const hasAmount = item.price !== undefined && item.price !== null
  const hasTiers = item.tiers !== undefined && item.tiers !== null
  if (hasAmount === hasTiers) {
    conv.issues.push({ path: hasAmount ? `${path}.tiers` : `${path}.price`, message: "a priced_feature needs exactly one of price or tiers" })
    return undefined
  }
  const ownInterval = item.price_interval !== undefined && item.price_interval !== null
  const unit = intervalUnit(ownInterval ? item.price_interval : item.interval, `${path}.${ownInterval ? "price_interval" : "interval"}`, conv)
  if (unit === undefined) return undefined
  const count = (ownInterval ? item.price_interval_count : item.interval_count) ?? undefined
  const maxPurchase = maxPurchaseOf(item, path, included, conv)
  return {
    ...(hasAmount && typeof item.price === "number" ? { amount: decimalString(item.price) } : {}),
    ...(item.tiers !== undefined && item.tiers !== null
      ? {
          tiers: item.tiers.map((t) => ({
            upTo: t.to,
            amount: decimalString(t.amount),
            ...(t.flat_amount !== undefined && t.flat_amount !== null ? { flatAmount: decimalString(t.flat_amount) } : {})
          }))
        }
      : {}),
    ...(item.tier_behavior !== undefined && item.tier_behavior !== null ? { tierBehavior: item.tier_behavior } : {}),
    interval: unit,
    ...(unit !== "one_off" && count !== undefined ? { intervalCount: count } : {}),
    ...(item.billing_units !== undefined && item.billing_units !== null ? { billingUnits: item.billing_units } : {}),
    billingMethod: item.usage_model === "prepaid" ? "prepaid" : "usage_based",
    ...(maxPurchase !== undefined ? { maxPurchase } : {})
  }
}

/** Autumn's `usage_limit` counts the included units; this library's `maxPurchase` does not. */
const maxPurchaseOf = (item: V1Item, path: string, included: number | "unlimited" | undefined, conv: Conversion): number | undefined => {
  if (item.usage_limit === undefined || item.usage_limit === null) return undefined
  const base = typeof included === "number" ? included : 0
  if (item.usage_limit < base) {
    conv.issues.push({ path: `${path}.usage_limit`, message: `usage_limit ${item.usage_limit} is below the included usage ${base}` })
    return undefined
  }
  return item.usage_limit - base
}
