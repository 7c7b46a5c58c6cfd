/**
 * Runs every conformance case (test/conformance/cases, byte-identical copies of the shared cases)
 * through the two paths a user takes: the library (`previewDocument`, and `previewAttach` for the
 * Effect form) and the command line (`preview --jsonl`, one process for all cases).
 */
import { readdirSync, readFileSync } from "node:fs"
import * as Effect from "effect/Effect"
import { beforeAll, describe, expect, it } from "vitest"
import { previewAttach, previewDocument } from "../../src/index.ts"
import { itEffect } from "../support/itEffect.ts"
import { formatMismatches, partialMatch } from "../support/partialMatch.ts"
import { outputLines, runCli } from "../support/runCli.ts"

interface Case {
  readonly file: string
  readonly name: string
  readonly input: unknown
  readonly expect: unknown
}

const dir = new URL("./cases/", import.meta.url)

const cases: ReadonlyArray<Case> = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => {
    const json = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as { name: string; input: unknown; expect: unknown }
    return { file, name: json.name, input: json.input, expect: json.expect }
  })

const check = (c: Case, actual: unknown): void => {
  const mismatches = partialMatch(c.expect, actual)
  if (mismatches.length > 0) {
    expect.fail(`${c.name}: ${mismatches.length} mismatch(es)\n${formatMismatches(mismatches)}\n\ngot: ${JSON.stringify(actual).slice(0, 2000)}`)
  }
}

it("has conformance cases to run", () => {
  expect(cases.length).toBeGreaterThanOrEqual(13)
})

describe("conformance: previewDocument", () => {
  for (const c of cases) {
    it(c.file, () => {
      check(c, JSON.parse(JSON.stringify(previewDocument(c.input))))
    })
  }
})

describe("conformance: CLI preview --jsonl", () => {
  let lines: Array<string> = []
  let stderr = ""
  beforeAll(async () => {
    const run = await runCli(["preview", "--jsonl"], cases.map((c) => JSON.stringify(c.input)).join("\n") + "\n", "npx")
    lines = outputLines(run.stdout)
    stderr = run.stderr
    expect(run.code).toBe(0)
  }, 120_000)

  it("answers one line per case", () => {
    expect(lines.length, stderr).toBe(cases.length)
  })

  cases.forEach((c, i) => {
    it(c.file, () => {
      const line = lines[i]
      expect(line, `no output line for case ${i + 1}; stderr: ${stderr}`).toBeDefined()
      check(c, JSON.parse(line ?? "null"))
    })
  })
})

describe("conformance: previewAttach (Effect)", () => {
  const unknownPlan = cases.find((c) => c.file.startsWith("12-"))
  itEffect("case 12: previewAttach fails with UnknownPlan", () =>
    Effect.gen(function* () {
      expect(unknownPlan).toBeDefined()
      const error = yield* Effect.flip(previewAttach(unknownPlan?.input))
      expect(error._tag).toBe("UnknownPlan")
    }))
})
