/**
 * The worker thread of a parallel `preview --jsonl` run (see ./jsonlPool.ts). It decodes the
 * catalog once, then answers batches of input lines: each batch `{ first, text }` carries lines
 * joined by `\n` whose first line has number `first`; the answer `{ bytes, lines, failed }` is
 * the UTF-8 output of the batch (one line per non-blank input line, exactly what the in-thread run
 * writes), its buffer transferred rather than copied (../internal/workerPool.ts).
 *
 * @example
 * // started by startPool: new Worker(new URL("./jsonlWorker.js", import.meta.url), { workerData })
 */
import * as Result from "effect/Result"
import { decodeCatalog } from "../Document.ts"
import { catalogPreviewer, documentPreviewer, type Previewer } from "./documents.ts"
import { answerBatch } from "./internal/jsonlLines.ts"
import { serveJobs } from "../internal/workerPool.ts"
import type { BatchAnswer, BatchRequest, WorkerSetup } from "./jsonlPool.ts"

const previewerOf = (source: WorkerSetup): Previewer => {
  if (!source.hasCatalog) return documentPreviewer
  const catalog = decodeCatalog(source.catalog)
  // The main thread decoded the very same value before starting us.
  if (Result.isFailure(catalog)) throw new Error(`the catalog no longer decodes: ${catalog.failure.message}`)
  return catalogPreviewer(catalog.success)
}

const answer = (previewer: Previewer, setup: WorkerSetup, request: BatchRequest): BatchAnswer => {
  if (setup.fault === "throw") throw new Error("fault injected (a test's startPool)")
  const batch = answerBatch(previewer, request.text, request.first)
  const bytes = batch.bytes
  // The answer is the start of a larger buffer: copy it out so that only its bytes move.
  return { bytes: bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes), lines: batch.lines, failed: batch.failed }
}

serveJobs((setup: WorkerSetup) => {
  const previewer = previewerOf(setup)
  if (setup.warmUp !== "") answerBatch(previewer, setup.warmUp, 2)
  return (request: BatchRequest) => answer(previewer, setup, request)
}, "jsonlWorker")
