/**
 * Writing an answer on Node's `ServerResponse` for ../listen.ts: a web `Response`, or a handler's
 * own raw response.
 *
 * @example await send(req, res, response)
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type { RawResponse } from "../../autumn/internal/raw.ts"

/**
 * Writes a web `Response`: its status, its headers, and its body once read whole.
 *
 * @example await send(req, res, new Response("{}", { status: 200 }))
 */
export const send = async (req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> => {
  res.statusCode = response.status
  response.headers.forEach((value, name) => res.setHeader(name, value))
  // A body left unread (a refused request) is not drained: the connection closes after the answer.
  if (!req.complete) res.setHeader("connection", "close")
  res.end(Buffer.from(await response.arrayBuffer()))
}

/**
 * Writes a handler's own response; a body left unread closes the connection after it. The body
 * is encoded once, its length known (no chunked encoding), and the status line, the headers (as
 * Node's flat name/value list, no header map built) and the body go out in one write.
 *
 * @example sendRaw(req, res, { status: 200, headers: { "content-type": "application/json" }, body: "{}" })
 */
export const sendRaw = (req: IncomingMessage, res: ServerResponse, response: RawResponse): void => {
  const body = Buffer.from(response.body)
  const headers: Array<string> = []
  for (const [name, value] of Object.entries(response.headers)) headers.push(name, value)
  headers.push("content-length", String(body.byteLength))
  if (!req.complete) headers.push("connection", "close")
  res.writeHead(response.status, headers)
  res.end(body)
}
