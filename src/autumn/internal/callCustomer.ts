/**
 * The customer of a call: the one the store holds, or — as Autumn does for an unknown
 * `customer_id` — the one the call creates from `customer_data`, stored only once the call has
 * succeeded.
 *
 * @example const found = yield* findCustomer(options, call) // { customer, created: undefined } for a stored customer
 */
import * as Effect from "effect/Effect"
import type { Customer } from "../../Customer.ts"
import { AutumnApiError } from "../ApiError.ts"
import { type AutumnOptions, clockOf, defaultNewCustomer, profileFromData } from "../AutumnOptions.ts"
import { type CustomerProfile, CustomerStore } from "../CustomerStore.ts"
import type { AttachCall, CustomerData } from "../Requests.ts"

/** The customer of a call, and what creating it stores when the store does not hold it. @example const f: Found = { customer, created: undefined } */
export interface Found {
  readonly customer: Customer
  /** Set for a customer the store does not hold yet: what creating it stores beside its state. */
  readonly created: { readonly data: CustomerData; readonly profile: CustomerProfile } | undefined
}

/** What creating a customer stores beside its state. @example const c: Created = { data: {}, profile } */
export type Created = NonNullable<Found["created"]>

/**
 * The stored customer, or — as Autumn does for an unknown `customer_id` — the new customer the
 * call creates (not stored yet: `created` set), from `customer_data` when the call sends it.
 *
 * @example findCustomer(options, call) // Effect<Found, AutumnApiError, CustomerStore>
 */
export const findCustomer = (options: AutumnOptions, call: AttachCall): Effect.Effect<Found, AutumnApiError, CustomerStore> =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const stored = yield* store.get(call.customerId)
    if (stored !== undefined) return { customer: stored, created: undefined }
    const data = call.customerData ?? {}
    return { customer: newCustomerOf(options, call), created: { data, profile: profileFromData(data, clockOf(options)) } }
  })

/** The customer a call creates when the store does not hold it (from `customer_data`). @example newCustomerOf(options, call).id // call.customerId */
export const newCustomerOf = (options: AutumnOptions, call: AttachCall): Customer =>
  (options.newCustomer ?? defaultNewCustomer)(call.customerId, call.customerData ?? {})

/** Stores a customer the call created, in the state the call left it. @example storeCreated(result.customer, created) // Effect<void, AutumnApiError, CustomerStore> */
export const storeCreated = (customer: Customer, created: Created): Effect.Effect<void, AutumnApiError, CustomerStore> =>
  Effect.flatMap(CustomerStore, (store) => store.create(customer, created.profile)).pipe(
    Effect.mapError((e) => new AutumnApiError({ status: 409, code: "customer_already_exists", message: e.message })),
    Effect.asVoid
  )
