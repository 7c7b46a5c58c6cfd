/**
 * The pricing table in one call: for one customer at one instant, what attaching each plan of
 * the catalog would do and cost — scenario, timing, trial, amount due today, the recurring
 * amount after it, checkout, and the call to action a pricing page shows. Every row equals what
 * previewing the attach of that plan alone returns. Rules: docs/pricing-table.md.
 *
 * @example
 * import { previewPricingTableSync } from "attach-planner"
 * import * as Result from "effect/Result"
 * const r = previewPricingTableSync({ catalog, customer, at: "2025-01-16T00:00:00Z" })
 * if (Result.isSuccess(r)) for (const row of r.success.plans) console.log(row.planId, row.action, row.amountDueToday)
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { AttachError } from "./Errors.ts"
import { decodePricingDocument } from "./pricingTable/decode.ts"
import { type PricingTable, planPricingTable } from "./pricingTable/table.ts"

export { decodePricingDocument, decodePricingRequest } from "./pricingTable/decode.ts"
export { billingInterval, callToAction, type CallToAction, entryOf, type HeldPlan, type PlanKind, type PricingTableEntry, type RecurringAmount, type UnavailableReason } from "./pricingTable/entry.ts"
export { customerEligibility, type AutumnAttachAction, type AutumnCustomerEligibility } from "./pricingTable/eligibility.ts"
export { heldPlans, listedPlans, type PricingTable, type PricingTableInput, planPricingTable } from "./pricingTable/table.ts"

/**
 * Decodes a pricing table document `{ catalog, customer, at, entityId?, currency?, allVersions? }`
 * and builds the table, synchronously: a `Result` holding the table or the tagged error. Never
 * throws.
 *
 * @example
 * const r = previewPricingTableSync(JSON.parse(text))
 * Result.isSuccess(r) ? r.success.plans.length : r.failure._tag
 */
export const previewPricingTableSync = (document: unknown): Result.Result<PricingTable, AttachError> => {
  const input = decodePricingDocument(document)
  return Result.isFailure(input) ? Result.fail(input.failure) : planPricingTable(input.success)
}

/**
 * The Effect form: the table, or a failure with the tagged {@link AttachError}.
 *
 * @example const table = yield* previewPricingTable(document)
 */
export const previewPricingTable = (document: unknown): Effect.Effect<PricingTable, AttachError> =>
  Effect.suspend(() => Effect.fromResult(previewPricingTableSync(document)))

/**
 * The Promise form: resolves with the table, rejects with the tagged error (an `Error` with `_tag`).
 *
 * @example const table = await previewPricingTablePromise(document)
 */
export const previewPricingTablePromise = (document: unknown): Promise<PricingTable> => {
  const r = previewPricingTableSync(document)
  return Result.isSuccess(r) ? Promise.resolve(r.success) : Promise.reject(r.failure)
}
