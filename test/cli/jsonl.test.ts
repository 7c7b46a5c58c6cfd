/**
 * The streaming core of `preview --jsonl`, in process: order, blank lines, bad lines, defects,
 * back-pressure from a slow reader, and a reader that goes away.
 */
import { Readable, Writable } from "node:stream"
import { describe, expect, it } from "vitest"
import type { Output, Previewer } from "../../src/cli/documents.ts"
import { previewLine, runJsonl } from "../../src/cli/jsonl.ts"

/** A stand-in previewer: echoes `{ n }` documents as a fake preview, rejects anything else. */
const echo: Previewer = (doc) => {
  if (typeof doc === "object" && doc !== null && "n" in doc) return { customerId: String(doc.n) } as unknown as Output
  return { error: { _tag: "DecodeError", message: "not an echo document", path: "(document)" } }
}

/** A writable that takes `delayMs` per chunk, with a tiny buffer, so back-pressure kicks in. */
const slowSink = (delayMs: number, chunks: Array<string>): Writable =>
  new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString("utf8"))
      if (delayMs === 0) setImmediate(done)
      else setTimeout(done, delayMs)
    }
  })

describe("previewLine", () => {
  it("skips blank lines and turns invalid JSON into a DecodeError naming the line", () => {
    expect(previewLine(echo, "   ", 3)).toBeUndefined()
    const bad = previewLine(echo, "{nope", 7)
    expect(bad?.failed).toBe(true)
    expect(JSON.parse(bad?.json ?? "null")).toMatchObject({ error: { _tag: "DecodeError", path: "(document)" } })
    expect(bad?.json).toContain("line 7: invalid JSON")
    expect(bad?.json).not.toContain("\n")
  })

  it("turns a throwing previewer into a Defect error line", () => {
    const boom: Previewer = () => {
      throw new Error("boom")
    }
    const out = previewLine(boom, "{}", 1)
    expect(out?.failed).toBe(true)
    expect(JSON.parse(out?.json ?? "null")).toMatchObject({ error: { _tag: "Defect" } })
  })
})

describe("runJsonl", () => {
  it("answers every non-blank line in order, through back-pressure", async () => {
    const n = 2000
    const input = Array.from({ length: n }, (_, i) => (i % 100 === 50 ? "oops" : i % 100 === 70 ? "" : JSON.stringify({ n: i }))).join("\r\n")
    const chunks: Array<string> = []
    const stats = await runJsonl(Readable.from([input]), slowSink(0, chunks), echo)
    const lines = chunks.join("").split("\n").filter((l) => l !== "")
    expect(stats).toEqual({ lines: n - 20, failed: 20, aborted: false })
    expect(lines).toHaveLength(n - 20)
    const expected = Array.from({ length: n }, (_, i) => i).filter((i) => i % 100 !== 70)
    lines.forEach((line, k) => {
      const i = expected[k] ?? -1
      const doc = JSON.parse(line) as Record<string, unknown>
      if (i % 100 === 50) expect(doc).toMatchObject({ error: { _tag: "DecodeError" } })
      else expect(doc).toEqual({ customerId: String(i) })
    })
  })

  it("does not read ahead of a slow reader without bound", async () => {
    let produced = 0
    const total = 50_000
    const input = new Readable({
      read() {
        if (produced >= total) return void this.push(null)
        produced++
        this.push(`{"n":${produced}}\n`)
      }
    })
    const chunks: Array<string> = []
    const sink = slowSink(1, chunks)
    const run = runJsonl(input, sink, echo)
    await new Promise((r) => setTimeout(r, 200))
    // After 200 ms at ~1 ms per written line, the reader must not have slurped the whole input.
    expect(produced).toBeLessThan(total)
    input.destroy()
    sink.destroy()
    await run
  })

  it("stops when the output goes away", async () => {
    const input = Readable.from(Array.from({ length: 1000 }, (_, i) => `{"n":${i}}\n`))
    let writes = 0
    const sink = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, done) {
        writes++
        if (writes === 10) done(Object.assign(new Error("EPIPE"), { code: "EPIPE" }))
        else done()
      }
    })
    const stats = await runJsonl(input, sink, echo)
    expect(stats.aborted).toBe(true)
    expect(stats.lines).toBeLessThan(1000)
  })
})
