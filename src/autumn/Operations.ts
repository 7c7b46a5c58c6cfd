/**
 * The operations of the Autumn-compatible API, as Effects over the {@link CustomerStore} and the
 * `PaymentProvider` port: each takes the JSON body Autumn's clients send and returns the body
 * they expect, or an {@link AutumnApiError}. Previews only plan (`planAttach`), never call the
 * provider; attaches plan and execute (`executeAttach`) and store the customer's new state.
 *
 * A plan that stopped half-way — at a checkout the customer has not completed, at an unpaid
 * invoice, or at a provider failure — is kept as the customer's pending plan and executed again
 * (same plan, same idempotency keys, nothing done twice) before the customer's next attach or
 * checkout: a completed checkout then takes effect, a provider failure is completed. These
 * operations do not lock: the caller runs one at a time per customer (the fetch handler does).
 *
 * @example
 * const program = Autumn.attach(options, { customer_id: "cus_1", plan_id: "premium" })
 * const body = await Effect.runPromise(program.pipe(
 *   Effect.provideService(Autumn.CustomerStore, Autumn.makeMemoryStore()),
 *   Effect.provideService(PaymentProvider, Sandbox.make().port)))
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { Customer } from "../Customer.ts"
import type { PaymentProvider } from "../Provider.ts"
import { type AutumnApiError, customerNotFound } from "./ApiError.ts"
import { decodeAttachBody, decodeMultiAttachBody } from "./AttachRequests.ts"
import type { AutumnOptions } from "./AutumnOptions.ts"
import { decodeCheckoutBody } from "./CheckoutRequests.ts"
import { CustomerStore } from "./CustomerStore.ts"
import { newCustomerOf } from "./internal/callCustomer.ts"
import { resumeFor } from "./internal/pendingPlan.ts"
import { planFor, runCall } from "./internal/runCall.ts"
import type { AttachCall } from "./Requests.ts"
import { type AttachResponse, attachResponse, type CheckoutResponse, checkoutResponse, type PreviewResponse, previewResponse } from "./Responses.ts"

type Services = CustomerStore | PaymentProvider

/**
 * The preview of a call for the customer the store holds (`undefined`: the new customer the call
 * would create, not stored): a plain function — a preview plans and writes nothing, so it needs
 * neither port, and the handler runs it without the Effect runtime.
 *
 * @example previewOf(options, stored, call) // Result<PreviewResponse, AutumnApiError>
 */
export const previewOf = (options: AutumnOptions, stored: Customer | undefined, call: AttachCall): Result.Result<PreviewResponse, AutumnApiError> => {
  const customer = stored ?? newCustomerOf(options, call)
  return Result.map(planFor(options, customer, call), (plan) => previewResponse(options.catalog, customer, call.request, plan))
}

/**
 * The preview of a call as an Effect over the customer store.
 *
 * @example previewCall(options, call) // Effect<PreviewResponse, AutumnApiError, CustomerStore>
 */
export const previewCall = (options: AutumnOptions, call: AttachCall): Effect.Effect<PreviewResponse, AutumnApiError, CustomerStore> =>
  Effect.flatMap(CustomerStore, (store) => Effect.flatMap(store.get(call.customerId), (stored) => Effect.fromResult(previewOf(options, stored, call))))

const execute = (options: AutumnOptions, call: AttachCall): Effect.Effect<AttachResponse, AutumnApiError, Services> =>
  Effect.flatMap(runCall(options, call, { shouldExecute: () => true, refuseHeld: true }), ({ result }) =>
    result === undefined ? Effect.die("an executed run has a result") : Effect.succeed(attachResponse(call.customerId, call.entityId, result)))

/**
 * `POST /v1/billing.attach`: attaches one plan and executes it.
 *
 * @example Autumn.attach(options, { customer_id: "cus_1", plan_id: "premium" }) // Effect<AttachResponse, AutumnApiError, …>
 */
export const attach = (options: AutumnOptions, body: unknown): Effect.Effect<AttachResponse, AutumnApiError, Services> =>
  Effect.flatMap(Effect.fromResult(decodeAttachBody(body)), (call) => execute(options, call))

