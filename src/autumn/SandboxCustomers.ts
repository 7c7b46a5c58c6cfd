/**
 * New customers for the sandbox provider: a customer created through `customer_data` has no
 * payment method unless `customer_data.metadata.test_payment_method` names one of the sandbox's
 * test cards (`pm_card_visa`, `pm_card_declined`, `pm_card_insufficient_funds`, `pm_card_3ds`),
 * which then becomes the customer's default card in the sandbox. Used by `serve`.
 *
 * @example
 * const sandbox = Sandbox.make()
 * const made = Autumn.makeAutumnHandler({ catalog, keys, customers: Autumn.makeMemoryStore(), provider: sandbox.port, ...Autumn.sandboxCustomers(sandbox) })
 * // body: { customer_id: "cus_1", plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } }
 */
import * as Effect from "effect/Effect"
import type { SandboxOps } from "../Sandbox.ts"
import { invalidInputs } from "./ApiError.ts"
import { type AutumnOptions, defaultNewCustomer } from "./AutumnOptions.ts"
import type { CustomerData } from "./Requests.ts"

/** The `customer_data.metadata` field naming a sandbox test card. @example TEST_PAYMENT_METHOD_FIELD // "test_payment_method" */
export const TEST_PAYMENT_METHOD_FIELD = "test_payment_method"

const tokenOf = (data: CustomerData): string | undefined => {
  const token = data.metadata?.[TEST_PAYMENT_METHOD_FIELD]
  return typeof token === "string" ? token : undefined
}

/**
 * The `newCustomer` and `onCustomerCreated` options for a handler over `sandbox`. With
 * `testCard` (e.g. `"pm_card_visa"`, what `serve --test-card` sets), every new customer gets that
 * card unless its `customer_data` names another.
 *
 * @example makeAutumnHandler({ ...options, ...sandboxCustomers(sandbox, { testCard: "pm_card_visa" }) })
 */
export const sandboxCustomers = (
  sandbox: SandboxOps,
  options: { readonly testCard?: string } = {}
): Required<Pick<AutumnOptions, "newCustomer" | "onCustomerCreated">> => {
  const cardOf = (data: CustomerData): string | undefined => tokenOf(data) ?? options.testCard
  return {
    newCustomer: (customerId, data) => ({ ...defaultNewCustomer(customerId, data), hasPaymentMethod: cardOf(data) !== undefined }),
    onCustomerCreated: (customer, data) => {
      const token = cardOf(data)
      return token === undefined
        ? Effect.void
        : Effect.mapError(sandbox.attachPaymentMethod(customer.id, token), (e) => invalidInputs(`customer_data.metadata.${TEST_PAYMENT_METHOD_FIELD}`, e.message))
    }
  }
}
