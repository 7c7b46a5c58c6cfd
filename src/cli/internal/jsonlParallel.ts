/**
 * The parallel side of a `--jsonl` run: input lines cut into batches, each handed to the least
 * busy worker or answered in this thread when every worker is busy, and the answers written in
 * input order. At most `maxInFlight` batches wait to be written: no more is handed out until the
 * oldest answer is written (and the output has drained), so memory stays bounded whatever the
 * input length. A failing worker stops the run after the answers before its batch.
 *
 * @example
 * const parallel = parallelRun(previewer, writer, progress, { maxInFlight: 18, perWorker: 2 })
 * await parallel.dispatch(pool, lines)
 * await parallel.drain()
 */
import type { Previewer } from "../documents.ts"
import type { BatchAnswer, WorkerPool } from "../jsonlPool.ts"
import type { JsonlWriter } from "./jsonlWriter.ts"
import { answerBatch } from "./jsonlLines.ts"

/** A batch holds at most this many lines, or this many UTF-16 code units (a huge line goes alone). */
const WORKER_BATCH_LINES = 256
const WORKER_BATCH_CHARS = 256 * 1024

/** Where a run is: the number of the last line read, and the output lines written and failed so far. */
export interface Progress {
  lineNumber: number
  lines: number
  failed: number
}

/** The parallel part of one run. Calls answer false when the run must stop. */
export interface ParallelRun {
  /** Cuts lines into batches, hands them out, then writes the answers that are already in. */
  readonly dispatch: (pool: WorkerPool, complete: ReadonlyArray<string>) => Promise<boolean>
  /** Writes every answer still in flight, oldest first. */
  readonly drain: () => Promise<boolean>
  /** Why a worker's batch failed, if one did. */
  readonly failure: () => string | undefined
  readonly batches: () => number
  readonly peakInFlight: () => number
}

interface Entry {
  readonly answer: Promise<BatchAnswer>
  settled: boolean
}

/** The lines of the next batch, from `i`: how many, within the batch limits. */
const batchEnd = (complete: ReadonlyArray<string>, i: number): number => {
  let chars = 0
  let j = i
  while (j < complete.length && j - i < WORKER_BATCH_LINES && (j === i || chars + (complete[j]?.length ?? 0) <= WORKER_BATCH_CHARS)) {
    chars += (complete[j]?.length ?? 0) + 1
    j++
  }
  return j
}

/** A batch sent to a worker, marked settled once it is answered (or failed). */
const sent = (pool: WorkerPool, first: number, text: string): Entry => {
  const entry = { answer: pool.submit(first, text), settled: false }
  entry.answer.then(
    () => (entry.settled = true),
    () => (entry.settled = true)
  )
  return entry
}

/** A batch answered in this thread. */
const answeredHere = (previewer: Previewer, first: number, text: string): Entry => {
  const answer = answerBatch(previewer, text, first)
  return { answer: Promise.resolve({ bytes: answer.bytes, lines: answer.lines, failed: answer.failed }), settled: true }
}

/**
 * The parallel part of a run writing through `writer` and counting into `progress`.
 *
 * @example const parallel = parallelRun(previewer, writer, { lineNumber: 0, lines: 0, failed: 0 }, { maxInFlight: 18, perWorker: 2 })
 */
export const parallelRun = (
  previewer: Previewer, writer: JsonlWriter, progress: Progress, limits: { readonly maxInFlight: number; readonly perWorker: number }
): ParallelRun => {
  /** Answers of batches not yet written, oldest first. */
  const inFlight: Array<Entry> = []
  let failure: string | undefined
  let batches = 0
  let peakInFlight = 0
  const writeOldest = async (): Promise<boolean> => {
    const oldest = inFlight.shift()
    if (oldest === undefined) return true
    let answer: BatchAnswer
    try {
      answer = await oldest.answer
    } catch (cause) {
      failure = cause instanceof Error ? cause.message : String(cause)
      return false
    }
    progress.lines += answer.lines
    progress.failed += answer.failed
    return writer.send(answer.bytes)
  }
  // This thread plans too whenever the workers are busy, so no core idles and no second copy of
  // the warmed-up code is needed for its share.
  const submit = async (pool: WorkerPool, first: number, text: string): Promise<boolean> => {
    while (inFlight.length >= limits.maxInFlight) if (!(await writeOldest())) return false
    inFlight.push(pool.pending() < pool.size * limits.perWorker ? sent(pool, first, text) : answeredHere(previewer, first, text))
    batches++
    if (inFlight.length > peakInFlight) peakInFlight = inFlight.length
    return true
  }
  const dispatch = async (pool: WorkerPool, complete: ReadonlyArray<string>): Promise<boolean> => {
    let i = 0
    while (i < complete.length) {
      const first = progress.lineNumber + 1
      const j = batchEnd(complete, i)
      const text = j === i + 1 ? (complete[i] ?? "") : complete.slice(i, j).join("\n")
      progress.lineNumber += j - i
      i = j
      if (!(await submit(pool, first, text))) return false
      while (inFlight[0]?.settled === true) if (!(await writeOldest())) return false
    }
    return true
  }
  const drain = async (): Promise<boolean> => {
    let going = true
    while (going && inFlight.length > 0) going = await writeOldest()
    return going
  }
  return { dispatch, drain, failure: () => failure, batches: () => batches, peakInFlight: () => peakInFlight }
}
