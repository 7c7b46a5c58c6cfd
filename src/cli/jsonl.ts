/**
 * Streaming JSON Lines previews (SPEC §14 `preview --jsonl`): one document per input line, one
 * preview or error document per output line, in order. Input is read line by line and output is
 * written with back-pressure, so memory stays bounded whatever the number of lines; a bad line
 * yields an error line and never stops the stream.
 *
 * @example
 * const stats = await runJsonl(process.stdin, process.stdout, documentPreviewer)
 * // { lines: 3, failed: 1, aborted: false }
 */
import type { Readable, Writable } from "node:stream"
import { createInterface } from "node:readline"
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
 * Previews every line of `input` onto `output`. Never rejects: an input stream error ends the
 * run (the lines read so far are answered); an output error (e.g. EPIPE) aborts it.
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
  const reader = createInterface({ input, crlfDelay: Infinity, terminal: false })
  let lineNumber = 0
  try {
    for await (const line of reader) {
      lineNumber++
      const result = previewLine(previewer, lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, lineNumber)
      if (result === undefined) continue
      lines++
      if (result.failed) failed++
      if (broken || output.destroyed) break
      if (!output.write(result.json + "\n") && !(await drained(output))) {
        broken = true
        break
      }
    }
  } catch {
    // A failing input stream: stop here, keeping what was written.
  } finally {
    reader.close()
    input.off("error", onInputError)
    output.off("error", onOutputError)
  }
  if (broken) input.destroy()
  return { lines, failed, aborted: broken }
}
