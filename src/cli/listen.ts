/**
 * The small adapter from Node's HTTP server to a fetch handler that `serve` runs on (and the
 * tests too): {@link toRequest} turns an `IncomingMessage` into a web `Request`, and
 * {@link listen} serves a handler — on its raw side when it has one, so no web `Request` is made
 * per request. Requests are bounded: headers within 5 s, the whole request within 15 s.
 *
 * @example
 * const { url, close } = await listen(handler, { port: 0, host: "127.0.0.1" })
 * await close()
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { Readable } from "node:stream"
import { nodeRawRequest } from "../autumn/internal/nodeRequest.ts"
import type { RawRequest, RawResponse } from "../autumn/internal/raw.ts"
import { send, sendRaw } from "./internal/nodeResponse.ts"

/**
 * A web `Request` for a Node request. The body is not read here: it streams to whoever reads it
 * (the handler, after checking the key from the headers and within its size limit).
 *
 * @example const request = toRequest(req, "http://127.0.0.1:8787")
 */
export const toRequest = (req: IncomingMessage, origin: string): Request => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  const method = req.method ?? "GET"
  const body = method === "GET" || method === "HEAD" ? {} : { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" }
  return new Request(new URL(req.url ?? "/", origin), { method, headers, ...body } as RequestInit)
}

/** How long a client may take to send its headers, and its whole request (Node's default is 5 minutes). */
const HEADERS_TIMEOUT_MS = 5_000
const REQUEST_TIMEOUT_MS = 15_000

/**
 * A handler `listen` serves: a fetch handler, optionally with `raw` — the same handler on the
 * request's parts, which `listen` then calls directly (no web `Request` per request).
 *
 * @example const h: ServedHandler = Object.assign(fetchHandler, { raw: autumn.raw })
 */
export type ServedHandler = ((request: Request) => Promise<Response>) & { readonly raw?: (request: RawRequest) => Promise<RawResponse> }

/** A running server. @example const { url, close } = await listen(handler, { port: 0, host: "127.0.0.1" }) */
export interface Listening {
  readonly url: string
  readonly server: Server
  readonly close: () => Promise<void>
}

/**
 * Serves a fetch handler on Node's HTTP server; resolves once it listens (port 0: a free port).
 *
 * @example const { url, close } = await listen(handler, { port: 0, host: "127.0.0.1" })
 */
export const listen = (handler: ServedHandler, options: { readonly port: number; readonly host: string }): Promise<Listening> =>
  new Promise((resolve, reject) => {
    let origin = ""
    const raw = handler.raw
    const answer = raw === undefined
      ? (req: IncomingMessage, res: ServerResponse) => Promise.resolve().then(() => handler(toRequest(req, origin))).then((response) => send(req, res, response))
      : (req: IncomingMessage, res: ServerResponse) => raw(nodeRawRequest(req)).then((response) => sendRaw(req, res, response))
    const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000 }, (req, res) => {
      answer(req, res).catch((cause: unknown) => {
        process.stderr.write(`attach-planner: internal error: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}\n`)
        if (res.headersSent) return void res.destroy()
        res.statusCode = 500
        res.setHeader("content-type", "application/json")
        res.setHeader("connection", "close")
        res.end(JSON.stringify({ code: "internal_error", message: "Internal error; the server's log has the details" }))
      })
    })
    server.once("error", reject)
    server.listen(options.port, options.host, () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : options.port
      origin = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`
      resolve({
        url: origin, server,
        close: () => new Promise<void>((done) => {
          server.close(() => done())
          server.closeAllConnections()
        })
      })
    })
  })
