/**
 * `preview --jsonl` on worker threads (`--jobs`): the output is byte for byte the output of one
 * thread, in order, on a corpus with valid, invalid, blank, CRLF and huge lines; a slow reader
 * paces the run (a bounded number of batches in flight); a failing worker ends the run after the
 * answers written so far instead of a hang.
 */
import { readFileSync } from "node:fs"
import { Readable, Writable } from "node:stream"
import { describe, expect, it } from "vitest"
import { decodeCatalog } from "../../src/Document.ts"
import { parseArgs } from "../../src/cli/args.ts"
import { catalogPreviewer, type Previewer } from "../../src/cli/documents.ts"
import { OWN_AHEAD, runJsonl } from "../../src/cli/jsonl.ts"
import { startPool } from "../../src/cli/jsonlPool.ts"
import { pacedStreams } from "../support/pacedStreams.ts"
import { root, spawnCli } from "../support/runCli.ts"

const catalogFile = "examples/catalog.json"
const examples = readFileSync(`${root}examples/customers.jsonl`, "utf8").split("\n").filter((l) => l.trim() !== "")

/** Distinct valid `{ customer, request }` lines: the example customers renamed, planned a few days apart. */
const validLine = (i: number): string => {
  const base = examples[i % examples.length] ?? ""
  const day = String(1 + (i % 27)).padStart(2, "0")
  return base.replaceAll('"cus_', `"cus_${i}_`).replace(/"at":"2025-(\d\d)-\d\dT/, `"at":"2025-$1-${day}T`)
}

/** Valid lines with invalid, blank, whitespace-only, CRLF- and CR-ended and huge lines mixed in; a BOM first. */
const corpus = (n: number): string => {
  const parts: Array<string> = ["\ufeff"]
  for (let i = 0; i < n; i++) {
    const line = i % 97 === 13 ? "{not json" : i % 89 === 7 ? "" : i % 83 === 5 ? "   " : i % 71 === 3 ? '{"customer":1}' : validLine(i)
    const end = i % 5 === 0 ? "\r\n" : i % 31 === 0 ? "\r" : "\n"
    parts.push(line, end)
    if (i === 150) parts.push(`{"customer":{"id":"${"x".repeat(600_000)}"},"request":{}}`, "\n")
    if (i === 151) parts.push(`["${"é".repeat(300_000)}"`, "\r\n")
  }
  parts.push(validLine(n)) // no newline at the end
  return parts.join("")
}

interface Run {
  readonly code: number | null
  readonly stdout: Buffer
  readonly stderr: string
}

const run = (args: ReadonlyArray<string>, input: string): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawnCli(args)
    const out: Array<Buffer> = []
    const err: Array<Buffer> = []
    child.stdout.on("data", (b: Buffer) => out.push(b))
    child.stderr.on("data", (b: Buffer) => err.push(b))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }))
    child.stdin.on("error", () => {})
    child.stdin.end(input)
  })

const jsonl = (...extra: Array<string>): Array<string> => ["preview", "--catalog", catalogFile, "--jsonl", ...extra]

describe("preview --jsonl --jobs", () => {
  const input = corpus(1200)

  it("writes exactly the bytes of a single-threaded run, in order, with the main thread and one or two workers", async () => {
    const [one, two, three] = await Promise.all([
      run(jsonl("--jobs", "1"), input),
      run(jsonl("--jobs", "2", "--parallel-after", "10"), input),
      run(jsonl("--jobs", "3", "--parallel-after", "0"), input)
    ])
    expect(one.code).toBe(0)
    const lines = one.stdout.toString("utf8").split("\n")
    const answered = input.split(/\r\n|\r|\n/).filter((l) => l.trim() !== "").length
    expect(answered).toBeGreaterThan(1150)
    expect(lines.length - 1).toBe(answered) // the last "" follows the final newline
    expect(lines.filter((l) => l.includes('"DecodeError"')).length).toBeGreaterThan(25)
    expect(lines[0]).toContain('"customerId":"cus_0_new"')
    for (const other of [two, three]) {
      expect(other.stderr).toBe("")
      expect(other.code).toBe(0)
      expect(other.stdout.equals(one.stdout)).toBe(true)
    }
  }, 180_000)

})

/** The example catalog, as JSON (for workers) and as the previewer of this thread. */
const examplePreviewer = (): { readonly catalogJson: unknown; readonly previewer: Previewer } => {
  const catalogJson: unknown = JSON.parse(readFileSync(`${root}${catalogFile}`, "utf8"))
  const catalog = decodeCatalog(catalogJson)
  if (catalog._tag !== "Success") throw new Error("the example catalog must decode")
  return { catalogJson, previewer: catalogPreviewer(catalog.success) }
}

/** A writer that keeps every chunk it is given. */
const collect = (): { readonly sink: Writable; readonly bytes: () => Buffer } => {
  const got: Array<Buffer> = []
  return { sink: new Writable({ write: (c: Buffer, _e, done) => (got.push(c), done()) }), bytes: () => Buffer.concat(got) }
}

describe("runJsonl with workers, in process", () => {
  it("keeps at most jobs-bounded batches in flight while a slow reader paces it, and answers like one thread", async () => {
    const { catalogJson, previewer } = examplePreviewer()
    const total = 1500
    const lineAt = (i: number): string => `${i % 50 === 7 ? "oops" : validLine(i)}\n`
    // Single thread first: the expected bytes.
    const expected = collect()
    const single = await runJsonl(Readable.from(Array.from({ length: total }, (_, i) => lineAt(i))), expected.sink, previewer)
    const paced = pacedStreams(total, lineAt, { highWaterMark: 1024, delayMs: 2 })
    const stats = await runJsonl(paced.input, paced.sink, previewer, { jobs: 2, parallelAfter: 0, waitForWorkers: true, source: { hasCatalog: true, catalog: catalogJson } })
    expect(paced.bytes().equals(expected.bytes())).toBe(true)
    expect(stats).toMatchObject({ lines: total, failed: single.failed, aborted: false })
    expect(single.failed).toBeGreaterThanOrEqual(total / 50)
    const parallel = stats.parallel
    expect(parallel?.workers).toBe(1)
    expect(parallel?.batches).toBeGreaterThan(10)
    expect(parallel?.peakInFlight).toBeLessThanOrEqual(parallel?.maxInFlight ?? 0)
    expect(parallel?.maxInFlight).toBe(2 + OWN_AHEAD)
    // Read-ahead is bounded by the batches in flight and the streams' small buffers, not by the input.
    expect(paced.mostAhead()).toBeLessThan(200)
  }, 180_000)

  it("stops, after the answers written so far, when a worker fails", async () => {
    const { catalogJson, previewer } = examplePreviewer()
    const input = corpus(1200)
    const one = collect()
    await runJsonl(Readable.from([input]), one.sink, previewer)
    const failing = collect()
    const faulty: typeof startPool = (size, source, warmUp) => startPool(size, source, warmUp, "throw")
    const source = { hasCatalog: true as const, catalog: catalogJson }
    const stats = await runJsonl(Readable.from([input]), failing.sink, previewer, { jobs: 2, parallelAfter: 10, waitForWorkers: true, source, startPool: faulty })
    expect(stats.failure).toContain("fault injected")
    // What was written is a prefix of the real answer, cut at a line end.
    const written = failing.bytes()
    expect(written.length).toBeLessThan(one.bytes().length)
    expect(one.bytes().subarray(0, written.length).equals(written)).toBe(true)
    expect(written.length === 0 || written[written.length - 1] === 0x0a).toBe(true)
  }, 180_000)
})

describe("--jobs on the command line", () => {
  it("takes a number or auto, with --jsonl only", () => {
    expect(parseArgs(["preview", "--jsonl", "--jobs", "3"])).toEqual({ _tag: "PreviewJsonl", catalog: undefined, jobs: 3 })
    expect(parseArgs(["preview", "--jsonl", "--jobs=auto", "--catalog", "c.json"])).toEqual({ _tag: "PreviewJsonl", catalog: "c.json", jobs: "auto" })
    expect(parseArgs(["preview", "--jsonl", "--parallel-after", "0"])).toEqual({ _tag: "PreviewJsonl", catalog: undefined, parallelAfter: 0 })
    expect(parseArgs(["preview", "--jsonl"])).not.toHaveProperty("jobs")
    for (const bad of ["0", "-1", "two", "1.5", ""]) expect(parseArgs(["preview", "--jsonl", `--jobs=${bad}`])).toMatchObject({ _tag: "UsageError" })
    expect(parseArgs(["preview", "--jsonl", "--jobs"])).toMatchObject({ _tag: "UsageError" })
    expect(parseArgs(["preview", "doc.json", "--jobs", "2"])).toEqual({ _tag: "UsageError", message: "--jobs is only available with --jsonl" })
  })
})
