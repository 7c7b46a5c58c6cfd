/**
 * The worker threads of a parallel what-if (./worker.ts), on the one worker pool
 * (../internal/workerPool.ts) that `preview --jsonl --jobs` uses too: each worker decodes both
 * catalogs once, then answers batches of input bytes in the order received; the caller writes the
 * answers and merges their summaries in input order (./parallel.ts). A failing worker fails the
 * whole pool.
 *
 * @example
 * const pool = startWhatIfPool(1, setup)
 * await pool.ready
 * const answer = await pool.submit({ first: 1, bytes: Buffer.from('{"customer":…}\n') })
 * await pool.close()
 */
import type { SummaryAccumulator } from "./summary.ts"
import { startWorkerPool, type WorkerPool } from "../internal/workerPool.ts"

/** What a worker compares: both catalogs as JSON (each decodes them), the instant, the migrations, the cycles. @example { from, to, at: 1737000000000, migrate: [["pro", "pro_2025"]], cycles: 1 } */
export interface WhatIfSetup {
  readonly from: unknown
  readonly to: unknown
  readonly at: number
  readonly migrate: ReadonlyArray<readonly [string, string]>
  readonly cycles: number
  /** Tests only: `"throw"` makes the worker throw on its first batch. */
  readonly fault?: "throw" | undefined
}

/** One batch for a worker: the bytes of whole lines, the first being line `first` of the input. @example { first: 1, bytes } */
export interface WhatIfRequest {
  readonly first: number
  readonly bytes: Uint8Array
}

/** A worker's answer: the output lines as UTF-8, and the partial summary of the batch. @example { bytes, summary } */
export interface WhatIfResponse {
  readonly bytes: Uint8Array
  readonly summary: SummaryAccumulator
}

/** A running pool. @example pool.leastPending() < 4 */
export type WhatIfPool = WorkerPool<WhatIfRequest, WhatIfResponse>

/**
 * The heap of each worker. Bounded so that V8 sizes it for a small program (it grows a default
 * heap for minutes, and the peak RSS with it); a worker holds its code, both catalogs and a few
 * batches — a tenth of this. A worker out of memory fails the run.
 *
 * @example startWorkerPool({ size, poolUrl: import.meta.url, worker: "worker", label: "what-if worker", setup, heap: WORKER_HEAP })
 */
export const WORKER_HEAP = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 } as const

/**
 * Starts `size` workers comparing `setup`.
 *
 * @example const pool = startWhatIfPool(1, { from, to, at, migrate: [], cycles: 1 })
 */
export const startWhatIfPool = (size: number, setup: WhatIfSetup): WhatIfPool =>
  startWorkerPool<WhatIfSetup, WhatIfRequest, WhatIfResponse>({ size, poolUrl: import.meta.url, worker: "worker", label: "what-if worker", setup, heap: WORKER_HEAP })
