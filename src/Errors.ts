/**
 * The typed failures of the engine (docs/spec.md §12). Each has a stable `_tag`, a message a person can
 * act on, and details; none is ever thrown across the public API.
 *
 * @example
 * import { UnknownPlan, errorDocument } from "attach-planner"
 * errorDocument(new UnknownPlan({ planId: "platinum", message: "No plan \"platinum\" in the catalog" }))
 * // { error: { _tag: "UnknownPlan", message: "No plan \"platinum\" in the catalog", planId: "platinum" } }
 */
import * as Data from "effect/Data"
import { decodeError } from "./internal/decodeIssues.ts"

/**
 * One problem found while decoding a document, as printed: where, and what (structured: `internal/decodeIssues.ts`).
 * @example const issue: DecodeIssue = { path: "catalog.plans", message: "is required but missing" }
 */
export interface DecodeIssue {
  readonly path: string
  readonly message: string
}

/**
 * A document that does not match docs/spec.md §3–§5; `path` names the first bad field.
 * @example decodeCatalog({ defaultCurrency: "usd", features: [] }) // Failure(DecodeError { path: "catalog.plans", message: "catalog.plans: is required but missing" })
 */
export class DecodeError extends Data.TaggedError("DecodeError")<{
  readonly message: string
  readonly path: string
  readonly issues: ReadonlyArray<DecodeIssue>
}> {}

/**
 * The {@link DecodeError} for a list of issues: its message and path are the first issue's, with
 * a count of the others.
 *
 * @example decodeErrorOf([{ path: "catalog.plans[0].id", message: "is missing" }]).message // "catalog.plans[0].id: is missing"
 */
export const decodeErrorOf = (issues: ReadonlyArray<DecodeIssue>): DecodeError => decodeError(issues)

/**
 * A requested plan (or version) that the catalog does not have.
 * @example errorDocument(new UnknownPlan({ planId: "pro", version: 9, message: "…" })).error // { _tag: "UnknownPlan", message: "…", planId: "pro", version: 9 }
 */
export class UnknownPlan extends Data.TaggedError("UnknownPlan")<{
  readonly message: string
  readonly planId: string
  readonly version?: number
}> {}

/**
 * A feature id (of a prepaid quantity, say) that the catalog does not have.
 * @example errorDocument(new UnknownFeature({ featureId: "storage", message: "…" })).error // { _tag: "UnknownFeature", message: "…", featureId: "storage" }
 */
export class UnknownFeature extends Data.TaggedError("UnknownFeature")<{
  readonly message: string
  readonly featureId: string
}> {}

/**
 * A discount id or promotion code that the catalog does not have.
 * @example errorDocument(new UnknownDiscount({ promotionCode: "SPRING", message: "…" })).error // { _tag: "UnknownDiscount", message: "…", promotionCode: "SPRING" }
 */
export class UnknownDiscount extends Data.TaggedError("UnknownDiscount")<{
  readonly message: string
  readonly discountId?: string
  readonly promotionCode?: string
}> {}

/**
 * An amount that does not exist in the invoice currency: a plan with no price in it (`planId`), or
 * an amount-off discount requested on an invoice not in the catalog's default currency (`discountId`).
 *
 * @example new CurrencyMismatch({ planId: "pro", currency: "eur", message: 'Plan "pro" has no price in EUR' })
 */
export class CurrencyMismatch extends Data.TaggedError("CurrencyMismatch")<{
  readonly message: string
  readonly planId?: string
  readonly discountId?: string
  readonly currency: string
}> {}

/**
 * The reason codes of {@link InvalidRequest}.
 * @example const reason: InvalidRequestReason = "two_main_plans_in_group"
 */
export type InvalidRequestReason =
  | "customer_mismatch"
  | "two_main_plans_in_group"
  | "multi_plan_must_be_immediate"
  | "proration_none_would_skip_charge"
  | "quantity_above_max_purchase"
  | "quantity_for_unpriced_feature"
  | "amount_out_of_range"
  | "unknown_subscription_plan"
  | "invalid_custom_line"
  | "instant_out_of_range"
  | "input_out_of_range"

/**
 * A well-formed request that cannot be carried out; `reason` is a stable code.
 * @example new InvalidRequest({ reason: "customer_mismatch", message: "…" }).reason // "customer_mismatch"
 */
export class InvalidRequest extends Data.TaggedError("InvalidRequest")<{
  readonly message: string
  readonly reason: InvalidRequestReason
}> {}

/**
 * Every error a preview can end with.
 * @example const error: AttachError = new UnknownPlan({ planId: "enterprise", message: 'No plan "enterprise" in the catalog' })
 */
export type AttachError = DecodeError | UnknownPlan | UnknownFeature | UnknownDiscount | CurrencyMismatch | InvalidRequest

/**
 * The error document of docs/spec.md §13.
 * @example const doc: ErrorDocument = { error: { _tag: "UnknownPlan", message: 'No plan "enterprise" in the catalog', planId: "enterprise" } }
 */
export interface ErrorDocument {
  readonly error: { readonly _tag: string; readonly message: string; readonly [detail: string]: unknown }
}

/**
 * Turns a tagged error into the error document `{ error: { _tag, message, ...details } }`.
 *
 * @example errorDocument(new InvalidRequest({ reason: "customer_mismatch", message: "…" })).error._tag // "InvalidRequest"
 */
export const errorDocument = (error: { readonly _tag: string; readonly message: string }): ErrorDocument => {
  const details: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) {
    if (key !== "_tag" && key !== "message" && key !== "stack" && value !== undefined) details[key] = value
  }
  return { error: { _tag: error._tag, message: error.message, ...details } }
}
