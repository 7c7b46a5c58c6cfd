/**
 * Import of Autumn's product catalog — v1 products (`items` of type `price` / `feature` /
 * `priced_feature`) or v2 plans (`price`, `items[] { included, reset, price }`) exactly as
 * Autumn's API returns them — into this library's catalog. Decode errors name the Autumn field
 * (`products[0].items[2].usage_model: …`); the converted document then goes through
 * {@link decodeCatalog}, so every docs/spec.md §3 rule still applies. Mapping rules:
 * docs/autumn-catalog.md.
 *
 * @example
 * import * as Autumn from "attach-planner/autumn"
 * const r = Autumn.importAutumnCatalog({ list: [{ id: "pro", name: "Pro", is_add_on: false, is_default: false, items: [{ type: "price", interval: "month", price: 20 }] }] })
 * // Result.succeed(catalog) with plan "pro" at 20 usd a month
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { Catalog, CatalogInput } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"
import { type DecodeError, type DecodeIssue, decodeErrorOf } from "../Errors.ts"
import { issueLeaves } from "../internal/issuePaths.ts"
import { featureInputs, resolveFeatures } from "./internal/productFeatures.ts"
import { rememberProducts } from "./internal/productInfo.ts"
import { importRewards } from "./internal/rewards.ts"
import { type V1Product, V1ProductSchema, v1Hints, v1Plan } from "./internal/productsV1.ts"
import { type V2Plan, V2PlanSchema, v2Hints, v2Plan } from "./internal/productsV2.ts"
import { AutumnFeatureSchema, type Conversion, type FeatureHint, hintFromFeature, isRecord, type PathRecord, snakePath } from "./internal/productWire.ts"

/**
 * Options of the import.
 *
 * @example const options: ImportOptions = { defaultCurrency: "eur", features: { list: autumnFeatures } }
 */
export interface ImportOptions {
  /** The catalog currency (Autumn products carry none); default `"usd"`. */
  readonly defaultCurrency?: string
  /** Autumn's features list (an array or `{ list }`), for feature names and types. */
  readonly features?: unknown
  /** Autumn's rewards (an array or `{ list }`), imported as the catalog's discounts. */
  readonly rewards?: unknown
}

/**
 * The catalog input document (docs/spec.md §3, camelCase JSON) an import produces.
 *
 * @example const doc: CatalogInputDocument = { defaultCurrency: "usd", features: [], plans: [{ id: "pro", price: { amount: "20", interval: "month" } }] }
 */
export type CatalogInputDocument = CatalogInput

const decodeOptions = { errors: "all", onExcessProperty: "error", reportInput: true } as const
const decodeV1 = Schema.decodeUnknownResult(V1ProductSchema)
const decodeV2 = Schema.decodeUnknownResult(V2PlanSchema)
const decodeFeature = Schema.decodeUnknownResult(AutumnFeatureSchema)

type Decoded = { readonly version: 1; readonly product: V1Product } | { readonly version: 2; readonly product: V2Plan }

const kindOf = (u: unknown): string => (u === null ? "null" : Array.isArray(u) ? "an array" : typeof u)

/** The products of the accepted wrappers: one product, an array, `{ list }` or `{ products, features? }`. */
const WRAPPER_KEYS = ["products", "features", "rewards"]

const unwrap = (input: unknown): { readonly products: ReadonlyArray<unknown>; readonly features: unknown; readonly rewards: unknown } | undefined => {
  if (Array.isArray(input)) return { products: input, features: undefined, rewards: undefined }
  if (!isRecord(input)) return undefined
  const keys = Object.keys(input)
  if (Array.isArray(input["list"]) && keys.every((k) => k === "list")) return { products: input["list"], features: undefined, rewards: undefined }
  if (Array.isArray(input["products"]) && keys.every((k) => WRAPPER_KEYS.includes(k))) {
    return { products: input["products"], features: input["features"], rewards: input["rewards"] }
  }
  return { products: [input], features: undefined, rewards: undefined }
}

const V2_MARKERS = ["add_on", "auto_enable", "price", "description"]
const V1_MARKERS = ["is_add_on", "is_default"]

