/**
 * The worker thread of a parallel `preview --jsonl` run (see ./jsonlPool.ts). It decodes the
 * catalog once, then answers batches of input lines: each message `{ id, first, text }` carries
 * lines joined by `\n` whose first line has number `first`; the answer `{ id, bytes, lines,
 * failed }` is the UTF-8 output of the batch (one line per non-blank input line, exactly what the
 * in-thread run writes), its buffer transferred rather than copied.
 *
 * @example
 * // started by startPool: new Worker(new URL("./jsonlWorker.js", import.meta.url), { workerData })
 */
import { parentPort, workerData } from "node:worker_threads"
import * as Result from "effect/Result"
import { decodeCatalog } from "../Document.ts"
import { catalogPreviewer, documentPreviewer, type Previewer } from "./documents.ts"
import { answerBatch } from "./internal/jsonlLines.ts"
import type { BatchRequest, BatchResponse, WorkerSetup } from "./jsonlPool.ts"

const previewerOf = (source: WorkerSetup): Previewer => {
  if (!source.hasCatalog) return documentPreviewer
  const catalog = decodeCatalog(source.catalog)
  // The main thread decoded the very same value before starting us.
  if (Result.isFailure(catalog)) throw new Error(`the catalog no longer decodes: ${catalog.failure.message}`)
  return catalogPreviewer(catalog.success)
}

const answer = (previewer: Previewer, setup: WorkerSetup, request: BatchRequest): BatchResponse => {
  if (setup.fault === "throw") throw new Error("fault injected (a test's startPool)")
  const batch = answerBatch(previewer, request.text, request.first)
  const bytes = batch.bytes
  // The answer is the start of a larger buffer: copy it out so that only its bytes move.
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes)
  return { id: request.id, bytes: owned, lines: batch.lines, failed: batch.failed }
}

const port = parentPort
if (port !== null) {
  const setup = workerData as WorkerSetup
  const previewer = previewerOf(setup)
  if (setup.warmUp !== "") answerBatch(previewer, setup.warmUp, 2)
  port.on("message", (request: BatchRequest) => {
    const response = answer(previewer, setup, request)
    port.postMessage(response, [response.bytes.buffer as ArrayBuffer])
  })
  port.postMessage({ ready: true })
} else throw new Error("jsonlWorker must run in a worker thread")
