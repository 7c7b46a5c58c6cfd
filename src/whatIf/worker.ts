/**
 * The worker thread of a parallel what-if (see ./pool.ts). It decodes both catalogs once, then
 * answers batches: each batch `{ first, bytes }` carries whole input lines, the first being line
 * `first`; the answer `{ bytes, summary }` is the batch's output (UTF-8, exactly what one thread
 * writes for those lines, its buffer transferred: ../internal/workerPool.ts) and the partial
 * summary of its lines.
 *
 * @example
 * // started by startWhatIfPool: new Worker(new URL("./worker.js", import.meta.url), { workerData: setup })
 */
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"
import { answerBatch } from "./batch.ts"
import type { WhatIfInput } from "./customer.ts"
import type { WhatIfRequest, WhatIfResponse, WhatIfSetup } from "./pool.ts"
import { ownedBytes, serveJobs } from "../internal/workerPool.ts"

const catalogOf = (json: unknown): Catalog => {
  const catalog = decodeCatalog(json)
  // The main thread decoded the very same value before starting us.
  if (Result.isFailure(catalog)) throw new Error(`the catalog no longer decodes: ${catalog.failure.message}`)
  return catalog.success
}

const answer = (input: WhatIfInput, setup: WhatIfSetup, request: WhatIfRequest): WhatIfResponse => {
  if (setup.fault === "throw") throw new Error("fault injected (a test's setup)")
  const batch = answerBatch(input, Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength).toString("utf8"), request.first)
  return { bytes: ownedBytes(batch.text), summary: batch.summary }
}

serveJobs((setup: WhatIfSetup) => {
  const input: WhatIfInput = { from: catalogOf(setup.from), to: catalogOf(setup.to), at: setup.at, migrate: new Map(setup.migrate), cycles: setup.cycles }
  return (request: WhatIfRequest) => answer(input, setup, request)
}, "the what-if worker")
