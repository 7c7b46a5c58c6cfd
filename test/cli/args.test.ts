import { describe, expect, it } from "vitest"
import { parseArgs } from "../../src/cli/args.ts"

describe("parseArgs", () => {
  it("parses preview FILE with the json format by default", () => {
    expect(parseArgs(["preview", "doc.json"])).toEqual({ _tag: "PreviewFile", file: "doc.json", format: "json", catalog: undefined })
    expect(parseArgs(["preview", "--format", "table", "doc.json"])).toEqual({ _tag: "PreviewFile", file: "doc.json", format: "table", catalog: undefined })
    expect(parseArgs(["preview", "doc.json", "--format=table"])).toEqual({ _tag: "PreviewFile", file: "doc.json", format: "table", catalog: undefined })
    expect(parseArgs(["preview", "-"])).toEqual({ _tag: "PreviewFile", file: "-", format: "json", catalog: undefined })
  })

  it("parses --jsonl with and without a catalog, in any order", () => {
    expect(parseArgs(["preview", "--jsonl"])).toEqual({ _tag: "PreviewJsonl", catalog: undefined })
    expect(parseArgs(["preview", "--catalog", "c.json", "--jsonl"])).toEqual({ _tag: "PreviewJsonl", catalog: "c.json" })
    expect(parseArgs(["preview", "--jsonl", "--catalog=c.json"])).toEqual({ _tag: "PreviewJsonl", catalog: "c.json" })
    expect(parseArgs(["preview", "--jsonl", "--format", "json"])).toEqual({ _tag: "PreviewJsonl", catalog: undefined })
    expect(parseArgs(["preview", "--catalog", "c.json", "doc.json"])).toEqual({ _tag: "PreviewFile", file: "doc.json", format: "json", catalog: "c.json" })
  })

  it("recognises help", () => {
    for (const argv of [["help"], ["--help"], ["-h"], ["preview", "--help"]]) expect(parseArgs(argv)).toEqual({ _tag: "Help" })
  })

  it("rejects what it does not understand with a usage error", () => {
    const usage = (argv: Array<string>): string => {
      const c = parseArgs(argv)
      if (c._tag !== "UsageError") throw new Error(`expected a usage error for ${argv.join(" ")}, got ${c._tag}`)
      return c.message
    }
    expect(usage([])).toBe("no command given")
    expect(usage(["frobnicate"])).toContain("unknown command")
    expect(usage(["preview"])).toContain("needs a FILE")
    expect(usage(["preview", "a.json", "b.json"])).toContain("one FILE")
    expect(usage(["preview", "--format", "xml", "a.json"])).toContain("--format")
    expect(usage(["preview", "a.json", "--format"])).toContain("--format")
    expect(usage(["preview", "--catalog"])).toContain("--catalog")
    expect(usage(["preview", "--catalog", "--jsonl"])).toContain("--catalog")
    expect(usage(["preview", "--jsonl", "a.json"])).toContain("standard input")
    expect(usage(["preview", "--jsonl", "--format", "table"])).toContain("table")
    expect(usage(["preview", "--verbose", "a.json"])).toContain("unknown option")
    expect(usage(["preview", "--jsonl=yes"])).toContain("no value")
  })
})
