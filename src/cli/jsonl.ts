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
 * Output lines are written together, one `write` per batch rather than per line (a `write` to a
 * file or pipe is a system call), in batches of at most this many lines or characters. The line
 * cap keeps reading paced by a slow reader.
 */
const BATCH_LINES = 32
const BATCH_CHARACTERS = 64 * 1024

/**
 * Previews every line of `input` onto `output`. Never rejects: an input stream error ends the
 * run (the lines read so far are answered); an output error (e.g. EPIPE) aborts it. Lines are
 * answered one input chunk at a time, and their output lines written together.
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
  let batch = ""
  let batchLines = 0
  const answer = (line: string): void => {
    lineNumber++
    const result = previewLine(previewer, lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, lineNumber)
    if (result === undefined) return
    lines++
    if (result.failed) failed++
    batch += result.json + "\n"
    batchLines++
  }
  /** Writes the batch; false when the run must stop (the output failed or went away). */
  const flush = async (): Promise<boolean> => {
    if (broken || output.destroyed) return false
    if (batch === "") return true
    const chunk = batch
    batch = ""
    batchLines = 0
    if (!output.write(chunk) && !(await drained(output))) {
      broken = true
      return false
    }
    return true
  }
  /** Answers lines, flushing whenever the batch is full; false when the run must stop. */
  const answerAll = async (complete: ReadonlyArray<string>): Promise<boolean> => {
    for (const line of complete) {
      answer(line)
      if ((batchLines >= BATCH_LINES || batch.length >= BATCH_CHARACTERS) && !(await flush())) return false
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
