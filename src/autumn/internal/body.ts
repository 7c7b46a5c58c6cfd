/**
 * Reading a request's JSON body within bounds: at most `maxBytes` (counted while streaming, so
 * an oversized body is refused — 413 — after `maxBytes`, not after it arrived in full), within
 * `timeoutMs`, valid UTF-8 only (invalid bytes are a 400, never replaced: two different customer
 * ids must not become one), and nested at most `maxDepth` levels (deeper JSON is a 400 before
 * anything walks it recursively).
 *
 * @example
 * const body = await readJsonBody(request, { maxBytes: 1 << 20, timeoutMs: 10_000, maxDepth: 64 })
 * if (!body.ok) return body.failure // { status: 413, code: "payload_too_large", message: "…" }
 */

/** The bounds of a body. @example const limits: BodyLimits = { maxBytes: 1048576, timeoutMs: 10000, maxDepth: 64 } */
export interface BodyLimits {
  readonly maxBytes: number
  readonly timeoutMs: number
  readonly maxDepth: number
}

/** Why a body was refused. @example const f: BodyFailure = { status: 400, code: "invalid_inputs", message: "(body): is not valid JSON" } */
export interface BodyFailure {
  readonly status: number
  readonly code: string
  readonly message: string
}

/** A body read, or why not. @example const r: BodyRead = { ok: true, value: {} } */
export type BodyRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly failure: BodyFailure }

const refused = (status: number, code: string, message: string): BodyRead => ({ ok: false, failure: { status, code, message } })

const tooLarge = (maxBytes: number): BodyRead =>
  refused(413, "payload_too_large", `(body): is larger than the limit of ${maxBytes} bytes`)

type Chunks = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly read: BodyRead }

const collect = async (body: ReadableStream<Uint8Array>, limits: BodyLimits): Promise<Chunks> => {
  const reader = body.getReader()
  const parts: Array<Uint8Array> = []
  let size = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), limits.timeoutMs)
  })
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), expired])
      if (next === "timeout") return { ok: false, read: bodyRefusal("timeout", limits) }
      if (next.done) break
      size += next.value.byteLength
      if (size > limits.maxBytes) return { ok: false, read: tooLarge(limits.maxBytes) }
      parts.push(next.value)
    }
  } catch {
    return { ok: false, read: bodyRefusal("failed", limits) }
  } finally {
    clearTimeout(timer)
    reader.cancel().catch(() => {})
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    bytes.set(p, at)
    at += p.byteLength
  }
  return { ok: true, bytes }
}

/**
 * How deep a parsed JSON value nests (1 for a scalar), walked without recursion; stops counting
 * past `limit`.
 *
 * @example jsonDepth({ a: [1] }, 64) // 3
 */
export const jsonDepth = (value: unknown, limit: number): number => {
  let deepest = 0
  const stack: Array<readonly [unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as readonly [unknown, number]
    if (depth > deepest) deepest = depth
    if (deepest > limit) return deepest
    if (typeof v !== "object" || v === null) continue
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return deepest
}

/**
 * Reads and parses the body within `limits`.
 *
 * @example await readJsonBody(new Request("http://x", { method: "POST", body: "{}" }), limits) // { ok: true, value: {} }
 */
export const readJsonBody = async (request: Request, limits: BodyLimits): Promise<BodyRead> => {
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (Number.isFinite(declared) && declared > limits.maxBytes) return tooLarge(limits.maxBytes)
  const chunks = request.body === null ? { ok: true as const, bytes: new Uint8Array(0) } : await collect(request.body, limits)
  if (!chunks.ok) return chunks.read
  return parseJsonBytes(chunks.bytes, limits)
}

/**
 * The refusals of a body as it arrives, for a server that reads the body itself: too large
 * (413), not received in time (408), the connection failed (400).
 *
 * @example bodyRefusal("too_large", limits) // { ok: false, failure: { status: 413, code: "payload_too_large", … } }
 */
export const bodyRefusal = (why: "too_large" | "timeout" | "failed", limits: BodyLimits): BodyRead =>
  why === "too_large" ? tooLarge(limits.maxBytes)
    : why === "timeout" ? refused(408, "request_timeout", `(body): not received within ${limits.timeoutMs} ms`)
    : refused(400, "invalid_inputs", "(body): the connection failed while it was read")

const utf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * Parses a received body: valid UTF-8, JSON, nested at most `limits.maxDepth` levels; an empty
 * body is `undefined`.
 *
 * @example parseJsonBytes(new TextEncoder().encode("{}"), limits) // { ok: true, value: {} }
 */
export const parseJsonBytes = (bytes: Uint8Array, limits: BodyLimits): BodyRead => {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return refused(400, "invalid_inputs", "(body): is not valid UTF-8")
  }
  // A client sends no body for a call without parameters (1.x `plans.list()`).
  if (text === "") return { ok: true, value: undefined }
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch {
    return refused(400, "invalid_inputs", "(body): is not valid JSON")
  }
  // Nesting d levels takes at least 2d − 1 characters (a bracket pair per level around a value):
  // a shorter text cannot be too deep, and most bodies are not walked.
  if (text.length > 2 * limits.maxDepth && jsonDepth(value, limits.maxDepth) > limits.maxDepth) return refused(400, "invalid_inputs", `(body): nests deeper than ${limits.maxDepth} levels`)
  return { ok: true, value }
}
