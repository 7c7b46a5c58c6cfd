/**
 * Pieces shared by the Autumn v1 product and v2 plan decoders: wire schemas for Autumn's
 * numbers and enums, the one conversion of Autumn's major-unit JS numbers into decimal strings,
 * interval names, and the conversion context that collects issues and path records.
 *
 * @example
 * import { decimalString } from "./productWire.ts"
 * decimalString(0.1) // "0.1"
 */
import { Decimal } from "decimal.js"
import * as Schema from "effect/Schema"
import type { CatalogInput } from "../../Catalog.ts"
import type { DecodeIssue } from "../../Errors.ts"
import type { IntervalUnit } from "../../Interval.ts"

/** A plan of the catalog input document. */
export type PlanInput = CatalogInput["plans"][number]
/** A plan item of the catalog input document. */
export type PlanItemInput = NonNullable<PlanInput["items"]>[number]
/** A feature of the catalog input document. */
export type FeatureInput = CatalogInput["features"][number]

/**
 * What the products say about a feature they reference. `explicit` hints come from an Autumn
 * feature type (`feature_type`, an embedded `feature`); the others are inferred from the item.
 */
export interface FeatureHint {
  readonly id: string
  readonly metered: boolean
  readonly consumable: boolean
  readonly explicit: boolean
  readonly name?: string | undefined
  readonly display?: { readonly singular: string; readonly plural: string } | undefined
  /** The Autumn path of the `feature_id` that referenced it first. */
  readonly from: string
}

/** Where a piece of the converted document came from, to map second-pass errors back. */
export interface PathRecord {
  /** Path in the converted document, e.g. `catalog.plans[0].items[1]`. */
  readonly generated: string
  /** Path in the Autumn input, e.g. `products[0].items[2]`. */
  readonly autumn: string
  /** Renames of the remainder, applied in order (camelCase suffix → Autumn suffix). */
  readonly renames: ReadonlyArray<readonly [RegExp, string]>
}

/** State of one conversion: every issue found, and the path records. */
export interface Conversion {
  readonly issues: Array<DecodeIssue>
  readonly records: Array<PathRecord>
}

/** An unknown value is a JSON object (not an array, not null). */
export const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * A money amount as Autumn sends it: a finite JS number ≥ 0 in major units (`0.1` = ten cents).
 */
export const AutumnAmount = Schema.Finite.annotate({ expected: "an amount in major units (a number)" }).check(
  Schema.makeFilter((n: number) => n >= 0, { expected: "a non-negative amount" })
)

/** A count of feature units Autumn sends as a number (`included_usage`, tier `to`). */
export const AutumnCount = Schema.Finite.annotate({ expected: "a number of units" }).check(
  Schema.makeFilter((n: number) => n >= 0 && n <= 1e15, { expected: "a number of units ≥ 0" })
)

/** A whole number ≥ 1 (`billing_units`, `interval_count`, `version`, trial lengths). */
export const AutumnPositiveInt = Schema.Finite.annotate({ expected: "an integer ≥ 1" }).check(
  Schema.makeFilter((n: number) => Number.isInteger(n) && n >= 1 && n <= Number.MAX_SAFE_INTEGER, { expected: "an integer ≥ 1" })
)

/** `X | null`, reported as "expected X" (null is Autumn's way of saying "not set"). */
export const nullable = <S extends Schema.Top>(schema: S, expected: string) => Schema.NullOr(schema).annotate({ expected })

/** Every interval name Autumn uses for prices and resets. */
export const AUTUMN_INTERVALS = ["minute", "hour", "day", "week", "month", "quarter", "semi_annual", "year", "multiple", "one_off"] as const
/** The intervals as a schema. */
export const AutumnInterval = Schema.Literals(AUTUMN_INTERVALS)
/** An Autumn interval name. */
export type AutumnIntervalName = (typeof AUTUMN_INTERVALS)[number]

const SUPPORTED: ReadonlySet<string> = new Set<IntervalUnit>(["day", "week", "month", "quarter", "semi_annual", "year"])

/**
 * Autumn's interval name as this library's interval unit; `null`, absent and `"one_off"` mean
 * one-off. `minute`, `hour` and `multiple` have no counterpart and are reported at `path`.
 */
export const intervalUnit = (name: AutumnIntervalName | null | undefined, path: string, conv: Conversion): IntervalUnit | "one_off" | undefined => {
  if (name === null || name === undefined || name === "one_off") return "one_off"
  if (SUPPORTED.has(name)) return name as IntervalUnit
  conv.issues.push({ path, message: `interval "${name}" has no counterpart here (intervals are day, week, month, quarter, semi_annual, year or one-off)` })
  return undefined
}

