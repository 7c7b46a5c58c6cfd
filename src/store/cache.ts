/**
 * A write-through cache of customer states and pending plans in front of a store that only this
 * process writes — PGlite, whose directory is one process's at a time — so that a preview, and
 * an attach's first reads, answer from memory instead of a query. Never for PostgreSQL, where
 * other processes write the same rows. Bounded: past `capacity` ids the oldest one read is
 * forgotten. A write that fails (or whose outcome is unknown) forgets the id, so the next read
 * asks the database again.
 *
 * @example
 * const customers = cachedCustomers(sqlStore(sql, dir).customers, 10_000)
 * await Effect.runPromise(customers.get("cus_1")) // a query the first time, memory after
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type { CustomerStoreOps } from "../autumn/CustomerStore.ts"
import type { Customer } from "../Customer.ts"
import type { AttachPreview } from "../Preview.ts"

/** The default number of customers kept: 10,000. @example DEFAULT_CACHE_CAPACITY // 10000 */
export const DEFAULT_CACHE_CAPACITY = 10_000

/** A bounded map of what the database holds for an id (`undefined`: nothing). */
const boundedMap = <A>(capacity: number) => {
  const entries = new Map<string, A | undefined>()
  return {
    has: (id: string) => entries.has(id),
    get: (id: string) => entries.get(id),
    set: (id: string, value: A | undefined) => {
      entries.delete(id)
      entries.set(id, value)
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string)
    },
    forget: (id: string) => void entries.delete(id),
    size: () => entries.size
  }
}

/**
 * A cached customer store, with how many ids each of its caches holds now (never more than its capacity).
 *
 * @example cached.cacheSizes() // { states: 10000, pending: 10000 }
 */
export type CachedCustomers = CustomerStoreOps & { readonly cacheSizes: () => { readonly states: number; readonly pending: number } }

/**
 * The customer store `customers` with customer states and pending plans cached (see the module).
 *
 * @example const customers = cachedCustomers(store.customers, 10_000)
 */
export const cachedCustomers = (customers: CustomerStoreOps, capacity = DEFAULT_CACHE_CAPACITY): CachedCustomers => {
  const states = boundedMap<Customer>(capacity)
  const pending = boundedMap<AttachPreview>(capacity)
  // Bumped as every write starts and ends: a read that overlapped a write does not fill the
  // cache (it may have read the row before the write), the write's own outcome does.
  let writes = 0
  const read = <A>(map: ReturnType<typeof boundedMap<A>>, id: string, load: Effect.Effect<A | undefined>): Effect.Effect<A | undefined> =>
    map.has(id) ? Effect.succeed(map.get(id)) : Effect.suspend(() => {
      const before = writes
      return Effect.tap(load, (value) => Effect.sync(() => (writes === before ? map.set(id, value) : undefined)))
    })
  const writeThrough = <A, E>(effect: Effect.Effect<A, E>, cache: () => void, forget: () => void): Effect.Effect<A, E> =>
    Effect.suspend(() => {
      writes++
      return Effect.onExit(effect, (exit) => Effect.sync(() => {
        writes++
        return Exit.isSuccess(exit) ? cache() : forget()
      }))
    })
  return {
    ...customers,
    get: (id) => read(states, id, customers.get(id)),
    create: (customer, profile) =>
      writeThrough(customers.create(customer, profile), () => states.set(customer.id, customer), () => states.forget(customer.id)),
    put: (customer, options) =>
      writeThrough(customers.put(customer, options), () => states.set(customer.id, customer), () => states.forget(customer.id)),
    getPending: (id) => read(pending, id, customers.getPending(id)),
    setPending: (id, plan) => writeThrough(customers.setPending(id, plan), () => pending.set(id, plan), () => pending.forget(id)),
    cacheSizes: () => ({ states: states.size(), pending: pending.size() })
  }
}
