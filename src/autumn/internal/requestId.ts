/**
 * Request ids: every response of the server carries one (`x-request-id`, and `request_id` in an
 * error body), and the log names it, so a client's report finds the server's line.
 *
 * @example newRequestId() // "req_3f9c2a…" (32 hex digits)
 */

/** A new random request id. @example newRequestId().startsWith("req_") // true */
export const newRequestId = (): string => `req_${globalThis.crypto.randomUUID().replace(/-/g, "")}`

/**
 * A JSON response; an error body (status ≥ 400) gets `request_id`.
 *
 * @example jsonResponse(404, { code: "not_found", message: "No route /x" }, "req_1")
 */
export const jsonResponse = (status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): Response => {
  const withId = status >= 400 && typeof body === "object" && body !== null ? { ...body, request_id: requestId } : body
  return new Response(JSON.stringify(withId), { status, headers: { "content-type": "application/json", "x-request-id": requestId, ...headers } })
}
