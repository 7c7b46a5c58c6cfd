/**
 * The store port: everything `serve` and `attach` must not lose — customers (with their
 * fingerprint, for compare-and-set) and profiles, pending plans with their execution journal,
 * idempotency records (request hash, response, expiry), and the sandbox provider's state —
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
 * One change of the sandbox provider's state, as logged: the sandbox operation and its arguments.
 *
 * @example const e: SandboxLogEntry = { seq: 1, operation: "createInvoice", args: [{ idempotencyKey: "k", … }] }
 */
export interface SandboxLogEntry {
  readonly seq: number
  readonly operation: string
  readonly args: ReadonlyArray<unknown>
}

/**
 * What a process must apply before its own change of the sandbox: the entries logged since the
 * last one it applied — after `snapshot` (reset to it first) when one was taken since.
 *
 * @example const c: CatchUp = { snapshot: undefined, entries: [] }
 */
export interface CatchUp {
  readonly snapshot: { readonly seq: number; readonly state: unknown } | undefined
  readonly entries: ReadonlyArray<SandboxLogEntry>
}

/**
 * The sandbox provider's durable state: a snapshot and the log of operations after it.
 * `append` runs `task` under the sandbox's lock (across processes on PostgreSQL) with what was
 * logged since `applied()` (the last entry this process applied); `task` applies that, then its
 * own operation, and returns the entry to log (or none). It resolves with the task's value and
 * the sequence number of the last entry now applied.
 *
 * @example const { value, seq } = yield* store.sandbox.append(() => seq, (catchUp) => ({ value: 1, entry: undefined }))
 */
export interface SandboxLog {
  readonly append: <A>(
    applied: () => number,
    task: (catchUp: CatchUp) => { readonly value: A; readonly entry: Omit<SandboxLogEntry, "seq"> | undefined }
  ) => Effect.Effect<{ readonly value: A; readonly seq: number }>
  /** Stores the state after entry `seq` as the snapshot, and forgets the log up to it. */
  readonly snapshot: (seq: number, state: unknown) => Effect.Effect<void>
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
  /** Forgets the records expired at `now`; resolves with how many. */
  readonly pruneIdempotency: (now: number) => Effect.Effect<number>
  readonly readJournal: (customerId: string) => Effect.Effect<ReadonlyArray<JournalEvent>>
  readonly sandbox: SandboxLog
  readonly close: Effect.Effect<void>
}

/**
 * The store service.
 *
 * @example const store = yield* Store; yield* store.customers.get("cus_1")
 */
export class Store extends Context.Service<Store, StoreOps>()("attach-planner/Store") {}
