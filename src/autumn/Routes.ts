/**
 * The routes of the Autumn-compatible API: which operation answers a method and path, and which
 * customer it concerns (the handler runs one request per customer at a time). Kept apart from
 * the handler's request pipeline (authentication, body limits, idempotency, locks), so that routes
 * are added without touching it.
 *
 * - autumn-js 1.x: `POST /v1/<resource>.<action>` with a JSON body.
 * - autumn-js 0.x: `POST /v1/checkout`, `/v1/attach`, `/v1/cancel`, and the REST-style customer
 *   routes (`GET /v1/customers/:customer_id`, `POST /v1/customers`, …); a GET's query string is
 *   its body.
 * - Metering and balances (`check`, `track`, `usage`, `balances.*`, `events.*`) are outside this
 *   library: they answer 501 `not_implemented`.
 *
 * @example
 * import { Autumn } from "attach-planner"
 * Autumn.resolveRoute("POST", "/v1/billing.attach")?.operation // Autumn.attach
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { PaymentProvider } from "../Provider.ts"
import { AutumnApiError } from "./ApiError.ts"
import type { AutumnOptions } from "./AutumnOptions.ts"
import { previewUpdate, updateSubscription } from "./Billing.ts"
import type { CustomerStore } from "./CustomerStore.ts"
import { getCustomer, getOrCreateCustomer, listCustomers, updateCustomer } from "./Customers.ts"
import { legacyAttach, legacyCancel } from "./Legacy.ts"
import { advanceTestClockOperation } from "./internal/testClock.ts"
import { attach, checkout, multiAttach, previewAttach, previewMultiAttach } from "./Operations.ts"
import { getPlan, listPlans, listProducts } from "./Plans.ts"

/**
 * An operation: the options, the decoded JSON body (a GET's query parameters) and the path's
 * parameters, to the response body or an Autumn error.
 *
 * @example const op: Operation = (options, body) => Autumn.attach(options, body)
 */
export type Operation = (
  options: AutumnOptions,
  body: unknown,
  params: Readonly<Record<string, string>>
) => Effect.Effect<unknown, AutumnApiError, CustomerStore | PaymentProvider>

/**
 * One route: a method, a path (`:name` segments are parameters), the operation, and fixed
 * parameters the operation reads (`__route: "v1"` marks a 0.x REST route).
 *
 * @example const r: Route = { method: "GET", path: "/v1/customers/:customer_id", operation: Autumn.getCustomer, params: { __route: "v1" } }
 */
export interface Route {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly operation: Operation
  readonly params?: Readonly<Record<string, string>>
}

const legacy = { __route: "v1" } as const

/** Every route served. @example AUTUMN_ROUTES.map((r) => `${r.method} ${r.path}`) // ["POST /v1/checkout", …] */
export const AUTUMN_ROUTES: ReadonlyArray<Route> = [
  { method: "POST", path: "/v1/checkout", operation: checkout },
  { method: "POST", path: "/v1/attach", operation: legacyAttach },
  { method: "POST", path: "/v1/cancel", operation: legacyCancel },
  { method: "POST", path: "/v1/billing.attach", operation: attach },
  { method: "POST", path: "/v1/billing.preview_attach", operation: previewAttach },
  { method: "POST", path: "/v1/billing.multi_attach", operation: multiAttach },
  { method: "POST", path: "/v1/billing.preview_multi_attach", operation: previewMultiAttach },
  { method: "POST", path: "/v1/billing.update", operation: updateSubscription },
  { method: "POST", path: "/v1/billing.preview_update", operation: previewUpdate },
  { method: "POST", path: "/v1/customers.get", operation: getCustomer },
  { method: "POST", path: "/v1/customers.get_or_create", operation: getOrCreateCustomer },
  { method: "POST", path: "/v1/customers.list", operation: listCustomers },
  { method: "POST", path: "/v1/customers.update", operation: updateCustomer },
  { method: "POST", path: "/v1/customers.advance_test_clock", operation: advanceTestClockOperation },
  { method: "POST", path: "/v1/plans.list", operation: listPlans },
  { method: "POST", path: "/v1/plans.get", operation: getPlan },
  { method: "GET", path: "/v1/products", operation: listProducts },
  { method: "GET", path: "/v1/products_beta", operation: listProducts },
  { method: "GET", path: "/v1/customers", operation: listCustomers, params: legacy },
  { method: "POST", path: "/v1/customers", operation: getOrCreateCustomer, params: legacy },
  { method: "GET", path: "/v1/customers/:customer_id", operation: getCustomer, params: legacy },
  { method: "POST", path: "/v1/customers/:customer_id", operation: updateCustomer, params: legacy }
]

/** The metering and balance routes this library does not serve (they answer 501). */
const NOT_SERVED: ReadonlyArray<RegExp> = [
  /^\/v1\/(check|track|usage|query|entitled)$/,
  /^\/v1\/(balances|events)([./].*)?$/,
  /^\/v1\/customers\/[^/]+\/balances$/
]

/**
 * Whether a path is one of Autumn's metering or balance routes, which this library leaves to a
 * metering service.
 *
 * @example isMeteringRoute("/v1/balances.track") // true
 */
