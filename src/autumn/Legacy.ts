/**
 * The legacy routes of autumn-js 0.x that change plans: `POST /v1/attach` (the confirm step after
 * a checkout preview, or an attach on its own) and `POST /v1/cancel`. They run the same plans as
 * `billing.attach` and `billing.update` and answer in the 0.x shapes: `{ customer_id,
 * product_ids, code, message, checkout_url?, invoice? }` and `{ success, customer_id, product_id }`.
 *
 * @example
 * Autumn.legacyAttach(options, { customer_id: "cus_1", product_id: "pro" }) // { code: "new_product_attached", … }
 * Autumn.legacyCancel(options, { customer_id: "cus_1", product_id: "pro" }) // { success: true, customer_id: "cus_1", product_id: "pro" }
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { findPlan } from "../Catalog.ts"
import type { ExecuteResult } from "../Execute.ts"
import type { AttachPreview, Change } from "../Preview.ts"
import { isFree, isOneOff } from "../Pricing.ts"
import type { PaymentProvider } from "../Provider.ts"
import type { AutumnApiError } from "./ApiError.ts"
import type { AutumnOptions } from "./AutumnOptions.ts"
import { updateSubscription } from "./Billing.ts"
import { decodeCheckoutBody } from "./CheckoutRequests.ts"
import type { CustomerStore } from "./CustomerStore.ts"
import { runCall } from "./internal/runCall.ts"
import { decodeWith } from "./Requests.ts"

/** The 0.x attach response. @example { customer_id: "cus_1", product_ids: ["pro"], code: "new_product_attached", message: "…" } */
export interface LegacyAttachResponse {
  readonly customer_id: string
  readonly product_ids: ReadonlyArray<string>
  readonly code: string
  readonly message: string
  readonly checkout_url?: string
  readonly invoice?: { readonly status: string; readonly stripe_id: string; readonly hosted_invoice_url: string | null; readonly total: number; readonly currency: string }
}

const codeOf = (options: AutumnOptions, change: Change | undefined): string => {
  if (change === undefined) return "features_updated"
  const plan = findPlan(options.catalog, change.planId)
  switch (change.scenario) {
    case "upgrade": return "upgraded_to_new_product"
    case "downgrade": case "cancel": return "downgrade_scheduled"
    case "renew": return "renewed_product"
    case "update_prepaid_quantity": return "features_updated"
    default:
      return plan !== undefined && isOneOff(plan) ? "one_off_product_attached" : plan !== undefined && isFree(plan) ? "free_product_attached" : "new_product_attached"
  }
}

const legacyResponse = (options: AutumnOptions, customerId: string, plan: AttachPreview, result: ExecuteResult): LegacyAttachResponse => {
  const productIds = plan.changes.map((c) => c.planId)
  const invoice = result.invoice === undefined ? {} : {
    invoice: { status: result.invoice.status ?? "open", stripe_id: result.invoice.id, hosted_invoice_url: result.invoice.hostedUrl, total: result.invoice.total, currency: result.invoice.currency }
  }
  if (result.paymentUrl !== null) {
    return { customer_id: customerId, product_ids: productIds, code: "checkout_created", message: `Checkout created for ${productIds.join(", ")}`, checkout_url: result.paymentUrl, ...invoice }
  }
  if (result.requiredAction !== undefined) {
    return { customer_id: customerId, product_ids: productIds, code: "invoice_action_required", message: result.requiredAction.reason, ...invoice }
  }
  return { customer_id: customerId, product_ids: productIds, code: codeOf(options, plan.changes[0]), message: `Attached ${productIds.join(", ")} to ${customerId}`, ...invoice }
}

/**
 * `POST /v1/attach` (0.x): the body of the legacy `checkout` (and `free_trial: false` to attach
 * without the plan's trial), planned and executed; an unknown customer is created.
 *
 * @example Autumn.legacyAttach(options, { customer_id: "cus_1", product_id: "pro", options: [{ feature_id: "seats", quantity: 5 }] })
 */
export const legacyAttach = (options: AutumnOptions, body: unknown): Effect.Effect<LegacyAttachResponse, AutumnApiError, CustomerStore | PaymentProvider> =>
  Effect.gen(function* () {
    const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
    const { free_trial: freeTrial, metadata, ...rest } = fields
    const extras = yield* Effect.fromResult(decodeWith(LegacyExtras, { free_trial: freeTrial, metadata }))
    const decoded = yield* Effect.fromResult(decodeCheckoutBody(typeof body === "object" && body !== null && !Array.isArray(body) ? rest : body, options.catalog))
    const call = extras.free_trial === false ? { ...decoded, request: { ...decoded.request, freeTrial: null } } : decoded
    const { plan, result } = yield* runCall(options, call, { shouldExecute: () => true, refuseHeld: true })
    return result === undefined ? yield* Effect.die("an executed run has a result") : legacyResponse(options, call.customerId, plan, result)
  })

const LegacyExtras = Schema.Struct({
  free_trial: Schema.optional(Schema.Boolean),
  metadata: Schema.optional(Schema.Record(Schema.String, Schema.String))
})

const CancelBody = Schema.Struct({
  customer_id: Schema.String,
  product_id: Schema.String,
  entity_id: Schema.optionalKey(Schema.String),
  cancel_immediately: Schema.optionalKey(Schema.Boolean),
  prorate: Schema.optionalKey(Schema.Boolean)
})

/**
 * `POST /v1/cancel` (0.x): cancels a plan at the end of its period, or now with
 * `cancel_immediately` (then the unused paid time is credited unless `prorate: false`).
 *
 * @example Autumn.legacyCancel(options, { customer_id: "cus_1", product_id: "pro", cancel_immediately: true })
 */
export const legacyCancel = (options: AutumnOptions, body: unknown) =>
  Effect.gen(function* () {
    const b = yield* Effect.fromResult(decodeWith(CancelBody, body))
    yield* updateSubscription(options, {
      customer_id: b.customer_id,
      plan_id: b.product_id,
      ...(b.entity_id === undefined ? {} : { entity_id: b.entity_id }),
      cancel_action: b.cancel_immediately === true ? "cancel_immediately" : "cancel_end_of_cycle",
      ...(b.prorate === false ? { proration_behavior: "none" } : {})
    })
    return { success: true, customer_id: b.customer_id, product_id: b.product_id }
  })

