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
import { answerBatch, linesIn } from "./batch.ts"
import type { WhatIfInput } from "./customer.ts"
import { startWhatIfPool, type WhatIfPool, type WhatIfSetup } from "./pool.ts"
import { type InOrder, inOrder } from "../internal/inOrder.ts"
import { makeSummary, mergeSummary, type SummaryAccumulator, summaryOf, type WhatIfSummary } from "./summary.ts"

/** Input bytes per batch (about 300 customers). @example runWhatIfStream(input, setup, source, out, { batchBytes: BATCH_BYTES / 4 }) */
export const BATCH_BYTES = 64 * 1024
/** Batches a worker may have pending. @example runWhatIfStream(input, setup, source, out, { jobs: 2, perWorker: PER_WORKER }) */
export const PER_WORKER = 3
/** Batches answered here that may wait behind the workers' (the bound on batches in flight is `jobs × perWorker + OWN_AHEAD`). @example const bound = 2 * PER_WORKER + OWN_AHEAD */
export const OWN_AHEAD = 2
/** Lines answered here before workers start (a short input is done before they would be ready). @example runWhatIfStream(input, setup, source, out, { jobs: 2, parallelAfter: PARALLEL_AFTER }) */
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

/** A run in progress: what it compares, the answers waiting to be written, the workers. */
interface Run {
  readonly input: WhatIfInput
  readonly setup: WhatIfSetup | undefined
  readonly out: Writable
  readonly jobs: number
  readonly parallelAfter: number
  readonly perWorker: number
  readonly maxInFlight: number
  readonly acc: SummaryAccumulator
  /** Answers of batches not yet written (and merged), oldest first. */
  readonly answers: InOrder<Answer>
  /** Number of the next batch's first line. */
  next: number
  workerBatches: number
  /** Why the workers did not start, if they did not. */
  startFailure: string | undefined
  pool: WhatIfPool | undefined
}

const reasonOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** Why the run stopped early, if it did. */
const failureOf = (run: Run): string | undefined => run.startFailure ?? run.answers.failure()

/** Writes an answer and merges its summary. */
const writeAnswer = async (out: Writable, acc: SummaryAccumulator, answer: Answer): Promise<boolean> => {
  mergeSummary(acc, answer.summary)
  if (answer.bytes.length > 0 && !out.write(answer.bytes)) await once(out, "drain")
  return true
}

/** Writes the answers due: every answered one at the head, then waits while more than `limit` are out. */
const settle = async (run: Run, limit: number): Promise<void> => {
  if (failureOf(run) === undefined && (await run.answers.writeAnswered())) await run.answers.writeAbove(limit)
}

const startPool = async (run: Run): Promise<void> => {
  if (run.pool !== undefined || run.setup === undefined || run.jobs < 2) return
  run.pool = startWhatIfPool(run.jobs, run.setup)
  if (run.parallelAfter === 0) await run.pool.ready.catch((cause: unknown) => { run.startFailure = reasonOf(cause) })
}

/** Answers one batch of whole lines: through the least busy worker once they run, else here. */
const answerBytes = async (run: Run, bytes: Buffer): Promise<void> => {
  const first = run.next
  run.next += linesIn(bytes)
  const pool = run.pool
  // Once the workers run, they compare everything: this thread only reads, writes and merges.
  while (pool?.isReady() === true && pool.leastPending() >= run.perWorker && run.answers.size() > 0 && failureOf(run) === undefined) await run.answers.writeOldest()
  if (pool?.isReady() === true && failureOf(run) === undefined) {
    run.workerBatches++
    run.answers.awaiting(pool.submit({ first, bytes }))
  } else {
    const answer = answerBatch(run.input, bytes.toString("utf8"), first)
    run.answers.answered({ bytes: answer.text, summary: answer.summary })
  }
  await settle(run, run.maxInFlight)
  if (run.next > run.parallelAfter) await startPool(run)
}

/**
 * Runs the what-if over `source` (bytes of `{ customer }` lines), writing to `out`. With `setup`
 * and `jobs` above 1, workers answer the batches.
 *
 * @example await runWhatIfStream(input, undefined, Readable.from([Buffer.from(lines)]), process.stdout)
 */
export const runWhatIfStream = async (
  input: WhatIfInput, setup: WhatIfSetup | undefined, source: AsyncIterable<Buffer | string>, out: Writable, options: StreamOptions = {}
): Promise<StreamRun> => {
  const jobs = setup === undefined ? 1 : Math.max(1, Math.floor(options.jobs ?? 1))
  const perWorker = Math.max(1, options.perWorker ?? PER_WORKER)
  const batchBytes = Math.max(1, options.batchBytes ?? BATCH_BYTES)
  const acc = makeSummary()
  const run: Run = {
    input, setup, out, jobs, parallelAfter: options.parallelAfter ?? PARALLEL_AFTER, perWorker, maxInFlight: jobs * perWorker + OWN_AHEAD,
    acc, answers: inOrder((answer: Answer) => writeAnswer(out, acc, answer)), next: 1, workerBatches: 0, startFailure: undefined, pool: undefined
  }
  const carry: Carry = { parts: [], size: 0 }
  try {
    if (run.parallelAfter === 0) await startPool(run)
    for await (const chunk of source) {
      if (failureOf(run) !== undefined) break
      const bytes = cut(carry, typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk, batchBytes)
      if (bytes !== undefined) await answerBytes(run, bytes)
    }
    if (failureOf(run) === undefined && carry.size > 0) await answerBytes(run, Buffer.concat(carry.parts, carry.size))
    await settle(run, 0)
  } finally {
    await run.pool?.close()
  }
  const summary = summaryOf(run.acc)
  const failure = failureOf(run)
  if (failure === undefined && !out.write(JSON.stringify({ summary }) + "\n")) await once(out, "drain")
  return { summary, workerBatches: run.workerBatches, failure }
}
