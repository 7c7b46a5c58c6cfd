/**
 * A web-standard fetch handler (`(request: Request) => Promise<Response>`) serving the operations
 * at Autumn's paths, so that Autumn's official clients can be pointed at it. Runs on Node ≥ 20,
 * Bun, Deno and edge workers.
 *
 * - The routes of `AUTUMN_ROUTES` (./Routes.ts): billing, customers, plans and the 0.x routes; `x-api-version` selects the response
 *   shapes (1.x: v1, 2.1 and above: v2; anything else is a 400).
 * - **Authentication**: `Authorization: Bearer <key>` with one of `keys`, compared in constant
 *   time; otherwise 401 and nothing runs (not a byte of the body is read).
 * - **Bounded requests**: a body over `maxBodyBytes` (1 MB) is refused with 413 while it streams,
 *   one not received within `bodyTimeoutMs` (10 s) with 408; bodies must be valid UTF-8 JSON
 *   nested at most 64 levels; at most `maxPlans` (100) plans per request; customer ids with
 *   control characters or invalid UTF-8 are a 400.
 * - **Errors**: every error body is Autumn's `{ code, message }` plus `request_id` (also the
 *   `x-request-id` header of every response); a 500 says only "internal error" — the cause goes
 *   to `log` with the request id.
 * - **One request per customer at a time**: requests for the same `customer_id` wait for each
 *   other and run in arrival order — across every process on one PostgreSQL database when
 *   `store` is one (a second attach plans from the state the first one left, so two concurrent
 *   attaches cannot both charge); after `lockWaitMs` (10 s) a waiting request gets 409
 *   `customer_busy`. Requests for different customers run together.
 * - **`Idempotency-Key`**: the same key with the same route and body replays the stored response
 *   (header `Idempotent-Replayed: true`) without running again; with another route or body it is
 *   refused (422 `idempotency_key_reused`). Keys are per API key and kept in `store` for
 *   `idempotencyTtlMs` (24 h); a 5xx response is not kept, so the request may be retried.
 *
 * @example
 * const made = Autumn.makeAutumnHandler({ catalog, keys: ["am_sk_test_1"], customers: Autumn.makeMemoryStore(), provider: Sandbox.make().port })
 * if (Result.isSuccess(made)) Bun.serve({ fetch: made.success })     // or Deno.serve(handler), or export default { fetch: handler }
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"
import type { DecodeError } from "../Errors.ts"
import { customerFingerprint, fnv1a64 } from "../internal/working.ts"
import { type PaymentPort, PaymentProvider } from "../Provider.ts"
import { memoryStore } from "../store/memoryStore.ts"
import { IDEMPOTENCY_TTL_MS, type StoreOps } from "../store/Store.ts"
import { type AutumnApiError, errorBody } from "./ApiError.ts"
import { CustomerStore, type CustomerStoreOps } from "./CustomerStore.ts"
import { authenticate } from "./internal/auth.ts"
import { once, type StoredResponse } from "./internal/idempotency.ts"
import { ExecutionJournal, type KeyedJournal } from "./internal/keyedExecution.ts"
import { fromRequest, type RawRequest, type RawResponse, splitTarget, toResponse } from "./internal/raw.ts"
import { checkRequest, MAX_PLANS_PER_REQUEST } from "./internal/requestChecks.ts"
import { jsonRaw, newRequestId } from "./internal/requestId.ts"
import { type AutumnOptions, PREVIEW_DECODERS, previewOf, resume } from "./Operations.ts"
import type { AttachCall } from "./Requests.ts"
import { apiShape, type Operation, resolveRoute, routeCustomerId } from "./Routes.ts"

/**
 * The handler's options: the operations' options, the API keys it accepts, the two ports, and
 * the bounds of a request. `catalog` is a decoded {@link Catalog} or a catalog document such as
 * `JSON.parse` gives (decoded when the handler is made). `basePath` is a prefix before `/v1`
 * (default none). `store` holds
 * the customer locks and idempotency records (default: in memory, this handler's own); pass the
 * store whose `customers` these are to share them across processes and restarts.
 *
 * @example const options: AutumnHandlerOptions = { catalog, keys: [process.env.KEY ?? ""], customers: Autumn.makeMemoryStore(), provider }
 */
