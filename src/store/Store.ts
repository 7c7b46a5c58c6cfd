/**
 * The store port: everything `serve` and `attach` must not lose — customers (with their
 * fingerprint, for compare-and-set) and profiles, pending plans with their execution journal,
 * idempotency records (request hash, response, expiry), and the sandbox provider's state, one
 * customer's part at a time —
 * behind one Effect service with three implementations: in memory (`memoryStore`), PGlite in a
 * directory and a PostgreSQL server (`sqlStore`), opened from one location string by `openStore`.
 *
 * @example
 * import * as Store from "attach-planner/store"
 * const store = await Store.openStore("memory")
 * const customer = await Effect.runPromise(store.customers.get("cus_1"))
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type { CustomerStoreOps } from "../autumn/CustomerStore.ts"

/** How long an idempotency record is kept by default: 24 hours. @example IDEMPOTENCY_TTL_MS // 86400000 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/**
 * The customer's lock could not be had within the wait: another request for the same customer
 * is running (possibly in another process). HTTP 409.
 *
 * @example new CustomerBusy({ customerId: "cus_1", message: "…" })
 */
export class CustomerBusy extends Data.TaggedError("CustomerBusy")<{ readonly customerId: string; readonly message: string }> {}

/**
 * A request kept under its idempotency key: the hash of what was asked, and the answer once there
 * is one (`undefined`: it was started and cut off — the process died before answering), with
 * what it was executing then.
 *
 * @example const r: IdempotencyRecord = { requestHash: "ab12", response: { status: 200, body: {} }, expiresAt: 1735689600000 }
 */
export interface IdempotencyRecord {
  readonly requestHash: string
  readonly response: { readonly status: number; readonly body: unknown } | undefined
  readonly expiresAt: number
  /**
   * What the request journaled before its first provider call, while it has no response yet:
   * the plan and the state it was planned from (JSON), so that a retry after the process died
   * completes that plan and answers as the first attempt would have.
   */
  readonly execution?: unknown
}

/**
 * An event of a customer's execution journal.
 *
 * @example const e: JournalEvent = { event: "pending", planBasedOn: "9f2c…" }
 */
export interface JournalEvent {
  readonly event: "pending" | "cleared"
  readonly planBasedOn: string | null
}

/**
 * A sandbox idempotency record as the store keeps it: the key, the record (JSON: operation,
 * request fingerprint, response) and when it expires (milliseconds since the epoch).
 *
 * @example const r: SandboxRecord = { key: "k", record: "{…}", expiresAt: 1735689600000 }
 */
export interface SandboxRecord {
  readonly key: string
  readonly record: string
  readonly expiresAt: number
}

/**
 * Which customer's sandbox state an operation needs: the customer's id, or the id of one of their
 * objects (a subscription, an invoice, a checkout session or its URL).
 *
 * @example const ref: SandboxRef = { objectId: "in_sbx_0001" }
 */
export type SandboxRef = { readonly customerId: string } | { readonly objectId: string }

/**
 * What a sandbox operation reads: its customer (when known), their part of the sandbox's state
 * (JSON; `undefined` when the sandbox has not seen them), the id counter, and the live records of
 * the keys asked for.
 *
 * @example const r: SandboxRead = { customerId: "cus_1", slice: undefined, nextId: 1, records: [] }
 */
export interface SandboxRead {
  readonly customerId: string | undefined
  readonly slice: string | undefined
  readonly nextId: number
  readonly records: ReadonlyArray<SandboxRecord>
}

/**
 * What a sandbox operation writes: the customer's part of the state (JSON), the id counter, the
 * objects it created (to find the customer by them), the records it made and the keys it freed.
 *
 * @example const w: SandboxWrite = { customer: { id: "cus_1", slice: "{…}" }, nextId: 2, objects: ["in_sbx_0001"], put: [], remove: [] }
 */
export interface SandboxWrite {
  readonly customer: { readonly id: string; readonly slice: string } | undefined
  readonly nextId: number
  readonly objects: ReadonlyArray<string>
  readonly put: ReadonlyArray<SandboxRecord>
  readonly remove: ReadonlyArray<string>
}

/**
 * The sandbox provider's durable state, one customer's part at a time: `transact` runs `task`
 * under the sandbox's lock (across processes on PostgreSQL) with what the operation reads and
 * writes what it returns, in one transaction; `all` reads everything (for `state`; a full scan).
 * A process keeps none of it. `legacy` converts a store written as a log of operations and
 * snapshots (before migration 3): `convert` receives them and returns the parts to write.
 *
 * @example const value = yield* store.sandbox.transact({ customerId: "cus_1" }, ["k"], Date.now(), (read) => ({ value: read.nextId, write: undefined }))
 */
export interface SandboxTables {
  readonly transact: <A>(
    ref: SandboxRef, keys: ReadonlyArray<string>, now: number, task: (read: SandboxRead) => { readonly value: A; readonly write: SandboxWrite | undefined }
  ) => Effect.Effect<A>
  readonly all: (now: number) => Effect.Effect<{ readonly slices: ReadonlyArray<string>; readonly nextId: number; readonly records: ReadonlyArray<SandboxRecord> }>
  readonly legacy: (
    convert: (log: { readonly snapshot: unknown; readonly entries: ReadonlyArray<{ readonly operation: string; readonly args: ReadonlyArray<unknown> }> }) => ReadonlyArray<SandboxWrite>
  ) => Effect.Effect<number>
}

/**
 * The operations of a store.
 *
 * - `customers`: the customer store port of the Autumn API (states, profiles, pending plans).
 * - `withCustomer`: runs `task` holding the customer's lock — in this process and, on
 *   PostgreSQL, across every process on the database — or fails with {@link CustomerBusy} after
 *   `waitMs`.
 * - `idempotency`: records per (scope, key); expired ones read as missing.
 * - `readJournal`: the customer's execution journal, oldest first — every pending plan set
 *   (`pending`, with the fingerprint it was planned from) and cleared (`cleared`).
 *
 * @example const answer = yield* store.withCustomer("cus_1", 5000, attachEffect)
 */
export interface StoreOps {
  readonly kind: "memory" | "pglite" | "postgres"
  /** Where the data lives, for the start-up line (`memory`, a directory, a URL without password). */
  readonly location: string
  readonly customers: CustomerStoreOps
  readonly withCustomer: <A, E, R>(customerId: string, waitMs: number, task: Effect.Effect<A, E, R>) => Effect.Effect<A, E | CustomerBusy, R>
  readonly getIdempotency: (scope: string, key: string, now: number) => Effect.Effect<IdempotencyRecord | undefined>
  readonly putIdempotency: (scope: string, key: string, record: IdempotencyRecord) => Effect.Effect<void>
  readonly deleteIdempotency: (scope: string, key: string) => Effect.Effect<void>
  /** Forgets the records expired at `now` (the sandbox's too); resolves with how many of the store's. */
  readonly pruneIdempotency: (now: number) => Effect.Effect<number>
  readonly readJournal: (customerId: string) => Effect.Effect<ReadonlyArray<JournalEvent>>
  readonly sandbox: SandboxTables
  readonly close: Effect.Effect<void>
}

/**
 * The store service.
 *
 * @example const store = yield* Store; yield* store.customers.get("cus_1")
 */
export class Store extends Context.Service<Store, StoreOps>()("attach-planner/Store") {}
