/**
 * The catalog (docs/spec.md §3): features, plans with their prices and items, and discounts — the
 * JSON shape accepted on input (`CatalogInput`) and the decoded, validated model the planner
 * works on (`Catalog`).
 *
 * @example
 * import { decodeCatalog } from "attach-planner"
 * const result = decodeCatalog({ defaultCurrency: "usd", features: [], plans: [{ id: "pro", price: { amount: "20", interval: "month" } }] })
 */
import * as Schema from "effect/Schema"
import type { Interval } from "./Interval.ts"
import { type ProrationPolicy, ProrationPolicySchema } from "./ProrationPolicy.ts"
import type * as Rational from "./Rational.ts"
import {
  CurrencyCode, DecimalAmount, Id, IntervalUnitSchema, NonNegativeNumber, PositiveInt, PriceIntervalSchema
} from "./internal/schemaKit.ts"

const Decimal = DecimalAmount
const Display = Schema.Struct({ singular: Schema.String, plural: Schema.String })

/**
 * Schema of a feature on input: a boolean entitlement or a metered quantity (seats, messages, credits).
 * @example Schema.decodeUnknownResult(FeatureSchema)({ id: "seats", type: "metered" })._tag // "Success"
 */
export const FeatureSchema = Schema.Struct({
  id: Id,
  name: Schema.optionalKey(Schema.String),
  type: Schema.Literals(["boolean", "metered"]),
  consumable: Schema.optionalKey(Schema.Boolean),
  display: Schema.optionalKey(Display)
})

const CurrencyAmounts = Schema.Record(Schema.String, Decimal)

/**
 * Schema of a plan's base price on input: a decimal amount per interval, with per-currency overrides.
 * @example Schema.decodeUnknownResult(BasePriceSchema)({ amount: "20", interval: "month", currencies: { eur: "18" } })._tag // "Success"
 */
export const BasePriceSchema = Schema.Struct({
  amount: Decimal,
  interval: PriceIntervalSchema,
  intervalCount: Schema.optionalKey(PositiveInt),
  currencies: Schema.optionalKey(CurrencyAmounts)
})

/**
 * Schema of a price tier on input: a unit (and flat) amount up to `upTo` billable units (`"inf"` for the last).
 * @example Schema.decodeUnknownResult(TierSchema)({ upTo: "inf", amount: "0.08" })._tag // "Success"
 */
export const TierSchema = Schema.Struct({
  upTo: Schema.Union([NonNegativeNumber, Schema.Literal("inf")]),
  amount: Decimal,
  flatAmount: Schema.optionalKey(Decimal)
})

/**
 * Schema of a plan item's price on input: a flat or tiered amount, billed prepaid or by usage.
 * @example Schema.decodeUnknownResult(ItemPriceSchema)({ amount: "10", interval: "month", billingMethod: "prepaid" })._tag // "Success"
 */
export const ItemPriceSchema = Schema.Struct({
  amount: Schema.optionalKey(Decimal),
  tiers: Schema.optionalKey(Schema.Array(TierSchema)),
  tierBehavior: Schema.optionalKey(Schema.Literals(["graduated", "volume"])),
  interval: PriceIntervalSchema,
  intervalCount: Schema.optionalKey(PositiveInt),
  billingUnits: Schema.optionalKey(PositiveInt),
  billingMethod: Schema.Literals(["prepaid", "usage_based"]),
  maxPurchase: Schema.optionalKey(NonNegativeNumber),
  currencies: Schema.optionalKey(CurrencyAmounts)
})

/**
 * Schema of a plan item on input: a feature with its included allowance, reset, price and proration.
 * @example Schema.decodeUnknownResult(PlanItemSchema)({ featureId: "seats", included: 3 })._tag // "Success"
 */
export const PlanItemSchema = Schema.Struct({
  featureId: Id,
  included: Schema.optionalKey(Schema.Union([NonNegativeNumber, Schema.Literal("unlimited")])),
  reset: Schema.optionalKey(Schema.Struct({ interval: IntervalUnitSchema, intervalCount: Schema.optionalKey(PositiveInt) })),
  price: Schema.optionalKey(ItemPriceSchema),
  proration: Schema.optionalKey(Schema.Struct({
    onIncrease: Schema.optionalKey(Schema.Literals(["prorate", "charge_full", "next_cycle"])),
    onDecrease: Schema.optionalKey(Schema.Literals(["prorate", "none", "next_cycle"]))
  }))
})

/**
 * Schema of a free trial on input: its length, in days, months or years, and whether it needs a card.
 * @example Schema.decodeUnknownResult(FreeTrialSchema)({ length: 14, unit: "day" })._tag // "Success"
 */
export const FreeTrialSchema = Schema.Struct({
  length: PositiveInt,
  unit: Schema.Literals(["day", "month", "year"]),
  cardRequired: Schema.optionalKey(Schema.Boolean)
})

