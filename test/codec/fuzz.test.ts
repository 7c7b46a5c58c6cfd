/**
 * Fuzzing: the decoder, the planner and the JSONL CLI are fed random and mutated documents.
 * Every input must yield a preview or a tagged error document — never a throw, a crash or a hang.
 * Runs are bounded in count and time; seeds are fixed and printed by fast-check on failure.
 */
import * as fc from "fast-check"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { previewDocument } from "../../src/index.ts"
import { runCli } from "../support/runCli.ts"

const TAGS = ["DecodeError", "UnknownPlan", "UnknownFeature", "UnknownDiscount", "CurrencyMismatch", "InvalidRequest"]
const MONEY_FIELDS = ["subtotal", "discountTotal", "total", "creditApplied", "amountDue"] as const

const base: unknown = JSON.parse(readFileSync(new URL("../../examples/upgrade.json", import.meta.url), "utf8"))

/** Checks one engine answer: a preview with integer money, or an error document with a known tag. */
const expectWellFormed = (out: unknown): void => {
  expect(typeof out).toBe("object")
  const o = out as Record<string, unknown>
  if ("error" in o) {
    const e = o["error"] as Record<string, unknown>
    expect(TAGS).toContain(e["_tag"])
    expect(typeof e["message"]).toBe("string")
    return
  }
  for (const f of MONEY_FIELDS) expect(Number.isSafeInteger(o[f])).toBe(true)
  const lines = o["lines"] as ReadonlyArray<{ amount: number; total: number }>
  expect(lines.reduce((s, l) => s + l.total, 0)).toBe(o["total"])
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** The paths of every value inside a JSON document. */
const pathsOf = (value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> => {
  out.push(prefix)
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out))
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out)
  return out
}

/** A copy of `doc` with the value at `path` replaced (or deleted when `replacement` is undefined). */
const mutate = (doc: unknown, path: ReadonlyArray<string | number>, replacement: Json | undefined): unknown => {
  if (path.length === 0) return replacement ?? null
  const copy: unknown = structuredClone(doc)
  let node = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path[path.length - 1] as string | number
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1)
    else delete node[last]
  } else node[last] = replacement
  return copy
}

const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, -0.5, 1e308, -1e308, 2 ** 53 + 2, 1e-12, "", "twenty", "inf", "NaN", "1e400", "-5", [], {}),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom<Json>("2025-02-30T00:00:00Z", "2025-01-16", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ünïcødé_plan", "9".repeat(40)),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>
)

const allPaths = pathsOf(base)

describe("fuzzing the decoder and planner", () => {
  it("mutated documents yield a preview or a tagged error", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(allPaths.length - 1), fc.option(nasty, { nil: undefined })), { minLength: 1, maxLength: 4 }), (edits) => {
        let doc = base
        for (const [i, value] of edits) {
          const path = allPaths[i] ?? []
          try {
            doc = mutate(doc, path, value)
          } catch {
            // the path vanished under an earlier edit; skip this edit
          }
        }
        expectWellFormed(previewDocument(doc))
      }),
      { seed: 20251123, numRuns: 400, interruptAfterTimeLimit: 20_000 }
    )
  })

  it("random JSON values yield a tagged error", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const out = previewDocument(value) as { error?: { _tag: string } }
        expect(out.error?._tag).toBe("DecodeError")
      }),
      { seed: 7, numRuns: 300, interruptAfterTimeLimit: 10_000 }
    )
  })

  it("deep nesting and huge strings in any field are errors, not crashes", () => {
    let deep: Json = []
    for (let i = 0; i < 50_000; i++) deep = [deep]
    const huge = "x".repeat(2_000_000)
    for (const value of [deep, huge, { [huge]: 1 }]) {
      for (const path of [["catalog", "plans", 0, "id"], ["request", "at"], ["customer"], ["request", "checkoutSessionParams"]]) {
        expectWellFormed(previewDocument(mutate(base, path, value)))
      }
    }
  })
})

describe("fuzzing the JSONL command line", () => {
  it("answers every line, in order, with a preview or an error, including a 10 MB line", async () => {
    const good = JSON.stringify(base)
    const sample = fc.sample(fc.jsonValue({ maxDepth: 3 }), { seed: 99, numRuns: 150 }).map((v) => JSON.stringify(v))
    const tenMegabytes = JSON.stringify(mutate(base, ["request", "successUrl"], "u".repeat(10 * 1024 * 1024)))
    const lines = [good, ...sample, "{not json", tenMegabytes, "[".repeat(10_000) + "]".repeat(10_000), good]
    const { code, stdout } = await runCli(["preview", "--jsonl"], lines.join("\n") + "\n")
    expect(code).toBe(0)
    const out = stdout.split("\n").filter((l) => l.trim() !== "")
    const nonBlank = lines.filter((l) => l.trim() !== "")
    expect(out.length).toBe(nonBlank.length)
    out.forEach((line) => expectWellFormed(JSON.parse(line)))
    expect((JSON.parse(out[0] as string) as { scenario: string }).scenario).toBe("upgrade")
    expect((JSON.parse(out[out.length - 1] as string) as { scenario: string }).scenario).toBe("upgrade")
  }, 120_000)
})
