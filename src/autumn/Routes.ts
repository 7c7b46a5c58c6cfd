/**
 * The routes of the Autumn-compatible API: which operation answers a method and path, and which
 * customer it concerns (the handler runs one request per customer at a time). Kept apart from
 * the handler's request pipeline (authentication, body limits, idempotency, locks), so that routes
 * are added without touching it.
 *
 * @example
 * import { Autumn } from "attach-planner"
 * Autumn.resolveRoute("POST", "/v1/billing.attach")?.operation // Autumn.attach
 */
import type * as Effect from "effect/Effect"
import type { PaymentProvider } from "../Provider.ts"
import type { AutumnApiError } from "./ApiError.ts"
import type { CustomerStore } from "./CustomerStore.ts"
import { advanceTestClockOperation } from "./internal/testClock.ts"
import { attach, type AutumnOptions, checkout, multiAttach, previewAttach, previewMultiAttach } from "./Operations.ts"

/**
 * An operation: the options, the decoded JSON body (`undefined` for a GET) and the path's
 * parameters, to the response body or an Autumn error.
 *
 * @example const op: Operation = (options, body) => Autumn.attach(options, body)
 */
export type Operation = (
  options: AutumnOptions,
  body: unknown,
  params: Readonly<Record<string, string>>
) => Effect.Effect<unknown, AutumnApiError, CustomerStore | PaymentProvider>

/** The routes taking a POST body, by path. @example Object.keys(AUTUMN_ROUTES) // ["/v1/checkout", "/v1/billing.attach", …] */
export const AUTUMN_ROUTES: Readonly<Record<string, Operation>> = {
  "/v1/checkout": checkout,
  "/v1/billing.attach": attach,
  "/v1/billing.preview_attach": previewAttach,
  "/v1/billing.multi_attach": multiAttach,
  "/v1/billing.preview_multi_attach": previewMultiAttach,
  "/v1/customers.advance_test_clock": advanceTestClockOperation
}

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

/**
 * The route of a method and path (the path without the handler's base path), or `undefined`
 * when no route has that path. `operation` is `undefined` when the path exists for other methods.
 *
 * @example resolveRoute("GET", "/v1/billing.attach") // { operation: undefined, params: {}, methods: ["POST"] }
 */
export const resolveRoute = (method: string, path: string): ResolvedRoute | undefined => {
  const post = AUTUMN_ROUTES[path]
  if (post === undefined) return undefined
  return { operation: method === "POST" ? post : undefined, params: {}, methods: ["POST"] }
}

/**
 * The customer a request concerns: `customer_id` of the path or of the body, else "".
 *
 * @example routeCustomerId({}, { customer_id: "cus_1" }) // "cus_1"
 */
export const routeCustomerId = (params: Readonly<Record<string, string>>, body: unknown): string => {
  const fromPath = params["customer_id"]
  if (fromPath !== undefined) return fromPath
  if (typeof body !== "object" || body === null) return ""
  const id = (body as Record<string, unknown>)["customer_id"]
  return typeof id === "string" ? id : ""
}
