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

/** `worker.js` next to this module in `dist/`; from the sources (tsx), a script that registers tsx in the worker first. */
const workerEntry = (): { readonly entry: URL | string; readonly eval: boolean } => {
  if (!import.meta.url.endsWith(".ts")) return { entry: new URL("./worker.js", import.meta.url), eval: false }
  const worker = new URL("./worker.ts", import.meta.url).href
  const tsx = import.meta.resolve("tsx/esm/api")
  return { entry: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}) })`, eval: true }
}

/**
 * The heap of each worker. Bounded so that V8 sizes it for a small program (it grows a default
 * heap for minutes, and the peak RSS with it); a worker holds its code, both catalogs and a few
 * batches — a tenth of this. A worker out of memory fails the run.
 */
export const WORKER_HEAP = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 } as const

interface Pending {
  readonly worker: number
  readonly resolve: (answer: Omit<WhatIfResponse, "id">) => void
  readonly reject: (cause: Error) => void
}

/**
 * Starts `size` workers comparing `setup`.
 *
 * @example const pool = startWhatIfPool(1, { from, to, at, migrate: [], cycles: 1 })
 */
export const startWhatIfPool = (size: number, setup: WhatIfSetup): WhatIfPool => {
  const pending = new Map<number, Pending>()
  const load: Array<number> = []
  const workers: Array<Worker> = []
  const state = { failure: undefined as Error | undefined, closing: false, started: 0, nextId: 0, ready: false }
  let markReady: () => void = () => {}
  let markFailed: (cause: Error) => void = () => {}
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve
    markFailed = reject
  })
  ready.catch(() => {})
  const fail = (cause: Error): void => {
    if (state.failure !== undefined || state.closing) return
    state.failure = cause
    markFailed(cause)
    for (const p of pending.values()) p.reject(cause)
    pending.clear()
    for (const w of workers) void w.terminate()
  }
  const onMessage = (message: WhatIfResponse | { readonly ready: true }): void => {
    if ("ready" in message) {
      if (++state.started === size) {
        state.ready = true
        markReady()
      }
      return
    }
    const p = pending.get(message.id)
    if (p === undefined) return
    pending.delete(message.id)
    load[p.worker] = (load[p.worker] ?? 1) - 1
    p.resolve({ bytes: message.bytes, summary: message.summary })
  }
  const { entry, eval: isScript } = workerEntry()
  for (let i = 0; i < size; i++) {
    const worker = new Worker(entry, { workerData: setup, eval: isScript, resourceLimits: WORKER_HEAP })
    worker.on("message", onMessage)
    worker.on("error", (cause: unknown) => fail(cause instanceof Error ? cause : new Error(String(cause))))
    worker.on("messageerror", (cause: unknown) => fail(cause instanceof Error ? cause : new Error(String(cause))))
    worker.on("exit", (code: number) => {
      if (!state.closing) fail(new Error(`a what-if worker exited unexpectedly (code ${code})`))
    })
    workers.push(worker)
    load.push(0)
  }
  const leastBusy = (): number => {
    let chosen = 0
    for (let i = 1; i < size; i++) if ((load[i] ?? 0) < (load[chosen] ?? 0)) chosen = i
    return chosen
  }
  return {
    size,
    ready,
    isReady: () => state.ready,
    failure: () => state.failure,
    leastPending: () => load[leastBusy()] ?? 0,
    submit: (first, bytes) => {
      if (state.failure !== undefined) return Promise.reject(state.failure)
      const id = state.nextId++
      const chosen = leastBusy()
      load[chosen] = (load[chosen] ?? 0) + 1
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, worker: chosen })
        const request: WhatIfRequest = { id, first, bytes }
        workers[chosen]?.postMessage(request)
      })
    },
    close: async () => {
      if (state.closing) return
      state.closing = true
      const stopped = new Error("the what-if worker pool was closed")
      for (const p of pending.values()) p.reject(stopped)
      pending.clear()
      await Promise.all(workers.map((w) => w.terminate()))
    }
  }
}
