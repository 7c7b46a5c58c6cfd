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
import { isErrorDocument, parseJson, type Previewer, previewParsed, toJson } from "./documents.ts"
import { type BatchAnswer, startPool, type WorkerPool, type WorkerSource } from "./jsonlPool.ts"

/** What a run did. `aborted` is true when the output went away (a closed pipe) before the end. */
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
 * The output line of one input line (without the newline). Blank lines have none (`undefined`).
 *
 * @example previewLine(documentPreviewer, "not json", 1) // '{"error":{"_tag":"DecodeError","message":"line 1: invalid JSON: …",…}}'
 */
export const previewLine = (previewer: Previewer, line: string, lineNumber: number): { readonly json: string; readonly failed: boolean } | undefined => {
  if (line.trim() === "") return undefined
  const parsed = parseJson(line, `line ${lineNumber}`)
  const output = parsed.ok ? previewParsed(previewer, parsed.value) : parsed.error
  return { json: toJson(output), failed: isErrorDocument(output) }
}

/** Resolves when `output` can take more data, or has failed or closed (then `false`). */
const drained = (output: Writable): Promise<boolean> =>
  new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      output.off("drain", onDrain)
      output.off("error", onEnd)
      output.off("close", onEnd)
      resolve(ok)
    }
    const onDrain = done(true)
    const onEnd = done(false)
    output.on("drain", onDrain)
    output.on("error", onEnd)
    output.on("close", onEnd)
  })

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
 * Output lines are written together, one `write` per batch rather than per line, UTF-8 encoded
 * straight into a fresh 64 KiB buffer: per-line writes pay a system call and a small buffer each,
 * and one large string would pay for an extra copy. A batch holds at most `BATCH_LINES` lines so
 * that a slow reader still paces the reading.
 */
const BATCH_LINES = 32
const BATCH_BYTES = 64 * 1024
/** A UTF-16 code unit takes at most 3 bytes in UTF-8. */
const MAX_BYTES_PER_UNIT = 3

/**
 * Answers a batch of lines (joined by `\n`, the first numbered `first`) in one string: the output
 * line of each non-blank line followed by `\n`, exactly as {@link runJsonl} writes them. A worker
 * of a parallel run calls this on each batch.
 *
 * @example answerBatch(documentPreviewer, "\nnot json", 4) // { text: '{"error":…"line 5: invalid JSON: …"…}\n', lines: 1, failed: 1 }
 */
export const answerBatch = (previewer: Previewer, text: string, first: number): { readonly text: string; readonly lines: number; readonly failed: number } => {
  let out = ""
  let lines = 0
  let failed = 0
  let lineNumber = first
  let start = 0
  for (;;) {
    const end = text.indexOf("\n", start)
    const line = end === -1 ? text.slice(start) : text.slice(start, end)
    const result = previewLine(previewer, lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, lineNumber)
    if (result !== undefined) {
      lines++
      if (result.failed) failed++
      out += result.json + "\n"
    }
    if (end === -1) break
    start = end + 1
    lineNumber++
  }
  return { text: out, lines, failed }
}

/** How a run may use worker threads. Without `source` (or with `jobs` 1) every line is answered in this thread. */
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
 */
export const PARALLEL_AFTER = 10_000
/** Batches handed to a worker and not yet answered: one to work on, one queued behind it. */
export const IN_FLIGHT_PER_WORKER = 2
/**
 * Batches this thread may answer ahead of the oldest unanswered one. A worker that has just
 * started runs cold code for its first batches, several times slower; with too few, this thread
 * would wait for it. 16 batches are at most a few megabytes of output.
 */
export const OWN_AHEAD = 16
/**
 * A worker first answers (and throws away) up to this many of the lines answered here, at most
 * this many UTF-16 units: a worker's first batches would otherwise run unoptimised code several
 * times slower, and this thread would wait for them. It does so while this thread goes on alone.
 */
