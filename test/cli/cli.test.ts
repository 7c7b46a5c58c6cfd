/**
 * The command line, spawned as a user runs it (`npx tsx src/cli/main.ts …`), on the examples.
 */
import { readFileSync } from "node:fs"
import { beforeAll, describe, expect, it } from "vitest"
import { outputLines, runCli, spawnCli } from "../support/runCli.ts"

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8")
const compact = (name: string): string => JSON.stringify(JSON.parse(example(name)))

const parse = (line: string | undefined): Record<string, unknown> => JSON.parse(line ?? "null") as Record<string, unknown>
const errorTag = (doc: Record<string, unknown>): unknown => (doc["error"] as Record<string, unknown> | undefined)?.["_tag"]

describe.concurrent("preview FILE", () => {
  it("prints the preview document of examples/new.json and exits 0", async () => {
    const run = await runCli(["preview", "examples/new.json"])
    expect(run.stdout).toContain("\n")
    const doc = parse(run.stdout)
    expect(doc["error"], run.stdout).toBeUndefined()
    expect(run.code).toBe(0)
    expect(doc).toMatchObject({ customerId: "cus_new", currency: "usd", scenario: "new", total: 2000, amountDue: 2000 })
  })

  it("--format table prints a readable invoice with formatted amounts", async () => {
    const run = await runCli(["preview", "examples/upgrade.json", "--format", "table"])
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toMatch(/^Customer\s+cus_upgrade$/m)
    expect(run.stdout).toMatch(/Scenario\s+upgrade/)
    expect(run.stdout).toMatch(/-\$10\.32/)
    expect(run.stdout).toMatch(/\$25\.81/)
    expect(run.stdout).toMatch(/Jan 16 – Feb 1, 2025/)
    expect(run.stdout).toMatch(/Amount due\s+\$/)
    expect(run.stdout).toMatch(/Next cycle — starts Feb 1, 2025/)
  })

  it("exits 1 with an error document for a missing file", async () => {
    const run = await runCli(["preview", "examples/does-not-exist.json"])
    expect(run.code).toBe(1)
    const doc = parse(run.stdout)
    expect(doc).toMatchObject({ error: { _tag: "DecodeError", path: "(document)" } })
    expect(String((doc["error"] as Record<string, unknown>)["message"])).toContain("does-not-exist.json")
  })

  it("exits 1 with an error document for invalid JSON and for a bad document, also with --format table", async () => {
    const invalid = await runCli(["preview", "examples/customers.jsonl"])
    expect(invalid.code).toBe(1)
    expect(parse(invalid.stdout)).toMatchObject({ error: { _tag: "DecodeError", path: "(document)" } })
    const bad = await runCli(["preview", "examples/catalog.json", "--format", "table"])
    expect(bad.code).toBe(1)
    expect(parse(bad.stdout)).toMatchObject({ error: { _tag: "DecodeError", path: "catalog" } })
  })

  it("reads the document from standard input with FILE -", async () => {
    const run = await runCli(["preview", "-"], "{not json")
    expect(run.code).toBe(1)
    expect(parse(run.stdout)).toMatchObject({ error: { _tag: "DecodeError" } })
  })
})

describe.concurrent("usage", () => {
  it("help prints the usage on stderr and exits 0", async () => {
    const run = await runCli(["help"])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain("preview --jsonl")
  })

  it("an unknown command, no command or a bad option exits 2 with the usage on stderr", async () => {
    const runs = await Promise.all([runCli(["frobnicate"]), runCli([]), runCli(["preview", "--format", "xml", "x.json"])])
    for (const run of runs) {
      expect(run.code).toBe(2)
      expect(run.stdout).toBe("")
      expect(run.stderr).toContain("Usage: attach-planner")
    }
    expect(runs[0]?.stderr).toContain("unknown command \"frobnicate\"")
  })
})

/** Three good documents among bad and blank lines: six non-blank lines answer, the good ones at 0, 3 and 5. */
const mixedJsonl = (): string => [
  compact("new.json"),
  "{ this is not json",
  "",
  JSON.stringify({ catalog: { defaultCurrency: "usd", features: [], plans: [] }, customer: { id: "c" } }),
  "   ",
  compact("upgrade.json"),
  "[1,2,3]",
  compact("downgrade.json")
].join("\n")

