/**
 * One pool of worker threads for every parallel command (`preview --jsonl --jobs`, `what-if
 * --jobs`): `size` workers start from one module, each with the same start-up data; each reports
 * ready once it has done its start-up work (decoded its catalogs, warmed up), then answers jobs in
 * the order received. A job goes to the worker with the fewest pending, and
 * {@link WorkerPool.submit} returns one promise per job, so a caller that awaits them in
 * submission order (./inOrder.ts) writes the answers in input order. A worker that fails (an
 * exception, a crash, an unexpected exit, out of memory under its heap cap) fails the whole pool:
 * every pending and later job rejects with the cause, and no promise is left hanging. Closing
 * the pool rejects its pending jobs and every later one the same way.
 *
 * The worker side is {@link serveJobs}: the module named by the pool calls it once.
 *
 * @example
 * const pool = startWorkerPool<Setup, Job, Answer>({ size: 2, poolUrl: import.meta.url, worker: "worker", label: "what-if worker", setup })
 * await pool.ready
 * const answer = await pool.submit({ first: 1, bytes })
 * await pool.close()
 */
import { parentPort, type ResourceLimits, Worker, workerData } from "node:worker_threads"
import { workerEntry } from "./workerEntry.ts"

/** How to start a pool: how many workers, which module (`worker`, next to the module at `poolUrl`), its start-up data, and its heap cap. @example { size: 2, poolUrl: import.meta.url, worker: "jsonlWorker", label: "worker", setup } */
export interface PoolStart<Setup> {
  readonly size: number
  /** `import.meta.url` of the module the worker module sits next to. */
  readonly poolUrl: string
  /** The worker module's name, without its extension. */
  readonly worker: string
  /** What the workers are called in errors: "a {label} exited unexpectedly", "the {label} pool was closed". */
  readonly label: string
  readonly setup: Setup
  /** The heap of each worker (default: Node's); a worker out of it fails the pool. */
  readonly heap?: ResourceLimits | undefined
}

/** A running pool. @example pool.leastPending() < 3 */
export interface WorkerPool<Job, Answer> {
  readonly size: number
  /** Resolves when every worker has started; rejects if one failed first. */
  readonly ready: Promise<void>
  /** Whether {@link ready} has resolved. */
  readonly isReady: () => boolean
  /** Why the pool failed, if it did. */
  readonly failure: () => Error | undefined
  /** Jobs sent and not yet answered, in all. */
  readonly pending: () => number
  /** Jobs the least busy worker has pending. */
  readonly leastPending: () => number
  /** Sends a job to the worker with the fewest jobs pending. */
  readonly submit: (job: Job) => Promise<Answer>
  /** Stops every worker (pending jobs, and any submitted later, reject). */
  readonly close: () => Promise<void>
}

/** What goes to a worker, and what comes back. */
type ToWorker<Job> = { readonly id: number; readonly job: Job }
type FromWorker<Answer> = { readonly id: number; readonly answer: Answer } | { readonly ready: true }

interface Pending<Answer> {
  readonly worker: number
  readonly resolve: (answer: Answer) => void
  readonly reject: (cause: Error) => void
}

/** The pool's state: the workers, their loads, the jobs out, and how it ended. */
interface PoolState<Answer> {
  readonly size: number
  readonly label: string
  readonly workers: Array<Worker>
  /** Jobs pending per worker. */
  readonly load: Array<number>
  readonly pending: Map<number, Pending<Answer>>
  readonly marks: { ready: () => void; failed: (cause: Error) => void }
  failure: Error | undefined
  closing: boolean
  started: number
  nextId: number
  ready: boolean
}

const errorOf = (cause: unknown): Error => (cause instanceof Error ? cause : new Error(String(cause)))

/** Fails the pool once: every job out rejects, every worker stops. */
const fail = <Answer>(state: PoolState<Answer>, cause: Error): void => {
  if (state.failure !== undefined || state.closing) return
  state.failure = cause
  state.marks.failed(cause)
  for (const p of state.pending.values()) p.reject(cause)
  state.pending.clear()
  for (const w of state.workers) void w.terminate()
}

const onMessage = <Answer>(state: PoolState<Answer>, message: FromWorker<Answer>): void => {
  if ("ready" in message) {
    if (++state.started === state.size) {
      state.ready = true
      state.marks.ready()
    }
    return
  }
  const p = state.pending.get(message.id)
  if (p === undefined) return
  state.pending.delete(message.id)
  state.load[p.worker] = (state.load[p.worker] ?? 1) - 1
  p.resolve(message.answer)
}

