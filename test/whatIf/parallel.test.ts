/**
 * The what-if on worker threads (issue #15): the output and the summary are byte for byte those
 * of one thread, on a base with invalid, blank, CRLF- and CR-ended lines, a BOM, customers in two
 * currencies, ties among the largest movers and failing migrations; the partial summaries of
 * consecutive batches merge into exactly the summary of one accumulator (property); a slow reader
 * paces the run (bounded batches in flight); a failing worker stops it instead of a hang; and the
 * command line with --jobs 1 and --jobs 2.
 */
import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { Readable, Writable } from "node:stream"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { answerBatch, linesIn } from "../../src/whatIf/batch.ts"
import type { WhatIfInput } from "../../src/whatIf/customer.ts"
import { OWN_AHEAD, runWhatIfStream } from "../../src/whatIf/parallel.ts"
import { pacedStreams } from "../support/pacedStreams.ts"
import type { WhatIfSetup } from "../../src/whatIf/pool.ts"
import { runWhatIf } from "../../src/whatIf/stream.ts"
import { makeSummary, mergeSummary, summaryOf } from "../../src/whatIf/summary.ts"
import { subscription } from "../support/build.ts"
import { decoded } from "../support/run.ts"
import { AT, FROM, TO } from "./priceRise.ts"
import { runCli } from "../support/runCli.ts"

const MIGRATE: ReadonlyArray<readonly [string, string]> = [["pro", "pro_2025"], ["lite", "gold"]]
const input: WhatIfInput = { from: decoded(FROM), to: decoded(TO), at: AT, migrate: new Map(MIGRATE), cycles: 2 }
const setup: WhatIfSetup = { from: FROM, to: TO, at: AT, migrate: MIGRATE, cycles: 2 }

/** Customer `i`: plans, currencies and anchors in turn, so that many share a change (ties among movers). */
const customerLine = (i: number): string => {
  const plans = [["pro"], ["annual"], ["lite"], ["pro", "annual"], []][i % 5] ?? []
  const day = String(1 + (i % 7)).padStart(2, "0")
  const subs = plans.map((p, j) => subscription(p, `2024-12-${day}T00:00:00Z`, { id: `s${j}`, ...(i % 11 === 0 ? { discounts: [{ discountId: "M2", appliedAt: "2025-01-01T00:00:00Z" }] } : {}) }))
  return JSON.stringify({ customer: { id: `cus_${i}`, hasPaymentMethod: true, ...(i % 6 === 0 ? { currency: "eur" } : {}), subscriptions: subs } })
}

/** A base with invalid, blank, whitespace-only, CRLF- and CR-ended lines, a BOM first and no newline at the end. */
const base = (n: number): string => {
  const parts: Array<string> = ["\ufeff"]
  for (let i = 0; i < n; i++) {
    const line = i % 97 === 13 ? "{not json" : i % 89 === 7 ? "" : i % 83 === 5 ? "   " : i % 71 === 3 ? '{"customer":1}' : customerLine(i)
    parts.push(line, i % 5 === 0 ? "\r\n" : i % 31 === 0 ? "\r" : "\n")
  }
  parts.push(customerLine(n))
  return parts.join("")
}

const sink = (): { readonly out: Writable; readonly text: () => string } => {
  const chunks: Array<Buffer> = []
  return {
    out: new Writable({ write: (c: Buffer, _e, done) => { chunks.push(Buffer.from(c)); done() } }),
    text: () => Buffer.concat(chunks).toString("utf8")
  }
}

