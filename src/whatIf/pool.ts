/**
 * Worker threads of a parallel what-if (./worker.ts), as `preview --jsonl --jobs` has them: each
 * worker decodes both catalogs once, then answers batches of input bytes in the order received,
 * and {@link WhatIfPool.submit} returns one promise per batch, so the caller writes the answers
 * and merges their summaries in input order by awaiting them in submission order. A worker that
 * fails (an exception, a crash, an unexpected exit) fails the whole pool: every pending and later
 * batch rejects with the cause, and no promise is left hanging.
 *
 * @example
 * const pool = startWhatIfPool(1, setup)
 * await pool.ready
 * const answer = await pool.submit(1, Buffer.from('{"customer":…}\n'))
 * await pool.close()
 */
import { Worker } from "node:worker_threads"
import type { SummaryAccumulator } from "./summary.ts"
import { workerEntry } from "../internal/workerEntry.ts"

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

/** One batch for a worker: the bytes of whole lines, the first being line `first` of the input. @example { id: 0, first: 1, bytes } */
export interface WhatIfRequest {
  readonly id: number
  readonly first: number
  readonly bytes: Uint8Array
}

/** A worker's answer: the output lines as UTF-8, and the partial summary of the batch. @example { id: 0, bytes, summary } */
export interface WhatIfResponse {
  readonly id: number
  readonly bytes: Uint8Array
  readonly summary: SummaryAccumulator
}

/** A running pool. @example pool.pendingOf(0) < 4 */
export interface WhatIfPool {
  readonly size: number
  /** Resolves when every worker has decoded its catalogs; rejects if one failed first. */
  readonly ready: Promise<void>
  readonly isReady: () => boolean
  readonly failure: () => Error | undefined
  /** Batches the least busy worker has pending. */
  readonly leastPending: () => number
  /** Sends a batch to the worker with the fewest batches pending. */
  readonly submit: (first: number, bytes: Uint8Array) => Promise<Omit<WhatIfResponse, "id">>
  /** Stops every worker (pending batches reject). */
  readonly close: () => Promise<void>
}

/**
 * The heap of each worker. Bounded so that V8 sizes it for a small program (it grows a default
 * heap for minutes, and the peak RSS with it); a worker holds its code, both catalogs and a few
 * batches — a tenth of this. A worker out of memory fails the run.
 *
 * @example new Worker(entry, { workerData: setup, resourceLimits: WORKER_HEAP })
 */
export const WORKER_HEAP = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 } as const

interface Pending {
  readonly worker: number
  readonly resolve: (answer: Omit<WhatIfResponse, "id">) => void
  readonly reject: (cause: Error) => void
}

/** The pool's state: the workers, their loads, the batches out, and how it ended. */
interface PoolState {
  readonly size: number
  readonly workers: Array<Worker>
  /** Batches pending per worker. */
  readonly load: Array<number>
  readonly pending: Map<number, Pending>
  readonly markReady: () => void
  readonly markFailed: (cause: Error) => void
  failure: Error | undefined
  closing: boolean
  started: number
  nextId: number
  ready: boolean
}

const errorOf = (cause: unknown): Error => (cause instanceof Error ? cause : new Error(String(cause)))

/** Fails the pool once: every batch out rejects, every worker stops. */
const fail = (state: PoolState, cause: Error): void => {
  if (state.failure !== undefined || state.closing) return
  state.failure = cause
  state.markFailed(cause)
  for (const p of state.pending.values()) p.reject(cause)
  state.pending.clear()
  for (const w of state.workers) void w.terminate()
}

const onMessage = (state: PoolState, message: WhatIfResponse | { readonly ready: true }): void => {
  if ("ready" in message) {
    if (++state.started === state.size) {
      state.ready = true
      state.markReady()
    }
    return
  }
  const p = state.pending.get(message.id)
  if (p === undefined) return
  state.pending.delete(message.id)
  state.load[p.worker] = (state.load[p.worker] ?? 1) - 1
  p.resolve({ bytes: message.bytes, summary: message.summary })
}

const spawn = (state: PoolState, setup: WhatIfSetup): Worker => {
  const { entry, eval: isScript } = workerEntry(import.meta.url, "worker")
  const worker = new Worker(entry, { workerData: setup, eval: isScript, resourceLimits: WORKER_HEAP })
  worker.on("message", (message: WhatIfResponse | { readonly ready: true }) => onMessage(state, message))
  worker.on("error", (cause: unknown) => fail(state, errorOf(cause)))
  worker.on("messageerror", (cause: unknown) => fail(state, errorOf(cause)))
  worker.on("exit", (code: number) => {
    if (!state.closing) fail(state, new Error(`a what-if worker exited unexpectedly (code ${code})`))
  })
  return worker
}

const leastBusy = (state: PoolState): number => {
  let chosen = 0
  for (let i = 1; i < state.size; i++) if ((state.load[i] ?? 0) < (state.load[chosen] ?? 0)) chosen = i
  return chosen
}

const submit = (state: PoolState, first: number, bytes: Uint8Array): Promise<Omit<WhatIfResponse, "id">> => {
  if (state.failure !== undefined) return Promise.reject(state.failure)
  const id = state.nextId++
  const chosen = leastBusy(state)
  state.load[chosen] = (state.load[chosen] ?? 0) + 1
  return new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject, worker: chosen })
    const request: WhatIfRequest = { id, first, bytes }
    state.workers[chosen]?.postMessage(request)
  })
}

const close = async (state: PoolState): Promise<void> => {
  if (state.closing) return
  state.closing = true
  const stopped = new Error("the what-if worker pool was closed")
  for (const p of state.pending.values()) p.reject(stopped)
  state.pending.clear()
  await Promise.all(state.workers.map((w) => w.terminate()))
}

/**
 * Starts `size` workers comparing `setup`.
 *
 * @example const pool = startWhatIfPool(1, { from, to, at, migrate: [], cycles: 1 })
 */
export const startWhatIfPool = (size: number, setup: WhatIfSetup): WhatIfPool => {
  const marks: { ready: () => void; failed: (cause: Error) => void } = { ready: () => {}, failed: () => {} }
  const ready = new Promise<void>((resolve, reject) => {
    marks.ready = resolve
    marks.failed = reject
  })
  // A failure before anyone awaits `ready` must not become an unhandled rejection.
  ready.catch(() => {})
  const state: PoolState = {
    size, workers: [], load: [], pending: new Map(), markReady: () => marks.ready(), markFailed: (cause) => marks.failed(cause),
    failure: undefined, closing: false, started: 0, nextId: 0, ready: false
  }
  for (let i = 0; i < size; i++) {
    state.workers.push(spawn(state, setup))
    state.load.push(0)
  }
  return {
    size,
    ready,
    isReady: () => state.ready,
    failure: () => state.failure,
    leastPending: () => state.load[leastBusy(state)] ?? 0,
    submit: (first, bytes) => submit(state, first, bytes),
    close: () => close(state)
  }
}
