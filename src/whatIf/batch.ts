/**
 * A batch of what-if input lines answered at once, in this thread or in a worker: the output
 * lines (one per non-blank input line) and the summary of just those lines, to be merged in input
 * order ({@link mergeSummary}) into exactly the summary of one thread.
 *
 * @example
 * const answer = answerBatch(input, '{"customer":{"id":"cus_1"}}\n', 1)
 * answer.text // '{"customerId":"cus_1",…}\n'
 */
import type { WhatIfInput } from "./customer.ts"
import { lineOf } from "./stream.ts"
import { addLine, makeSummary, type SummaryAccumulator } from "./summary.ts"

/** A batch's answer: its output text (each line ending in `\n`) and its partial summary. @example answer.summary.customers */
export interface BatchAnswer {
  readonly text: string
  readonly summary: SummaryAccumulator
}

/** Where lines end, as `readline` splits them: `\r\n`, `\n` or a lone `\r`. */
const LINE_END = /\r\n|\n|\r/

/**
 * Answers the lines of `text` (cut after a line end, or the input's end), the first being line
 * number `first` of the whole input; blank lines count but are not answered.
 *
 * @example answerBatch(input, lines.join("\n"), 1).summary.customers
 */
export const answerBatch = (input: WhatIfInput, text: string, first: number): BatchAnswer => {
  const summary = makeSummary()
  const lines = text.split(LINE_END)
  // A batch cut after a line end has an empty last piece, which is no line.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop()
  let out = ""
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ""
    if (line.trim() === "") continue
    const answer = lineOf(input, line, first + i)
    addLine(summary, answer)
    out += JSON.stringify(answer) + "\n"
  }
  return { text: out, summary }
}

/**
 * The lines of a batch of bytes: its line ends (a `\r\n` counting once), plus one when it does
 * not end with one — the number the next batch's first line follows.
 *
 * @example linesIn(Buffer.from("a\r\nb\rc\n")) // 3
 */
export const linesIn = (bytes: Uint8Array): number => {
  let n = 0
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++
  for (let i = bytes.indexOf(0x0d); i >= 0; i = bytes.indexOf(0x0d, i + 1)) if (bytes[i + 1] !== 0x0a) n++
  const last = bytes[bytes.length - 1]
  return bytes.length > 0 && last !== 0x0a && last !== 0x0d ? n + 1 : n
}
