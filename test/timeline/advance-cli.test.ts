/**
 * `attach --state STATE.json advance --to DATE` (issue #15) through the real command line: the
 * clock starts at the customer's last attach, renewals are charged in the stored sandbox, and a
 * second advance carries on from the first.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { catalog, customer, doc, monthly, request } from "../support/build.ts"
import { runCli } from "../support/runCli.ts"

const attachDoc = doc(catalog([monthly("lite", "10"), monthly("premium", "50")]), customer([]), request("2025-01-01T00:00:00Z", "premium"))

describe("attach-planner attach --state … advance --to DATE", () => {
  it("charges $50 on Feb 1 and Mar 1, then Apr 1 on a second advance; the clock is kept in the state file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "advance-cli-"))
    const file = join(dir, "doc.json")
    const state = join(dir, "state.json")
    await writeFile(file, JSON.stringify(attachDoc))
    const attached = await runCli(["attach", file, "--state", state])
    expect(attached.code).toBe(0)
    const first = await runCli(["attach", "--state", state, "advance", "--to", "2025-03-01", "--catalog", file])
    expect(first.stderr).toBe("")
    expect(first.code).toBe(0)
    const r = JSON.parse(first.stdout) as { at: string; invoices: Array<{ at: string; total: number; outcome: string }> }
    expect(r.at).toBe("2025-03-01T00:00:00.000Z")
    expect(r.invoices.map((i) => [i.at, i.total, i.outcome])).toEqual([["2025-02-01T00:00:00.000Z", 5000, "paid"], ["2025-03-01T00:00:00.000Z", 5000, "paid"]])
    const second = await runCli(["attach", "--state", state, "advance", "--to=2025-04-01T00:00:00Z", "--catalog", file, "--format", "table"])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/Renewal\s+Apr 1, 2025\s+\$50\.00\s+paid/)
    expect(second.stdout).not.toContain("Mar 1")
    const saved = JSON.parse(await readFile(state, "utf8")) as { provider: { clocks: unknown; charges: Array<{ amount: number }> } }
    expect(saved.provider.clocks).toEqual([{ customerId: "cus_1", at: "2025-04-01T00:00:00.000Z" }])
    expect(saved.provider.charges.map((c) => c.amount)).toEqual([5000, 5000, 5000, 5000])
    const back = await runCli(["attach", "--state", state, "advance", "--to", "2025-01-15", "--catalog", file])
    expect(back.code).toBe(1)
    expect(JSON.parse(back.stdout)).toMatchObject({ error: { _tag: "TimelineOptionError", path: "to" } })
    const usage = await runCli(["attach", "--state", state, "advance", "--catalog", file])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain("advance needs --to DATE")
  }, 60_000)
})
