/**
 * Stripe's errors as the port's tagged errors: a declined card → `CardDeclined`, a payment that
 * needs the customer (`authentication_required`, `invoice_payment_intent_requires_action`) →
 * `AuthenticationRequired`, rate limits, network errors, lock timeouts and 5xx →
 * `ProviderUnavailable` (retryable), an idempotency key reused with other parameters →
 * `ProviderRejected { code: "idempotency_key_reused" }`, other refusals → `ProviderRejected` with
 * Stripe's `code`.
 *
 * @example
 * import { toProviderError } from "attach-planner/stripe"
 * toProviderError(stripeError, "in_1")._tag // "CardDeclined"
 */
import {
  AuthenticationRequired, CardDeclined, PaymentMethodRequired, type ProviderError, ProviderRejected, ProviderUnavailable
} from "../Provider.ts"

const NEEDS_ACTION = new Set(["authentication_required", "invoice_payment_intent_requires_action", "payment_intent_authentication_failure"])
const NO_METHOD = new Set(["invoice_no_payment_method_types", "payment_method_missing", "missing"])

const field = (e: object, name: string): string | undefined => {
  const v = (e as Record<string, unknown>)[name]
  return typeof v === "string" ? v : undefined
}

const isPortError = (e: unknown): e is ProviderError =>
  e instanceof CardDeclined || e instanceof AuthenticationRequired || e instanceof PaymentMethodRequired ||
  e instanceof ProviderUnavailable || e instanceof ProviderRejected

/**
 * Maps anything a Stripe call threw to a port error; `invoiceId` names the invoice being paid.
 *
 * @example toProviderError(new Error("socket hang up"), null)._tag // "ProviderUnavailable"
 */
export const toProviderError = (e: unknown, invoiceId: string | null): ProviderError => {
  if (isPortError(e)) return e
  if (typeof e !== "object" || e === null) return new ProviderUnavailable({ message: String(e) })
  const type = field(e, "type") ?? ""
  const code = field(e, "code") ?? field(e, "decline_code") ?? ""
  const message = field(e, "message") ?? type
  const status = (e as { readonly statusCode?: unknown }).statusCode
  if (NEEDS_ACTION.has(code) || field(e, "decline_code") === "authentication_required") return new AuthenticationRequired({ message, invoiceId })
  if (type === "StripeCardError") return new CardDeclined({ message, declineCode: field(e, "decline_code") ?? (code === "" ? "card_declined" : code), invoiceId })
  if (NO_METHOD.has(code) && invoiceId !== null) return new PaymentMethodRequired({ message, invoiceId })
  if (type === "StripeIdempotencyError") return new ProviderRejected({ code: "idempotency_key_reused", message })
  if (type === "StripeRateLimitError" || type === "StripeConnectionError" || type === "StripeAPIError" || code === "lock_timeout") {
    return new ProviderUnavailable({ message: `${type}: ${message}` })
  }
  if (type === "StripeInvalidRequestError" || type === "StripeAuthenticationError" || type === "StripePermissionError" || (typeof status === "number" && status < 500)) {
    return new ProviderRejected({ code: code === "" ? type : code, message })
  }
  return new ProviderUnavailable({ message })
}

/**
 * Runs one Stripe call; a failure is rethrown as the port's tagged error.
 *
 * @example const invoice = await stripeCall(() => stripe.invoices.retrieve(id), id)
 */
export const stripeCall = async <A>(f: () => Promise<A>, invoiceId: string | null): Promise<A> => {
  try {
    return await f()
  } catch (e) {
    throw toProviderError(e, invoiceId)
  }
}