/** Splits `text` into chunks of `size` bytes (lines cut anywhere). */
const chunksOf = (text: string, size: number): Array<Buffer> => {
  const bytes = Buffer.from(text, "utf8")
  const out: Array<Buffer> = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

describe("what-if --jobs, in process", () => {
  const text = base(900)

  it("answers like one thread (and like the line-by-line stream) with two workers", async () => {
    const lines = sink()
    const expected = await runWhatIf(input, createInterface({ input: Readable.from(chunksOf(text, 1000)), crlfDelay: Number.POSITIVE_INFINITY }), lines.out)
    const one = sink()
    const single = await runWhatIfStream(input, undefined, Readable.from(chunksOf(text, 4096)), one.out, { batchBytes: 3000 })
    const three = sink()
    const parallel = await runWhatIfStream(input, setup, Readable.from(chunksOf(text, 4096)), three.out, { jobs: 2, parallelAfter: 0, batchBytes: 3000 })
    expect(one.text()).toBe(lines.text())
    expect(three.text()).toBe(one.text())
    expect(parallel.failure).toBeUndefined()
    expect(parallel.workerBatches).toBeGreaterThan(10)
    expect(single.workerBatches).toBe(0)
    expect(parallel.summary).toEqual(expected)
    // the base exercises what the merge must get right
    expect(expected.errors).toBeGreaterThan(20)
    expect(expected.failedMigrations.count).toBeGreaterThan(20)
    expect(Object.keys(expected.byCurrency)).toEqual(["eur", "usd"])
    expect(expected.largestMovers["usd"]?.length).toBe(10)
  }, 120_000)

  it("keeps a bounded number of batches in flight while a slow reader paces it", async () => {
    const total = 1200
    const paced = pacedStreams(total, (i) => `${customerLine(i)}\n`, { highWaterMark: 256, delayMs: 1 })
    const run = await runWhatIfStream(input, setup, paced.input, paced.sink, { jobs: 2, parallelAfter: 0, perWorker: 2, batchBytes: 2000 })
    expect(run.failure).toBeUndefined()
    expect(run.summary.customers).toBe(total)
    expect(run.workerBatches).toBeGreaterThan(5)
    // at most jobs × perWorker + OWN_AHEAD batches of ~2,000 bytes (~15 lines) wait, plus what the streams buffer
    const perBatch = Math.ceil(2000 / 120) + 1
    expect(paced.mostAhead()).toBeLessThan((2 * 2 + OWN_AHEAD + 2) * perBatch + 40)
  }, 120_000)

  it("a failing worker stops the run with the reason, after the answers before its batch", async () => {
    const out = sink()
    const run = await runWhatIfStream(input, { ...setup, fault: "throw" }, Readable.from(chunksOf(base(300), 2048)), out.out, { jobs: 2, parallelAfter: 0, batchBytes: 1000 })
    expect(run.failure).toContain("fault injected")
    expect(out.text()).not.toContain('"summary"')
  }, 60_000)
})

describe("partial summaries (property)", () => {
  it("merging the summaries of consecutive batches, in order, gives the summary of one accumulator", () => {
    const answered = answerBatch(input, Array.from({ length: 120 }, (_, i) => (i % 17 === 4 ? "{bad" : customerLine(i))).join("\n"), 1)
    expect(answered.text.trimEnd().split("\n").length).toBe(120)
    expect(answered.summary.errors).toBeGreaterThan(8)
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 120 }), { maxLength: 6 }), (cuts) => {
      const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), 120]
      const lines = Array.from({ length: 120 }, (_, i) => (i % 17 === 4 ? "{bad" : customerLine(i)))
      const acc = makeSummary()
      for (let k = 0; k + 1 < bounds.length; k++) {
        const from = bounds[k] ?? 0
        const to = bounds[k + 1] ?? 0
        mergeSummary(acc, answerBatch(input, lines.slice(from, to).join("\n"), from + 1).summary)
      }
      expect(summaryOf(acc)).toEqual(summaryOf(answered.summary))
    }), { seed: 15, numRuns: 40 })
  })

  it("counts lines as readline does: CRLF once, a lone CR, a last line without its end", () => {
    expect(linesIn(Buffer.from("a\r\nb\rc\n"))).toBe(3)
    expect(linesIn(Buffer.from("a\nb"))).toBe(2)
    expect(linesIn(Buffer.from(""))).toBe(0)
    expect(answerBatch(input, "\n{oops\r\n", 7).text).toContain("line 8: invalid JSON")
  })
})

describe("attach-planner what-if --jobs", () => {
  it("prints the same bytes with --jobs 1 and --jobs 2; a bad --jobs is a usage error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "what-if-jobs-"))
    await writeFile(join(dir, "from.json"), JSON.stringify(FROM))
    await writeFile(join(dir, "to.json"), JSON.stringify(TO))
    const args = ["what-if", "--from", join(dir, "from.json"), "--to", join(dir, "to.json"), "--at", "2025-01-16T00:00:00Z", "--cycles", "2", "--migrate", "pro=pro_2025", "--migrate", "lite=gold"]
    const stdin = base(700)
    const [one, two] = await Promise.all([runCli([...args, "--jobs", "1"], stdin), runCli([...args, "--jobs", "2", "--parallel-after", "0"], stdin)])
    expect(one.code).toBe(0)
    expect(two.stderr).toBe("")
    expect(two.code).toBe(0)
    expect(two.stdout).toBe(one.stdout)
    expect(one.stdout).toContain('"summary"')
    const bad = await runCli([...args, "--jobs", "0"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--jobs")
  }, 120_000)
})