const WARM_UP_LINES = 1500
const WARM_UP_CHARS = 1024 * 1024
/** A batch holds at most this many lines, or this many UTF-16 code units (a huge line goes alone). */
const WORKER_BATCH_LINES = 256
const WORKER_BATCH_CHARS = 256 * 1024

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
  let lines = 0
  let failed = 0
  let broken = false
  const onOutputError = (): void => {
    broken = true
  }
  output.on("error", onOutputError)
  // Input errors end the iteration; they must not become unhandled 'error' events.
  const onInputError = (): void => {}
  input.on("error", onInputError)
  const split = lineSplitter()
  let lineNumber = 0
  let batch = Buffer.allocUnsafe(BATCH_BYTES)
  let used = 0
  let batchLines = 0
  /** Writes one chunk; false when the run must stop (the output failed or went away). */
  const send = async (chunk: Uint8Array | string): Promise<boolean> => {
    if (broken || output.destroyed) return false
    if (!output.write(chunk) && !(await drained(output))) {
      broken = true
      return false
    }
    return true
  }
  const flush = async (): Promise<boolean> => {
    if (used === 0) return !(broken || output.destroyed)
    const chunk = batch.subarray(0, used)
    batch = Buffer.allocUnsafe(BATCH_BYTES)
    used = 0
    batchLines = 0
    return send(chunk)
  }
  /** Queues one output line, flushing first when it might not fit; false when the run must stop. */
  const emit = async (json: string): Promise<boolean> => {
    const room = MAX_BYTES_PER_UNIT * json.length + 1
    if (used + room > BATCH_BYTES && !(await flush())) return false
    if (room > BATCH_BYTES) return send(`${json}\n`)
    used += batch.write(json, used)
    batch[used++] = 0x0a
    batchLines++
    return batchLines < BATCH_LINES || flush()
  }
  /** Lines the workers answer (and throw away) while they start, taken from the lines answered here. */
  const warmUp: Array<string> = []
  let warmUpChars = 0
  /** Answers lines, then writes what is queued; false when the run must stop. */
  const answerAll = async (complete: ReadonlyArray<string>): Promise<boolean> => {
    for (const line of complete) {
      if (warmUp.length < WARM_UP_LINES && warmUpChars + line.length <= WARM_UP_CHARS && pool === undefined && jobs > 1) {
        warmUp.push(line)
        warmUpChars += line.length + 1
      }
      lineNumber++
      const result = previewLine(previewer, lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, lineNumber)
      if (result === undefined) continue
      lines++
      if (result.failed) failed++
      if (!(await emit(result.json))) return false
    }
    return flush()
  }

  const jobs = options.source === undefined ? 1 : Math.max(1, Math.floor(options.jobs ?? 1))
  const parallelAfter = options.parallelAfter ?? PARALLEL_AFTER
  const perWorker = Math.max(1, options.inFlightPerWorker ?? IN_FLIGHT_PER_WORKER)
  /**
   * Batches handed out and not yet written, at most: the workers' share plus {@link OWN_AHEAD}
   * answered here, so that this thread keeps planning while the oldest batch is with a worker.
   */
  const maxInFlight = (jobs - 1) * perWorker + OWN_AHEAD
  let pool: WorkerPool | undefined
  let failure: string | undefined
  let batches = 0
  let peakInFlight = 0
  /** Answers of batches not yet written, oldest first. */
  const inFlight: Array<{ readonly answer: Promise<BatchAnswer>; settled: boolean }> = []
  /** Writes the oldest answer; false when the run must stop. */
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
    lines += answer.lines
    failed += answer.failed
    return send(answer.bytes)
  }
  /**
   * Hands one batch to a worker when one has room, else answers it here: this thread plans too,
   * whenever the workers are busy, so no core idles and no second copy of the warmed-up code is
   * needed for its share.
   */
  const submit = async (parallel: WorkerPool, first: number, text: string): Promise<boolean> => {
    while (inFlight.length >= maxInFlight) if (!(await writeOldest())) return false
    let entry: { readonly answer: Promise<BatchAnswer>; settled: boolean }
    if (parallel.pending() < parallel.size * perWorker) {
      const sent = { answer: parallel.submit(first, text), settled: false }
      sent.answer.then(
        () => (sent.settled = true),
        () => (sent.settled = true)
      )
      entry = sent
    } else {
      const answer = answerBatch(previewer, text, first)
      entry = { answer: Promise.resolve({ bytes: Buffer.from(answer.text, "utf8"), lines: answer.lines, failed: answer.failed }), settled: true }
    }
    inFlight.push(entry)
    batches++
    if (inFlight.length > peakInFlight) peakInFlight = inFlight.length
    return true
  }
  /** Cuts lines into batches, hands them out, then writes the answers that are already in. */
  const dispatch = async (parallel: WorkerPool, complete: ReadonlyArray<string>): Promise<boolean> => {
    let i = 0
    while (i < complete.length) {
      const first = lineNumber + 1
      let chars = 0
      let j = i
      while (j < complete.length && j - i < WORKER_BATCH_LINES && (j === i || chars + (complete[j]?.length ?? 0) <= WORKER_BATCH_CHARS)) {
        chars += (complete[j]?.length ?? 0) + 1
        j++
      }
      const text = j === i + 1 ? (complete[i] ?? "") : complete.slice(i, j).join("\n")
      lineNumber += j - i
      i = j
      if (!(await submit(parallel, first, text))) return false
      while (inFlight[0]?.settled === true) if (!(await writeOldest())) return false
    }
    return true
  }
  /** Answers one chunk's lines in this thread or through the workers, starting them when due. */
  const answerChunk = async (complete: ReadonlyArray<string>): Promise<boolean> => {
    const broke = pool?.failure()
    if (broke !== undefined) {
      failure = broke.message
      return false
    }
    if (pool !== undefined && !pool.isReady() && options.waitForWorkers === true) {
      try {
        await pool.ready
      } catch (cause) {
        failure = cause instanceof Error ? cause.message : String(cause)
        return false
      }
    }
    if (pool !== undefined && pool.isReady()) return dispatch(pool, complete)
    const going = await answerAll(complete)
    if (going && pool === undefined && jobs > 1 && options.source !== undefined && lineNumber >= parallelAfter) pool = (options.startPool ?? startPool)(jobs - 1, options.source, warmUp.splice(0).join("\n"))
    return going
  }

  try {
    let going = true
    for await (const chunk of input as AsyncIterable<string | Buffer>) {
      going = await answerChunk(split.push(chunk))
      if (!going) break
    }
    if (going) going = await answerChunk(split.end())
    while (going && inFlight.length > 0) going = await writeOldest()
  } catch {
    // A failing input stream: stop here, keeping what was written.
  } finally {
    input.off("error", onInputError)
    output.off("error", onOutputError)
    if (pool !== undefined) await pool.close()
  }
  if (broken || failure !== undefined) input.destroy()
  const parallel = pool === undefined ? {} : { parallel: { workers: pool.size, batches, peakInFlight, maxInFlight } }
  return { lines, failed, aborted: broken, ...parallel, ...(failure === undefined ? {} : { failure }) }
}