/**
 * Schema of a plan (one version of it) on input: its base price, items, group and free trial.
 * @example Schema.decodeUnknownResult(PlanSchema)({ id: "pro", price: { amount: "20", interval: "month" } })._tag // "Success"
 */
export const PlanSchema = Schema.Struct({
  id: Id,
  name: Schema.optionalKey(Schema.String),
  group: Schema.optionalKey(Schema.String),
  addOn: Schema.optionalKey(Schema.Boolean),
  autoEnable: Schema.optionalKey(Schema.Boolean),
  version: Schema.optionalKey(PositiveInt),
  price: Schema.optionalKey(BasePriceSchema),
  items: Schema.optionalKey(Schema.Array(PlanItemSchema)),
  freeTrial: Schema.optionalKey(FreeTrialSchema),
  prorationPolicy: Schema.optionalKey(ProrationPolicySchema)
})

/**
 * Schema of a discount on input: percent-off or amount-off, for once, forever or some months.
 * @example Schema.decodeUnknownResult(DiscountSchema)({ id: "LAUNCH20", percentOff: "20", duration: { months: 3 } })._tag // "Success"
 */
export const DiscountSchema = Schema.Struct({
  id: Id,
  name: Schema.optionalKey(Schema.String),
  percentOff: Schema.optionalKey(Decimal),
  amountOff: Schema.optionalKey(Decimal),
  duration: Schema.Union([
    Schema.Literals(["once", "forever"]),
    Schema.Struct({ months: PositiveInt })
  ]),
  appliesTo: Schema.optionalKey(Schema.Array(Id)),
  promotionCodes: Schema.optionalKey(Schema.Array(Id))
})

/**
 * Schema of a whole catalog on input (docs/spec.md §3): its shape only; `decodeCatalog` also checks its references.
 * @example Schema.decodeUnknownResult(CatalogSchema)({ defaultCurrency: "usd", features: [], plans: [] })._tag // "Success"
 */
export const CatalogSchema = Schema.Struct({
  defaultCurrency: CurrencyCode,
  features: Schema.Array(FeatureSchema),
  plans: Schema.Array(PlanSchema),
  discounts: Schema.optionalKey(Schema.Array(DiscountSchema)),
  prorationPolicy: Schema.optionalKey(ProrationPolicySchema)
})

/** A catalog as JSON, before decoding. @example const input: CatalogInput = { defaultCurrency: "usd", features: [], plans: [{ id: "pro", price: { amount: "20", interval: "month" } }] } */
export type CatalogInput = typeof CatalogSchema.Encoded

// ---------------------------------------------------------------------------------------------
// The decoded model
// ---------------------------------------------------------------------------------------------

/** A price interval: a recurring {@link Interval} or `"one_off"`. @example const monthly: PriceInterval = { unit: "month", count: 1 } // or "one_off" */
export type PriceInterval = Interval | "one_off"

/** A feature of the catalog. @example const seats: Feature = { id: "seats", name: "Seats", type: "metered", consumable: false, display: { singular: "seat", plural: "seats" } } */
export interface Feature {
  readonly id: string
  readonly name: string
  readonly type: "boolean" | "metered"
  readonly consumable: boolean
  readonly display: { readonly singular: string; readonly plural: string } | undefined
}

/** An exact amount in major units of the catalog's default currency, with per-currency overrides. @example findPlan(catalog, "pro")?.price // examples/catalog.json: a decoded Rational `amount` (20/1) and a Map of `currencies` (eur → 18/1) */
export interface PriceAmount {
  readonly amount: Rational.Rational
  readonly currencies: ReadonlyMap<string, Rational.Rational>
}

/** A plan's base price. @example findPlan(catalog, "pro")?.price?.interval // { unit: "month", count: 1 }; its amount and currencies are decoded (a Rational, a Map) */
export interface BasePrice extends PriceAmount {
  readonly interval: PriceInterval
}

/** A tier of a tiered price; `upTo` counts billable units (after the included allowance). @example findPlan(catalog, "credits")?.items[0]?.price?.tiers?.map((t) => t.upTo) // [1000, 5000, "inf"] (examples/catalog.json); amounts are decoded Rationals */
export interface Tier {
  readonly upTo: number | "inf"
  readonly amount: Rational.Rational
  readonly flatAmount: Rational.Rational
}

/** The price of a plan item. @example findPlan(catalog, "pro")?.items[0]?.price?.billingMethod // "usage_based" (messages; tierBehavior "graduated", billingUnits 1 by default; amounts decoded) */
export interface ItemPrice {
  readonly amount: PriceAmount | undefined
  readonly tiers: ReadonlyArray<Tier> | undefined
  readonly tierBehavior: "graduated" | "volume"
  readonly interval: PriceInterval
  readonly billingUnits: number
  readonly billingMethod: "prepaid" | "usage_based"
  readonly maxPurchase: number | undefined
}

