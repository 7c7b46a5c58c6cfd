/**
 * Streaming JSON Lines previews (SPEC §14 `preview --jsonl`): one document per input line, one
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

/** What a run did. `aborted` is true when the output went away (a closed pipe) before the end. */
export interface JsonlStats {
  readonly lines: number
  readonly failed: number
  readonly aborted: boolean
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
 * Previews every line of `input` onto `output`. Never rejects: an input stream error ends the
 * run (the lines read so far are answered); an output error (e.g. EPIPE) aborts it. Lines are
 * answered one input chunk at a time, and their output lines written in batches.
 *
 * @example await runJsonl(Readable.from(["{}\n"]), process.stdout, documentPreviewer)
 */
export const runJsonl = async (input: Readable, output: Writable, previewer: Previewer): Promise<JsonlStats> => {
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
  const send = async (chunk: Buffer | string): Promise<boolean> => {
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
  /** Answers lines, then writes what is queued; false when the run must stop. */
  const answerAll = async (complete: ReadonlyArray<string>): Promise<boolean> => {
    for (const line of complete) {
      lineNumber++
      const result = previewLine(previewer, lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, lineNumber)
      if (result === undefined) continue
      lines++
      if (result.failed) failed++
      if (!(await emit(result.json))) return false
    }
    return flush()
  }
  try {
    let going = true
    for await (const chunk of input as AsyncIterable<string | Buffer>) {
      going = await answerAll(split.push(chunk))
      if (!going) break
    }
    if (going) await answerAll(split.end())
  } catch {
    // A failing input stream: stop here, keeping what was written.
  } finally {
    input.off("error", onInputError)
    output.off("error", onOutputError)
  }
  if (broken) input.destroy()
  return { lines, failed, aborted: broken }
}