export const isMeteringRoute = (path: string): boolean => NOT_SERVED.some((r) => r.test(path))

const notImplemented = (path: string): Operation => () =>
  Effect.fail(new AutumnApiError({
    status: 501, code: "not_implemented",
    message: `${path} is about metering or balances, which this server does not serve: it plans and executes attaches (see docs/autumn-compat.md)`
  }))

/**
 * A resolved route: the operation, the path parameters, and the methods the path takes.
 *
 * @example const r: ResolvedRoute = { operation: Autumn.attach, params: {}, methods: ["POST"] }
 */
export interface ResolvedRoute {
  readonly operation: Operation | undefined
  readonly params: Readonly<Record<string, string>>
  readonly methods: ReadonlyArray<string>
}

/** The parameters of `path` under `pattern`, or `undefined` when it does not match. */
const matchPath = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split("/")
  const got = path.split("/")
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? ""
    if (segment.startsWith(":")) {
      if (actual === "") return undefined
      try {
        params[segment.slice(1)] = decodeURIComponent(actual)
      } catch {
        return undefined
      }
    } else if (segment !== actual) return undefined
  }
  return params
}

/**
 * The route of a method and path (the path without the handler's base path), or `undefined`
 * when no route has that path. `operation` is `undefined` when the path exists for other methods.
 *
 * @example resolveRoute("GET", "/v1/billing.attach") // { operation: undefined, params: {}, methods: ["POST"] }
 */
export const resolveRoute = (method: string, path: string): ResolvedRoute | undefined => {
  const fixed = FIXED_PATHS.get(path)?.get(method)
  if (fixed !== undefined) return fixed
  if (isMeteringRoute(path)) return { operation: notImplemented(path), params: {}, methods: [method] }
  const methods: Array<string> = []
  let found: ResolvedRoute | undefined
  for (const route of AUTUMN_ROUTES) {
    const params = matchPath(route.path, path)
    if (params === undefined) continue
    methods.push(route.method)
    if (found === undefined && route.method === method) found = { operation: route.operation, params: { ...params, ...route.params }, methods }
  }
  if (methods.length === 0) return undefined
  return found === undefined ? { operation: undefined, params: {}, methods } : { ...found, methods }
}

/**
 * The resolved routes of the paths without parameters, per method, worked out once: most
 * requests are one of them, and then no pattern is matched. A path some pattern with parameters
 * also matches, or a metering path, is left out (the full resolution decides it).
 */
const FIXED_PATHS: ReadonlyMap<string, ReadonlyMap<string, ResolvedRoute>> = (() => {
  const table = new Map<string, Map<string, ResolvedRoute>>()
  const patterns = AUTUMN_ROUTES.filter((r) => r.path.includes(":"))
  for (const route of AUTUMN_ROUTES) {
    if (route.path.includes(":") || isMeteringRoute(route.path) || patterns.some((p) => matchPath(p.path, route.path) !== undefined)) continue
    const methods = AUTUMN_ROUTES.filter((r) => r.path === route.path).map((r) => r.method)
    const byMethod = table.get(route.path) ?? new Map<string, ResolvedRoute>()
    if (!byMethod.has(route.method)) byMethod.set(route.method, { operation: route.operation, params: { ...route.params }, methods })
    table.set(route.path, byMethod)
  }
  return table
})()

/**
 * The response shapes an `x-api-version` header selects: `v1` for 1.x (what autumn-js 0.x
 * sends), `v2` for 2.1 and above, `undefined` without the header (each route's own default).
 * Any other value is a 400 that names the versions served.
 *
 * @example apiShape("1.2") // Result.succeed("v1")
 */
export const apiShape = (header: string | null): Result.Result<"v1" | "v2" | undefined, AutumnApiError> => {
  if (header === null || header.trim() === "") return Result.succeed(undefined)
  const match = /^\s*(\d{1,3})(?:\.(\d{1,3}))?(?:\.\d{1,3})?\s*$/.exec(header)
  const major = match === null ? NaN : Number(match[1])
  const minor = match === null ? NaN : Number(match[2] ?? "0")
  if (major === 1) return Result.succeed("v1")
  if (major > 2 || (major === 2 && minor >= 1)) return Result.succeed("v2")
  return Result.fail(new AutumnApiError({
    status: 400, code: "unsupported_api_version",
    message: `x-api-version ${JSON.stringify(header.slice(0, 40))} is not served: this server serves 1.x (v1 shapes) and 2.1 and above (v2 shapes)`
  }))
}

/**
 * The customer a request concerns: `customer_id` of the path or of the body (`id` for the 0.x
 * create), else "".
 *
 * @example routeCustomerId({}, { customer_id: "cus_1" }) // "cus_1"
 */
export const routeCustomerId = (params: Readonly<Record<string, string>>, body: unknown): string => {
  const fromPath = params["customer_id"]
  if (fromPath !== undefined) return fromPath
  if (typeof body !== "object" || body === null) return ""
  const fields = body as Record<string, unknown>
  const id = fields["customer_id"] ?? (params["__route"] === "v1" ? fields["id"] : undefined)
  return typeof id === "string" ? id : ""
}
