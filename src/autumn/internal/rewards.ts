/**
 * Autumn's rewards (`percentage_discount`, `fixed_discount`, with `discount_config` and
 * `promo_codes`) as the catalog's discounts, so that `reward` on checkout and `discounts [{
 * reward_id } | { promotion_code }]` on billing calls work with an Autumn catalog. Mapping:
 * docs/autumn-catalog.md. A reward the engine cannot express (`free_product`, a discount limited
 * to Stripe price ids) is a decode error naming the field.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { CatalogInput } from "../../Catalog.ts"
import type { DecodeIssue } from "../../Errors.ts"
import { issueLeaves } from "../../internal/issuePaths.ts"
import { decimalString } from "./productWire.ts"

const opt = Schema.optionalKey
const Ignored = opt(Schema.Unknown)

const DiscountConfig = Schema.Struct({
  discount_value: Schema.Number,
  duration_type: Schema.Literals(["one_off", "months", "forever"]),
  duration_value: opt(Schema.NullOr(Schema.Number)),
  apply_to_all: opt(Schema.NullOr(Schema.Boolean)),
  price_ids: opt(Schema.NullOr(Schema.Array(Schema.String))),
  product_ids: opt(Schema.NullOr(Schema.Array(Schema.String))),
  should_rollover: Ignored
})

/** Schema of one Autumn reward, as Autumn's API returns it. */
export const AutumnRewardSchema = Schema.Struct({
  id: Schema.String,
  name: opt(Schema.NullOr(Schema.String)),
  type: Schema.Literals(["percentage_discount", "fixed_discount", "free_product", "invoice_credits"]),
  discount_config: opt(Schema.NullOr(DiscountConfig)),
  free_product_id: Ignored,
  free_product_config: Ignored,
  promo_codes: opt(Schema.NullOr(Schema.Array(Schema.Struct({ code: Schema.String, max_redemptions: Ignored, expires_at: Ignored })))),
  internal_id: Ignored,
  created_at: Ignored,
  env: Ignored
})
type AutumnReward = typeof AutumnRewardSchema.Type
type DiscountInput = NonNullable<CatalogInput["discounts"]>[number]

const decodeOptions = { errors: "all", onExcessProperty: "error" } as const
const decodeReward = Schema.decodeUnknownResult(AutumnRewardSchema)

const durationOf = (c: typeof DiscountConfig.Type, at: string, issues: Array<DecodeIssue>): DiscountInput["duration"] => {
  if (c.duration_type === "one_off") return "once"
  if (c.duration_type === "forever") return "forever"
  const months = c.duration_value
  if (typeof months !== "number" || !Number.isSafeInteger(months) || months < 1) {
    issues.push({ path: `${at}.discount_config.duration_value`, message: `expected a whole number of months ≥ 1 for duration_type "months", got ${JSON.stringify(months ?? null)}` })
    return "once"
  }
  return { months }
}

const discountOf = (r: AutumnReward, at: string, issues: Array<DecodeIssue>): DiscountInput | undefined => {
  if (r.type === "free_product" || r.type === "invoice_credits") {
    issues.push({ path: `${at}.type`, message: `"${r.type}" rewards are not supported by this library: use percentage_discount or fixed_discount` })
    return undefined
  }
  const c = r.discount_config
  if (c === undefined || c === null) {
    issues.push({ path: `${at}.discount_config`, message: "is required for a discount reward but missing" })
    return undefined
  }
  if ((c.price_ids ?? []).length > 0) {
    issues.push({ path: `${at}.discount_config.price_ids`, message: "discounts limited to Stripe price ids are not supported: use product_ids" })
    return undefined
  }
  const value = decimalString(c.discount_value)
  const limited = c.apply_to_all !== true && (c.product_ids ?? []).length > 0
  const codes = (r.promo_codes ?? []).map((p) => p.code)
  return {
    id: r.id,
    ...(r.name === undefined || r.name === null ? {} : { name: r.name }),
    ...(r.type === "percentage_discount" ? { percentOff: value } : { amountOff: value }),
    duration: durationOf(c, at, issues),
    ...(limited ? { appliesTo: c.product_ids ?? [] } : {}),
    ...(codes.length === 0 ? {} : { promotionCodes: codes })
  }
}

/**
 * Autumn rewards (an array or `{ list }`) → the catalog's discount inputs; issues name the
 * Autumn field (`rewards[0].type: …`).
 *
 * @example importRewards([{ id: "launch", type: "percentage_discount", discount_config: { discount_value: 20, duration_type: "forever" }, promo_codes: [{ code: "LAUNCH" }] }], [])
 * // [{ id: "launch", percentOff: "20", duration: "forever", promotionCodes: ["LAUNCH"] }]
 */
export const importRewards = (raw: unknown, issues: Array<DecodeIssue>): Array<DiscountInput> => {
  if (raw === undefined || raw === null) return []
  const list = Array.isArray(raw) ? raw : typeof raw === "object" && Array.isArray((raw as Record<string, unknown>)["list"]) ? (raw as Record<string, ReadonlyArray<unknown>>)["list"] ?? [] : undefined
  if (list === undefined) {
    issues.push({ path: "rewards", message: "expected Autumn's rewards (an array or { list: [...] })" })
    return []
  }
  const out: Array<DiscountInput> = []
  list.forEach((u, i) => {
    const r = decodeReward(u, decodeOptions)
    if (Result.isFailure(r)) {
      issueLeaves(r.failure.issue, ["rewards", i], issues)
      return
    }
    const d = discountOf(r.success, `rewards[${i}]`, issues)
    if (d !== undefined) out.push(d)
  })
  return out
}
