/**
 * Autumn's v2 plan shape (`add_on`, `auto_enable`, `price`, `items[] { feature_id, included,
 * unlimited, reset, price }`) as Autumn's API returns it, and its conversion into a plan of the
 * catalog input document. Mapping rules: docs/autumn-catalog.md.
 *
 * @example
 * import { V2PlanSchema } from "./productsV2.ts"
 * // decode with Schema.decodeUnknownResult(V2PlanSchema), then v2Hints / v2Plan
 */
import * as Schema from "effect/Schema"
import type { Conversion, FeatureHint, PlanInput, PlanItemInput } from "./productWire.ts"
import {
  AdditionalCurrencies, AutumnAmount, AutumnCount, AutumnFeatureSchema, AutumnInterval, AutumnPositiveInt, currenciesOf,
  decimalString, flagItem, hintFromFeature, intervalUnit, itemInput, nullable, OnDecrease, OnIncrease, planInput, prorationOf, record
} from "./productWire.ts"

const Ignored = Schema.optionalKey(Schema.Unknown)
const AMOUNT = "an amount in major units (a number)"

const V2TierSchema = Schema.Struct({
  to: Schema.Union([AutumnCount, Schema.Literal("inf")]).annotate({ expected: 'a number of units or "inf"' }),
  amount: AutumnAmount,
  flat_amount: Schema.optionalKey(nullable(AutumnAmount, AMOUNT)),
  additional_currencies: Schema.optionalKey(Schema.NullOr(AdditionalCurrencies))
})

const V2ItemPriceSchema = Schema.Struct({
  amount: Schema.optionalKey(nullable(AutumnAmount, AMOUNT)),
  additional_currencies: Schema.optionalKey(Schema.NullOr(AdditionalCurrencies)),
  tiers: Schema.optionalKey(Schema.NullOr(Schema.Array(V2TierSchema))),
  tier_behavior: Schema.optionalKey(nullable(Schema.Literals(["graduated", "volume"]), '"graduated" | "volume"')),
  interval: AutumnInterval,
  interval_count: Schema.optionalKey(nullable(AutumnPositiveInt, "an integer ≥ 1")),
  billing_units: Schema.optionalKey(nullable(AutumnPositiveInt, "an integer ≥ 1")),
  billing_method: Schema.Literals(["prepaid", "usage_based"]),
  max_purchase: Schema.optionalKey(nullable(AutumnCount, "a number of units")),
  display: Ignored,
  processors: Ignored
})

const V2ItemSchema = Schema.Struct({
  feature_id: Schema.String,
  feature: Schema.optionalKey(Schema.NullOr(AutumnFeatureSchema)),
  included: Schema.optionalKey(nullable(AutumnCount, "a number of units")),
  unlimited: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  reset: Schema.optionalKey(Schema.NullOr(Schema.Struct({
    interval: AutumnInterval,
    interval_count: Schema.optionalKey(nullable(AutumnPositiveInt, "an integer ≥ 1"))
  }))),
  price: Schema.optionalKey(Schema.NullOr(V2ItemPriceSchema)),
  proration: Schema.optionalKey(Schema.NullOr(Schema.Struct({
    on_increase: Schema.optionalKey(Schema.NullOr(OnIncrease)),
    on_decrease: Schema.optionalKey(Schema.NullOr(OnDecrease))
  }))),
  entity_feature_id: Schema.optionalKey(Schema.NullOr(Schema.String)),
  threshold_billing: Ignored,
  // Balance-only or display fields: no effect on prices (docs/autumn-catalog.md).
  pooled: Ignored,
  display: Ignored,
  rollover: Ignored,
  expiry: Ignored,
  feature_override: Ignored
})
type V2Item = typeof V2ItemSchema.Type

