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
import { type InOrder, inOrder } from "../../internal/inOrder.ts"

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

/** A batch answered in this thread. */
const answeredHere = (previewer: Previewer, first: number, text: string): BatchAnswer => {
  const answer = answerBatch(previewer, text, first)
  return { bytes: answer.bytes, lines: answer.lines, failed: answer.failed }
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
  const inFlight: InOrder<BatchAnswer> = inOrder((answer) => {
    progress.lines += answer.lines
    progress.failed += answer.failed
    return writer.send(answer.bytes)
  })
  let batches = 0
  // This thread plans too whenever the workers are busy, so no core idles and no second copy of
  // the warmed-up code is needed for its share.
  const submit = async (pool: WorkerPool, first: number, text: string): Promise<boolean> => {
    if (!(await inFlight.writeAbove(limits.maxInFlight - 1))) return false
    if (pool.pending() < pool.size * limits.perWorker) inFlight.awaiting(pool.submit({ first, text }))
    else inFlight.answered(answeredHere(previewer, first, text))
    batches++
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
      if (!(await submit(pool, first, text)) || !(await inFlight.writeAnswered())) return false
    }
    return true
  }
  return { dispatch, drain: () => inFlight.writeAbove(0), failure: inFlight.failure, batches: () => batches, peakInFlight: inFlight.peak }
}
