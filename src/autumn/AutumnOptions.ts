/**
 * The options of the Autumn-compatible operations, and the customer a call creates from
 * `customer_data` when the store does not hold it yet.
 *
 * @example
 * const options: Autumn.AutumnOptions = { catalog, now: () => "2025-01-16T00:00:00Z" }
 * Autumn.defaultNewCustomer("cus_1", { currency: "EUR" }) // { id: "cus_1", hasPaymentMethod: false, currency: "eur" }
 */
import type * as Effect from "effect/Effect"
import type { Catalog } from "../Catalog.ts"
import type { Customer } from "../Customer.ts"
import type { AutumnApiError } from "./ApiError.ts"
import type { CustomerProfile } from "./CustomerStore.ts"
import type { CustomerData } from "./Requests.ts"

/**
 * What the operations need besides the two services.
 *
 * - `catalog`: the plans clients attach (`plan_id` / `product_id` are its plan ids).
 * - `now`: the clock, as an ISO instant (default: the system clock).
 * - `newCustomer`: the state of a customer created from `customer_data` (default: no payment
 *   method; `currency` and `fingerprint` taken from `customer_data`).
 * - `env`: the environment products and customers show (`"sandbox"` or `"live"`).
 * - `onCustomerCreated`: runs before a new customer is stored (e.g. gives it a test card in the
 *   sandbox, see `sandboxCustomers`); not run by previews.
 *
 * @example const options: AutumnOptions = { catalog, now: () => "2025-01-16T00:00:00Z" }
 */
export interface AutumnOptions {
  readonly catalog: Catalog
  /** The environment products and customers report (`env`); default `"sandbox"`. */
  readonly env?: "sandbox" | "live"
  readonly now?: () => string
  readonly newCustomer?: (customerId: string, data: CustomerData) => Customer
  readonly onCustomerCreated?: (customer: Customer, data: CustomerData) => Effect.Effect<void, AutumnApiError>
}

/**
 * The default state of a customer created from `customer_data`.
 *
 * @example defaultNewCustomer("cus_1", { currency: "EUR" }) // { id: "cus_1", hasPaymentMethod: false, currency: "eur" }
 */
export const defaultNewCustomer = (customerId: string, data: CustomerData): Customer => ({
  id: customerId,
  hasPaymentMethod: false,
  ...(typeof data.currency === "string" ? { currency: data.currency.toLowerCase() } : {}),
  ...(typeof data.fingerprint === "string" ? { fingerprint: data.fingerprint } : {})
})

/** The server's clock, as an ISO instant. @example clockOf({ catalog, now: () => "2025-01-16T00:00:00Z" }) // "2025-01-16T00:00:00Z" */
export const clockOf = (options: AutumnOptions): string => (options.now ?? (() => new Date().toISOString()))()

/**
 * The profile `customer_data` gives a new customer, created at `at` (ISO).
 *
 * @example profileFromData({ name: "Ada" }, "2025-01-01T00:00:00Z") // { name: "Ada", email: null, fingerprint: null, metadata: {}, createdAt: 1735689600000 }
 */
export const profileFromData = (data: CustomerData, at: string): CustomerProfile => ({
  name: data.name ?? null,
  email: data.email ?? null,
  fingerprint: data.fingerprint ?? null,
  metadata: data.metadata ?? {},
  createdAt: Date.parse(at)
})