/** A plan item: a feature with its allowance, reset and price. @example findPlan(catalog, "pro")?.items[1]?.proration // { onIncrease: "prorate", onDecrease: "none" }: seats, 3 included (examples/catalog.json) */
export interface PlanItem {
  readonly featureId: string
  readonly feature: Feature
  readonly included: number | "unlimited"
  readonly reset: Interval | undefined
  readonly price: ItemPrice | undefined
  readonly proration: {
    readonly onIncrease: "prorate" | "charge_full" | "next_cycle"
    readonly onDecrease: "prorate" | "none" | "next_cycle"
  }
}

/** A free trial. @example const trial: FreeTrial = { length: 14, unit: "day", cardRequired: false } // pro_annual's in examples/catalog.json */
export interface FreeTrial {
  readonly length: number
  readonly unit: "day" | "month" | "year"
  readonly cardRequired: boolean
}

/** One price of a plan: its base price, or the price of one of its items. @example findPlan(catalog, "pro")?.facts.prices.map((p) => p.kind) // ["base", "item", "item"] (examples/catalog.json) */
export type PlanPrice =
  | { readonly kind: "base"; readonly plan: Plan; readonly price: BasePrice }
  | { readonly kind: "item"; readonly plan: Plan; readonly item: PlanItem; readonly price: ItemPrice }

/**
 * What the planner asks of a plan again and again, worked out once when the catalog is decoded
 * (the catalog is immutable, so these never go stale).
 * @example findPlan(catalog, "pro")?.facts.free // false; its monthlyTotals is a Map of decoded Rationals (usd → 28/1, eur → 26/1 in examples/catalog.json)
 */
export interface PlanFacts {
  /** Every price of the plan, base first, then items in catalog order. */
  readonly prices: ReadonlyArray<PlanPrice>
  /** No price has a non-zero amount. */
  readonly free: boolean
  /** Not free, and every price is `one_off`. */
  readonly oneOff: boolean
  /** The monthly-normalised total of the in-advance recurring prices, in each catalog currency. */
  readonly monthlyTotals: ReadonlyMap<string, Rational.Rational>
  /** The catalog currencies every non-zero price of the plan can be charged in. */
  readonly pricedIn: ReadonlySet<string>
}

/** A plan (one version of it). @example findPlan(catalog, "pro")?.version // 1, the highest version of "pro" (examples/catalog.json) */
export interface Plan {
  readonly id: string
  readonly name: string
  readonly group: string
  readonly addOn: boolean
  readonly autoEnable: boolean
  readonly version: number
  readonly price: BasePrice | undefined
  readonly items: ReadonlyArray<PlanItem>
  readonly freeTrial: FreeTrial | undefined
  /** How this plan's prices are prorated, unless the request says otherwise (absent: the catalog's). */
  readonly prorationPolicy?: ProrationPolicy
  /** Facts worked out once at decoding (see {@link PlanFacts}). */
  readonly facts: PlanFacts
}

/** A discount of the catalog. @example catalog.discountsByCode.get("LAUNCH")?.id // "LAUNCH20" (examples/catalog.json); its percentOff is a decoded Rational (20/1) */
export interface Discount {
  readonly id: string
  readonly name: string
  readonly percentOff: Rational.Rational | undefined
  readonly amountOff: Rational.Rational | undefined
  readonly duration: "once" | "forever" | { readonly months: number }
  readonly appliesTo: ReadonlyArray<string> | undefined
  readonly promotionCodes: ReadonlyArray<string>
}

/** A decoded, validated catalog with its look-up indexes. @example Result.map(decodeCatalog(json), (c) => c.latestPlans.map((p) => p.id)) // Success(["free", "pro", "pro_annual", "premium", "credits"]) for examples/catalog.json */
export interface Catalog {
  readonly defaultCurrency: string
  readonly features: ReadonlyArray<Feature>
  readonly plans: ReadonlyArray<Plan>
  readonly discounts: ReadonlyArray<Discount>
  /** Plans by id, each list sorted by ascending version. */
  readonly plansById: ReadonlyMap<string, ReadonlyArray<Plan>>
  /** The highest version of each plan id, in catalog order (what a pricing page lists). */
  readonly latestPlans: ReadonlyArray<Plan>
  readonly discountsById: ReadonlyMap<string, Discount>
  readonly discountsByCode: ReadonlyMap<string, Discount>
  /** How prices are prorated unless a plan or the request says otherwise (absent: `exact`). */
  readonly prorationPolicy?: ProrationPolicy
}

/**
 * Finds a plan by id: the requested version, or the highest one.
 *
 * @example findPlan(catalog, "pro") // the highest version of "pro", or undefined
 */
export const findPlan = (catalog: Catalog, id: string, version?: number): Plan | undefined => {
  const versions = catalog.plansById.get(id)
  if (versions === undefined) return undefined
  return version === undefined ? versions[versions.length - 1] : versions.find((p) => p.version === version)
}
