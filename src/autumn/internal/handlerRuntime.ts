/**
 * How the fetch handler runs an operation: its Effect with the customer store and the payment
 * port provided, its outcome as the response to store or send (a 500 logged with the request id,
 * its body saying only "internal error"), a preview without the Effect runtime, a task under the
 * customer's lock, and now and then a prune of the expired idempotency records.
 *
 * @example
 * const runtime = makeRuntime({ catalog, customers: makeMemoryStore(), provider: Sandbox.make().port }, memoryStore())
 * await runtime.runEffect("req_1", Autumn.attach(options, { customer_id: "cus_1", plan_id: "pro" })) // { status: 200, body: { … } }
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { type PaymentPort, PaymentProvider } from "../../Provider.ts"
import type { StoreOps } from "../../store/Store.ts"
import { type AutumnApiError, errorBody } from "../ApiError.ts"
import type { AutumnOptions } from "../AutumnOptions.ts"
import { CustomerStore, type CustomerStoreOps } from "../CustomerStore.ts"
import { previewOf } from "../Operations.ts"
import type { AttachCall } from "../Requests.ts"
import type { StoredResponse } from "./idempotency.ts"

/**
 * What the runtime needs of the handler's options: the operations' options, the two ports, the
 * lock wait and the log.
 *
 * @example const options: RuntimeOptions = { catalog, customers: makeMemoryStore(), provider, lockWaitMs: 5000 }
 */
export interface RuntimeOptions extends AutumnOptions {
  readonly customers: CustomerStoreOps
  readonly provider: PaymentPort
  readonly lockWaitMs?: number
  readonly log?: (line: string) => void
}

/** A task's response under the lock, and whether it replays a stored one. @example const l: Locked = { response: { status: 200, body: {} }, replayed: false } */
export interface Locked {
  readonly response: StoredResponse
  readonly replayed: boolean
}

/**
 * The handler's ways of running an operation (see the module's description).
 *
 * @example const r: StoredResponse = runtime.internal("req_1", new Error("boom")) // { status: 500, body: { code: "internal_error", … } }
 */
export interface Runtime {
  /** Logs `cause` with the request id; the 500 a client gets for it. */
  readonly internal: (requestId: string, cause: unknown) => StoredResponse
  readonly runEffect: (requestId: string, effect: Effect.Effect<unknown, AutumnApiError, CustomerStore | PaymentProvider>) => Promise<StoredResponse>
  /** A preview as a plain function (previewOf): the body decoded, one read of the store, the plan. */
  readonly preview: (requestId: string, decode: (body: unknown) => Result.Result<AttachCall, AutumnApiError>, body: unknown) => Promise<StoredResponse>
  /** Runs `task` holding the customer's lock; 409 when it could not be had in time. */
  readonly locked: (customerId: string, task: Effect.Effect<Locked>) => Promise<Locked>
  /** Prunes the expired idempotency records once every 1000 keyed requests, in the background. */
  readonly pruneNow: () => void
}

/** An error response as stored or sent: Autumn's `{ code, message }`. @example failure(404, "not_found", "No route /x") // { status: 404, body: { code: "not_found", message: "No route /x" } } */
export const failure = (status: number, code: string, message: string): StoredResponse => ({ status, body: { code, message } })

/**
 * The runtime of one handler over `store`'s locks and idempotency records.
 *
 * @example makeRuntime(options, options.store ?? memoryStore()).pruneNow()
 */
export const makeRuntime = (options: RuntimeOptions, store: Pick<StoreOps, "withCustomer" | "pruneIdempotency">): Runtime => {
  const waitMs = options.lockWaitMs ?? 10_000
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`))
  let keyedSincePrune = 0

  const internal = (requestId: string, cause: unknown): StoredResponse => {
    log(`attach-planner: internal error in ${requestId}: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}`)
    return failure(500, "internal_error", `Internal error (request ${requestId}); the server's log has the details`)
  }

  const answered = (requestId: string, r: Result.Result<unknown, AutumnApiError>): StoredResponse => {
    if (Result.isSuccess(r)) return { status: 200, body: r.success }
    return r.failure.status === 500 ? internal(requestId, r.failure.message) : { status: r.failure.status, body: errorBody(r.failure) }
  }

  const runEffect: Runtime["runEffect"] = (requestId, effect) =>
    Effect.runPromise(Effect.result(effect.pipe(
      Effect.provideService(CustomerStore, options.customers),
      Effect.provideService(PaymentProvider, options.provider)
    ))).then((r) => answered(requestId, r), (cause: unknown): StoredResponse => internal(requestId, cause))

  const preview: Runtime["preview"] = async (requestId, decode, body) => {
    const call = decode(body)
    if (Result.isFailure(call)) return answered(requestId, call)
    const stored = await Effect.runPromise(options.customers.get(call.success.customerId))
    return answered(requestId, previewOf(options, stored, call.success))
  }

  const locked: Runtime["locked"] = (customerId, task) =>
    Effect.runPromise(Effect.catchTag(store.withCustomer(customerId, waitMs, task), "CustomerBusy", (busy) =>
      Effect.succeed({ response: failure(409, "customer_busy", busy.message), replayed: false })))

  const pruneNow = (): void => {
    if (++keyedSincePrune < 1000) return
    keyedSincePrune = 0
    Effect.runFork(Effect.ignore(store.pruneIdempotency(Date.now())))
  }

  return { internal, runEffect, preview, locked, pruneNow }
}