/** One run over the mixed input, read by both tests. */
const mixedInputRun = () => {
  let lines: Array<string> = []
  let code: number | null = null
  beforeAll(async () => {
    const run = await runCli(["preview", "--jsonl"], mixedJsonl())
    lines = outputLines(run.stdout)
    code = run.code
  })

  it("writes one compact line per non-blank input line, in order, and exits 0 despite bad lines", () => {
    expect(code).toBe(0)
    expect(lines).toHaveLength(6)
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
    expect(errorTag(parse(lines[1]))).toBe("DecodeError")
    expect(parse(lines[1])).toMatchObject({ error: { path: "(document)" } })
    expect(String((parse(lines[1])["error"] as Record<string, unknown>)["message"])).toContain("line 2")
    expect(parse(lines[2])).toMatchObject({ error: { _tag: "DecodeError", path: "request" } })
    expect(errorTag(parse(lines[4]))).toBe("DecodeError")
  })

  it("previews the good lines", () => {
    expect(parse(lines[0])).toMatchObject({ customerId: "cus_new", scenario: "new" })
    expect(parse(lines[3])).toMatchObject({ customerId: "cus_upgrade", scenario: "upgrade" })
    expect(parse(lines[5])).toMatchObject({ customerId: "cus_downgrade", scenario: "downgrade" })
  })
}

/** Runs of their own: an answer before the input ends, and a line far too long. */
const streamingRuns = () => {
  it("streams: answers a line before standard input is closed", async () => {
    const child = spawnCli(["preview", "--jsonl"])
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve))
    const first = new Promise<string | undefined>((resolve) => {
      let buffered = ""
      child.stdout.on("data", (b: Buffer) => {
        buffered += b.toString("utf8")
        const nl = buffered.indexOf("\n")
        if (nl >= 0) resolve(buffered.slice(0, nl))
      })
      void closed.then(() => resolve(undefined))
    })
    child.stdin.write("not json\n")
    const line = await first
    expect(line, "the CLI ended without answering").toBeDefined()
    expect(errorTag(parse(line))).toBe("DecodeError")
    child.stdin.end()
    expect(await closed).toBe(0)
  })

  it("survives a 10 MB line and carries on", async () => {
    const huge = JSON.stringify({ catalog: { defaultCurrency: "usd", features: [], plans: [] }, customer: { id: "x".repeat(10 * 1024 * 1024) } })
    const run = await runCli(["preview", "--jsonl"], `${huge}\n{"a":\n${compact("new.json")}\n`)
    const out = outputLines(run.stdout)
    expect(run.code).toBe(0)
    expect(out).toHaveLength(3)
    expect(errorTag(parse(out[0]))).toBe("DecodeError")
    expect(errorTag(parse(out[1]))).toBe("DecodeError")
    expect(out[0]?.length).toBeLessThan(10_000)
  })
}

describe("preview --jsonl", () => {
  describe("a mixed input", mixedInputRun)
  describe("streaming and long lines", streamingRuns)
})

describe.concurrent("preview --catalog CATALOG --jsonl", () => {
  it("previews { customer, request } lines against the catalog, one output line per input line", async () => {
    const input = example("customers.jsonl")
    const run = await runCli(["preview", "--catalog", "examples/catalog.json", "--jsonl"], input)
    expect(run.code).toBe(0)
    const inputs = outputLines(input)
    const out = outputLines(run.stdout).map((l) => parse(l))
    expect(out).toHaveLength(inputs.length)
    out.forEach((doc, i) => {
      const line = JSON.parse(inputs[i] ?? "null") as { customer: { id: string } }
      if (line.customer.id === "cus_typo") expect(errorTag(doc)).toBe("DecodeError")
      else expect(doc, JSON.stringify(doc)).toMatchObject({ customerId: line.customer.id })
    })
  })

  it("reports decode errors of a line with their path", async () => {
    const run = await runCli(["preview", "--catalog", "examples/catalog.json", "--jsonl"], '{"customer":{"id":"c"},"request":{"customerId":"c","at":"yesterday","plans":[{"planId":"pro"}]}}\n')
    expect(parse(outputLines(run.stdout)[0])).toMatchObject({ error: { _tag: "DecodeError", path: "request.at" } })
  })

  it("exits 1 with the error document when the catalog is bad or missing", async () => {
    const [bad, missing] = await Promise.all([
      runCli(["preview", "--catalog", "examples/new.json", "--jsonl"], ""),
      runCli(["preview", "--catalog", "examples/nope.json", "--jsonl"], "")
    ])
    expect(bad.code).toBe(1)
    expect(errorTag(parse(bad.stdout))).toBe("DecodeError")
    expect(missing.code).toBe(1)
    expect(parse(missing.stdout)).toMatchObject({ error: { _tag: "DecodeError", path: "(document)" } })
  })
})