export interface AutumnHandlerOptions extends Omit<AutumnOptions, "catalog"> {
  readonly catalog: Catalog | unknown
  readonly keys: ReadonlyArray<string>
  readonly customers: CustomerStoreOps
  readonly provider: PaymentPort
  readonly basePath?: string
  readonly store?: Pick<StoreOps, "withCustomer" | "getIdempotency" | "putIdempotency" | "deleteIdempotency" | "pruneIdempotency">
  /** Largest body accepted, in bytes (default 1 MB). */
  readonly maxBodyBytes?: number
  /** How long a body may take to arrive (default 10 s). */
  readonly bodyTimeoutMs?: number
  /** Most plans in one request (default 100). */
  readonly maxPlans?: number
  /** How long a request waits for its customer's lock before a 409 (default 10 s). */
  readonly lockWaitMs?: number
  readonly idempotencyTtlMs?: number
  /** Where internal errors go (default: standard error). */
  readonly log?: (line: string) => void
}

/** The default largest body: 1 MB. @example DEFAULT_MAX_BODY_BYTES // 1048576 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

const MAX_DEPTH = 64

const json = (r: StoredResponse, requestId: string, headers: Record<string, string> = {}): RawResponse => jsonRaw(r.status, r.body, requestId, headers)

const failure = (status: number, code: string, message: string): StoredResponse => ({ status, body: { code, message } })

/** A GET's query parameters as its body (`undefined` without any). */
const queryOf = (query: string): Record<string, string> | undefined => {
  const params = new URLSearchParams(query)
  return params.size === 0 ? undefined : Object.fromEntries(params)
}

/**
 * The fetch handler, with `resume(customerId)`: executes the customer's pending plan again under
 * the customer's lock — the entry point for a provider's webhook (checkout completed, invoice
 * paid). Resolves with the status and body an attach would answer. `raw` is the same handler
 * without the web types, for a server that holds the request's parts already (`serve` on Node).
 *
 * @example await handler.resume("cus_1") // { status: 200, body: { customer_id: "cus_1", invoice: { status: "paid", … }, payment_url: null } }
 */
export type AutumnHandler = ((request: Request) => Promise<Response>) & {
  readonly resume: (customerId: string) => Promise<StoredResponse>
  readonly raw: (request: RawRequest) => Promise<RawResponse>
}

const isDecodedCatalog = (catalog: unknown): catalog is Catalog =>
  typeof catalog === "object" && catalog !== null && "plansById" in catalog && catalog.plansById instanceof Map

/**
 * Makes the fetch handler, or refuses a catalog that does not decode (a {@link DecodeError}
 * naming the bad field, before any request is served). Share one handler per process; processes
 * sharing one PostgreSQL `store` behave as one server (locks and idempotency records are the
 * store's).
 *
 * @example
 * const made = makeAutumnHandler({ catalog, keys: ["sk_1"], customers: makeMemoryStore(), provider: Sandbox.make().port })
 * if (Result.isFailure(made)) throw new Error(made.failure.message)
 * const handler = made.success
 * const response = await handler(new Request("http://localhost/v1/billing.attach", { method: "POST", headers: { authorization: "Bearer sk_1" }, body: JSON.stringify({ customer_id: "cus_1", plan_id: "pro" }) }))
 */
export const makeAutumnHandler = (options: AutumnHandlerOptions): Result.Result<AutumnHandler, DecodeError> => {
  const catalog = isDecodedCatalog(options.catalog) ? Result.succeed(options.catalog) : decodeCatalog(options.catalog)
  return Result.map(catalog, (decoded) => handlerFor({ ...options, catalog: decoded }))
}

