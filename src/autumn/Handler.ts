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
import { customerFingerprint, fnv1a64 } from "../internal/fingerprint.ts"
import type { PaymentPort } from "../Provider.ts"
import { memoryStore } from "../store/memoryStore.ts"
import { IDEMPOTENCY_TTL_MS, type StoreOps } from "../store/Store.ts"
import { errorBody } from "./ApiError.ts"
import type { AutumnOptions } from "./AutumnOptions.ts"
import type { CustomerStoreOps } from "./CustomerStore.ts"
import { authenticate } from "./internal/auth.ts"
import type { BodyLimits } from "./internal/body.ts"
import { failure, makeRuntime, type Runtime } from "./internal/handlerRuntime.ts"
import { once, type StoredResponse } from "./internal/idempotency.ts"
import { ExecutionJournal, type KeyedJournal } from "./internal/keyedExecution.ts"
import { fromRequest, type RawRequest, type RawResponse, splitTarget, toResponse } from "./internal/raw.ts"
import { checkRequest, MAX_PLANS_PER_REQUEST } from "./internal/requestChecks.ts"
import { jsonRaw, newRequestId } from "./internal/requestId.ts"
import { PREVIEW_DECODERS, resume } from "./Operations.ts"
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

/** The handler's options, its catalog decoded. */
type Served = AutumnOptions & Omit<AutumnHandlerOptions, "catalog">

/** What every request's steps share: the options, the store, the path prefix, the body's bounds and the runtime. */
interface Handling {
  readonly options: Served
  readonly store: NonNullable<AutumnHandlerOptions["store"]>
  readonly base: string
  readonly limits: BodyLimits
  readonly runtime: Runtime
}

/** A request whose key, path, method and API version are accepted. */
interface Routed {
  /** The index of the request's API key in `keys`. */
  readonly who: number
  readonly path: string
  readonly query: string
  readonly operation: Operation
  readonly params: Readonly<Record<string, string>>
}

const handlerFor = (options: Served): AutumnHandler => {
  const store = options.store ?? memoryStore()
  const handling: Handling = {
    options,
    store,
    base: (options.basePath ?? "").replace(/\/+$/, ""),
    limits: { maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, timeoutMs: options.bodyTimeoutMs ?? 10_000, maxDepth: MAX_DEPTH },
    runtime: makeRuntime(options, store)
  }
  const { runtime } = handling
  const guarded = (request: RawRequest): Promise<RawResponse> => {
    const requestId = newRequestId()
    return handle(handling, request, requestId).catch((cause: unknown) => json(runtime.internal(requestId, cause), requestId))
  }
  const fetchHandler = (request: Request): Promise<Response> => guarded(fromRequest(request)).then(toResponse)
  return Object.assign(fetchHandler, {
    raw: guarded,
    resume: (customerId: string) =>
      runtime.locked(customerId, Effect.map(Effect.promise(() => runtime.runEffect(newRequestId(), resume(customerId))), (response) => ({ response, replayed: false })))
        .then((o) => o.response)
  })
}

/** One request: routed, its body decoded, answered; each step may answer with a refusal instead. */
const handle = async (handling: Handling, request: RawRequest, requestId: string): Promise<RawResponse> => {
  const route = routed(handling, request, requestId)
  if (Result.isFailure(route)) return route.failure
  const body = await decoded(handling, request, route.success, requestId)
  if (Result.isFailure(body)) return body.failure
  return answer(handling, request, requestId, route.success, body.success)
}

/** Routing: the API key (401, and not a byte of the body read), the route (404, 405) and the API version (400). */
const routed = (handling: Handling, request: RawRequest, requestId: string): Result.Result<Routed, RawResponse> => {
  const who = authenticate(request.header("authorization"), handling.options.keys)
  if (typeof who !== "number") return Result.fail(json(failure(who.status, who.code, who.message), requestId))
  const target = splitTarget(request.url)
  const path = target.path.replace(/\/+$/, "")
  const route = path.startsWith(handling.base) ? resolveRoute(request.method, path.slice(handling.base.length)) : undefined
  if (route === undefined) return Result.fail(json(failure(404, "not_found", `No route ${path}`), requestId))
  const operation: Operation | undefined = route.operation
  if (operation === undefined) {
    return Result.fail(json(failure(405, "method_not_allowed", `${path} takes ${route.methods.join(", ")}`), requestId, { allow: route.methods.join(", ") }))
  }
  const shape = apiShape(request.header("x-api-version"))
  if (Result.isFailure(shape)) return Result.fail(json({ status: shape.failure.status, body: errorBody(shape.failure) }, requestId))
  const params = shape.success === undefined ? route.params : { ...route.params, __shape: shape.success }
  return Result.succeed({ who, path, query: target.query, operation, params })
}

/** Decoding: the body read within its bounds (408, 413, 400), or a GET's query, then checked (ids, plan count). */
const decoded = async (handling: Handling, request: RawRequest, route: Routed, requestId: string): Promise<Result.Result<unknown, RawResponse>> => {
  // A GET's query parameters are its body (0.x: `GET /customers?limit=10`).
  let raw: unknown = request.method === "GET" ? queryOf(route.query) : undefined
  if (request.method !== "GET") {
    const body = await request.readBody(handling.limits)
    if (!body.ok) return Result.fail(json({ status: body.failure.status, body: { code: body.failure.code, message: body.failure.message } }, requestId))
    raw = body.value
  }
  const refused = checkRequest(raw, route.params, handling.options.maxPlans ?? MAX_PLANS_PER_REQUEST)
  if (refused !== undefined) return Result.fail(json({ status: refused.status, body: { code: refused.code, message: refused.message } }, requestId))
  return Result.succeed(raw)
}

/** Answering: a preview without a lock, else the operation under the customer's lock — once per `Idempotency-Key`. */
const answer = async (handling: Handling, request: RawRequest, requestId: string, route: Routed, raw: unknown): Promise<RawResponse> => {
  const { options, runtime } = handling
  const { operation, params, path } = route
  const customerId = routeCustomerId(params, raw)
  const key = request.header("idempotency-key")
  // A preview reads one state and writes nothing: it needs no lock.
  if ((key === null || key === "") && path.includes(".preview_")) {
    const decode = PREVIEW_DECODERS.get(operation)
    return json(await (decode === undefined ? runtime.runEffect(requestId, operation(options, raw, params)) : runtime.preview(requestId, decode, raw)), requestId)
  }
  const execute = (journal?: KeyedJournal) => Effect.promise(() => {
    const effect = operation(options, raw, params)
    return runtime.runEffect(requestId, journal === undefined ? effect : Effect.provideService(effect, ExecutionJournal, journal))
  })
  if (key === null || key === "") {
    return json((await runtime.locked(customerId, Effect.map(execute(), (response) => ({ response, replayed: false })))).response, requestId)
  }
  runtime.pruneNow()
  const keyed = {
    scope: fnv1a64(options.keys[route.who] ?? ""), key, requestHash: customerFingerprint({ path, body: raw }),
    ttlMs: options.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS, now: Date.now()
  }
  const outcome = await runtime.locked(customerId, once(handling.store, keyed, execute))
  return json(outcome.response, requestId, outcome.replayed ? { "idempotent-replayed": "true" } : {})
}
