/**
 * `timeline FILE --cycles N [--format table|json]` (issue #15) through the real command line:
 * the JSON is the library's timeline, the table shows the same invoices and events, errors are
 * error documents (exit 1) and usage errors exit 2.
 */
import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { previewTimelineSync } from "../../src/timeline/preview.ts"
import { catalog, customer, doc, monthly, request, subscription } from "../support/build.ts"
import { runCli } from "../support/runCli.ts"

const downgrade = doc(catalog([monthly("lite", "10"), monthly("premium", "50")]), customer([subscription("premium", "2025-01-01T00:00:00Z")]), request("2025-01-16T00:00:00Z", "lite"))

const file = async (value: unknown): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "timeline-cli-"))
  const path = join(dir, "doc.json")
  await writeFile(path, JSON.stringify(value))
  return path
}

describe("attach-planner timeline", () => {
  it("prints the library's timeline as JSON", async () => {
    const run = await runCli(["timeline", await file(downgrade), "--cycles", "2"])
    expect(run.code).toBe(0)
    const expected = previewTimelineSync(downgrade, { cycles: 2 })
    expect(Result.isSuccess(expected) && JSON.parse(run.stdout)).toEqual(Result.isSuccess(expected) ? JSON.parse(JSON.stringify(expected.success)) : undefined)
  }, 30_000)

  it("prints a table: the $0 invoice today, lite replacing premium on Feb 1, $10.00 renewals", async () => {
    const run = await runCli(["timeline", await file(downgrade), "--cycles=2", "--format", "table"])
    expect(run.code).toBe(0)
    const rows = run.stdout.split("\n").filter((l) => /^\w{3} \d/.test(l)).map((l) => l.split(/\s{2,}/))
    expect(rows).toEqual([
      ["Jan 16, 2025", "—", "invoice today: nothing to bill", "$0.00", "$0.00"],
      ["Feb 1, 2025", "—", "renewal: lite", "$10.00", "$10.00"],
      ["Feb 1, 2025", "—", "lite replaces premium"],
      ["Mar 1, 2025", "—", "renewal: lite", "$10.00", "$10.00"]
    ])
  }, 30_000)

  it("a bad document is an error document with exit 1; bad arguments exit 2", async () => {
    const bad = await runCli(["timeline", await file({ ...downgrade, request: { at: "x" } }), "--cycles", "2"])
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { _tag: "DecodeError" } })
    const tooMany = await runCli(["timeline", await file(downgrade), "--cycles", "121"])
    expect(tooMany.code).toBe(1)
    expect(JSON.parse(tooMany.stdout)).toMatchObject({ error: { _tag: "TimelineOptionError", path: "options.cycles" } })
    const usage = await runCli(["timeline", "x.json"])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain("timeline needs --cycles N")
  }, 30_000)
})
