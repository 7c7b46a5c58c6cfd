/**
 * `attach FILE --state STATE.json` (issue #4, point 6): plans and executes against the sandbox
 * kept in the state file, which also stores each customer's state for the next attach.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parseAttachArgs } from "../../src/cli/attach.ts"
import { CATALOG } from "../support/execute.ts"
import { JAN1, JAN16, customer, doc, request, subscription } from "../support/build.ts"
import { runCli } from "../support/runCli.ts"

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), "attach-cli-"))

const attach = async (dir: string, document: unknown, ...options: Array<string>) => {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.json`)
  await writeFile(file, JSON.stringify(document))
  const run = await runCli(["attach", file, "--state", join(dir, "state.json"), ...options])
  return { ...run, json: run.code === 0 && !options.includes("table") ? (JSON.parse(run.stdout) as Record<string, unknown>) : undefined }
}

interface StateFile {
  readonly provider: { readonly charges: ReadonlyArray<{ readonly amount: number }>; readonly subscriptions: ReadonlyArray<{ readonly items: ReadonlyArray<{ readonly planId: string }>; readonly phase: unknown }> }
  readonly customers: Record<string, { readonly subscriptions?: ReadonlyArray<{ readonly planId: string; readonly status: string; readonly providerSubscriptionId?: string }>; readonly hasPaymentMethod?: boolean }>
}
const stateOf = async (dir: string): Promise<StateFile> => JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as StateFile

/** Attaches that change plans or pay, each on a fresh state file. */
const planChanges = () => {
  it("walks a customer new → upgrade → downgrade; later documents need no customer", async () => {
    const dir = await tempDir()
    const first = await attach(dir, doc(CATALOG, customer([]), request(JAN1, "pro")))
    expect(first.code).toBe(0)
    expect(first.json).toMatchObject({ scenario: "new", applied: true, amountDue: 2000, invoice: { status: "paid", total: 2000 } })
    const up = await attach(dir, { catalog: CATALOG, request: request(JAN16, "premium") })
    expect(up.json).toMatchObject({ scenario: "upgrade", applied: true, completed: [{ type: "updateSubscription" }, { type: "createInvoice" }, { type: "payInvoice" }] })
    const down = await attach(dir, { catalog: CATALOG, request: request("2025-01-20T00:00:00Z", "lite") }, "--format", "table")
    expect(down.code).toBe(0)
    expect(down.stdout).toMatch(/Scenario\s+downgrade/)
    expect(down.stdout).toMatch(/Outcome\s+applied/)
    expect(down.stdout).toMatch(/Plan\s+lite\s+scheduled/)
    const state = await stateOf(dir)
    expect(state.provider.charges.map((c) => c.amount)).toEqual([2000, (up.json?.["amountDue"] as number)])
    expect(state.provider.subscriptions).toHaveLength(1)
    expect(state.provider.subscriptions[0]).toMatchObject({ items: [{ planId: "premium" }], phase: { items: [{ planId: "lite" }] } })
    const stored = state.customers["cus_1"]?.subscriptions ?? []
    expect(stored.filter((s) => s.status !== "expired").map((s) => [s.planId, s.status, s.providerSubscriptionId])).toEqual([
      ["premium", "active", "sub_sbx_0001"], ["lite", "scheduled", "sub_sbx_0001"]
    ])
  })

  it("stops at the checkout; --complete-checkout completes it and runs the same plan again", async () => {
    const dir = await tempDir()
    const document = doc(CATALOG, customer([], { hasPaymentMethod: false }), request(JAN16, "pro"))
    const waiting = await attach(dir, document)
    expect(waiting.json).toMatchObject({ applied: false, requiredAction: { code: "payment_method_required" } })
    expect(waiting.json?.["paymentUrl"]).toMatch(/\/checkout\/cs_sbx_/)
    const done = await attach(dir, document, "--complete-checkout", "pm_card_visa")
    expect(done.json).toMatchObject({ applied: true, invoice: { status: "paid" }, customer: { hasPaymentMethod: true } })
    const state = await stateOf(dir)
    expect(state.provider.charges.map((c) => c.amount)).toEqual([2000])
    expect(state.customers["cus_1"]?.hasPaymentMethod).toBe(true)
  })

  it("a declined upgrade leaves the stored customer as it was; --pay-invoice pays the open invoice and completes it", async () => {
    const dir = await tempDir()
    const document = doc(CATALOG, customer([subscription("pro", JAN1)]), request(JAN16, "premium"))
    const declined = await attach(dir, document, "--payment-method", "pm_card_declined")
    expect(declined.json).toMatchObject({ applied: false, requiredAction: { code: "payment_failed" }, invoice: { status: "open" } })
    expect((await stateOf(dir)).customers["cus_1"]?.subscriptions?.map((s) => [s.planId, s.status])).toEqual([["pro", "active"]])
    const paid = await attach(dir, document, "--pay-invoice", "pm_card_visa")
    expect(paid.json).toMatchObject({ applied: true, invoice: { status: "paid" } })
    expect((await stateOf(dir)).provider.charges.map((c) => c.amount)).toEqual([1549])
  })
}

/** What the command refuses, and how it reads its arguments. */
const refusalsAndArguments = () => {
  it("errors: a bad document is an error document (exit 1); a missing --state is a usage error (exit 2)", async () => {
    const dir = await tempDir()
    const bad = await attach(dir, doc(CATALOG, customer([]), request(JAN16, "platinum")))
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { _tag: "UnknownPlan" } })
    const usage = await runCli(["attach", "x.json"])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain("attach needs --state")
  })

  it("parses its arguments", () => {
    expect(parseAttachArgs(["d.json", "--state=s.json", "--format", "table"])).toMatchObject({ file: "d.json", state: "s.json", format: "table" })
    expect(parseAttachArgs(["d.json", "--state", "s.json", "--bogus"])).toBe('unknown option "--bogus"')
    expect(parseAttachArgs(["--state", "s.json"])).toBe("attach needs a FILE")
  })
}

describe("attach from the shell", () => {
  describe("plan changes and payments", planChanges)
  describe("errors and arguments", refusalsAndArguments)
})