const handlerFor = (options: AutumnOptions & Omit<AutumnHandlerOptions, "catalog">): AutumnHandler => {
  const store = options.store ?? memoryStore()
  const base = (options.basePath ?? "").replace(/\/+$/, "")
  const limits = { maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, timeoutMs: options.bodyTimeoutMs ?? 10_000, maxDepth: MAX_DEPTH }
  const waitMs = options.lockWaitMs ?? 10_000
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`))
  let keyedSincePrune = 0

  const internal = (requestId: string, cause: unknown): StoredResponse => {
    log(`attach-planner: internal error in ${requestId}: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}`)
    return failure(500, "internal_error", `Internal error (request ${requestId}); the server's log has the details`)
  }

  const runEffect = (requestId: string, effect: Effect.Effect<unknown, AutumnApiError, CustomerStore | PaymentProvider>): Promise<StoredResponse> =>
    Effect.runPromise(Effect.result(effect.pipe(
      Effect.provideService(CustomerStore, options.customers),
      Effect.provideService(PaymentProvider, options.provider)
    ))).then((r) => answered(requestId, r), (cause: unknown): StoredResponse => internal(requestId, cause))

  const answered = (requestId: string, r: Result.Result<unknown, AutumnApiError>): StoredResponse => {
    if (Result.isSuccess(r)) return { status: 200, body: r.success }
    return r.failure.status === 500 ? internal(requestId, r.failure.message) : { status: r.failure.status, body: errorBody(r.failure) }
  }

  /** A preview as a plain function (previewOf): the body decoded, one read of the store, the plan. */
  const preview = async (requestId: string, decode: (body: unknown) => Result.Result<AttachCall, AutumnApiError>, body: unknown): Promise<StoredResponse> => {
    const call = decode(body)
    if (Result.isFailure(call)) return answered(requestId, call)
    const stored = await Effect.runPromise(options.customers.get(call.success.customerId))
    return answered(requestId, previewOf(options, stored, call.success))
  }

  /** Runs `task` holding the customer's lock; 409 when it could not be had in time. */
  const locked = (customerId: string, task: Effect.Effect<{ readonly response: StoredResponse; readonly replayed: boolean }>) =>
    Effect.runPromise(Effect.catchTag(store.withCustomer(customerId, waitMs, task), "CustomerBusy", (busy) =>
      Effect.succeed({ response: failure(409, "customer_busy", busy.message), replayed: false })))

  const pruneNow = (): void => {
    if (++keyedSincePrune < 1000) return
    keyedSincePrune = 0
    Effect.runFork(Effect.ignore(store.pruneIdempotency(Date.now())))
  }

  const handle = async (request: RawRequest, requestId: string): Promise<RawResponse> => {
    const who = authenticate(request.header("authorization"), options.keys)
    if (typeof who !== "number") return json(failure(who.status, who.code, who.message), requestId)
    const target = splitTarget(request.url)
    const path = target.path.replace(/\/+$/, "")
    const route = path.startsWith(base) ? resolveRoute(request.method, path.slice(base.length)) : undefined
    if (route === undefined) return json(failure(404, "not_found", `No route ${path}`), requestId)
    const operation: Operation | undefined = route.operation
    if (operation === undefined) {
      return json(failure(405, "method_not_allowed", `${path} takes ${route.methods.join(", ")}`), requestId, { allow: route.methods.join(", ") })
    }
    const shape = apiShape(request.header("x-api-version"))
    if (Result.isFailure(shape)) return json({ status: shape.failure.status, body: errorBody(shape.failure) }, requestId)
    const params = shape.success === undefined ? route.params : { ...route.params, __shape: shape.success }
    // A GET's query parameters are its body (0.x: `GET /customers?limit=10`).
    let raw: unknown = request.method === "GET" ? queryOf(target.query) : undefined
    if (request.method !== "GET") {
      const body = await request.readBody(limits)
      if (!body.ok) return json({ status: body.failure.status, body: { code: body.failure.code, message: body.failure.message } }, requestId)
      raw = body.value
    }
    const refused = checkRequest(raw, params, options.maxPlans ?? MAX_PLANS_PER_REQUEST)
    if (refused !== undefined) return json({ status: refused.status, body: { code: refused.code, message: refused.message } }, requestId)
    const customerId = routeCustomerId(params, raw)
    const key = request.header("idempotency-key")
    // A preview reads one state and writes nothing: it needs no lock.
    if ((key === null || key === "") && path.includes(".preview_")) {
      const decode = PREVIEW_DECODERS.get(operation)
      return json(await (decode === undefined ? runEffect(requestId, operation(options, raw, params)) : preview(requestId, decode, raw)), requestId)
    }
    const execute = (journal?: KeyedJournal) => Effect.promise(() => {
      const effect = operation(options, raw, params)
      return runEffect(requestId, journal === undefined ? effect : Effect.provideService(effect, ExecutionJournal, journal))
    })
    if (key === null || key === "") {
      return json((await locked(customerId, Effect.map(execute(), (response) => ({ response, replayed: false })))).response, requestId)
    }
    pruneNow()
    const keyed = {
      scope: fnv1a64(options.keys[who] ?? ""), key, requestHash: customerFingerprint({ path, body: raw }),
      ttlMs: options.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS, now: Date.now()
    }
    const outcome = await locked(customerId, once(store, keyed, execute))
    return json(outcome.response, requestId, outcome.replayed ? { "idempotent-replayed": "true" } : {})
  }

  const guarded = (request: RawRequest): Promise<RawResponse> => {
    const requestId = newRequestId()
    return handle(request, requestId).catch((cause: unknown) => json(internal(requestId, cause), requestId))
  }
  const fetchHandler = (request: Request): Promise<Response> => guarded(fromRequest(request)).then(toResponse)
  return Object.assign(fetchHandler, {
    raw: guarded,
    resume: (customerId: string) =>
      locked(customerId, Effect.map(Effect.promise(() => runEffect(newRequestId(), resume(customerId))), (response) => ({ response, replayed: false })))
        .then((o) => o.response)
  })
}
