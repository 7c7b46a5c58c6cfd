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