/**
 * The one place Autumn's major-unit JS numbers become decimals: the number's shortest decimal
 * form (what Autumn wrote), never float arithmetic. `1e-7` becomes `"0.0000001"`.
 */
export const decimalString = (n: number): string => {
  const s = String(n)
  return /e/i.test(s) ? new Decimal(s).toFixed() : s
}

/** Autumn's `additional_currencies: [{ currency, amount }]` as this library's `currencies` record. */
export const AdditionalCurrencies = Schema.Array(Schema.Struct({ currency: Schema.String, amount: AutumnAmount }))

/** The currencies record, or nothing when Autumn gave none. */
export const currenciesOf = (list: ReadonlyArray<{ readonly currency: string; readonly amount: number }> | null | undefined): Record<string, string> | undefined => {
  if (list === null || list === undefined || list.length === 0) return undefined
  const out: Record<string, string> = {}
  for (const c of list) out[c.currency.toLowerCase()] = decimalString(c.amount)
  return out
}

/** Autumn's proration on quantity increases (`config.on_increase`, `proration.on_increase`). */
export const OnIncrease = Schema.Literals(["prorate_immediately", "bill_immediately", "bill_next_cycle", "prorate_next_cycle"])
/** Autumn's proration on quantity decreases. */
export const OnDecrease = Schema.Literals(["prorate", "prorate_immediately", "none", "no_prorations", "prorate_next_cycle"])

type Proration = NonNullable<PlanItemInput["proration"]>

/**
 * Autumn's quantity-change proration as this library's: `prorate_immediately` → `prorate`,
 * `bill_immediately` → `charge_full`, `bill_next_cycle` → `next_cycle`; decreases `prorate` /
 * `prorate_immediately` → `prorate`, `none` / `no_prorations` → `none` (no credit either way).
 * `prorate_next_cycle` (a prorated amount put on the next invoice) has no counterpart.
 */
export const prorationOf = (
  onIncrease: typeof OnIncrease.Type | null | undefined,
  onDecrease: typeof OnDecrease.Type | null | undefined,
  path: string,
  conv: Conversion
): Proration | undefined => {
  const out: { onIncrease?: "prorate" | "charge_full" | "next_cycle"; onDecrease?: "prorate" | "none" | "next_cycle" } = {}
  const noCounterpart = (field: string) =>
    conv.issues.push({ path: `${path}.${field}`, message: `"prorate_next_cycle" has no counterpart here (a prorated amount billed on the next invoice); use prorate_immediately, bill_immediately or bill_next_cycle` })
  if (onIncrease === "prorate_immediately") out.onIncrease = "prorate"
  else if (onIncrease === "bill_immediately") out.onIncrease = "charge_full"
  else if (onIncrease === "bill_next_cycle") out.onIncrease = "next_cycle"
  else if (onIncrease === "prorate_next_cycle") noCounterpart("on_increase")
  if (onDecrease === "prorate" || onDecrease === "prorate_immediately") out.onDecrease = "prorate"
  else if (onDecrease === "none" || onDecrease === "no_prorations") out.onDecrease = "none"
  else if (onDecrease === "prorate_next_cycle") noCounterpart("on_decrease")
  return out.onIncrease === undefined && out.onDecrease === undefined ? undefined : out
}

/** Autumn's feature types, v1 (`single_use`, …) and v2 (`metered` + `consumable`). */
export const AutumnFeatureType = Schema.Literals(["boolean", "static", "single_use", "continuous_use", "metered", "credit_system", "ai_credit_system"])

/**
 * An Autumn feature: an entry of the features list, or the `feature` object Autumn embeds in
 * product items. Read-only fields Autumn adds are accepted and ignored.
 */
export const AutumnFeatureSchema = Schema.Struct({
  id: Schema.String,
  name: Schema.optionalKey(Schema.NullOr(Schema.String)),
  type: AutumnFeatureType,
  consumable: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
  display: Schema.optionalKey(Schema.NullOr(Schema.Struct({ singular: Schema.optionalKey(Schema.NullOr(Schema.String)), plural: Schema.optionalKey(Schema.NullOr(Schema.String)) }))),
  credit_schema: Schema.optionalKey(Schema.Unknown),
  event_names: Schema.optionalKey(Schema.Unknown),
  archived: Schema.optionalKey(Schema.Unknown),
  created_at: Schema.optionalKey(Schema.Unknown),
  env: Schema.optionalKey(Schema.Unknown),
  internal_id: Schema.optionalKey(Schema.Unknown),
  org_id: Schema.optionalKey(Schema.Unknown),
  config: Schema.optionalKey(Schema.Unknown)
})
/** A decoded Autumn feature. */
export type AutumnFeature = typeof AutumnFeatureSchema.Type

