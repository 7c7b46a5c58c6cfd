/**
 * The attach request (docs/spec.md §5): which plans to attach to which customer, at which instant, with
 * which options.
 *
 * @example
 * import type { AttachRequest } from "attach-planner"
 * const request: AttachRequest = { customerId: "cus_1", at: "2025-01-16T00:00:00Z", plans: [{ planId: "premium" }] }
 */
import * as Schema from "effect/Schema"
import { FreeTrialSchema } from "./Catalog.ts"
import { ProrationPolicySchema } from "./ProrationPolicy.ts"
import { CurrencyCode, Id, Instant, PositiveInt, NonNegativeInt, Quantity } from "./internal/schemaKit.ts"

const FeatureQuantity = Schema.Struct({ featureId: Id, quantity: Quantity })

/**
 * Schema of one plan of a request: the plan (and version) to attach, its prepaid quantities and scope.
 * @example Schema.decodeUnknownResult(RequestedPlanSchema)({ planId: "pro", featureQuantities: [{ featureId: "seats", quantity: 5 }] })._tag // "Success"
 */
export const RequestedPlanSchema = Schema.Struct({
  planId: Id,
  version: Schema.optionalKey(PositiveInt),
  entityId: Schema.optionalKey(Schema.String),
  featureQuantities: Schema.optionalKey(Schema.Array(FeatureQuantity)),
  /** The held subscription this request changes (its quantities, or an uncancel) instead of adding an instance. */
  subscriptionId: Schema.optionalKey(Id)
})

/**
 * Schema of the attach request (docs/spec.md §5): which plans to attach to which customer, when, and how.
 * @example Schema.decodeUnknownResult(AttachRequestSchema)({ customerId: "cus_1", at: "2025-01-16T00:00:00Z", plans: [] })._tag // "Failure": at least one plan
 */
export const AttachRequestSchema = Schema.Struct({
  customerId: Id,
  at: Instant,
  plans: Schema.Array(RequestedPlanSchema).check(Schema.isMinLength(1, { expected: "at least one plan" })),
  entityId: Schema.optionalKey(Schema.String),
  currency: Schema.optionalKey(CurrencyCode),
  freeTrial: Schema.optionalKey(Schema.NullOr(FreeTrialSchema)),
  discounts: Schema.optionalKey(Schema.Array(Schema.Union([
    Schema.Struct({ discountId: Id }),
    Schema.Struct({ promotionCode: Id })
  ]))),
  prorationBehavior: Schema.optionalKey(Schema.Literals(["prorate_immediately", "none"])),
  planSchedule: Schema.optionalKey(Schema.Literals(["immediate", "end_of_cycle"])),
  billingCycleAnchor: Schema.optionalKey(Schema.Literal("now")),
  redirectMode: Schema.optionalKey(Schema.Literals(["always", "if_required", "never"])),
  invoiceMode: Schema.optionalKey(Schema.Struct({
    enabled: Schema.Literal(true),
    finalize: Schema.optionalKey(Schema.Boolean),
    enablePlanImmediately: Schema.optionalKey(Schema.Boolean),
    netTermsDays: Schema.optionalKey(NonNegativeInt)
  })),
  newBillingSubscription: Schema.optionalKey(Schema.Boolean),
  customLineItems: Schema.optionalKey(Schema.Array(Schema.Struct({
    amount: Schema.Union([Schema.String, Schema.Number]),
    description: Schema.String
  }))),
  successUrl: Schema.optionalKey(Schema.String),
  checkoutSessionParams: Schema.optionalKey(Schema.Record(Schema.String, Schema.Unknown)),
  prorationPolicy: Schema.optionalKey(ProrationPolicySchema)
})

/**
 * An attach request, as in documents.
 * @example const request: AttachRequest = { customerId: "cus_1", at: "2025-01-16T00:00:00Z", plans: [{ planId: "premium" }] }
 */
export type AttachRequest = typeof AttachRequestSchema.Type
/**
 * One plan of an attach request.
 * @example const seats: RequestedPlan = { planId: "pro", featureQuantities: [{ featureId: "seats", quantity: 5 }] }
 */
export type RequestedPlan = typeof RequestedPlanSchema.Type
