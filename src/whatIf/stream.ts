/**
 * The what-if over a stream of customers: one JSON line out per line in (blank lines skipped),
 * then the summary line. Memory stays flat in the number of customers: lines are handled one at
 * a time, output is written in bounded chunks (waiting when the reader is slower), and the
 * summary keeps totals, counts and a bounded top-K.
 *
 * @example const summary = await runWhatIf(input, readline.createInterface({ input: process.stdin }), process.stdout)
 */
import { once } from "node:events"
import type { Writable } from "node:stream"
import { type WhatIfInput, type WhatIfLine, whatIfCustomer } from "./customer.ts"
import { addLine, makeSummary, summaryOf, type WhatIfSummary } from "./summary.ts"

const CHUNK = 64 * 1024

const parseLine = (text: string, n: number): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly line: WhatIfLine } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (cause) {
    const message = `line ${n}: invalid JSON: ${cause instanceof Error ? cause.message : String(cause)}`
    return { ok: false, line: { customerId: null, error: { _tag: "DecodeError", message, path: "(document)" } } }
  }
}

/**
 * One line's output, never throwing: a defect of the engine becomes a `Defect` error line.
 *
 * @example lineOf(input, '{"customer":{"id":"cus_1"}}', 1)
 */
export const lineOf = (input: WhatIfInput, text: string, n: number): WhatIfLine => {
  const parsed = parseLine(text, n)
  if (!parsed.ok) return parsed.line
  try {
    return whatIfCustomer(input, parsed.value)
  } catch (cause) {
    return { customerId: null, error: { _tag: "Defect", message: `line ${n}: internal error: ${cause instanceof Error ? cause.message : String(cause)}` } }
  }
}

/**
 * Runs the what-if over `lines`, writing to `out`; resolves with the summary (also written, last).
 *
 * @example await runWhatIf(input, ["{\"customer\":{\"id\":\"cus_1\"}}"], process.stdout)
 */
export const runWhatIf = async (input: WhatIfInput, lines: AsyncIterable<string> | Iterable<string>, out: Writable): Promise<WhatIfSummary> => {
  const acc = makeSummary()
  let buffer = ""
  const flush = async (): Promise<void> => {
    if (buffer === "") return
    const ok = out.write(buffer)
    buffer = ""
    if (!ok) await once(out, "drain")
  }
  let n = 0
  for await (const text of lines) {
    n++
    if (text.trim() === "") continue
    const line = lineOf(input, text, n)
    addLine(acc, line)
    buffer += JSON.stringify(line) + "\n"
    if (buffer.length >= CHUNK) await flush()
  }
  const summary = summaryOf(acc)
  buffer += JSON.stringify({ summary }) + "\n"
  await flush()
  return summary
}
