/**
 * `npm run bench`: core planning speed on pre-decoded inputs for a mix of scenarios.
 * Speed is measured here, never asserted in tests.
 */
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import { decodeAttachDocument, planAttach, type AttachInput } from "../src/index.ts"

const examples = ["new", "upgrade", "downgrade", "prepaid-tiers"]
const inputs: Array<AttachInput> = []
for (const name of examples) {
  const r = decodeAttachDocument(JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), "utf8")))
  if (Result.isSuccess(r)) inputs.push(r.success)
  else console.error(`skipping examples/${name}.json: ${r.failure.message}`)
}

const measure = (label: string, input: AttachInput): { label: string; perSecond: number; microseconds: number } => {
  for (let i = 0; i < 2_000; i++) planAttach(input)
  const n = 20_000
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) planAttach(input)
  const ns = Number(process.hrtime.bigint() - start)
  return { label, perSecond: Math.round((n / ns) * 1e9), microseconds: ns / n / 1000 }
}

const rows = inputs.map((input, i) => measure(examples[i] ?? `#${i}`, input))
console.log(`node ${process.version}, ${process.arch}`)
console.log("scenario".padEnd(16) + "previews/s".padStart(14) + "µs/preview".padStart(14))
for (const r of rows) console.log(r.label.padEnd(16) + String(r.perSecond).padStart(14) + r.microseconds.toFixed(2).padStart(14))
