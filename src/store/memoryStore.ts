/**
 * The in-memory store: the default of the library and of tests. Nothing survives the process;
 * `withCustomer` locks within the process only.
 *
 * @example
 * const store = memoryStore()
 * await Effect.runPromise(store.customers.create({ id: "cus_1" }))
 */
import * as Effect from "effect/Effect"
import { type CustomerStoreOps, makeMemoryStore } from "../autumn/CustomerStore.ts"
import type { Customer } from "../Customer.ts"
import { inSection, makeBoundedLock } from "./locks.ts"
import { CustomerBusy, type IdempotencyRecord, type JournalEvent, type SandboxRecord, type SandboxTables, type StoreOps } from "./Store.ts"

/**
 * The message of a {@link CustomerBusy} failure.
 *
 * @example busyMessage("cus_1", 5000) // "Another request for customer cus_1 is still running after 5000 ms; retry later"
 */
export const busyMessage = (customerId: string, waitMs: number): string =>
  `Another request for customer ${customerId} is still running after ${waitMs} ms; retry later`

/**
 * A customer store whose `setPending` also appends to a journal.
 *
 * @example const customers = journaled(makeMemoryStore(), (id, event, basedOn) => Effect.void)
 */
export const journaled = (
  customers: CustomerStoreOps,
  append: (customerId: string, event: JournalEvent["event"], planBasedOn: string | null) => Effect.Effect<void>
): CustomerStoreOps => ({
  ...customers,
  setPending: (id, plan) => Effect.andThen(customers.setPending(id, plan), append(id, plan === undefined ? "cleared" : "pending", plan?.basedOn ?? null))
})

/**
 * The sandbox's tables in memory: every customer's part the sandbox ever made (this is the
 * tests' store; nothing is forgotten but expired idempotency records, see `pruneIdempotency`).
 *
 * @example const tables = memorySandbox()
 */
export const memorySandbox = (): SandboxTables & { readonly prune: (now: number) => void } => {
  const slices = new Map<string, string>()
  const objects = new Map<string, string>()
  const records = new Map<string, SandboxRecord>()
  let nextId = 1
  const live = (now: number) => (r: SandboxRecord | undefined): r is SandboxRecord => r !== undefined && r.expiresAt > now
  return {
    transact: (ref, keys, now, task) =>
      Effect.sync(() => {
        const customerId = "customerId" in ref ? ref.customerId : objects.get(ref.objectId)
        const { value, write } = task({
          customerId, slice: customerId === undefined ? undefined : slices.get(customerId), nextId,
          records: keys.map((k) => records.get(k)).filter(live(now))
        })
        if (write === undefined) return value
        if (write.customer !== undefined) {
          slices.set(write.customer.id, write.customer.slice)
          for (const o of write.objects) if (!objects.has(o)) objects.set(o, write.customer.id)
        }
        for (const k of write.remove) records.delete(k)
        for (const r of write.put) {
          records.delete(r.key)
          records.set(r.key, r)
        }
        nextId = write.nextId
        return value
      }),
    all: (now) => Effect.sync(() => ({ slices: [...slices.values()], nextId, records: [...records.values()].filter(live(now)) })),
    legacy: () => Effect.succeed(0),
    prune: (now) => {
      for (const [k, r] of records) if (r.expiresAt <= now) records.delete(k)
    }
  }
}

/**
 * A new, empty in-memory store (seeded with `initial` customers).
 *
 * @example const store = memoryStore([{ id: "cus_1", hasPaymentMethod: true }])
 */
export const memoryStore = (initial: ReadonlyArray<Customer> = []): StoreOps => {
  const lock = makeBoundedLock()
  const records = new Map<string, IdempotencyRecord>()
  const journal = new Map<string, Array<JournalEvent>>()
  const id = (scope: string, key: string) => JSON.stringify([scope, key])
  const sandbox = memorySandbox()
  return {
    kind: "memory",
    location: "memory",
    customers: journaled(makeMemoryStore(initial), (customerId, event, planBasedOn) =>
      Effect.sync(() => {
        const events = journal.get(customerId) ?? []
        events.push({ event, planBasedOn })
        journal.set(customerId, events)
      })),
    withCustomer: (customerId, waitMs, task) =>
      inSection((t) => lock(customerId, waitMs, t), task, () => new CustomerBusy({ customerId, message: busyMessage(customerId, waitMs) })),
    getIdempotency: (scope, key, now) =>
      Effect.sync(() => {
        const r = records.get(id(scope, key))
        return r !== undefined && r.expiresAt > now ? r : undefined
      }),
    putIdempotency: (scope, key, record) => Effect.sync(() => void records.set(id(scope, key), record)),
    deleteIdempotency: (scope, key) => Effect.sync(() => void records.delete(id(scope, key))),
    pruneIdempotency: (now) =>
      Effect.sync(() => {
        sandbox.prune(now)
        let n = 0
        for (const [k, r] of records) if (r.expiresAt <= now && records.delete(k)) n++
        return n
      }),
    readJournal: (customerId) => Effect.sync(() => [...(journal.get(customerId) ?? [])]),
    sandbox,
    close: Effect.void
  }
}
