/**
 * The handler's request for a Node `http` request, without a web `Request` in between: the
 * headers are Node's own object, the body is read from the stream within the same bounds as
 * `readJsonBody` (413 once the bytes pass the limit, while they stream; 408 when they do not
 * arrive in time; valid UTF-8 JSON of bounded depth). A body left unread — a request refused
 * before it, or one cut off at the limit — stays unread: the server then closes the connection.
 *
 * @example
 * createServer((req, res) => handler.raw(nodeRawRequest(req)).then((r) => res.writeHead(r.status, r.headers).end(r.body)))
 */
import type { IncomingMessage } from "node:http"
import { type BodyLimits, type BodyRead, bodyRefusal, parseJsonBytes } from "./body.ts"
import type { RawRequest } from "./raw.ts"

const EMPTY = new Uint8Array(0)

/**
 * Reads a Node request's body within `limits`.
 *
 * @example const body = await readNodeBody(req, { maxBytes: 1 << 20, timeoutMs: 10_000, maxDepth: 64 })
 */
export const readNodeBody = (req: IncomingMessage, limits: BodyLimits): Promise<BodyRead> => {
  const declared = Number(req.headers["content-length"] ?? "0")
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.resolve(bodyRefusal("too_large", limits))
  if (req.complete && req.readableEnded) return Promise.resolve(parseJsonBytes(EMPTY, limits))
  return new Promise<BodyRead>((resolve) => {
    const parts: Array<Buffer> = []
    let size = 0
    const finish = (read: BodyRead): void => {
      clearTimeout(timer)
      req.off("data", onData).off("end", onEnd).off("error", onFailed).off("aborted", onFailed)
      if (!req.complete) req.pause()
      resolve(read)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength
      if (size > limits.maxBytes) return finish(bodyRefusal("too_large", limits))
      parts.push(chunk)
    }
    const onEnd = (): void => finish(parseJsonBytes(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size), limits))
    const onFailed = (): void => finish(bodyRefusal("failed", limits))
    const timer = setTimeout(() => finish(bodyRefusal("timeout", limits)), limits.timeoutMs)
    req.on("data", onData).on("end", onEnd).on("error", onFailed).on("aborted", onFailed)
  })
}

/**
 * The handler's request for a Node request.
 *
 * @example const raw = nodeRawRequest(req) // raw.header("authorization")
 */
export const nodeRawRequest = (req: IncomingMessage): RawRequest => ({
  method: req.method ?? "GET",
  url: req.url ?? "/",
  header: (name) => {
    const value = req.headers[name]
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value
  },
  readBody: (limits) => readNodeBody(req, limits)
})
