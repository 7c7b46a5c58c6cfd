/**
 * `pricing FILE [--format table|json]` through the real command line (issue #16 part 4): the
 * bundled example's table is the README's block byte for byte, the JSON is the library's table,
 * and bad input / usage errors exit 1 / 2 like `preview`.
 *
 * examples/pricing.json: a customer on Pro ($20 a month since Jan 1 2025, card on file), priced
 * on Jan 16 2025 — 16 of January's 31 days are left.
 */
import { readFileSync } from "node:fs"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { parsePricingArgs } from "../../src/cli/pricing.ts"
import { previewPricingTableSync } from "../../src/index.ts"
import { root, runCli } from "../support/runCli.ts"

const EXAMPLE = "examples/pricing.json"
const example = (): unknown => JSON.parse(readFileSync(`${root}${EXAMPLE}`, "utf8"))

/** The README's ```text block that follows the `pricing examples/pricing.json` command. */
const readmeBlock = (): string => {
  const readme = readFileSync(`${root}README.md`, "utf8")
  const command = readme.indexOf(`npm run --silent cli -- pricing ${EXAMPLE}\n`)
  const open = readme.indexOf("```text\n", command)
  const close = readme.indexOf("\n```\n", open)
  expect(command).toBeGreaterThan(0)
  expect(open).toBeGreaterThan(command)
  return readme.slice(open + "```text\n".length, close + 1)
}

describe("pricing FILE", () => {
  it("prints the table the README shows, byte for byte (exit 0)", async () => {
    const run = await runCli(["pricing", EXAMPLE])
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(readmeBlock())
    const rows = run.stdout.split("\n").filter((l) => l.startsWith("  ") && !l.startsWith("  Plan"))
    // premium: 50 × 16/31 = 25.806 → $25.81, less pro's unused 20 × 16/31 = 10.323 → $10.32: $15.49.
    expect(rows.find((r) => r.startsWith("  premium "))).toMatch(/upgrade +\$15\.49 +\$50\.00 \/ month \+ usage +Feb 1, 2025 +replaces pro$/)
    // The add-on joins pro's cycle: 15 × 16/31 = 7.742 → $7.74 today, $15.00 from Feb 1.
    expect(rows.find((r) => r.startsWith("  priority_support "))).toMatch(/buy +\$7\.74 +\$15\.00 \/ month +Feb 1, 2025$/)
    // The trial: nothing today, 14 days from Jan 16 end on Jan 30, when $120.00 is billed.
    expect(rows.find((r) => r.startsWith("  business "))).toMatch(/trial +\$0\.00 +\$120\.00 \/ month +Jan 30, 2025 +replaces pro; 14-day trial, no card needed, ends Jan 30, 2025$/)
    expect(rows.find((r) => r.startsWith("  free "))).toMatch(/downgrade +\$0\.00 +— +— +starts Feb 1, 2025; replaces pro$/)
    expect(rows.find((r) => r.startsWith("  onboarding "))).toMatch(/add-on, one-off +buy +\$99\.00 +— +—$/)
    expect(rows.map((r) => r.trim().split(" ")[0])).toEqual(["free", "pro", "premium", "business", "priority_support", "onboarding"])
  })

  it("--format json prints the library's table document; FILE - reads standard input", async () => {
    const run = await runCli(["pricing", "-", "--format", "json"], readFileSync(`${root}${EXAMPLE}`, "utf8"))
    expect(run.code).toBe(0)
    const table = previewPricingTableSync(example())
    if (Result.isFailure(table)) throw new Error(table.failure.message)
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(table.success)))
    const byId = new Map(table.success.plans.map((p) => [p.planId, p]))
    expect(byId.get("premium")).toMatchObject({ action: "upgrade", amountDueToday: 1549, recurring: { amount: 5000, currency: "usd" } })
    expect(byId.get("priority_support")).toMatchObject({ action: "buy", amountDueToday: 774, nextCycleAt: "2025-02-01T00:00:00.000Z" })
    expect(byId.get("onboarding")).toMatchObject({ action: "buy", kind: "one_off", amountDueToday: 9900, recurring: null })
    expect(byId.get("business")).toMatchObject({ action: "trial", trialAvailable: true, trialEndsAt: "2025-01-30T00:00:00.000Z", amountDueToday: 0 })
    expect(byId.get("pro")).toMatchObject({ action: "current", held: { status: "active", canceling: false, trialing: false } })
  })

  it("a bad document exits 1 with the error document naming the field on standard output", async () => {
    const document = { ...(example() as Record<string, unknown>), at: "mid-January" }
    const run = await runCli(["pricing", "-"], JSON.stringify(document))
    expect(run.code).toBe(1)
    const out = JSON.parse(run.stdout) as { error: { _tag: string; path: string; message: string } }
    expect(out.error._tag).toBe("DecodeError")
    expect(out.error.path).toBe("at")
    expect(out.error.message).toContain("mid-January")
  })

  it("an unreadable file exits 1 with an error document", async () => {
    const run = await runCli(["pricing", "examples/no-such-file.json"])
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { _tag: "DecodeError", path: "(document)" } })
    expect(JSON.parse(run.stdout).error.message).toContain("cannot read examples/no-such-file.json")
  })

  it("a usage error exits 2 with the usage on standard error and nothing on standard output", async () => {
    const run = await runCli(["pricing", EXAMPLE, "--format", "csv"])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain('--format expects "table" or "json", got "csv"')
    expect(run.stderr).toContain("Usage: attach-planner pricing FILE [--format table|json]")
  })
})

describe("parsePricingArgs", () => {
  it("reads FILE and --format (default table), and names what is wrong", () => {
    expect(parsePricingArgs([EXAMPLE])).toEqual({ file: EXAMPLE, format: "table" })
    expect(parsePricingArgs(["--format=json", "-"])).toEqual({ file: "-", format: "json" })
    expect(parsePricingArgs(["--help"])).toBe("help")
    expect(parsePricingArgs([])).toBe("pricing needs a FILE")
    expect(parsePricingArgs(["a.json", "b.json"])).toBe('pricing takes one FILE, got "a.json" and "b.json"')
    expect(parsePricingArgs(["a.json", "--catalog", "c.json"])).toBe('unknown option "--catalog"')
    expect(parsePricingArgs(["a.json", "--format"])).toBe('--format expects "table" or "json", got nothing')
  })
})