/** v2 when a plan-only field is present, or when its items or trial use v2 names. */
const isV2Shape = (p: Record<string, unknown>): boolean => {
  if (V2_MARKERS.some((k) => k in p)) return true
  if (V1_MARKERS.some((k) => k in p)) return false
  if (isRecord(p["free_trial"]) && "duration_length" in p["free_trial"]) return true
  const items = p["items"]
  return Array.isArray(items) && items.some((i) => isRecord(i) && ("included" in i || "unlimited" in i || "reset" in i))
}

const decodeProduct = (u: unknown, i: number, issues: Array<DecodeIssue>): Decoded | undefined => {
  if (!isRecord(u)) {
    issues.push({ path: `products[${i}]`, message: `expected an Autumn product (an object), got ${kindOf(u)}` })
    return undefined
  }
  if (isV2Shape(u)) {
    const r = decodeV2(u, decodeOptions)
    if (Result.isSuccess(r)) return { version: 2, product: r.success }
    issueLeaves(r.failure.issue, ["products", i], issues)
    return undefined
  }
  const r = decodeV1(u, decodeOptions)
  if (Result.isSuccess(r)) return { version: 1, product: r.success }
  issueLeaves(r.failure.issue, ["products", i], issues)
  return undefined
}

const listedFeatures = (raw: unknown, issues: Array<DecodeIssue>): Array<FeatureHint> => {
  if (raw === undefined || raw === null) return []
  const list = Array.isArray(raw) ? raw : isRecord(raw) && Array.isArray(raw["list"]) ? raw["list"] : undefined
  if (list === undefined) {
    issues.push({ path: "features", message: `expected Autumn's features list (an array or { list: [...] }), got ${kindOf(raw)}` })
    return []
  }
  const out: Array<FeatureHint> = []
  list.forEach((f: unknown, j) => {
    const r = decodeFeature(f, decodeOptions)
    if (Result.isSuccess(r)) out.push(hintFromFeature(r.success, `features[${j}]`))
    else issueLeaves(r.failure.issue, ["features", j], issues)
  })
  return out
}

/** A second-pass path (`catalog.plans[0].items[1].price.amount`) as the Autumn path it came from. */
const autumnPath = (path: string, records: ReadonlyArray<PathRecord>): string => {
  let best: PathRecord | undefined
  for (const r of records) {
    const under = path === r.generated || path.startsWith(`${r.generated}.`) || path.startsWith(`${r.generated}[`)
    if (under && (best === undefined || r.generated.length > best.generated.length)) best = r
  }
  if (best === undefined) return `(converted catalog) ${path}`
  let rest = path.slice(best.generated.length)
  for (const [pattern, replacement] of best.renames) rest = rest.replace(pattern, replacement)
  return best.autumn + snakePath(rest)
}

interface Converted {
  readonly document: CatalogInputDocument
  readonly catalog: Catalog
}

const convert = (input: unknown, options: ImportOptions): Result.Result<Converted, DecodeError> => {
  const issues: Array<DecodeIssue> = []
  const unwrapped = unwrap(input)
  if (unwrapped === undefined) {
    return Result.fail(decodeErrorOf([{ path: "(document)", message: `expected an Autumn product, an array of products, or { list: [...] }, got ${kindOf(input)}` }]))
  }
  const decoded = unwrapped.products.map((p, i) => decodeProduct(p, i, issues))
  const listed = listedFeatures(options.features ?? unwrapped.features, issues)
  const discounts = importRewards(options.rewards ?? unwrapped.rewards, issues)
  if (issues.length > 0) return Result.fail(decodeErrorOf(issues))

  const present = decoded.filter((d): d is Decoded => d !== undefined)
  const hints = present.flatMap((d, i) => (d.version === 1 ? v1Hints(d.product, `products[${i}]`) : v2Hints(d.product, `products[${i}]`)))
  const features = resolveFeatures(listed, hints)
  const conv: Conversion = { issues, records: [{ generated: "catalog.defaultCurrency", autumn: "options.defaultCurrency", renames: [] }] }
  const plans = present.map((d, i) =>
    d.version === 1
      ? v1Plan(d.product, `products[${i}]`, `catalog.plans[${i}]`, features, conv)
      : v2Plan(d.product, `products[${i}]`, `catalog.plans[${i}]`, features, conv)
  )
  discounts.forEach((_, i) => conv.records.push({ generated: `catalog.discounts[${i}]`, autumn: `rewards[${i}]`, renames: REWARD_RENAMES }))
  const document: CatalogInputDocument = {
    defaultCurrency: options.defaultCurrency ?? "usd", features: featureInputs(features, conv), plans, ...(discounts.length === 0 ? {} : { discounts })
  }
  if (issues.length > 0) return Result.fail(decodeErrorOf(issues))

  const catalog = decodeCatalog(document, "catalog")
  if (Result.isFailure(catalog)) {
    return Result.fail(decodeErrorOf(catalog.failure.issues.map((i) => ({ path: autumnPath(i.path, conv.records), message: i.message }))))
  }
  rememberProducts(catalog.success, unwrapped.products)
  return Result.succeed({ document, catalog: catalog.success })
}

