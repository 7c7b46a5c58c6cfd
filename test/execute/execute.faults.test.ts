/**
 * Failure at every provider call of every scenario (issue #4, point 7).
 *
 * For each scenario, a clean run counts the port calls n. Then, for every k < n, the scenario is
 * run again against a fresh sandbox through a port that fails call k with `ProviderUnavailable` —
 * "before" the provider acts (request lost) and "after" it acted (response lost) — and the host
 * retries the same plan with the same customer state, as the executor's contract says. The port
 * is the real sandbox wrapped by `withFaults` (attach-planner/testing), not a mock.
 *
 * Each faulty run must end exactly like the clean run:
 * - the same outcome and the same customer state (the old one, or the new one — never a mix);
 * - the same charges: no double charge, and what is charged is what was planned;
 * - the same invoices (none created twice) and the same credit balance;
 * - what the provider holds agrees with the stored customer state.
 */
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Customer } from "../../src/Customer.ts"
import { type ExecuteResult, PaymentProviderError, executeAttachPromise } from "../../src/Execute.ts"
import { previewDocument } from "../../src/index.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { withFaults } from "../../src/testing/index.ts"
import { CATALOG, CATALOG_MODEL, type Run, SCENARIOS, type Scenario, providerHolds, runScenario, storedHolds } from "../support/execute.ts"
import { doc, request } from "../support/build.ts"

const summary = (run: Run) => ({
  applied: run.final.applied,
  requiredAction: run.final.requiredAction?.code ?? null,
  invoice: run.final.invoice === undefined ? null : { status: run.final.invoice.status, total: run.final.invoice.total, amountDue: run.final.invoice.amountDue },
  customer: run.final.customer,
  charges: run.state.charges.map((c) => c.amount),
  invoices: run.state.invoices.map((i) => ({ status: i.status, total: i.total, amountPaid: i.amountPaid })),
  balance: run.state.customers.find((c) => c.id === "cus_1")?.balance
})

const keysOf = (run: Run): Set<string> => new Set(run.plan.actions.flatMap((a) => [a.idempotencyKey, `${a.idempotencyKey}:undo`]))

describe.each(Object.entries(SCENARIOS) as Array<[string, Scenario]>)("%s: a provider failure at any call, then a retry of the same plan", (_name, scenario) => {
  it("ends exactly like the clean run, charging once", async () => {
    const clean = await runScenario(scenario)
    expect(clean.failures).toEqual([])
    expect(clean.calls.length).toBeGreaterThan(0)
    const expected = summary(clean)
    for (const when of ["before", "after"] as const) {
      for (let k = 0; k < clean.calls.length; k++) {
        const run = await runScenario(scenario, (port, calls) => withFaults(port, { calls: [k], when }, calls))
        const where = `${when} call ${k} (${clean.calls[k]})`
        // exactly one failure, reported as a PaymentProviderError naming completed plan actions
        expect(run.failures.length, where).toBe(1)
        const failure = run.failures[0] as PaymentProviderError
        expect(failure.providerError._tag, where).toBe("ProviderUnavailable")
        for (const ref of failure.completed) expect(keysOf(run).has(ref.idempotencyKey), where).toBe(true)
        // the same end: outcome, customer state, charges, invoices, balance
        expect(summary(run), where).toEqual(expected)
        // the provider agrees with the customer state the host stores
        expect(providerHolds(run.state, "cus_1"), where).toEqual(storedHolds(run.final.customer))
      }
    }
  })
})

describe("what a failure reports", () => {
  it("a failure at createInvoice names updateSubscription as completed; the retry creates one invoice and charges once", async () => {
    const run = await runScenario(SCENARIOS.upgrade, (port, calls) => withFaults(port, { calls: [1], when: "before" }, calls))
    const failure = run.failures[0]
    expect(failure?._tag).toBe("PaymentProviderError")
    expect(failure?.completed.map((r) => r.type)).toEqual(["updateSubscription"])
    expect(failure?.failed.type).toBe("createInvoice")
    expect(failure?.compensating).toBe(false)
    expect(run.state.invoices).toHaveLength(1)
    expect(run.state.charges.map((c) => c.amount)).toEqual([run.plan.amountDue])
  })

  it("a failure while undoing a declined payment is reported as compensating; the retry ends rolled back", async () => {
    // calls: updateSubscription, createInvoice, payInvoice (declined), updateSubscription (undo)
    const run = await runScenario(SCENARIOS.upgradeDeclined, (port, calls) => withFaults(port, { calls: [3], when: "before" }, calls))
    const failure = run.failures[0]
    expect(failure?.compensating).toBe(true)
    expect(failure?.failed).toMatchObject({ type: "updateSubscription" })
    expect(failure?.failed.idempotencyKey.endsWith(":undo")).toBe(true)
    expect(run.final).toMatchObject({ applied: false, requiredAction: { code: "payment_failed" } })
    expect(run.state.charges).toEqual([])
  })
})

describe("random walks: attaches one after another, each with a random card and a random fault (fast-check, fixed seed)", () => {
  const PLANS = ["free", "lite", "pro", "premium", "ultra", "extra", "boost", "trialPro"] as const
  const CARDS = ["pm_card_visa", "pm_card_visa", "pm_card_declined", "pm_card_3ds"] as const
  const stepArb = fc.record({
    planId: fc.constantFrom(...PLANS),
    day: fc.integer({ min: 1, max: 4 }),
    card: fc.constantFrom(...CARDS),
    fault: fc.option(fc.record({ call: fc.integer({ min: 0, max: 5 }), when: fc.constantFrom("before" as const, "after" as const) }), { nil: undefined })
  })

  it("the provider always agrees with the stored state, and exactly the planned amounts of applied plans are charged", async () => {
    await fc.assert(fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
      const sandbox = Sandbox.make()
      let customer: Customer = { id: "cus_1", hasPaymentMethod: true }
      await Effect.runPromise(sandbox.seedCustomer(customer, CATALOG_MODEL))
      let day = 1
      let expected = 0
      for (const step of steps) {
        day += step.day
        const out = previewDocument(doc(CATALOG, customer, request(`2025-01-${String(day).padStart(2, "0")}T00:00:00Z`, step.planId)))
        if ("error" in out) continue
        await Effect.runPromise(sandbox.attachPaymentMethod("cus_1", step.card))
        const port = withFaults(sandbox.port, { calls: step.fault === undefined ? [] : [step.fault.call], when: step.fault?.when ?? "before" })
        let result = await executeAttachPromise(out, customer, port).catch((e: unknown) => e)
        if (result instanceof PaymentProviderError) result = await executeAttachPromise(out, customer, port)
        const r = result as ExecuteResult
        if (r.applied) {
          customer = r.customer
          if (out.actions.some((a) => a.type === "payInvoice")) expected += out.amountDue
        } else {
          expect(r.customer).toEqual(customer)
        }
        const state = await Effect.runPromise(sandbox.state)
        expect(providerHolds(state, "cus_1")).toEqual(storedHolds(customer))
        expect(state.charges.reduce((t, c) => t + c.amount, 0)).toBe(expected)
      }
    }), { seed: 4, numRuns: 120 })
  })
})
