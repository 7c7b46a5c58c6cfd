/**
 * Request ids: every response of the server carries one (`x-request-id`, and `request_id` in an
 * error body), and the log names it, so a client's report finds the server's line.
 *
 * @example newRequestId() // "req_3f9c2a…" (32 hex digits)
 */

import { type RawResponse, toResponse } from "./raw.ts"

// A random prefix per process and a counter: unique across processes without a random draw per
// request (ids name log lines; they are not secrets).
const PREFIX = globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 20)
let issued = 0

/** A new request id, unique across processes. @example newRequestId().startsWith("req_") // true */
export const newRequestId = (): string => `req_${PREFIX}${(issued++ % 0x1000000000000).toString(16).padStart(12, "0")}`

/**
 * A JSON response as the handler's own response; an error body (status ≥ 400) gets `request_id`.
 *
 * @example jsonRaw(404, { code: "not_found", message: "No route /x" }, "req_1").headers["x-request-id"] // "req_1"
 */
export const jsonRaw = (status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): RawResponse => {
  const withId = status >= 400 && typeof body === "object" && body !== null ? { ...body, request_id: requestId } : body
  return { status, headers: { "content-type": "application/json", "x-request-id": requestId, ...headers }, body: JSON.stringify(withId) }
}

/**
 * A JSON response; an error body (status ≥ 400) gets `request_id`.
 *
 * @example jsonResponse(404, { code: "not_found", message: "No route /x" }, "req_1")
 */
export const jsonResponse = (status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): Response =>
  toResponse(jsonRaw(status, body, requestId, headers))
