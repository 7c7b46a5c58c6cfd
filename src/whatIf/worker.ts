/**
 * The worker thread of a parallel what-if (see ./pool.ts). It decodes both catalogs once, then
 * answers batches: each message `{ id, first, bytes }` carries whole input lines, the first being
 * line `first`; the answer `{ id, bytes, summary }` is the batch's output (UTF-8, exactly what one
 * thread writes for those lines, its buffer transferred) and the partial summary of its lines.
 *
 * @example
 * // started by startWhatIfPool: new Worker(new URL("./worker.js", import.meta.url), { workerData: setup })
 */
import { parentPort, workerData } from "node:worker_threads"
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"
import { answerBatch } from "./batch.ts"
import type { WhatIfInput } from "./customer.ts"
import type { WhatIfRequest, WhatIfResponse, WhatIfSetup } from "./pool.ts"

const catalogOf = (json: unknown): Catalog => {
  const catalog = decodeCatalog(json)
  // The main thread decoded the very same value before starting us.
  if (Result.isFailure(catalog)) throw new Error(`the catalog no longer decodes: ${catalog.failure.message}`)
  return catalog.success
}

const answer = (input: WhatIfInput, setup: WhatIfSetup, request: WhatIfRequest): WhatIfResponse => {
  if (setup.fault === "throw") throw new Error("fault injected (a test's setup)")
  const batch = answerBatch(input, Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength).toString("utf8"), request.first)
  const bytes = Buffer.from(batch.text, "utf8")
  // A small Buffer may live in Node's shared pool: copy it out so that only its bytes move.
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes)
  return { id: request.id, bytes: owned, summary: batch.summary }
}

const port = parentPort
if (port !== null) {
  const setup = workerData as WhatIfSetup
  const input: WhatIfInput = { from: catalogOf(setup.from), to: catalogOf(setup.to), at: setup.at, migrate: new Map(setup.migrate), cycles: setup.cycles }
  port.on("message", (request: WhatIfRequest) => {
    const response = answer(input, setup, request)
    port.postMessage(response, [response.bytes.buffer as ArrayBuffer])
  })
  port.postMessage({ ready: true })
} else throw new Error("the what-if worker must run in a worker thread")
