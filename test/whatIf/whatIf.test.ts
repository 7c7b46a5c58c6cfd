/**
 * The what-if over a customer base (issue #15): hand-computed monthly revenue under two catalogs
 * (a monthly plan, an annual one spread over 12 months, a repeating discount running out, a
 * trial), migrations with their previews and the ones that would fail (unknown plan, currency
 * mismatch), the summary; the property that the summary's totals are the sums of the customer
 * lines; and the command line.
 */
import { Writable } from "node:stream"
import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type CustomerLine, type WhatIfInput, type WhatIfLine, whatIfCustomer } from "../../src/whatIf/customer.ts"
import { runWhatIf } from "../../src/whatIf/stream.ts"
import { bucketOf, type WhatIfSummary } from "../../src/whatIf/summary.ts"
import { JAN1, type Obj, customer, subscription } from "../support/build.ts"
import { decoded } from "../support/run.ts"
import { AT, FROM, TO } from "./priceRise.ts"
import { outputLines, runCli } from "../support/runCli.ts"

const input = (migrate: ReadonlyArray<readonly [string, string]> = [], cycles = 1): WhatIfInput =>
  ({ from: decoded(FROM), to: decoded(TO), at: AT, migrate: new Map(migrate), cycles })
/** The line of customer `id` in a customer base. */
const baseLine = (id: string, subscriptions: ReadonlyArray<Obj>, extra: Obj = {}): Obj => ({ customer: customer(subscriptions, { id, ...extra }) })
const line = (l: WhatIfLine): CustomerLine => {
  if ("error" in l) throw new Error(`expected a customer line, got ${l.error._tag}: ${l.error.message}`)
  return l
}

describe("what-if per customer, hand-computed", () => {
  it("pro $20 → $25 a month: 2000 → 2500, +500", () => {
    expect(whatIfCustomer(input(), baseLine("c1", [subscription("pro", JAN1)]))).toEqual({ customerId: "c1", currency: "usd", monthlyBefore: 2000, monthlyAfter: 2500, change: 500 })
  })
  it("annual $120 → $180 a year is $10 → $15 a month", () => {
    expect(line(whatIfCustomer(input(), baseLine("c2", [subscription("annual", JAN1)])))).toMatchObject({ monthlyBefore: 1000, monthlyAfter: 1500, change: 500 })
  })
  it("50% off for 2 months from Jan 1, over 3 cycles: (1000 + 2000 + 2000) / 3 = 1666.67 → 1667 before, (1250 + 2500 + 2500) / 3 = 2083.33 → 2083 after", () => {
    const c = baseLine("c3", [subscription("pro", JAN1, { discounts: [{ discountId: "M2", appliedAt: JAN1 }] })])
    // renewals Feb 1 (50% off), Mar 1 (the discount ran out on Mar 1), Apr 1
    expect(line(whatIfCustomer(input([], 3), c))).toMatchObject({ monthlyBefore: 1667, monthlyAfter: 2083, change: 416 })
  })
  it("a customer in eur: €18 → €22", () => {
    expect(whatIfCustomer(input(), baseLine("c4", [subscription("pro", JAN1)], { currency: "eur" }))).toEqual({ customerId: "c4", currency: "eur", monthlyBefore: 1800, monthlyAfter: 2200, change: 400 })
  })
  it("migrating pro → pro_2025 ($30) on Jan 16, $20 paid for January: ($30 − $20) × 16/31 days = 5.16 today, monthly 2000 → 3000", () => {
    const paid = { billed: [{ featureId: null, from: JAN1, to: "2025-02-01T00:00:00Z", amount: 2000 }] }
    expect(whatIfCustomer(input([["pro", "pro_2025"]]), baseLine("c5", [subscription("pro", JAN1, paid)]))).toEqual({
      customerId: "c5", currency: "usd", monthlyBefore: 2000, monthlyAfter: 3000, change: 1000,
      migration: [{ from: "pro", to: "pro_2025", entityId: null, scenario: "upgrade", total: 516, amountDue: 516 }]
    })
  })
  it("without a billed record the held plan is credited at the --to price ($25): ($30 − $25) × 16/31 = 2.58", () => {
    expect(line(whatIfCustomer(input([["pro", "pro_2025"]]), baseLine("c5", [subscription("pro", JAN1)]))).migration).toEqual([{ from: "pro", to: "pro_2025", entityId: null, scenario: "upgrade", total: 258, amountDue: 258 }])
  })
  it("migrations that would fail are tagged error lines: a plan not in --to, a plan without the customer's currency", () => {
    expect(whatIfCustomer(input([["pro", "gold"]]), baseLine("c6", [subscription("pro", JAN1)]))).toMatchObject({ customerId: "c6", error: { _tag: "UnknownPlan" }, migration: { from: "pro", to: "gold" } })
    expect(whatIfCustomer(input([["pro", "pro_2025"]]), baseLine("c7", [subscription("pro", JAN1)], { currency: "eur" }))).toMatchObject({ customerId: "c7", error: { _tag: "CurrencyMismatch" }, migration: { from: "pro", to: "pro_2025" } })
  })
  it("a customer that cannot be read is a DecodeError line naming the field", () => {
    expect(whatIfCustomer(input(), { customer: { id: "c8", subscriptions: [{ planId: 3 }] } })).toMatchObject({ customerId: null, error: { _tag: "DecodeError", path: expect.stringContaining("customer.subscriptions[0]") } })
  })
  it("the distribution's buckets are exact: +25% of 2000, −5% of 2000 exactly, from nothing", () => {
    expect(bucketOf(2000, 500)).toBe(9)
    expect(bucketOf(2000, -100)).toBe(3)
    expect(bucketOf(2000, -99)).toBe(4)
    expect(bucketOf(0, 100)).toBe(11)
    expect(bucketOf(2000, 0)).toBe(5)
  })
})

