/**
 * The worker threads of a parallel `preview --jsonl` run (./jsonlWorker.ts), on the one worker
 * pool (../internal/workerPool.ts): each worker decodes the catalog once and answers a warm-up,
 * then answers batches of lines in the order received; the caller writes the answers in input
 * order (./internal/jsonlParallel.ts). A failing worker fails the whole pool.
 *
 * @example
 * const pool = startPool(2, { hasCatalog: true, catalog: catalogJson })
 * await pool.ready
 * const answer = await pool.submit({ first: 1, text: '{"customer":…}\n{"customer":…}' })
 * await pool.close()
 */
import { availableParallelism } from "node:os"
import { startWorkerPool, type WorkerPool as Pool } from "../internal/workerPool.ts"

/** What each worker previews against: whole documents, or `{ customer, request }` lines and a catalog. @example { hasCatalog: true, catalog: catalogJson } */
export type WorkerSource = { readonly hasCatalog: false } | { readonly hasCatalog: true; readonly catalog: unknown }

/**
 * The worker's start-up data: the source; lines (joined by `\n`) to answer and throw away before
 * reporting ready, so that its first real batches run optimised code; and a fault to inject
 * (tests only, see {@link startPool}).
 *
 * @example { hasCatalog: false, warmUp: "", fault: undefined }
 */
export type WorkerSetup = WorkerSource & { readonly warmUp: string; readonly fault: string | undefined }

/** One batch of lines for a worker. @example { first: 257, text: lines.join("\n") } */
export interface BatchRequest {
  /** Number of the batch's first line in the whole input (1-based). */
  readonly first: number
  /** The lines, joined by `\n` (lines never contain `\n` or `\r`). */
  readonly text: string
}

/** A worker's answer to one batch. @example { bytes, lines: 256, failed: 3 } */
export interface BatchAnswer {
  /** The output lines of the batch, UTF-8, each ending in `\n`. */
  readonly bytes: Uint8Array
  readonly lines: number
  readonly failed: number
}

/** A running pool of `--jsonl` workers. @example pool.pending() < pool.size * 2 */
export type WorkerPool = Pool<BatchRequest, BatchAnswer>

/**
 * The planning threads of `--jobs auto` (the main thread and `autoJobs() − 1` workers): the
 * available cores, at most 4.
 *
 * @example autoJobs() // 2 on a 2-core machine
 */
export const autoJobs = (): number => Math.min(availableParallelism(), 4)

/**
 * Starts `size` workers previewing against `source`. `fault: "throw"` makes every worker throw
 * on its first batch: tests pass it (through `runJsonl`'s `startPool` option) to check that a
 * failing worker ends the run cleanly; nothing else sets it.
 *
 * @example const pool = startPool(2, { hasCatalog: false }, sampleLines.join("\n"))
 */
export const startPool = (size: number, source: WorkerSource, warmUp = "", fault?: "throw"): WorkerPool =>
  startWorkerPool<WorkerSetup, BatchRequest, BatchAnswer>({ size, poolUrl: import.meta.url, worker: "jsonlWorker", label: "worker", setup: { ...source, warmUp, fault } })