/** Autumn's v2 plan, with the read-only fields its API adds (accepted and ignored). */
export const V2PlanSchema = Schema.Struct({
  id: Schema.String,
  name: Schema.optionalKey(Schema.NullOr(Schema.String)),
  description: Ignored,
  group: Schema.optionalKey(Schema.NullOr(Schema.String)),
  version: Schema.optionalKey(AutumnPositiveInt),
  add_on: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  auto_enable: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  price: Schema.optionalKey(Schema.NullOr(Schema.Struct({
    amount: AutumnAmount,
    interval: AutumnInterval,
    interval_count: Schema.optionalKey(nullable(AutumnPositiveInt, "an integer ≥ 1")),
    additional_currencies: Schema.optionalKey(Schema.NullOr(AdditionalCurrencies)),
    display: Ignored,
    processors: Ignored
  }))),
  items: Schema.optionalKey(Schema.NullOr(Schema.Array(V2ItemSchema))),
  free_trial: Schema.optionalKey(Schema.NullOr(Schema.Struct({
    duration_length: AutumnPositiveInt,
    duration_type: Schema.Literals(["day", "month", "year"]),
    card_required: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
    on_end: Schema.optionalKey(nullable(Schema.Literals(["bill", "revert"]), '"bill" | "revert"'))
  }))),
  version_slug: Ignored,
  active: Ignored,
  processors: Ignored,
  created_at: Ignored,
  env: Ignored,
  archived: Ignored,
  config: Ignored,
  billing_controls: Ignored,
  metadata: Ignored,
  customer_eligibility: Ignored,
  base_variant_id: Ignored,
  variant_details: Ignored
})
/** A decoded v2 plan. */
export type V2Plan = typeof V2PlanSchema.Type

const hasPrice = (item: V2Item): boolean => item.price !== undefined && item.price !== null
const resets = (item: V2Item): boolean => item.reset !== undefined && item.reset !== null && item.reset.interval !== "one_off"

/**
 * What one v2 item says about its feature: the embedded `feature` when given; otherwise boolean
 * when it grants nothing countable (no included units, not unlimited, no price, no reset),
 * metered otherwise, and consumable when it resets.
 */
const itemHint = (item: V2Item, from: string): FeatureHint => {
  if (item.feature !== undefined && item.feature !== null) return { ...hintFromFeature(item.feature, from), id: item.feature_id }
  const metered = (item.included ?? 0) > 0 || item.unlimited === true || hasPrice(item) || resets(item)
  return { id: item.feature_id, metered, consumable: metered && resets(item), explicit: false, from }
}

/** The feature hints of a v2 plan's items. */
export const v2Hints = (plan: V2Plan, at: string): Array<FeatureHint> =>
  (plan.items ?? []).map((item, m) => itemHint(item, `${at}.items[${m}].feature_id`))

const TIER_RENAMES: ReadonlyArray<readonly [RegExp, string]> = [[/\.upTo/, ".to"], [/\.currencies/, ".additional_currencies"]]
const PLAN_RENAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\.freeTrial\.length/, ".freeTrial.durationLength"],
  [/^\.freeTrial\.unit/, ".freeTrial.durationType"],
  ...TIER_RENAMES
]

/** A v2 plan as a plan of the catalog input document; problems go to `conv.issues`. */
export const v2Plan = (plan: V2Plan, at: string, generated: string, features: ReadonlyMap<string, FeatureHint>, conv: Conversion): PlanInput => {
  record(conv, generated, at, PLAN_RENAMES)
  const items: Array<PlanItemInput> = []
  for (const [m, item] of (plan.items ?? []).entries()) {
    const converted = planItem(item, `${at}.items[${m}]`, features, conv)
    if (converted === undefined) continue
    record(conv, `${generated}.items[${items.length}]`, `${at}.items[${m}]`, TIER_RENAMES)
    items.push(converted)
  }
  const price = basePrice(plan, at, conv)
  const trial = plan.free_trial
  if (trial?.on_end === "revert") {
    conv.issues.push({ path: `${at}.free_trial.on_end`, message: `"revert" has no counterpart here (a trial here ends by billing the plan)` })
  }
  return planInput({
    id: plan.id,
    name: plan.name,
    group: plan.group,
    addOn: plan.add_on,
    autoEnable: plan.auto_enable,
    version: plan.version,
    price,
    items,
    trial: trial === undefined || trial === null ? undefined : { length: trial.duration_length, unit: trial.duration_type, cardRequired: trial.card_required }
  })
}

const basePrice = (plan: V2Plan, at: string, conv: Conversion): PlanInput["price"] => {
  const p = plan.price
  if (p === undefined || p === null) return undefined
  const unit = intervalUnit(p.interval, `${at}.price.interval`, conv)
  if (unit === undefined) return undefined
  const count = p.interval_count ?? undefined
  const currencies = currenciesOf(p.additional_currencies)
  return {
    amount: decimalString(p.amount),
    interval: unit,
    ...(unit !== "one_off" && count !== undefined ? { intervalCount: count } : {}),
    ...(currencies !== undefined ? { currencies } : {})
  }
}

