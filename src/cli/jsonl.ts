/**
 * Streaming JSON Lines previews (docs/spec.md §14 `preview --jsonl`): one document per input line, one
 * preview or error document per output line, in order. Input is read chunk by chunk and output is
 * written in batches with back-pressure, so memory stays bounded whatever the number of lines; a
 * bad line yields an error line and never stops the stream.
 *
 * @example
 * const stats = await runJsonl(process.stdin, process.stdout, documentPreviewer)
 * // { lines: 3, failed: 1, aborted: false }
 */
import type { Readable, Writable } from "node:stream"
import { StringDecoder } from "node:string_decoder"
import type { Previewer } from "./documents.ts"
import { jsonlWriter, type JsonlWriter } from "./internal/jsonlWriter.ts"
import { previewLine } from "./internal/jsonlLines.ts"
import { type ParallelRun, parallelRun, type Progress } from "./internal/jsonlParallel.ts"
import { startPool, type WorkerPool, type WorkerSource } from "./jsonlPool.ts"

export { answerBatch, previewLine } from "./internal/jsonlLines.ts"

/**
 * What a run did. `aborted` is true when the output went away (a closed pipe) before the end.
 * @example const stats: JsonlStats = { lines: 3, failed: 1, aborted: false } // a short run: no workers were started
 */
export interface JsonlStats {
  readonly lines: number
  readonly failed: number
  readonly aborted: boolean
  /** Set when workers were started: how many, how many batches they answered, and the most batches in flight at once (never above `maxInFlight`). */
  readonly parallel?: { readonly workers: number; readonly batches: number; readonly peakInFlight: number; readonly maxInFlight: number }
  /** Set when a worker failed: the run stopped after writing the answers before the failed batch. */
  readonly failure?: string
}

/**
 * Splits a stream of text chunks into lines exactly like `node:readline` with
 * `crlfDelay: Infinity`: a line ends at `\n`, `\r\n` (even across chunks) or a lone `\r`; bytes
 * are decoded as UTF-8 across chunk boundaries; a last line without a newline still counts; an
 * incomplete UTF-8 sequence at the very end is dropped. Work is linear in the input, however
 * long a line is.
 *
 * @example
 * const split = lineSplitter()
 * split.push("a\r") // ["a"]
 * split.push("\nb") // []
 * split.end() // ["b"]
 */
export const lineSplitter = (): { readonly push: (chunk: string | Buffer) => Array<string>; readonly end: () => Array<string> } => {
  const decoder = new StringDecoder("utf8")
  let pending = ""
  let afterReturn = false
  return {
    push: (chunk) => {
      const text = typeof chunk === "string" ? chunk : decoder.write(chunk)
      const out: Array<string> = []
      let start = 0
      if (afterReturn && text.length > 0) {
        if (text.charCodeAt(0) === 10) start = 1
        afterReturn = false
      }
      let newline = text.indexOf("\n", start)
      let ret = text.indexOf("\r", start)
      while (newline !== -1 || ret !== -1) {
        const isReturn = ret !== -1 && (newline === -1 || ret < newline)
        const end = isReturn ? ret : newline
        out.push(pending + text.slice(start, end))
        pending = ""
        start = end + 1
        if (isReturn) {
          if (start === text.length) afterReturn = true
          else if (text.charCodeAt(start) === 10) start++
        }
        if (newline !== -1 && newline < start) newline = text.indexOf("\n", start)
        if (ret !== -1 && ret < start) ret = text.indexOf("\r", start)
      }
      pending += text.slice(start)
      return out
    },
    end: () => {
      const last = pending
      pending = ""
      return last === "" ? [] : [last]
    }
  }
}

/**
 * How a run may use worker threads. Without `source` (or with `jobs` 1) every line is answered in this thread.
 * @example const options: JsonlOptions = { jobs: 4, source: { hasCatalog: false } } // workers after PARALLEL_AFTER lines
 */
export interface JsonlOptions {
  /** Threads that plan once the stream has shown itself long: this one and `jobs − 1` workers (1: no workers). */
  readonly jobs?: number
  /** Lines answered in this thread before workers are started (default {@link PARALLEL_AFTER}). */
  readonly parallelAfter?: number
  /** What the workers preview against; it must describe the same previewer as `previewer`. */
  readonly source?: WorkerSource
  /** Once the workers are starting, wait for them instead of answering lines here meanwhile (tests: makes the split deterministic). */
  readonly waitForWorkers?: boolean
  /** Batches in flight at most, per worker (default {@link IN_FLIGHT_PER_WORKER}). */
  readonly inFlightPerWorker?: number
  /** How the workers are started (default {@link startPool}); tests pass one that injects a fault. */
  readonly startPool?: typeof startPool
}

/**
 * Workers start after this many lines. Starting and warming a worker costs about 1 s of CPU, which
 * an input of some 10,000 lines never earns back (measured: 6,200 docs/s with workers from line
 * 2,000 against 7,800 on one thread); from about 30,000 lines on, the workers win.
 *
 * @example options.parallelAfter ?? PARALLEL_AFTER // 10000 unless the options say otherwise
 */
export const PARALLEL_AFTER = 10_000
/**
 * Batches handed to a worker and not yet answered: one to work on, one queued behind it.
 * @example options.inFlightPerWorker ?? IN_FLIGHT_PER_WORKER // 2 unless the options say otherwise
 */
export const IN_FLIGHT_PER_WORKER = 2
/**
 * Batches this thread may answer ahead of the oldest unanswered one. A worker that has just
 * started runs cold code for its first batches, several times slower; with too few, this thread
 * would wait for it. 16 batches are at most a few megabytes of output.
 *
 * @example (jobs - 1) * IN_FLIGHT_PER_WORKER + OWN_AHEAD // 22 batches in flight at most with 4 jobs
 */
