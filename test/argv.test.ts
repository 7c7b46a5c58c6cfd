/** The command line's one argument parser (src/cli/internal/argv.ts, over `node:util` parseArgs). */
import { describe, expect, it } from "vitest"
import { parseAdvanceArgs } from "../src/cli/advance.ts"
import { onePositional, parseArgv } from "../src/cli/internal/argv.ts"

const SPEC = { state: "string", format: "string", jsonl: "boolean", help: "boolean" } as const

describe("parseArgv", () => {
  it("reads --name value, --name=value, flags, -h and positionals in any order; the last repeat wins", () => {
    const argv = parseArgv(["a.json", "--state", "s.json", "--format=table", "--jsonl", "-", "--format", "json", "-h"], SPEC)
    expect(argv).toEqual({ values: new Map([["--state", "s.json"], ["--format", "json"]]), flags: new Set(["--jsonl", "--help"]), positionals: ["a.json", "-"] })
  })

  it("takes - as a value and everything after -- as positionals", () => {
    expect(parseArgv(["--state", "-", "--", "--jsonl"], SPEC)).toEqual({ values: new Map([["--state", "-"]]), flags: new Set(), positionals: ["--jsonl"] })
  })

  it("names the first problem: an unknown option as written, a missing or empty value, a value given to a flag", () => {
    expect(parseArgv(["a.json", "--bogus=1", "--state"], SPEC)).toBe('unknown option "--bogus=1"')
    expect(parseArgv(["-x"], SPEC)).toBe('unknown option "-x"')
    expect(parseArgv(["--state"], SPEC)).toBe("--state expects a value")
    expect(parseArgv(["--state="], SPEC)).toBe("--state expects a value")
    expect(parseArgv(["--state", "--jsonl"], SPEC)).toBe("--state expects a value")
    expect(parseArgv(["--jsonl=yes"], SPEC)).toBe("--jsonl takes no value")
    expect(parseArgv(["--format"], SPEC, (o) => `${o}: json or table`)).toBe("--format: json or table")
  })

  it("does not take an inherited property for an option", () => {
    expect(parseArgv(["--toString"], SPEC)).toBe('unknown option "--toString"')
  })
})

describe("onePositional", () => {
  it("answers the file, none, or a usage error for two", () => {
    expect(onePositional("attach", ["a.json"])).toEqual({ file: "a.json" })
    expect(onePositional("attach", [])).toEqual({ file: undefined })
    expect(onePositional("attach", ["a.json", "b.json"])).toBe('attach takes one FILE, got "a.json" and "b.json"')
  })
})

describe("parseAdvanceArgs (attach … advance, on the same parser)", () => {
  it("reads its options in both forms around the word advance", () => {
    expect(parseAdvanceArgs(["--state", "s.json", "advance", "--to=2025-04-01", "--catalog", "c.json", "--format", "table"])).toEqual({
      state: "s.json", to: "2025-04-01", catalog: "c.json", customer: undefined, from: undefined, trialEndWithoutCard: "cancel", format: "table"
    })
  })

  it("names the first problem: a FILE, an unknown option, an option taken for a value, a missing option, a bad choice", () => {
    expect(parseAdvanceArgs(["advance", "x.json"])).toBe('advance takes no FILE, got "x.json"')
    expect(parseAdvanceArgs(["advance", "--until=2025"])).toBe('unknown option "--until=2025"')
    expect(parseAdvanceArgs(["advance", "--state", "s.json", "--to", "--catalog", "c.json"])).toBe("--to expects a value")
    expect(parseAdvanceArgs(["advance", "--state", "s.json", "--catalog", "c.json"])).toBe("advance needs --to DATE")
    expect(parseAdvanceArgs(["advance", "--state", "s", "--to", "2025-04-01", "--catalog", "c", "--trial-end-without-card", "keep"])).toBe('--trial-end-without-card expects "cancel" or "checkout", got "keep"')
  })
})