/** Runs the stream over `lines` in memory: the customer lines and the summary. */
const run = async (i: WhatIfInput, lines: ReadonlyArray<string>): Promise<{ lines: Array<WhatIfLine>; summary: WhatIfSummary }> => {
  let text = ""
  const out = new Writable({ write: (chunk: Buffer, _e, done) => { text += chunk.toString("utf8"); done() } })
  const summary = await runWhatIf(i, lines, out)
  const parsed = outputLines(text).map((l) => JSON.parse(l) as WhatIfLine | { summary: WhatIfSummary })
  const last = parsed.pop()
  expect(last).toEqual({ summary: JSON.parse(JSON.stringify(summary)) })
  return { lines: parsed as Array<WhatIfLine>, summary }
}

const customerArb = fc.record({
  plans: fc.subarray(["lite", "pro", "annual"], { maxLength: 2 }),
  currency: fc.constantFrom(undefined, "usd", "eur"),
  anchorDay: fc.integer({ min: 1, max: 28 }),
  discounted: fc.boolean(),
  bad: fc.integer({ min: 0, max: 19 })
})

describe("what-if summary (property)", () => {
  it("the summary's totals, counts and distribution are the sums of the customer lines", async () => {
    await fc.assert(fc.asyncProperty(fc.array(customerArb, { maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 3 }), async (customers, migrating, cycles) => {
      const texts = customers.map((c, k) => c.bad === 0 ? "{not json" : JSON.stringify(baseLine(`c${k}`, c.plans.map((p, j) => subscription(p, `2024-12-${String(c.anchorDay).padStart(2, "0")}T00:00:00Z`, { id: `s${j}`, ...(c.discounted ? { discounts: [{ discountId: "M2", appliedAt: JAN1 }] } : {}) })), c.currency === undefined ? {} : { currency: c.currency })))
      const { lines, summary } = await run(input(migrating ? [["pro", "pro_2025"], ["lite", "gold"]] : [], cycles), texts)
      const ok = lines.filter((l): l is CustomerLine => !("error" in l))
      expect(summary.customers).toBe(lines.length)
      expect(summary.errors).toBe(lines.length - ok.length)
      for (const [c, t] of Object.entries(summary.byCurrency)) {
        const mine = ok.filter((l) => l.currency === c)
        expect(t.customers).toBe(mine.length)
        expect(t.monthlyBefore).toBe(mine.reduce((n, l) => n + l.monthlyBefore, 0))
        expect(t.monthlyAfter).toBe(mine.reduce((n, l) => n + l.monthlyAfter, 0))
        expect(t.change).toBe(t.monthlyAfter - t.monthlyBefore)
        expect(t.rises + t.falls + t.unchanged).toBe(mine.length)
        expect(t.migrationTotal).toBe(mine.reduce((n, l) => n + (l.migration ?? []).reduce((m, x) => m + x.total, 0), 0))
        const movers = summary.largestMovers[c] ?? []
        const biggest = Math.max(0, ...mine.map((l) => Math.abs(l.change)))
        expect(movers[0] === undefined ? 0 : Math.abs(movers[0].change)).toBe(biggest)
      }
      expect(Object.values(summary.byCurrency).reduce((n, t) => n + t.customers, 0)).toBe(ok.length)
      expect(summary.distribution.reduce((n, d) => n + d.customers, 0)).toBe(ok.length)
      expect(summary.rises).toBe(ok.filter((l) => l.change > 0).length)
      expect(summary.failedMigrations.count).toBe(lines.filter((l) => "error" in l && l.migration !== undefined).length)
    }), { seed: 1517, numRuns: 60 })
  }, 60_000)
})

describe("attach-planner what-if", () => {
  it("prints a line per customer and the summary; --report writes the page", async () => {
    const dir = await mkdtemp(join(tmpdir(), "what-if-"))
    await writeFile(join(dir, "from.json"), JSON.stringify(FROM))
    await writeFile(join(dir, "to.json"), JSON.stringify(TO))
    const stdin = [baseLine("a", [subscription("pro", JAN1)]), baseLine("b", [subscription("annual", JAN1)]), baseLine("c", [subscription("lite", JAN1)])].map((c) => JSON.stringify(c)).join("\n") + "\n{oops\n"
    const r = await runCli(["what-if", "--from", join(dir, "from.json"), "--to", join(dir, "to.json"), "--at", "2025-01-16T00:00:00Z", "--report", join(dir, "r.html")], stdin)
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const out = outputLines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(out.slice(0, 3).map((l) => [l["customerId"], l["monthlyBefore"], l["monthlyAfter"]])).toEqual([["a", 2000, 2500], ["b", 1000, 1500], ["c", 1000, 1000]])
    expect(out[3]).toMatchObject({ customerId: null, error: { _tag: "DecodeError" } })
    expect(out[4]).toMatchObject({ summary: { customers: 4, errors: 1, rises: 2, unchanged: 1, byCurrency: { usd: { monthlyBefore: 4000, monthlyAfter: 5000, change: 1000 } } } })
    const html = await readFile(join(dir, "r.html"), "utf8")
    expect(html).toContain("<svg")
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)
    const usage = await runCli(["what-if", "--from", "x.json"])
    expect(usage.code).toBe(2)
  }, 60_000)
})
