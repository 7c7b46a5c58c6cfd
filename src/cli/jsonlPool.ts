/**
 * A pool of worker threads answering batches of `--jsonl` lines (./jsonlWorker.ts). A batch goes
 * to the worker with the fewest pending; each worker answers its batches in the order received, and
 * {@link WorkerPool.submit} returns one promise per batch, so the caller writes the answers in
 * input order by awaiting them in submission order. A worker that fails (an exception, a crash,
 * an unexpected exit) fails the whole pool: every pending and later batch rejects with the cause,
 * and no promise is left hanging.
 *
 * @example
 * const pool = startPool(2, { hasCatalog: true, catalog: catalogJson })
 * await pool.ready
 * const answer = await pool.submit(1, '{"customer":…}\n{"customer":…}')
 * await pool.close()
 */
import { availableParallelism } from "node:os"
import { Worker } from "node:worker_threads"
import { workerEntry } from "../internal/workerEntry.ts"

/** What each worker previews against: whole documents, or `{ customer, request }` lines and a catalog. */
export type WorkerSource = { readonly hasCatalog: false } | { readonly hasCatalog: true; readonly catalog: unknown }

/**
 * The worker's start-up data: the source; lines (joined by `\n`) to answer and throw away before
 * reporting ready, so that its first real batches run optimised code; and a fault to inject
 * (tests only, see {@link startPool}).
 */
export type WorkerSetup = WorkerSource & { readonly warmUp: string; readonly fault: string | undefined }

/** One batch of lines for a worker. */
export interface BatchRequest {
  readonly id: number
  /** Number of the batch's first line in the whole input (1-based). */
  readonly first: number
  /** The lines, joined by `\n` (lines never contain `\n` or `\r`). */
  readonly text: string
}

/** A worker's answer to one batch. */
export interface BatchResponse {
  readonly id: number
  /** The output lines of the batch, UTF-8, each ending in `\n`. */
  readonly bytes: Uint8Array
  readonly lines: number
  readonly failed: number
}

/** The answer of one batch, as the caller sees it. */
export type BatchAnswer = Omit<BatchResponse, "id">

/** A running pool. */
export interface WorkerPool {
  readonly size: number
  /** Resolves when every worker has started (decoded its catalog, answered the warm-up lines); rejects if one failed first. */
  readonly ready: Promise<void>
  /** Whether {@link ready} has resolved. */
  readonly isReady: () => boolean
  /** Why the pool failed, if it did. */
  readonly failure: () => Error | undefined
  /** Batches sent and not yet answered. */
  readonly pending: () => number
  /** Sends a batch to the worker with the fewest batches pending. */
  readonly submit: (first: number, text: string) => Promise<BatchAnswer>
  /** Stops every worker (pending batches reject). */
  readonly close: () => Promise<void>
}

/**
 * The planning threads of `--jobs auto` (the main thread and `autoJobs() − 1` workers): the
 * available cores, at most 4.
 *
 * @example autoJobs() // 2 on a 2-core machine
 */
export const autoJobs = (): number => Math.min(availableParallelism(), 4)

/** One worker thread, as the pool uses it. */
interface Channel {
  readonly post: (request: BatchRequest) => void
  readonly stop: () => Promise<void>
}

type OnMessage = (message: BatchResponse | { readonly ready: true }) => void

const threadWorker = (setup: WorkerSetup, onMessage: OnMessage, onError: (cause: unknown) => void, onExit: (code: number) => void): Channel => {
  const { entry, eval: isScript } = workerEntry(import.meta.url, "jsonlWorker")
  const worker = new Worker(entry, { workerData: setup, eval: isScript })
  worker.on("message", onMessage)
  worker.on("error", onError)
  worker.on("messageerror", onError)
  worker.on("exit", onExit)
  return {
    post: (request) => worker.postMessage(request),
    stop: async () => {
      await worker.terminate()
    }
  }
}

interface Pending {
  readonly worker: number
  readonly resolve: (answer: BatchAnswer) => void
  readonly reject: (cause: Error) => void
}

/**
 * Starts `size` workers previewing against `source`. `fault: "throw"` makes every worker throw
 * on its first batch: tests pass it (through `runJsonl`'s `startPool` option) to check that a
 * failing worker ends the run cleanly; nothing else sets it.
 *
 * @example const pool = startPool(2, { hasCatalog: false }, sampleLines.join("\n"))
 */
export const startPool = (size: number, source: WorkerSource, warmUp = "", fault?: "throw"): WorkerPool => {
  const setup: WorkerSetup = { ...source, warmUp, fault }
  const pending = new Map<number, Pending>()
  let failure: Error | undefined
  let closing = false
  let started = 0
  let nextId = 0
  let isReady = false
  let markReady: () => void = () => {}
  let markFailed: (cause: Error) => void = () => {}
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve
    markFailed = reject
  })
  // A failure before anyone awaits `ready` must not become an unhandled rejection.
  ready.catch(() => {})
  const workers: Array<Channel> = []
  /** Batches pending per worker. */
  const load: Array<number> = []
  const fail = (cause: Error): void => {
    if (failure !== undefined || closing) return
    failure = cause
    markFailed(cause)
    for (const p of pending.values()) p.reject(cause)
    pending.clear()
    for (const w of workers) void w.stop()
  }
  for (let i = 0; i < size; i++) {
    const onMessage = (message: BatchResponse | { readonly ready: true }): void => {
      if ("ready" in message) {
        if (++started === size) {
          isReady = true
          markReady()
        }
        return
      }
      const p = pending.get(message.id)
      if (p === undefined) return
      pending.delete(message.id)
      load[p.worker] = (load[p.worker] ?? 1) - 1
      p.resolve({ bytes: message.bytes, lines: message.lines, failed: message.failed })
    }
    const onError = (cause: unknown): void => fail(cause instanceof Error ? cause : new Error(String(cause)))
    const onExit = (code: number | null): void => {
      if (!closing) fail(new Error(`a worker exited unexpectedly (code ${code})`))
    }
    workers.push(threadWorker(setup, onMessage, onError, onExit))
    load.push(0)
  }
  return {
    size,
    ready,
    isReady: () => isReady,
    failure: () => failure,
    pending: () => pending.size,
    submit: (first, text) => {
      if (failure !== undefined) return Promise.reject(failure)
      const id = nextId++
      let chosen = 0
      for (let i = 1; i < size; i++) if ((load[i] ?? 0) < (load[chosen] ?? 0)) chosen = i
      const worker = workers[chosen]
      load[chosen] = (load[chosen] ?? 0) + 1
      return new Promise<BatchAnswer>((resolve, reject) => {
        pending.set(id, { resolve, reject, worker: chosen })
        const request: BatchRequest = { id, first, text }
        worker?.post(request)
      })
    },
    close: async () => {
      if (closing) return
      closing = true
      const stopped = new Error("the worker pool was closed")
      for (const p of pending.values()) p.reject(stopped)
      pending.clear()
      await Promise.all(workers.map((w) => w.stop()))
    }
  }
}
