/**
 * Idempotency keys of the fetch handler (`Idempotency-Key` header), kept in the store so that a
 * key executes once across every process on one database and across restarts: the first request
 * with a key runs; a later one with the same key, route and body gets the stored response; the
 * same key with another route or body is refused (422). A response with a 5xx status is not
 * kept: the request may be retried. A record left without a response (the process died while
 * the request ran) lets the retry run it again: when the record holds the plan the attempt was
 * executing (./keyedExecution.ts), the retry completes that plan with the same provider keys and
 * answers as the first attempt would have — nothing is charged twice, and the client gets its 200.
 *
 * Runs under the customer's lock (the handler takes it): requests with one key concern one
 * customer, so the record is read and written by one request at a time.
 *
 * @example
 * const outcome = yield* once(store, { scope: "k0", key: "order-1", requestHash: "ab12", ttlMs: 86_400_000, now: Date.now() }, execute)
 * outcome.replayed // false the first time, true after
 */
import * as Effect from "effect/Effect"
import type { StoreOps } from "../../store/Store.ts"
import type { KeyedExecution, KeyedJournal } from "./keyedExecution.ts"

/** A response as stored for replay. @example { status: 200, body: { customer_id: "cus_1", payment_url: null } } */
export interface StoredResponse {
  readonly status: number
  readonly body: unknown
}

/** Where records are kept: the store's idempotency operations. @example const records: IdempotencyRecords = store */
export type IdempotencyRecords = Pick<StoreOps, "getIdempotency" | "putIdempotency" | "deleteIdempotency">

/** The key of a request. @example const k: KeyedRequest = { scope: "k0", key: "order-1", requestHash: "ab12", ttlMs: 86400000, now: 0 } */
export interface KeyedRequest {
  readonly scope: string
  readonly key: string
  readonly requestHash: string
  readonly ttlMs: number
  readonly now: number
}

/** What a keyed request answered. @example const o: Once = { response: { status: 200, body: {} }, replayed: true } */
export interface Once {
  readonly response: StoredResponse
  readonly replayed: boolean
}

/**
 * Runs `execute` once for a key (see the module's description). `execute` gets the key's
 * journal: what a cut-off earlier attempt journaled (its plan, to complete), and where this
 * attempt journals its own before its first provider call.
 *
 * @example yield* once(store, keyed, () => Effect.succeed({ status: 200, body: {} }))
 */
export const once = <E, R>(records: IdempotencyRecords, k: KeyedRequest, execute: (journal: KeyedJournal) => Effect.Effect<StoredResponse, E, R>): Effect.Effect<Once, E, R> =>
  Effect.gen(function* () {
    const seen = yield* records.getIdempotency(k.scope, k.key, k.now)
    if (seen !== undefined && seen.requestHash !== k.requestHash) {
      return { response: { status: 422, body: { code: "idempotency_key_reused", message: `Idempotency-Key ${k.key} was used with another request` } }, replayed: false }
    }
    if (seen?.response !== undefined) return { response: seen.response, replayed: true }
    const expiresAt = k.now + k.ttlMs
    if (seen === undefined) yield* records.putIdempotency(k.scope, k.key, { requestHash: k.requestHash, response: undefined, expiresAt })
    // The record is the store's own JSON of a KeyedExecution, written below.
    const previous = seen?.execution as KeyedExecution | undefined
    const journal: KeyedJournal = {
      previous,
      record: (execution) => records.putIdempotency(k.scope, k.key, { requestHash: k.requestHash, response: undefined, expiresAt: seen?.expiresAt ?? expiresAt, execution })
    }
    const response = yield* execute(journal)
    if (response.status >= 500) yield* records.deleteIdempotency(k.scope, k.key)
    else yield* records.putIdempotency(k.scope, k.key, { requestHash: k.requestHash, response, expiresAt: seen?.expiresAt ?? expiresAt })
    return { response, replayed: false }
  })
