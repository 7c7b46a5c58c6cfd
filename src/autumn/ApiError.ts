/**
 * Errors of the Autumn-compatible API: an HTTP status with Autumn's `{ code, message }` body, and
 * the mapping of this library's tagged errors (planner, executor, port) onto them.
 *
 * @example
 * import * as Autumn from "attach-planner/autumn"
 * const e = Autumn.fromPlanError(new UnknownPlan({ planId: "platinum", message: "No plan \"platinum\"" }))
 * // AutumnApiError { status: 404, code: "product_not_found", message: "No plan \"platinum\"" }
 */
import * as Data from "effect/Data"
import type { AttachError } from "../Errors.ts"
import type { ExecuteError } from "../Execute.ts"

/**
 * A failed API call: `status` is the HTTP status, `code` and `message` are Autumn's error body.
 *
 * @example new AutumnApiError({ status: 404, code: "customer_not_found", message: "Customer cus_1 not found" })
 */
export class AutumnApiError extends Data.TaggedError("AutumnApiError")<{
  readonly status: number
  readonly code: string
  readonly message: string
}> {}

/**
 * A bad request body (HTTP 400, `invalid_inputs`); `field` is the snake_case path of the field.
 *
 * @example invalidInputs("plans[0].plan_id", "is required but missing").message // "plans[0].plan_id: is required but missing"
 */
export const invalidInputs = (field: string, problem: string): AutumnApiError =>
  new AutumnApiError({ status: 400, code: "invalid_inputs", message: `${field}: ${problem}` })

/**
 * The customer is not known and the request does not say how to create it (HTTP 404).
 *
 * @example customerNotFound("cus_1").code // "customer_not_found"
 */
export const customerNotFound = (customerId: string): AutumnApiError =>
  new AutumnApiError({
    status: 404, code: "customer_not_found",
    message: `Customer ${customerId} not found (send customer_data to create it)`
  })

/**
 * Maps a planner error (docs/spec.md §12) to the Autumn error a client expects.
 *
 * @example fromPlanError(new InvalidRequest({ reason: "customer_mismatch", message: "…" })).status // 400
 */
export const fromPlanError = (e: AttachError): AutumnApiError => {
  switch (e._tag) {
    case "UnknownPlan":
      return new AutumnApiError({ status: 404, code: "product_not_found", message: e.message })
    case "UnknownFeature":
      return new AutumnApiError({ status: 404, code: "feature_not_found", message: e.message })
    case "UnknownDiscount":
      return new AutumnApiError({ status: 404, code: "reward_not_found", message: e.message })
    case "CurrencyMismatch":
      return new AutumnApiError({ status: 400, code: "invalid_currency", message: e.message })
    case "InvalidRequest":
      return new AutumnApiError({ status: 400, code: "invalid_request", message: `${e.message} (${e.reason})` })
    case "DecodeError":
      return new AutumnApiError({ status: 400, code: "invalid_inputs", message: e.message })
  }
}

/**
 * The customer's stored state is not the one the request was planned from (409: send it again).
 *
 * @example customerStateChanged("the store holds another state").code // "customer_state_changed"
 */
export const customerStateChanged = (message: string): AutumnApiError =>
  new AutumnApiError({ status: 409, code: "customer_state_changed", message })

/**
 * Maps an executor error to an Autumn error. A provider that could not be reached is a 503 (the
 * same request may be retried: every provider call carries its idempotency key); a provider that
 * refused is a 502; a plan computed from another state is a 409 (send the request again).
 *
 * @example fromExecuteError(stale).code // "customer_state_changed"
 */
export const fromExecuteError = (e: ExecuteError): AutumnApiError => {
  switch (e._tag) {
    case "StalePlan":
      return customerStateChanged(e.message)
    case "DecodeError":
      return new AutumnApiError({ status: 500, code: "internal_error", message: e.message })
    case "PaymentProviderError":
      return e.providerError._tag === "ProviderRejected"
        ? new AutumnApiError({ status: 502, code: `payment_provider_rejected`, message: e.message })
        : new AutumnApiError({ status: 503, code: "payment_provider_unavailable", message: e.message })
  }
}

/**
 * The JSON body of an error response.
 *
 * @example errorBody(customerNotFound("cus_1")) // { code: "customer_not_found", message: "Customer cus_1 not found …" }
 */
export const errorBody = (e: AutumnApiError): { readonly code: string; readonly message: string } => ({ code: e.code, message: e.message })
