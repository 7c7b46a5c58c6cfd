/**
 * attach-planner: exact attach previews and plans for SaaS billing.
 *
 * @example
 * import { previewAttachSync } from "attach-planner"
 * import * as Result from "effect/Result"
 * const r = previewAttachSync({ catalog, customer, request })
 * if (Result.isSuccess(r)) console.log(r.success.amountDue)
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { decodeAttachDocument } from "./Document.ts"
import { type AttachError, type ErrorDocument, errorDocument } from "./Errors.ts"
import { planAttach } from "./Planner.ts"
import type { AttachPreview } from "./Preview.ts"

export * as Rational from "./Rational.ts"
export * as Money from "./Money.ts"
export * as Interval from "./Interval.ts"
export * as Proration from "./Proration.ts"
export * as ProrationPolicy from "./ProrationPolicy.ts"
export * as Pricing from "./Pricing.ts"
export * as Tiers from "./Tiers.ts"
export * as Scenario from "./Scenario.ts"
export * as Discounts from "./Discounts.ts"
export * as Checkout from "./Checkout.ts"
export type * from "./Preview.ts"
export { AttachPreviewSchema } from "./Preview.ts"
export type { Catalog, CatalogInput, Plan, PlanItem, Feature, Discount, ItemPrice, BasePrice, Tier, FreeTrial } from "./Catalog.ts"
export { CatalogSchema, findPlan } from "./Catalog.ts"
export type { Customer, Subscription, AppliedDiscount } from "./Customer.ts"
export { CustomerSchema, isCurrent } from "./Customer.ts"
export type { AttachRequest, RequestedPlan } from "./AttachRequest.ts"
export { AttachRequestSchema } from "./AttachRequest.ts"
export { type AttachInput, decodeAttachDocument, decodeCatalog, decodeCustomerAndRequest } from "./Document.ts"
export { encodeAttachDocument, encodeCatalog } from "./Document.ts"
export * from "./Errors.ts"
export { planAttach } from "./Planner.ts"

/**
 * Decodes an attach document and plans it, synchronously: a `Result` holding the preview or the
 * tagged error. Never throws.
 *
 * @example
 * const r = previewAttachSync(JSON.parse(text))
 * Result.isSuccess(r) ? r.success.total : r.failure._tag
 */
export const previewAttachSync = (document: unknown): Result.Result<AttachPreview, AttachError> => {
  const input = decodeAttachDocument(document)
  return Result.isFailure(input) ? Result.fail(input.failure) : planAttach(input.success)
}

/**
 * Decodes an attach document and plans it, as an Effect failing with a tagged {@link AttachError}.
 *
 * @example
 * const preview = yield* previewAttach(document)
 */
export const previewAttach = (document: unknown): Effect.Effect<AttachPreview, AttachError> =>
  Effect.suspend(() => Effect.fromResult(previewAttachSync(document)))

/**
 * The Promise form: resolves with the preview, rejects with the tagged error (an `Error` with `_tag`).
 *
 * @example
 * const preview = await previewAttachPromise(document)
 */
export const previewAttachPromise = (document: unknown): Promise<AttachPreview> => {
  const r = previewAttachSync(document)
  return Result.isSuccess(r) ? Promise.resolve(r.success) : Promise.reject(r.failure)
}

/**
 * JSON in, JSON out: the preview document, or the error document `{ error: { _tag, message, … } }`.
 *
 * @example
 * JSON.stringify(previewDocument(JSON.parse(line)))
 */
export const previewDocument = (document: unknown): AttachPreview | ErrorDocument => {
  const r = previewAttachSync(document)
  return Result.isSuccess(r) ? r.success : errorDocument(r.failure)
}

// Execution ----------------------------------------------------------------------------------
// Carrying out a plan through an injected payment port (docs/spec.md §11): the port and the executor.
// The embedded sandbox provider is `attach-planner/sandbox`. See docs/adapters.md.
export {
  type ActionOf, AuthenticationRequired, CardDeclined, type CheckoutSession, fromPromises, isPaymentFailure, makePort, mapPort,
  type Op as PortOp, type PaymentFailure, PaymentMethodRequired, type PaymentPort, PaymentProvider, type PayInvoiceRequest, type Phase,
  type PortOperation, portOperations, type PromisePort, type ProviderAction, ProviderActionSchema, type ProviderError, type ProviderInvoice,
  type ProviderItem, ProviderRejected, type ProviderSubscription, ProviderUnavailable, type Request as ProviderRequest, type RequestOf,
  type ResultOf
} from "./Provider.ts"
export {
  type ActionRef, type ExecuteError, type ExecuteResult, type InvoiceSummary, PaymentProviderError, type RequiredAction, StalePlan,
  executeAttach, executeAttachPromise
} from "./Execute.ts"

// Pricing table (issue #16) ------------------------------------------------------------------
// Every plan's scenario, trial, price and call to action for one customer, in one call.
export {
  type AutumnAttachAction, type AutumnCustomerEligibility, billingInterval, callToAction, type CallToAction, customerEligibility,
  decodePricingDocument, decodePricingRequest, entryOf, type HeldPlan, heldPlans, listedPlans, type PlanKind, planPricingTable,
  type PricingTable, type PricingTableEntry, type PricingTableInput, previewPricingTable, previewPricingTablePromise,
  previewPricingTableSync, type RecurringAmount, type UnavailableReason
} from "./PricingTable.ts"

// Timeline (issue #15) ----------------------------------------------------------------------
// Every invoice and event an attach leads to over N cycles. See docs/timeline.md.
export type { Timeline, TimelineEvent, TimelineInvoice, TimelineOptions, TrialEndWithoutCard } from "./timeline/Timeline.ts"
export { TimelineOptionError } from "./timeline/Timeline.ts"
export { advanceClock, advanceClockPromise, type ClockError, type ClockInvoice, type ClockOptions, type ClockResult, type ClockState } from "./timeline/clock.ts"
export { hasTestClock, type TestClockPort } from "./Provider.ts"
export { type TimelineError, previewTimeline, previewTimelinePromise, previewTimelineSync, timelineDocument, timelineOf } from "./timeline/preview.ts"