const planItem = (item: V2Item, path: string, features: ReadonlyMap<string, FeatureHint>, conv: Conversion): PlanItemInput | undefined => {
  if (item.entity_feature_id !== undefined && item.entity_feature_id !== null) {
    conv.issues.push({ path: `${path}.entity_feature_id`, message: "per-entity items have no counterpart in this catalog (entities attach plans of their own)" })
    return undefined
  }
  if (item.threshold_billing !== undefined && item.threshold_billing !== null) {
    conv.issues.push({ path: `${path}.threshold_billing`, message: "threshold billing (invoicing overage mid-cycle) has no counterpart here" })
    return undefined
  }
  const feature = features.get(item.feature_id)
  if (feature !== undefined && !feature.metered) return flagItem(item.feature_id, hasPrice(item), `${path}.price`, conv)
  const included = item.unlimited === true ? "unlimited" : item.included ?? undefined
  const reset = resetOf(item, path, conv)
  const price = item.price === undefined || item.price === null ? undefined : itemPrice(item.price, `${path}.price`, included, conv)
  const proration = item.proration === undefined || item.proration === null
    ? undefined
    : prorationOf(item.proration.on_increase, item.proration.on_decrease, `${path}.proration`, conv)
  return itemInput(item.feature_id, included, reset, price, proration)
}

const resetOf = (item: V2Item, path: string, conv: Conversion): PlanItemInput["reset"] => {
  if (item.reset === undefined || item.reset === null) return undefined
  const unit = intervalUnit(item.reset.interval, `${path}.reset.interval`, conv)
  if (unit === undefined || unit === "one_off") return undefined
  const count = item.reset.interval_count ?? undefined
  return { interval: unit, ...(count !== undefined ? { intervalCount: count } : {}) }
}

type V2ItemPrice = typeof V2ItemPriceSchema.Type
type ItemPriceInput = NonNullable<PlanItemInput["price"]>

const itemPrice = (price: V2ItemPrice, path: string, included: number | "unlimited" | undefined, conv: Conversion): ItemPriceInput | undefined => {
  const unit = intervalUnit(price.interval, `${path}.interval`, conv)
  if (unit === undefined) return undefined
  const count = price.interval_count ?? undefined
  const currencies = currenciesOf(price.additional_currencies)
  const tiers = price.tiers === undefined || price.tiers === null ? undefined : tiersOf(price.tiers, path, included, conv)
  return {
    ...(price.amount !== undefined && price.amount !== null ? { amount: decimalString(price.amount) } : {}),
    ...(tiers !== undefined ? { tiers } : {}),
    ...(price.tier_behavior !== undefined && price.tier_behavior !== null ? { tierBehavior: price.tier_behavior } : {}),
    interval: unit,
    ...(unit !== "one_off" && count !== undefined ? { intervalCount: count } : {}),
    ...(price.billing_units !== undefined && price.billing_units !== null ? { billingUnits: price.billing_units } : {}),
    billingMethod: price.billing_method,
    ...(price.max_purchase !== undefined && price.max_purchase !== null ? { maxPurchase: price.max_purchase } : {}),
    ...(currencies !== undefined ? { currencies } : {})
  }
}

type TierInput = NonNullable<ItemPriceInput["tiers"]>[number]

/**
 * v2 tiers as Autumn returns them: each `to` INCLUDES the included units (autumn-js 1.x, Plan
 * response), while a tier `upTo` here counts billable units after them — so `upTo = to − included`.
 */
const tiersOf = (tiers: V2ItemPrice["tiers"] & object, path: string, included: number | "unlimited" | undefined, conv: Conversion): Array<TierInput> => {
  const base = typeof included === "number" ? included : 0
  return tiers.map((t, k): TierInput => {
    if (t.additional_currencies !== undefined && t.additional_currencies !== null && t.additional_currencies.length > 0) {
      conv.issues.push({ path: `${path}.tiers[${k}].additional_currencies`, message: "per-currency tier amounts have no counterpart here (tiers are priced in the catalog currency)" })
    }
    let upTo: number | "inf" = t.to
    if (typeof t.to === "number") {
      if (t.to <= base) conv.issues.push({ path: `${path}.tiers[${k}].to`, message: `tier ends at ${t.to}, not above the ${base} included units (Autumn's v2 "to" counts the included units)` })
      upTo = Math.max(0, t.to - base)
    }
    return { upTo, amount: decimalString(t.amount), ...(t.flat_amount !== undefined && t.flat_amount !== null ? { flatAmount: decimalString(t.flat_amount) } : {}) }
  })
}
