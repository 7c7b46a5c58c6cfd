/**
 * The customer store port of the Autumn-compatible API: where the customer states (docs/spec.md §4) live
 * between requests, and the plan a customer is in the middle of (a checkout to complete, an
 * invoice to pay). An Effect service like `PaymentProvider`; {@link layerMemory} is the in-memory
 * default, a host with a database provides its own.
 *
 * @example
 * import * as Autumn from "attach-planner/autumn"
 * const store = Autumn.makeMemoryStore()
 * await Effect.runPromise(store.create({ id: "cus_1" }))
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Customer } from "../Customer.ts"
import { customerFingerprint } from "../internal/fingerprint.ts"
import type { AttachPreview } from "../Preview.ts"

/** `create` of a customer id that exists. @example new CustomerExists({ customerId: "cus_1", message: "…" }) */
export class CustomerExists extends Data.TaggedError("CustomerExists")<{ readonly customerId: string; readonly message: string }> {}

/** `put` with `ifFingerprint` found another state (someone else stored first). @example new CustomerChanged({ customerId: "cus_1", message: "…" }) */
export class CustomerChanged extends Data.TaggedError("CustomerChanged")<{ readonly customerId: string; readonly message: string }> {}

/**
 * What Autumn keeps about a customer beside its billing state: the properties `customer_data`
 * sets and the customer routes return. `createdAt` is epoch milliseconds.
 *
 * @example const profile: CustomerProfile = { name: "Ada", email: null, fingerprint: null, metadata: {}, createdAt: 1735689600000 }
 */
export interface CustomerProfile {
  readonly name: string | null
  readonly email: string | null
  readonly fingerprint: string | null
  readonly metadata: Readonly<Record<string, unknown>>
  readonly createdAt: number
}

/**
 * A page of customers, in the order they were created (then by id).
 *
 * @example const page: CustomerPage = { list: [], total: 0 }
 */
export interface CustomerPage {
  readonly list: ReadonlyArray<{ readonly customer: Customer; readonly profile: CustomerProfile | undefined }>
  readonly total: number
}

/**
 * The operations of a customer store. `put` with `ifFingerprint` is a compare-and-set on the
 * fingerprint of the stored state (the `basedOn` of the plan that was executed).
 *
 * @example
 * const store: CustomerStoreOps = Autumn.makeMemoryStore()
 */
export interface CustomerStoreOps {
  readonly get: (customerId: string) => Effect.Effect<Customer | undefined>
  /** Stores a new customer, with its profile; fails if the id exists (nothing is written then). */
  readonly create: (customer: Customer, profile?: CustomerProfile) => Effect.Effect<Customer, CustomerExists>
  readonly put: (customer: Customer, options?: { readonly ifFingerprint?: string }) => Effect.Effect<void, CustomerChanged>
  /** The plan the customer is in the middle of (it stopped at a checkout or an unpaid invoice). */
  readonly getPending: (customerId: string) => Effect.Effect<AttachPreview | undefined>
  readonly setPending: (customerId: string, plan: AttachPreview | undefined) => Effect.Effect<void>
  /** The customer's profile (`undefined` for an unknown customer or one stored without). */
  readonly getProfile: (customerId: string) => Effect.Effect<CustomerProfile | undefined>
  /** Replaces the profile of a stored customer (no effect for an unknown one). */
  readonly putProfile: (customerId: string, profile: CustomerProfile) => Effect.Effect<void>
  /** Customers in creation order, `offset` skipped, at most `limit`. */
  readonly list: (page: { readonly offset: number; readonly limit: number }) => Effect.Effect<CustomerPage>
}

/**
 * The customer store service.
 *
 * @example const store = yield* CustomerStore; const customer = yield* store.get("cus_1")
 */
export class CustomerStore extends Context.Service<CustomerStore, CustomerStoreOps>()("attach-planner/autumn/CustomerStore") {}

/**
 * An in-memory store, as a plain value (each call makes an independent one), seeded with
 * `initial` customers.
 *
 * @example const store = makeMemoryStore([{ id: "cus_1", hasPaymentMethod: true }])
 */
export const makeMemoryStore = (initial: ReadonlyArray<Customer> = []): CustomerStoreOps => {
  const customers = new Map<string, Customer>(initial.map((c) => [c.id, c]))
  const pending = new Map<string, AttachPreview>()
  const profiles = new Map<string, CustomerProfile>()
  return {
    get: (id) => Effect.sync(() => customers.get(id)),
    create: (customer, profile) =>
      Effect.suspend(() => {
        if (customers.has(customer.id)) return Effect.fail(new CustomerExists({ customerId: customer.id, message: `Customer ${customer.id} exists` }))
        customers.set(customer.id, customer)
        if (profile !== undefined) profiles.set(customer.id, profile)
        return Effect.succeed(customer)
      }),
    put: (customer, options) =>
      Effect.suspend(() => {
        const stored = customers.get(customer.id)
        if (options?.ifFingerprint !== undefined && (stored === undefined || customerFingerprint(stored) !== options.ifFingerprint)) {
          return Effect.fail(new CustomerChanged({ customerId: customer.id, message: `Customer ${customer.id} changed since it was read` }))
        }
        customers.set(customer.id, customer)
        return Effect.void
      }),
    getPending: (id) => Effect.sync(() => pending.get(id)),
    setPending: (id, plan) =>
      Effect.sync(() => {
        if (plan === undefined) pending.delete(id)
        else pending.set(id, plan)
      }),
    getProfile: (id) => Effect.sync(() => profiles.get(id)),
    putProfile: (id, profile) =>
      Effect.sync(() => {
        if (customers.has(id)) profiles.set(id, profile)
      }),
    list: ({ offset, limit }) =>
      Effect.sync(() => {
        // A Map iterates in insertion order, which is creation order here.
        const all = [...customers.values()]
        const list = all.slice(offset, offset + limit).map((customer) => ({ customer, profile: profiles.get(customer.id) }))
        return { list, total: all.length }
      })
  }
}

/**
 * The in-memory default as a Layer.
 *
 * @example Effect.provide(Autumn.attach(options, body), Layer.merge(Autumn.layerMemory(), Sandbox.layer()))
 */
export const layerMemory = (initial: ReadonlyArray<Customer> = []): Layer.Layer<CustomerStore> =>
  Layer.sync(CustomerStore, () => makeMemoryStore(initial))
