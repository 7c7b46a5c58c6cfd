/**
 * The answer of `--jsonl` input lines: one output line (a preview or an error document) per
 * non-blank input line, exactly as a run writes them, in this thread or a worker.
 *
 * @example answerBatch(documentPreviewer, "{}\n\nnot json", 1).lines // 2
 */
import { isErrorDocument, parseJson, type Previewer, previewParsed, toJson } from "../documents.ts"

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

/** The first size of a batch's output buffer, which doubles whenever a line would not fit. */
const FIRST_BATCH_BYTES = 64 * 1024
/** A UTF-16 code unit takes at most 3 bytes in UTF-8. */
const MAX_BYTES_PER_UNIT = 3

/** `bytes` with room for `room` more bytes after the first `used`. */
const grown = (bytes: Buffer, used: number, room: number): Buffer => {
  const next = Buffer.allocUnsafeSlow(Math.max(2 * bytes.length, used + room))
  bytes.copy(next, 0, 0, used)
  return next
}

/**
 * Answers a batch of lines (joined by `\n`, the first numbered `first`) as UTF-8 bytes: the output
 * line of each non-blank line followed by `\n`, exactly as {@link runJsonl} writes them. A worker
 * of a parallel run calls this on each batch. Each line is encoded into the buffer as it is
 * answered: joining a batch's lines into one string first and encoding that costs more than the
 * encoding itself (the joined string must be flattened, and previews are two-byte strings).
 *
 * @example answerBatch(documentPreviewer, "\nnot json", 4) // { bytes: <'{"error":…"line 5: invalid JSON: …"…}\n'>, lines: 1, failed: 1 }
 */
export const answerBatch = (previewer: Previewer, text: string, first: number): { readonly bytes: Buffer; readonly lines: number; readonly failed: number } => {
  let bytes: Buffer = Buffer.allocUnsafeSlow(FIRST_BATCH_BYTES)
  let used = 0
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
      const room = MAX_BYTES_PER_UNIT * result.json.length + 1
      if (used + room > bytes.length) bytes = grown(bytes, used, room)
      used += bytes.write(result.json, used)
      bytes[used++] = 0x0a
    }
    if (end === -1) break
    start = end + 1
    lineNumber++
  }
  return { bytes: bytes.subarray(0, used), lines, failed }
}
