/**
 * The handler's own request and response, beside the web `Request` and `Response`: a server that
 * already holds the method, the path and the headers (Node's `http`) hands them over as they are,
 * and the body is read only when the route needs it — no web stream, no `URL`, no `Headers`
 * object per request. The fetch handler converts from and to the web types.
 *
 * @example
 * const raw: RawRequest = { method: "POST", url: "/v1/billing.preview_attach", header: (n) => headers[n] ?? null, readBody: (limits) => readJsonBody(request, limits) }
 */
import { type BodyLimits, type BodyRead, readJsonBody } from "./body.ts"

/**
 * A request: the method, the request target (path and query, as on the request line), a
 * header by its lower-case name, and the body read within bounds (at most once).
 *
 * @example const raw: RawRequest = fromRequest(new Request("http://x/v1/plans.list", { method: "POST" }))
 */
export interface RawRequest {
  readonly method: string
  readonly url: string
  readonly header: (name: string) => string | null
  readonly readBody: (limits: BodyLimits) => Promise<BodyRead>
}

/**
 * A response: the status, the headers and the JSON text of the body.
 *
 * @example const r: RawResponse = { status: 200, headers: { "content-type": "application/json" }, body: "{}" }
 */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * The handler's request for a web `Request` (its URL's path and query, its headers, its body).
 *
 * @example fromRequest(new Request("http://x/v1/customers?limit=2")).url // "/v1/customers?limit=2"
 */
export const fromRequest = (request: Request): RawRequest => {
  const url = new URL(request.url)
  return {
    method: request.method,
    url: `${url.pathname}${url.search}`,
    header: (name) => request.headers.get(name),
    readBody: (limits) => readJsonBody(request, limits)
  }
}

/**
 * The web `Response` of a handler's response.
 *
 * @example toResponse({ status: 200, headers: { "content-type": "application/json" }, body: "{}" }).status // 200
 */
export const toResponse = (raw: RawResponse): Response => new Response(raw.body, { status: raw.status, headers: raw.headers })

// Characters a path keeps as they are under URL parsing: anything else (dot segments, percent
// escapes, backslashes, non-ASCII) goes through `URL`, so both routes see the same path.
const PLAIN_TARGET = /^\/[A-Za-z0-9_\-.:~/]*(\?[^#]*)?$/

/**
 * The path and the query (without `?`) of a request target, normalised as `URL` would.
 *
 * @example splitTarget("/v1/customers?limit=2") // { path: "/v1/customers", query: "limit=2" }
 */
export const splitTarget = (target: string): { readonly path: string; readonly query: string } => {
  if (PLAIN_TARGET.test(target) && !target.includes("/.") && !target.includes("//")) {
    const q = target.indexOf("?")
    return q < 0 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q + 1) }
  }
  const url = new URL(target, "http://localhost")
  return { path: url.pathname, query: url.search.slice(1) }
}
