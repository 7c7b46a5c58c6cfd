/**
 * The body of the legacy `checkout` (`POST /v1/checkout`), decoded onto this library's attach
 * request. See docs/autumn-compat.md for the field-by-field table.
 *
 * @example Autumn.decodeCheckoutBody({ customer_id: "cus_1", product_id: "pro" }, catalog) // Result<AttachCall, AutumnApiError>
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { Catalog } from "../Catalog.ts"
import { invalidInputs } from "./ApiError.ts"
import {
  type AttachCall, CustomerDataSchema, customerDataUnsupported, type Decoded, decodeWith, EntityData, rejectUnsupported, type RequestInput
} from "./Requests.ts"

const opt = Schema.optionalKey
const Str = Schema.String
const Num = Schema.Number
const Bool = Schema.Boolean

/** Schema of the body of the legacy `checkout` (`POST /v1/checkout`). @example Schema.decodeUnknownSync(CheckoutBodySchema)({ customer_id: "cus_1", product_id: "pro" }) */
export const CheckoutBodySchema = Schema.Struct({
  customer_id: Str,
  product_id: opt(Str),
  product_ids: opt(Schema.Array(Str)),
  entity_id: opt(Str),
  options: opt(Schema.Array(Schema.Struct({ feature_id: Str, quantity: Num }))),
  force_checkout: opt(Bool),
  invoice: opt(Bool),
  success_url: opt(Str),
  customer_data: opt(CustomerDataSchema),
  entity_data: opt(EntityData),
  checkout_session_params: opt(Schema.Record(Str, Schema.Unknown)),
  reward: opt(Str),
  new_billing_subscription: opt(Bool)
})

type CheckoutBody = typeof CheckoutBodySchema.Type

/** The plan of a checkout that carries the prepaid quantity of `featureId`: the first with a priced item of it. */
const planWithFeature = (catalog: Catalog, planIds: ReadonlyArray<string>, featureId: string): string | undefined =>
  planIds.find((id) => catalog.plansById.get(id)?.some((p) => p.items.some((i) => i.featureId === featureId && i.price !== undefined)))

/**
 * Decodes the body of the legacy `checkout`. `options` (prepaid quantities) go to the plan that
 * prices the feature; `reward` is a discount id of the catalog, else a promotion code;
 * `force_checkout` is `redirect_mode: "always"`; `invoice` is invoice mode.
 *
 * @example decodeCheckoutBody({ customer_id: "cus_1", product_id: "pro" }, catalog)
 */
export const decodeCheckoutBody = (json: unknown, catalog: Catalog): Decoded<AttachCall> =>
  Result.flatMap(decodeWith(CheckoutBodySchema, json), (b: CheckoutBody) => {
    const unsupported = rejectUnsupported([...customerDataUnsupported(b.customer_data), ["entity_data.billing_controls", b.entity_data?.billing_controls]])
    if (unsupported !== undefined) return Result.fail(unsupported)
    const ids = [...(b.product_id === undefined || b.product_ids?.includes(b.product_id) === true ? [] : [b.product_id]), ...(b.product_ids ?? [])]
    if (ids.length === 0) return Result.fail(invalidInputs("product_id", "is required but missing (or send product_ids)"))
    const quantities = new Map<string, Array<{ readonly featureId: string; readonly quantity: number }>>()
    for (const o of b.options ?? []) {
      const id = planWithFeature(catalog, ids, o.feature_id) ?? ids[0] ?? ""
      quantities.set(id, [...(quantities.get(id) ?? []), { featureId: o.feature_id, quantity: o.quantity }])
    }
    const plans = ids.map((planId) => ({ planId, ...(quantities.has(planId) ? { featureQuantities: quantities.get(planId) ?? [] } : {}) }))
    const reward = b.reward === undefined ? {} : { discounts: [catalog.discountsById.has(b.reward) ? { discountId: b.reward } : { promotionCode: b.reward }] }
    const request: RequestInput = {
      customerId: b.customer_id,
      plans,
      ...(b.entity_id === undefined ? {} : { entityId: b.entity_id }),
      ...reward,
      ...(b.force_checkout === true ? { redirectMode: "always" as const } : {}),
      ...(b.invoice === true ? { invoiceMode: { enabled: true as const } } : {}),
      ...(b.new_billing_subscription === undefined ? {} : { newBillingSubscription: b.new_billing_subscription }),
      ...(b.success_url === undefined ? {} : { successUrl: b.success_url }),
      ...(b.checkout_session_params === undefined ? {} : { checkoutSessionParams: b.checkout_session_params })
    }
    return Result.succeed({ customerId: b.customer_id, entityId: b.entity_id, customerData: b.customer_data, request })
  })
