/**
 * A web-standard fetch handler (`(request: Request) => Promise<Response>`) serving the operations
 * at Autumn's paths, so that Autumn's official clients can be pointed at it. Runs on Node ≥ 20,
 * Bun, Deno and edge workers.
 *
 * - `POST /v1/checkout`, `/v1/billing.attach`, `/v1/billing.preview_attach`,
 *   `/v1/billing.multi_attach`, `/v1/billing.preview_multi_attach`.
 * - **Authentication**: `Authorization: Bearer <key>` with one of `keys`; otherwise 401 and
 *   nothing runs (not even the body is read).
 * - **One request per customer at a time**: requests for the same `customer_id` wait for each
 *   other and run in arrival order (a second attach plans from the state the first one left, so
 *   two concurrent attaches cannot both charge); requests for different customers run together.
 * - **`Idempotency-Key`**: the same key with the same route and body replays the stored response
 *   (header `Idempotent-Replayed: true`) without running again; with another route or body it is
 *   refused (422 `idempotency_key_reused`). Keys are per API key and kept for the handler's
 *   lifetime; a 5xx response is not kept, so the request may be retried.
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
import { customerFingerprint } from "../internal/working.ts"
import { type PaymentPort, PaymentProvider } from "../Provider.ts"
import { type AutumnApiError, errorBody } from "./ApiError.ts"
import { CustomerStore, type CustomerStoreOps } from "./CustomerStore.ts"
import { makeIdempotencyKeys, type StoredResponse } from "./internal/idempotency.ts"
import { makeKeyedLock } from "./internal/keyedLock.ts"
import { type AutumnOptions, resume } from "./Operations.ts"
import { type Operation, resolveRoute, routeCustomerId } from "./Routes.ts"

/**
 * The handler's options: the operations' options, the API keys it accepts, and the two ports.
 * `catalog` is a decoded {@link Catalog} or a catalog document such as `JSON.parse` gives (decoded
 * when the handler is made).
 * `basePath` is a prefix before `/v1` (default none).
 *
 * @example const options: AutumnHandlerOptions = { catalog, keys: [process.env.KEY ?? ""], customers: Autumn.makeMemoryStore(), provider }
 */
export interface AutumnHandlerOptions extends Omit<AutumnOptions, "catalog"> {
  readonly catalog: Catalog | unknown
  readonly keys: ReadonlyArray<string>
  readonly customers: CustomerStoreOps
  readonly provider: PaymentPort
  readonly basePath?: string
}

const json = (r: StoredResponse, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(r.body), { status: r.status, headers: { "content-type": "application/json", ...headers } })

const failure = (status: number, code: string, message: string): StoredResponse => ({ status, body: { code, message } })

/** Constant-time comparison of two keys (the time does not depend on where they differ). */
const sameKey = (a: string, b: string): boolean => {
  let diff = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return diff === 0
}

/** The index of the key the request authenticates with, or the 401 response. */
const authenticate = (request: Request, keys: ReadonlyArray<string>): number | StoredResponse => {
  const header = request.headers.get("authorization")
  if (header === null || header.trim() === "") return failure(401, "no_auth_header", "Authorization header missing: send Authorization: Bearer <secret key>")
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (match === null) return failure(401, "invalid_auth_header", "Authorization header must be Bearer <secret key>")
  const given = match[1] ?? ""
  const index = keys.findIndex((k) => k !== "" && sameKey(k, given))
  return index < 0 ? failure(401, "invalid_secret_key", "Invalid secret key") : index
}

const parseBody = async (request: Request): Promise<{ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly response: StoredResponse }> => {
  const text = await request.text()
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, response: failure(400, "invalid_inputs", "(body): is not valid JSON") }
  }
}

/**
 * The fetch handler, with `resume(customerId)`: executes the customer's pending plan again under
 * the customer's lock — the entry point for a provider's webhook (checkout completed, invoice
 * paid). Resolves with the status and body an attach would answer.
 *
 * @example await handler.resume("cus_1") // { status: 200, body: { customer_id: "cus_1", invoice: { status: "paid", … }, payment_url: null } }
 */
export type AutumnHandler = ((request: Request) => Promise<Response>) & {
  readonly resume: (customerId: string) => Promise<StoredResponse>
}

const isDecodedCatalog = (catalog: unknown): catalog is Catalog =>
  typeof catalog === "object" && catalog !== null && "plansById" in catalog && catalog.plansById instanceof Map

/**
 * Makes the fetch handler, or refuses a catalog that does not decode (a {@link DecodeError}
 * naming the bad field, before any request is served). Each call has its own locks and
 * idempotency record; share one handler per process (several processes over one store need the
 * store's compare-and-set, which the operations use, and a shared idempotency record, which this
 * handler does not provide).
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
  const lock = makeKeyedLock()
  const idempotency = makeIdempotencyKeys()
  const base = (options.basePath ?? "").replace(/\/+$/, "")

  const runEffect = (effect: Effect.Effect<unknown, AutumnApiError, CustomerStore | PaymentProvider>): Promise<StoredResponse> =>
    Effect.runPromise(Effect.result(effect.pipe(
      Effect.provideService(CustomerStore, options.customers),
      Effect.provideService(PaymentProvider, options.provider)
    ))).then(
      (r): StoredResponse => (Result.isSuccess(r) ? { status: 200, body: r.success } : { status: r.failure.status, body: errorBody(r.failure) }),
      (cause: unknown): StoredResponse => failure(500, "internal_error", `internal error: ${cause instanceof Error ? cause.message : String(cause)}`)
    )

  const runOperation = (operation: Operation, body: unknown, params: Readonly<Record<string, string>>): Promise<StoredResponse> =>
    runEffect(operation(options, body, params))

  const handle = async (request: Request): Promise<Response> => {
    const keyIndex = authenticate(request, options.keys)
    if (typeof keyIndex !== "number") return json(keyIndex)
    const path = new URL(request.url).pathname.replace(/\/+$/, "")
    const route = path.startsWith(base) ? resolveRoute(request.method, path.slice(base.length)) : undefined
    if (route === undefined) return json(failure(404, "not_found", `No route ${path}`))
    const operation = route.operation
    if (operation === undefined) {
      return json(failure(405, "method_not_allowed", `${path} takes ${route.methods.join(", ")}`), { allow: route.methods.join(", ") })
    }
    let raw: unknown = undefined
    if (request.method !== "GET") {
      const body = await parseBody(request)
      if (!body.ok) return json(body.response)
      raw = body.value
    }
    const customerId = routeCustomerId(route.params, raw)
    const execute = (): Promise<StoredResponse> => lock(customerId, () => runOperation(operation, raw, route.params))
    const key = request.headers.get("idempotency-key")
    if (key === null || key === "") return json(await execute())
    const claim = idempotency.claim(`${keyIndex}:${key}`, customerFingerprint({ path, body: raw }))
    switch (claim.kind) {
      case "conflict":
        return json(failure(422, "idempotency_key_reused", `Idempotency-Key ${key} was used with another request`))
      case "replay":
        return json(await claim.response, { "idempotent-replayed": "true" })
      case "first": {
        const response = await execute()
        claim.settle(response)
        return json(response)
      }
    }
  }
  return Object.assign(handle, { resume: (customerId: string) => lock(customerId, () => runEffect(resume(customerId))) })
}