/** Whether an Autumn feature type is metered, and whether its usage is consumed (resets). */
export const featureKind = (type: typeof AutumnFeatureType.Type, consumable: boolean | null | undefined): { readonly metered: boolean; readonly consumable: boolean } => {
  switch (type) {
    case "boolean":
    case "static":
      return { metered: false, consumable: false }
    case "continuous_use":
      return { metered: true, consumable: false }
    case "metered":
      return { metered: true, consumable: consumable === true }
    default:
      return { metered: true, consumable: true }
  }
}

/** A hint taken from an embedded Autumn feature object. */
export const hintFromFeature = (f: AutumnFeature, from: string): FeatureHint => ({
  id: f.id,
  ...featureKind(f.type, f.consumable),
  explicit: true,
  name: f.name ?? undefined,
  display: displayOf(f.display),
  from
})

/** A display with both names, or nothing. */
export const displayOf = (d: AutumnFeature["display"]): { readonly singular: string; readonly plural: string } | undefined =>
  d !== null && d !== undefined && typeof d.singular === "string" && typeof d.plural === "string" ? { singular: d.singular, plural: d.plural } : undefined

/** camelCase → snake_case for each path segment (`billingUnits` → `billing_units`). */
export const snakePath = (path: string): string => path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** Records where a generated path came from. */
export const record = (conv: Conversion, generated: string, autumn: string, renames: ReadonlyArray<readonly [RegExp, string]> = []): void => {
  conv.records.push({ generated, autumn, renames })
}

/** The fields of a plan, as either Autumn shape gives them (null = not set). */
export interface PlanParts {
  readonly id: string
  readonly name: string | null | undefined
  readonly group: string | null | undefined
  readonly addOn: boolean | null | undefined
  readonly autoEnable: boolean | null | undefined
  readonly version: number | undefined
  readonly price: PlanInput["price"]
  readonly items: ReadonlyArray<PlanItemInput>
  readonly trial: { readonly length: number; readonly unit: "day" | "month" | "year"; readonly cardRequired: boolean | null | undefined } | undefined
}

/** A plan of the catalog input document, leaving out what Autumn left unset. */
export const planInput = (p: PlanParts): PlanInput => ({
  id: p.id,
  ...(p.name !== undefined && p.name !== null ? { name: p.name } : {}),
  ...(p.group !== undefined && p.group !== null ? { group: p.group } : {}),
  ...(p.addOn === true ? { addOn: true } : {}),
  ...(p.autoEnable === true ? { autoEnable: true } : {}),
  ...(p.version !== undefined ? { version: p.version } : {}),
  ...(p.price !== undefined ? { price: p.price } : {}),
  items: p.items,
  ...(p.trial !== undefined
    ? { freeTrial: { length: p.trial.length, unit: p.trial.unit, ...(typeof p.trial.cardRequired === "boolean" ? { cardRequired: p.trial.cardRequired } : {}) } }
    : {})
})

/** A plan item of the catalog input document, leaving out what is unset. */
export const itemInput = (
  featureId: string,
  included: number | "unlimited" | undefined,
  reset: PlanItemInput["reset"],
  price: PlanItemInput["price"],
  proration: PlanItemInput["proration"]
): PlanItemInput => ({
  featureId,
  ...(included !== undefined ? { included } : {}),
  ...(reset !== undefined ? { reset } : {}),
  ...(price !== undefined ? { price } : {}),
  ...(proration !== undefined ? { proration } : {})
})

/**
 * The item of a boolean feature: just its id (Autumn's `included_usage: "inf"` on a flag means
 * "enabled"). A price on a flag has nothing to count, so it is reported rather than dropped.
 */
export const flagItem = (featureId: string, priced: boolean, path: string, conv: Conversion): PlanItemInput | undefined => {
  if (!priced) return { featureId }
  conv.issues.push({ path, message: `feature "${featureId}" is a boolean feature (a flag) and cannot be priced` })
  return undefined
}
