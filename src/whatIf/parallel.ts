/**
 * The what-if over a byte stream of customer lines, with `jobs` above 1 on as many worker
 * threads (./pool.ts), with exactly the output of one thread: the input is cut after line ends
 * into batches of about {@link BATCH_BYTES}; the first `parallelAfter` lines are answered here
 * while the workers start; once they are ready, each batch goes to the least busy worker (waiting
 * while every one has `perWorker`), and this thread only reads, writes and merges — its heap,
 * which holds the whole command line's code, then hardly grows. Answers are written, and their
 * partial summaries merged, in input order. At most `jobs × perWorker + OWN_AHEAD` batches wait
 * to be written: no more is read until the oldest is written (and the output has drained), so
 * memory stays flat whatever the number of customers. A failing worker stops the run after the
 * answers before its batch; `failure` says why.
 *
 * @example const run = await runWhatIfStream(input, setup, process.stdin, process.stdout, { jobs: 2 })
 */
import { once } from "node:events"
import type { Writable } from "node:stream"
import { answerBatch } from "./batch.ts"
import type { WhatIfInput } from "./customer.ts"
import { linesIn } from "./batch.ts"
import { startWhatIfPool, type WhatIfPool, type WhatIfSetup } from "./pool.ts"
import { makeSummary, mergeSummary, type SummaryAccumulator, summaryOf, type WhatIfSummary } from "./summary.ts"

/** Input bytes per batch (about 300 customers). */
export const BATCH_BYTES = 64 * 1024
/** Batches a worker may have pending. */
export const PER_WORKER = 3
/** Batches answered here that may wait behind a worker's. */
export const OWN_AHEAD = 2
/** Lines answered here before workers start (a short input is done before they would be ready). */
export const PARALLEL_AFTER = 4_000

/** How to run: threads comparing (1: this one; more: as many workers), and when workers start (0: before the first line, waited for). @example { jobs: 2, parallelAfter: 0 } */
export interface StreamOptions {
  readonly jobs?: number
  readonly parallelAfter?: number
  readonly perWorker?: number
  /** Input bytes per batch (default {@link BATCH_BYTES}). */
  readonly batchBytes?: number
}

/** What the run did: the summary (also written, last), batches answered by workers, and why it stopped early, if it did. @example run.summary.customers */
export interface StreamRun {
  readonly summary: WhatIfSummary
  readonly workerBatches: number
  readonly failure: string | undefined
}

type Answer = { readonly bytes: Uint8Array | string; readonly summary: SummaryAccumulator }
type Slot = { readonly done: Answer } | { readonly pending: Promise<Answer> }

/** The pieces of input read and not yet cut into a batch. */
interface Carry {
  parts: Array<Buffer>
  size: number
}

/** Cuts the carried bytes after the last line end of `chunk`, once they are at least `min` bytes. */
const cut = (carry: Carry, chunk: Buffer, min: number): Buffer | undefined => {
  carry.parts.push(chunk)
  carry.size += chunk.length
  if (carry.size < min) return undefined
  const end = chunk.lastIndexOf(0x0a)
  if (end < 0) return undefined
  const whole = Buffer.concat(carry.parts, carry.size)
  const at = carry.size - chunk.length + end + 1
  const rest = whole.subarray(at)
  carry.parts = rest.length === 0 ? [] : [rest]
  carry.size = rest.length
  return whole.subarray(0, at)
}

/**
 * Runs the what-if over `source` (bytes of `{ customer }` lines), writing to `out`. With `setup`
 * and `jobs` above 1, workers answer batches too.
 *
 * @example await runWhatIfStream(input, undefined, Readable.from([Buffer.from(lines)]), process.stdout)
 */
export const runWhatIfStream = async (
  input: WhatIfInput, setup: WhatIfSetup | undefined, source: AsyncIterable<Buffer | string>, out: Writable, options: StreamOptions = {}
): Promise<StreamRun> => {
  const jobs = setup === undefined ? 1 : Math.max(1, Math.floor(options.jobs ?? 1))
  const parallelAfter = options.parallelAfter ?? PARALLEL_AFTER
  const perWorker = Math.max(1, options.perWorker ?? PER_WORKER)
  const maxInFlight = jobs * perWorker + OWN_AHEAD
  const batchBytes = Math.max(1, options.batchBytes ?? BATCH_BYTES)
  const acc = makeSummary()
  const slots: Array<Slot> = []
  const carry: Carry = { parts: [], size: 0 }
  const run = { next: 1, workerBatches: 0, failure: undefined as string | undefined }
  let pool: WhatIfPool | undefined

  const write = async (answer: Answer): Promise<void> => {
    mergeSummary(acc, answer.summary)
    if (answer.bytes.length > 0 && !out.write(answer.bytes)) await once(out, "drain")
  }
  /** Writes the answers due: every answered one at the head, then waits while too many are out. */
  const settle = async (limit: number): Promise<void> => {
    while (slots.length > 0 && run.failure === undefined) {
      const head = slots[0]
      if (head === undefined || (!("done" in head) && slots.length <= limit)) return
      await settleOldest()
    }
  }
  /** Writes the oldest answer, waiting for it. */
  const settleOldest = async (): Promise<void> => {
    const head = slots.shift()
    if (head === undefined) return
    try {
      await write("done" in head ? head.done : await head.pending)
    } catch (cause) {
      run.failure = cause instanceof Error ? cause.message : String(cause)
    }
  }
  const startPool = async (): Promise<void> => {
    if (pool !== undefined || setup === undefined || jobs < 2) return
    pool = startWhatIfPool(jobs, setup)
    if (parallelAfter === 0) await pool.ready.catch((cause: unknown) => { run.failure = cause instanceof Error ? cause.message : String(cause) })
  }
  const batch = async (bytes: Buffer): Promise<void> => {
    const first = run.next
    run.next += linesIn(bytes)
    // Once the workers run, they compare everything: this thread only reads, writes and merges.
    while (pool?.isReady() === true && pool.leastPending() >= perWorker && slots.length > 0 && run.failure === undefined) await settleOldest()
    if (pool?.isReady() === true && run.failure === undefined) {
      run.workerBatches++
      const pending = pool.submit(first, bytes)
      // A failed pool rejects every batch; those after the first are dropped, never awaited.
      pending.catch(() => {})
      slots.push({ pending })
    } else {
      const answer = answerBatch(input, bytes.toString("utf8"), first)
      slots.push({ done: { bytes: answer.text, summary: answer.summary } })
    }
    await settle(maxInFlight)
    if (run.next > parallelAfter) await startPool()
  }

  try {
    if (parallelAfter === 0) await startPool()
    for await (const chunk of source) {
      if (run.failure !== undefined) break
      const bytes = cut(carry, typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk, batchBytes)
      if (bytes !== undefined) await batch(bytes)
    }
    if (run.failure === undefined && carry.size > 0) await batch(Buffer.concat(carry.parts, carry.size))
    await settle(0)
  } finally {
    await pool?.close()
  }
  const summary = summaryOf(acc)
  if (run.failure === undefined && !out.write(JSON.stringify({ summary }) + "\n")) await once(out, "drain")
  return { summary, workerBatches: run.workerBatches, failure: run.failure }
}