const spawn = <Setup, Answer>(state: PoolState<Answer>, start: PoolStart<Setup>): Worker => {
  const { entry, eval: isScript } = workerEntry(start.poolUrl, start.worker)
  const worker = new Worker(entry, { workerData: start.setup, eval: isScript, ...(start.heap === undefined ? {} : { resourceLimits: start.heap }) })
  worker.on("message", (message: FromWorker<Answer>) => onMessage(state, message))
  worker.on("error", (cause: unknown) => fail(state, errorOf(cause)))
  worker.on("messageerror", (cause: unknown) => fail(state, errorOf(cause)))
  worker.on("exit", (code: number) => {
    if (!state.closing) fail(state, new Error(`a ${state.label} exited unexpectedly (code ${code})`))
  })
  return worker
}

const leastBusy = <Answer>(state: PoolState<Answer>): number => {
  let chosen = 0
  for (let i = 1; i < state.size; i++) if ((state.load[i] ?? 0) < (state.load[chosen] ?? 0)) chosen = i
  return chosen
}

/** Why a job on a closed pool is refused: no worker is left to answer it. */
const closedError = <Answer>(state: PoolState<Answer>): Error => new Error(`the ${state.label} pool was closed`)

const submit = <Job, Answer>(state: PoolState<Answer>, job: Job): Promise<Answer> => {
  if (state.failure !== undefined) return Promise.reject(state.failure)
  if (state.closing) return Promise.reject(closedError(state))
  const id = state.nextId++
  const chosen = leastBusy(state)
  state.load[chosen] = (state.load[chosen] ?? 0) + 1
  return new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject, worker: chosen })
    const message: ToWorker<Job> = { id, job }
    state.workers[chosen]?.postMessage(message)
  })
}

const close = async <Answer>(state: PoolState<Answer>): Promise<void> => {
  if (state.closing) return
  state.closing = true
  const stopped = closedError(state)
  for (const p of state.pending.values()) p.reject(stopped)
  state.pending.clear()
  await Promise.all(state.workers.map((w) => w.terminate()))
}

/**
 * Starts `start.size` workers of `start.worker`, each given `start.setup`.
 *
 * @example const pool = startWorkerPool<Setup, Job, Answer>({ size: 1, poolUrl: import.meta.url, worker: "worker", label: "what-if worker", setup })
 */
export const startWorkerPool = <Setup, Job, Answer>(start: PoolStart<Setup>): WorkerPool<Job, Answer> => {
  const marks: PoolState<Answer>["marks"] = { ready: () => {}, failed: () => {} }
  const ready = new Promise<void>((resolve, reject) => {
    marks.ready = resolve
    marks.failed = reject
  })
  // A failure before anyone awaits `ready` must not become an unhandled rejection.
  ready.catch(() => {})
  const state: PoolState<Answer> = {
    size: start.size, label: start.label, workers: [], load: [], pending: new Map(), marks,
    failure: undefined, closing: false, started: 0, nextId: 0, ready: false
  }
  for (let i = 0; i < start.size; i++) {
    state.workers.push(spawn(state, start))
    state.load.push(0)
  }
  return {
    size: start.size,
    ready,
    isReady: () => state.ready,
    failure: () => state.failure,
    pending: () => state.pending.size,
    leastPending: () => state.load[leastBusy(state)] ?? 0,
    submit: (job) => submit(state, job),
    close: () => close(state)
  }
}

/**
 * The bytes of `text` as UTF-8, in a buffer of their own: a small Buffer may live in Node's
 * shared pool, and transferring that would move (and detach) the whole pool.
 *
 * @example const bytes = ownedBytes('{"ok":true}\n') // bytes.byteLength === bytes.buffer.byteLength
 */
export const ownedBytes = (text: string): Uint8Array => {
  const bytes = Buffer.from(text, "utf8")
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes)
}

/**
 * The worker side of {@link startWorkerPool}: `start` does the worker's start-up work with the
 * pool's setup and gives the function answering one job; then the worker reports ready and
 * answers each job, its `bytes` transferred rather than copied. A job that throws fails the pool.
 *
 * @example serveJobs((setup: Setup) => (job: Job) => ({ bytes: ownedBytes(answerOf(setup, job)) }), "the what-if worker")
 */
export const serveJobs = <Setup, Job, Answer extends { readonly bytes: Uint8Array }>(start: (setup: Setup) => (job: Job) => Answer, name: string): void => {
  const port = parentPort
  if (port === null) throw new Error(`${name} must run in a worker thread`)
  const answer = start(workerData as Setup)
  port.on("message", (message: ToWorker<Job>) => {
    const reply = { id: message.id, answer: answer(message.job) }
    port.postMessage(reply, [reply.answer.bytes.buffer as ArrayBuffer])
  })
  port.postMessage({ ready: true })
}