/**
 * `POST /v1/billing.multi_attach`: attaches several plans at once (e.g. a plan and an add-on).
 *
 * @example Autumn.multiAttach(options, { customer_id: "cus_1", plans: [{ plan_id: "pro" }, { plan_id: "seats" }] })
 */
export const multiAttach = (options: AutumnOptions, body: unknown): Effect.Effect<AttachResponse, AutumnApiError, Services> =>
  Effect.flatMap(Effect.fromResult(decodeMultiAttachBody(body)), (call) => execute(options, call))

/**
 * `POST /v1/billing.preview_attach`: what `billing.attach` would do; no provider call, nothing stored.
 *
 * @example Autumn.previewAttach(options, { customer_id: "cus_1", plan_id: "premium" }) // Effect<PreviewResponse, …>
 */
export const previewAttach = (options: AutumnOptions, body: unknown): Effect.Effect<PreviewResponse, AutumnApiError, CustomerStore> =>
  Effect.flatMap(Effect.fromResult(decodeAttachBody(body)), (call) => previewCall(options, call))

/**
 * `POST /v1/billing.preview_multi_attach`: what `billing.multi_attach` would do.
 *
 * @example Autumn.previewMultiAttach(options, { customer_id: "cus_1", plans: [{ plan_id: "pro" }] })
 */
export const previewMultiAttach = (options: AutumnOptions, body: unknown): Effect.Effect<PreviewResponse, AutumnApiError, CustomerStore> =>
  Effect.flatMap(Effect.fromResult(decodeMultiAttachBody(body)), (call) => previewCall(options, call))

/**
 * The body decoder of each preview operation: the handler decodes such a request with it, reads
 * the customer and plans with {@link previewOf}, without running the operation's Effect.
 *
 * @example PREVIEW_DECODERS.get(previewAttach)?.({ customer_id: "cus_1", plan_id: "pro" }) // Result<AttachCall, AutumnApiError>
 */
export const PREVIEW_DECODERS: ReadonlyMap<unknown, (body: unknown) => Result.Result<AttachCall, AutumnApiError>> = new Map<unknown, (body: unknown) => Result.Result<AttachCall, AutumnApiError>>([
  [previewAttach, decodeAttachBody],
  [previewMultiAttach, decodeMultiAttachBody]
])

/**
 * `POST /v1/checkout` (legacy): when the customer must pay through the provider's checkout (no
 * card, a card-required trial, `force_checkout`), the plan is executed up to the checkout
 * session and `url` is where the customer goes; once they complete it, the plan takes effect at
 * their next attach or checkout. Otherwise nothing is executed: the response previews what an
 * attach will charge (Autumn's clients then confirm with an attach).
 *
 * @example Autumn.checkout(options, { customer_id: "cus_1", product_id: "pro", customer_data: { name: "Ada" } })
 */
export const checkout = (options: AutumnOptions, body: unknown): Effect.Effect<CheckoutResponse, AutumnApiError, Services> =>
  Effect.gen(function* () {
    const call = yield* Effect.fromResult(decodeCheckoutBody(body, options.catalog))
    const { plan, result } = yield* runCall(options, call, { shouldExecute: (p) => p.checkout === "provider_checkout", refuseHeld: false })
    return checkoutResponse(options.catalog, call.request, plan, result?.paymentUrl ?? null, options.env ?? "sandbox")
  })

/**
 * Executes the customer's pending plan again now — what a provider's webhook calls when the
 * customer completed a checkout or paid an invoice (attaches and checkouts do it first anyway).
 * Answers like an attach; without a pending plan, `payment_url: null` and no invoice. A plan
 * whose customer still has not acted stays pending (its `required_action` is in the answer).
 *
 * @example Autumn.resume("cus_1") // after the sandbox's completeCheckout; needs CustomerStore and PaymentProvider
 */
export const resume = (customerId: string): Effect.Effect<AttachResponse, AutumnApiError, Services> =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const customer = yield* store.get(customerId)
    if (customer === undefined) return yield* customerNotFound(customerId)
    const { result } = yield* resumeFor(customer, true)
    return result === undefined ? { customer_id: customerId, payment_url: null } : attachResponse(customerId, undefined, result)
  })