/**
 * Autumn products (v1 or v2, one object, an array, or `{ list }`) → this library's Catalog.
 *
 * @example
 * importAutumnCatalog([{ id: "pro", is_add_on: false, is_default: false, items: [{ type: "price", interval: "month", price: 20 }] }])
 * // Result.succeed(catalog): plan "pro", base price 20 usd a month
 */
export const importAutumnCatalog = (products: unknown, options: ImportOptions = {}): Result.Result<Catalog, DecodeError> =>
  Result.map(convert(products, options), (c) => c.catalog)

/**
 * Same, but returns the catalog *input document* (plain JSON, camelCase), for writing to a file.
 *
 * @example
 * autumnCatalogDocument({ id: "pro", add_on: false, auto_enable: false, price: { amount: 20, interval: "month" }, items: [] })
 * // Result.succeed({ defaultCurrency: "usd", features: [], plans: [{ id: "pro", price: { amount: "20", interval: "month" }, items: [] }] })
 */
export const autumnCatalogDocument = (products: unknown, options: ImportOptions = {}): Result.Result<CatalogInputDocument, DecodeError> =>
  Result.map(convert(products, options), (c) => c.document)

/** Second-pass discount fields as the reward fields they came from. */
const REWARD_RENAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\.percentOff/, ".discount_config.discount_value"], [/^\.amountOff/, ".discount_config.discount_value"],
  [/^\.appliesTo/, ".discount_config.product_ids"], [/^\.promotionCodes/, ".promo_codes"]
]

const PRODUCT_MARKERS = ["is_add_on", "is_default", "add_on", "auto_enable", "free_trial", "base_variant_id", "created_at"]

const looksLikeProduct = (u: unknown): boolean => {
  if (!isRecord(u) || typeof u["id"] !== "string" || "plans" in u || "defaultCurrency" in u) return false
  if (PRODUCT_MARKERS.some((k) => k in u)) return true
  const items = u["items"]
  return Array.isArray(items) && items.some((i) => isRecord(i) && ("feature_id" in i || "included_usage" in i || "type" in i))
}

/**
 * Whether JSON looks like Autumn products (v1 or v2; one, an array, `{ list }` or
 * `{ products, features }`) rather than a native catalog document.
 *
 * @example isAutumnCatalog({ list: [{ id: "pro", is_add_on: false, items: [] }] }) // true
 * @example isAutumnCatalog({ defaultCurrency: "usd", features: [], plans: [] }) // false
 */
export const isAutumnCatalog = (json: unknown): boolean => {
  if (Array.isArray(json)) return json.length > 0 && json.every(looksLikeProduct)
  if (!isRecord(json)) return false
  const keys = Object.keys(json)
  if (Array.isArray(json["list"]) && keys.every((k) => k === "list")) return json["list"].every(looksLikeProduct)
  if (Array.isArray(json["products"]) && keys.every((k) => WRAPPER_KEYS.includes(k))) return json["products"].every(looksLikeProduct)
  return looksLikeProduct(json)
}
