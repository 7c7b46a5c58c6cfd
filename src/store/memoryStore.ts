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
import { CustomerBusy, type IdempotencyRecord, type JournalEvent, type SandboxLogEntry, type StoreOps } from "./Store.ts"

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
 * A new, empty in-memory store (seeded with `initial` customers).
 *
 * @example const store = memoryStore([{ id: "cus_1", hasPaymentMethod: true }])
 */
export const memoryStore = (initial: ReadonlyArray<Customer> = []): StoreOps => {
  const lock = makeBoundedLock()
  const records = new Map<string, IdempotencyRecord>()
  const journal = new Map<string, Array<JournalEvent>>()
  const log: Array<SandboxLogEntry> = []
  let snapshot: { readonly seq: number; readonly state: unknown } = { seq: 0, state: undefined }
  const id = (scope: string, key: string) => JSON.stringify([scope, key])
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
        let n = 0
        for (const [k, r] of records) if (r.expiresAt <= now && records.delete(k)) n++
        return n
      }),
    readJournal: (customerId) => Effect.sync(() => [...(journal.get(customerId) ?? [])]),
    sandbox: {
      append: (applied, task) =>
        Effect.sync(() => {
          const since = applied()
          const taken = snapshot.seq > since ? snapshot : undefined
          const from = taken?.seq ?? since
          const { value, entry } = task({ snapshot: taken, entries: log.filter((e) => e.seq > from) })
          if (entry !== undefined) log.push({ seq: (log.at(-1)?.seq ?? snapshot.seq) + 1, ...entry })
          return { value, seq: log.at(-1)?.seq ?? snapshot.seq }
        }),
      snapshot: (seq, state) =>
        Effect.sync(() => {
          snapshot = { seq, state: structuredClone(state) }
          log.splice(0, log.findIndex((e) => e.seq > seq) < 0 ? log.length : log.findIndex((e) => e.seq > seq))
        })
    },
    close: Effect.void
  }
}