export const OWN_AHEAD = 16
/**
 * A worker first answers (and throws away) up to this many of the lines answered here, at most
 * this many UTF-16 units: a worker's first batches would otherwise run unoptimised code several
 * times slower, and this thread would wait for them. It does so while this thread goes on alone.
 */
const WARM_UP_LINES = 1500
const WARM_UP_CHARS = 1024 * 1024
/** Lines the workers answer (and throw away) while they start, taken from the lines answered here. */
interface WarmUp {
  readonly lines: Array<string>
  chars: number
}

/** Answers lines in this thread, then writes what is queued; false when the run must stop. */
const answerHere = async (
  previewer: Previewer, writer: JsonlWriter, progress: Progress, complete: ReadonlyArray<string>, warmUp: WarmUp | undefined
): Promise<boolean> => {
  for (const line of complete) {
    if (warmUp !== undefined && warmUp.lines.length < WARM_UP_LINES && warmUp.chars + line.length <= WARM_UP_CHARS) {
      warmUp.lines.push(line)
      warmUp.chars += line.length + 1
    }
    progress.lineNumber++
    const result = previewLine(previewer, progress.lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, progress.lineNumber)
    if (result === undefined) continue
    progress.lines++
    if (result.failed) progress.failed++
    if (!(await writer.emit(result.json))) return false
  }
  return writer.flush()
}

/** The failure of a promise, as a message. */
const failureOf = (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(() => undefined, (cause: unknown) => (cause instanceof Error ? cause.message : String(cause)))

/**
 * Previews every line of `input` onto `output`. Never rejects: an input stream error ends the
 * run (the lines read so far are answered); an output error (e.g. EPIPE) aborts it. Lines are
 * answered one input chunk at a time, and their output lines written in batches.
 *
 * With `options.jobs` above 1 and a `source`, the first `parallelAfter` lines are answered here;
 * then `jobs − 1` worker threads start (and warm up) while this thread goes on; then each input
 * chunk is cut into batches, each handed to the least busy worker, or answered here when every
 * worker already has `inFlightPerWorker` batches; the answers are written in input order. At most
 * `(jobs − 1) × inFlightPerWorker + OWN_AHEAD` batches wait to be written: no more is read until
 * the oldest answer is written (and the output has drained), so memory stays bounded whatever the
 * input length. A failing worker stops the
 * run: the answers before its batch are written and `failure` says why.
 *
 * @example await runJsonl(Readable.from(["{}\n"]), process.stdout, documentPreviewer)
 */
export const runJsonl = async (input: Readable, output: Writable, previewer: Previewer, options: JsonlOptions = {}): Promise<JsonlStats> => {
  const writer = jsonlWriter(output)
  // Input errors end the iteration; they must not become unhandled 'error' events.
  const onInputError = (): void => {}
  input.on("error", onInputError)
  const split = lineSplitter()
  const progress: Progress = { lineNumber: 0, lines: 0, failed: 0 }
  const jobs = options.source === undefined ? 1 : Math.max(1, Math.floor(options.jobs ?? 1))
  const parallelAfter = options.parallelAfter ?? PARALLEL_AFTER
  const perWorker = Math.max(1, options.inFlightPerWorker ?? IN_FLIGHT_PER_WORKER)
  // Batches handed out and not yet written, at most: the workers' share plus OWN_AHEAD answered
  // here, so that this thread keeps planning while the oldest batch is with a worker.
  const maxInFlight = (jobs - 1) * perWorker + OWN_AHEAD
  const parallel: ParallelRun = parallelRun(previewer, writer, progress, { maxInFlight, perWorker })
  const warmUp: WarmUp = { lines: [], chars: 0 }
  let pool: WorkerPool | undefined
  let failure: string | undefined

  /** Answers one chunk's lines in this thread or through the workers, starting them when due. */
  const answerChunk = async (complete: ReadonlyArray<string>): Promise<boolean> => {
    failure = pool?.failure()?.message
    if (failure === undefined && pool !== undefined && !pool.isReady() && options.waitForWorkers === true) failure = await failureOf(pool.ready)
    if (failure !== undefined) return false
    if (pool !== undefined && pool.isReady()) return parallel.dispatch(pool, complete)
    const going = await answerHere(previewer, writer, progress, complete, pool === undefined && jobs > 1 ? warmUp : undefined)
    if (going && pool === undefined && jobs > 1 && options.source !== undefined && progress.lineNumber >= parallelAfter) {
      pool = (options.startPool ?? startPool)(jobs - 1, options.source, warmUp.lines.splice(0).join("\n"))
    }
    return going
  }

  try {
    let going = true
    for await (const chunk of input as AsyncIterable<string | Buffer>) {
      going = await answerChunk(split.push(chunk))
      if (!going) break
    }
    if (going) going = await answerChunk(split.end())
    if (going) await parallel.drain()
  } catch {
    // A failing input stream: stop here, keeping what was written.
  } finally {
    input.off("error", onInputError)
    writer.close()
    if (pool !== undefined) await pool.close()
  }
  failure ??= parallel.failure()
  if (writer.broken() || failure !== undefined) input.destroy()
  const stats = pool === undefined ? {} : { parallel: { workers: pool.size, batches: parallel.batches(), peakInFlight: parallel.peakInFlight(), maxInFlight } }
  return { lines: progress.lines, failed: progress.failed, aborted: writer.broken(), ...stats, ...(failure === undefined ? {} : { failure }) }
}
