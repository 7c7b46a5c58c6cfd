/**
 * The executor (issue #4, docs/spec.md §11): every scenario executed against the real sandbox,
 * payments that fail or wait, stale plans, the Promise forms, a walk with one sandbox. The plan's
 * provider actions themselves: execute.actions.test.ts.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import type { Customer } from "../../src/Customer.ts"
import { StalePlan, executeAttach, executeAttachPromise } from "../../src/Execute.ts"
import { PaymentProvider, fromPromises } from "../../src/Provider.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { withFaults } from "../../src/testing/index.ts"
import { itEffect } from "../support/itEffect.ts"
import { CATALOG, CATALOG_MODEL, SCENARIOS, type Scenario, customerOf, item, providerHolds, runScenario, storedHolds } from "../support/execute.ts"
import { FEB1, JAN16, doc, request } from "../support/build.ts"
import { ok } from "../support/run.ts"

const withoutProviderIds = (c: Customer): Customer => ({
  ...c,
  ...(c.subscriptions === undefined ? {} : { subscriptions: c.subscriptions.map(({ providerSubscriptionId: _, ...s }) => s) })
})

describe("executing every scenario against the sandbox", () => {
  it.each(Object.entries(SCENARIOS) as Array<[string, Scenario]>)("%s", async (_name, s) => {
    const run = await runScenario(s)
    const current = customerOf(s)
    expect(run.final.requiredAction?.code ?? "applied").toBe(s.outcome)
    expect(run.final.applied).toBe(s.outcome === "applied")
    const charged = run.state.charges.reduce((t, c) => t + c.amount, 0)
    if (run.final.applied) {
      // the new state: the plan's customerAfter, with the provider's subscription ids
      expect(withoutProviderIds(run.final.customer)).toEqual(withoutProviderIds({
        ...run.plan.customerAfter,
        ...(s.step === SCENARIOS.checkoutCompleted.step ? { hasPaymentMethod: true } : {})
      }))
      // what is charged is what was planned (send_invoice invoices are paid by the customer, or later)
      const collected = run.plan.actions.some((a) => a.type === "payInvoice") || s.step !== undefined
      expect(charged).toBe(collected ? run.plan.amountDue : 0)
      if (run.final.invoice !== undefined) expect(run.final.invoice.total).toBe(run.plan.total)
      expect(run.state.customers[0]?.balance).toBe(run.plan.customerAfter.creditBalance ?? 0)
    } else {
      // the old state, and nothing charged
      expect(run.final.customer).toEqual(current)
      expect(charged).toBe(0)
    }
    expect(providerHolds(run.state, "cus_1")).toEqual(storedHolds(run.final.customer))
  })
})

describe("executing a scenario against the sandbox: payments that fail, wait or need the customer", () => {
  it("a declined upgrade: the change is undone, the invoice stays open with its hosted URL, the reason is given", async () => {
    const run = await runScenario(SCENARIOS.upgradeDeclined)
    expect(run.final).toMatchObject({
      applied: false,
      invoice: { status: "open", total: run.plan.total, amountDue: run.plan.amountDue },
      requiredAction: { code: "payment_failed" },
      compensated: [{ type: "updateSubscription" }]
    })
    expect(run.final.paymentUrl).toBe(run.final.invoice?.hostedUrl)
    expect(run.final.requiredAction?.reason).toContain("card_declined")
    expect(run.final.completed.map((r) => r.type)).toEqual(["updateSubscription", "createInvoice", "updateSubscription"])
    expect(providerHolds(run.state, "cus_1")).toEqual([{ id: "sub_pro_old", items: [item("pro")], cancelAt: null, phase: null }])
  })

  it("3-D Secure: undone, then paid on the hosted page, then the same plan completes without a second charge", async () => {
    const first = await runScenario(SCENARIOS.upgrade3ds)
    expect(first.final).toMatchObject({ requiredAction: { code: "3ds_required" }, invoice: { status: "open" } })
    const run = await runScenario(SCENARIOS.upgrade3dsAuthenticated)
    expect(run.final).toMatchObject({ applied: true, invoice: { status: "paid" } })
    expect(run.state.charges.map((c) => c.amount)).toEqual([run.plan.amountDue])
    expect(run.state.invoices).toHaveLength(1)
  })

  it("a pending downgrade replaced by a declined upgrade: the release is undone too, the schedule is back", async () => {
    const run = await runScenario(SCENARIOS.upgradeReplacesDowngradeDeclined)
    expect(run.final.compensated.map((r) => r.type)).toEqual(["updateSubscription", "releaseSchedule"])
    expect(providerHolds(run.state, "cus_1")).toEqual([{ id: "sub_premium_old", items: [item("premium")], cancelAt: null, phase: { at: FEB1, items: [item("pro")] } }])
  })

  it("checkout: the session URL is the payment URL; nothing else happens until the customer completes it", async () => {
    const run = await runScenario(SCENARIOS.checkoutNotCompleted)
    expect(run.final.paymentUrl).toMatch(/^https:\/\/sandbox\.attach-planner\.invalid\/checkout\/cs_sbx_/)
    expect(run.state.subscriptions).toEqual([])
    expect(run.state.checkoutSessions[0]).toMatchObject({ mode: "subscription", successUrl: "https://app.example/done", params: { locale: "fr" } })
  })

  it("invoice mode: the plan waits for the sent invoice (payment_processing) and takes effect once it is paid", async () => {
    const waiting = await runScenario(SCENARIOS.invoiceSent)
    expect(waiting.final).toMatchObject({ applied: false, invoice: { status: "open" }, requiredAction: { code: "payment_processing" } })
    expect(waiting.state.invoices[0]).toMatchObject({ collection: "send_invoice", netTermsDays: 15 })
    expect(waiting.state.subscriptions).toEqual([])
    const paid = await runScenario(SCENARIOS.invoicePaid)
    expect(paid.final).toMatchObject({ applied: true, invoice: { status: "paid" }, paymentUrl: null })
  })
})

describe("stale plans and re-execution", () => {
  const s = SCENARIOS.upgrade
  const plan = ok(s.document)
  const before = customerOf(s)

  itEffect("a changed customer state fails with StalePlan and nothing is done", () =>
    Effect.gen(function* () {
      const changed = { ...before, creditBalance: 100 }
      const r = yield* Effect.result(executeAttach(plan, changed))
      expect(Result.isFailure(r) && r.failure._tag).toBe("StalePlan")
      const sandbox = yield* Sandbox.Sandbox
      expect((yield* sandbox.state).log).toEqual([])
    }).pipe(Effect.provide(Sandbox.layer())))

  itEffect("after success: the new state makes the plan stale; the old state replays it without charging again", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.Sandbox
      yield* sandbox.seedCustomer(before, CATALOG_MODEL)
      const first = yield* executeAttach(plan, before)
      const stale = yield* Effect.result(executeAttach(plan, first.customer))
      expect(Result.isFailure(stale) && stale.failure instanceof StalePlan).toBe(true)
      const again = yield* executeAttach(plan, before)
      expect(again).toEqual(first)
      const state = yield* sandbox.state
      expect(state.charges).toHaveLength(1)
      expect(state.log.slice(3).map((l) => l.outcome)).toEqual(["replayed", "replayed", "replayed"])
    }).pipe(Effect.provide(Sandbox.layer())))

  itEffect("a tampered action list is a DecodeError naming the field", () =>
    Effect.gen(function* () {
      const bad = { ...plan, actions: plan.actions.map((a) => (a.type === "payInvoice" ? { ...a, invoice: "nope" } : a)) }
      const r = yield* Effect.result(executeAttach(bad, before))
      expect(Result.isFailure(r) && r.failure._tag).toBe("DecodeError")
      expect(Result.isFailure(r) && r.failure.message).toMatch(/^actions\[2\]: refers to nope/)
    }).pipe(Effect.provide(Sandbox.layer())))

  it("the state survives a JSON round trip between a failure and the retry", async () => {
    const first = Sandbox.make()
    await Effect.runPromise(first.seedCustomer(before, CATALOG_MODEL))
    // payInvoice acts, then its response is lost
    const faulty = withFaults(first.port, { calls: [2], when: "after" })
    await expect(executeAttachPromise(plan, before, faulty)).rejects.toMatchObject({ _tag: "PaymentProviderError", failed: { type: "payInvoice" } })
    const saved = JSON.parse(JSON.stringify(await Effect.runPromise(first.state))) as unknown
    const restored = Sandbox.decodeState(saved)
    if (Result.isFailure(restored)) throw new Error(restored.failure.message)
    const second = Sandbox.make(restored.success)
    const result = await executeAttachPromise(plan, before, second.port)
    expect(result.applied).toBe(true)
    expect((await Effect.runPromise(second.state)).charges.map((c) => c.amount)).toEqual([plan.amountDue])
  })
})

describe("the Promise form and Promise adapters", () => {
  const s = SCENARIOS.newSubscription
  const plan = ok(s.document)

  it("resolves with the result; rejects with the tagged error", async () => {
    const sandbox = Sandbox.make()
    await Effect.runPromise(sandbox.seedCustomer(customerOf(s), CATALOG_MODEL))
    const result = await executeAttachPromise(plan, customerOf(s), sandbox.port)
    expect(result).toMatchObject({ applied: true, invoice: { status: "paid", total: 2000 }, paymentUrl: null })
    await expect(executeAttachPromise(plan, { id: "cus_1" }, sandbox.port)).rejects.toBeInstanceOf(StalePlan)
  })

  it("fromPromises: an adapter written with Promises; an unknown rejection is a retryable ProviderUnavailable", async () => {
    const sandbox = Sandbox.make()
    await Effect.runPromise(sandbox.seedCustomer(customerOf(s), CATALOG_MODEL))
    const viaPromises = <A, E>(e: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(e)
    let failOnce = true
    const adapter = fromPromises({
      createCheckoutSession: (r) => viaPromises(sandbox.port.createCheckoutSession(r)),
      retrieveCheckoutSession: (r) => viaPromises(sandbox.port.retrieveCheckoutSession(r)),
      createSubscription: (r) => viaPromises(sandbox.port.createSubscription(r)),
      updateSubscription: (r) => viaPromises(sandbox.port.updateSubscription(r)),
      cancelSubscription: (r) => viaPromises(sandbox.port.cancelSubscription(r)),
      uncancelSubscription: (r) => viaPromises(sandbox.port.uncancelSubscription(r)),
      scheduleChange: (r) => viaPromises(sandbox.port.scheduleChange(r)),
      releaseSchedule: (r) => viaPromises(sandbox.port.releaseSchedule(r)),
      createInvoice: (r) => {
        if (failOnce) {
          failOnce = false
          return Promise.reject(new Error("socket hang up"))
        }
        return viaPromises(sandbox.port.createInvoice(r))
      },
      payInvoice: (r) => viaPromises(sandbox.port.payInvoice(r)),
      retrieveInvoice: (r) => viaPromises(sandbox.port.retrieveInvoice(r))
    })
    await expect(executeAttachPromise(plan, customerOf(s), adapter)).rejects.toMatchObject({
      _tag: "PaymentProviderError", providerError: { _tag: "ProviderUnavailable", message: "socket hang up" }
    })
    expect(await executeAttachPromise(plan, customerOf(s), adapter)).toMatchObject({ applied: true })
    expect((await Effect.runPromise(sandbox.state)).charges).toHaveLength(1)
  })
})

describe("a customer walked through new → upgrade → downgrade → renew with one sandbox", () => {
  itEffect("each plan is computed from the stored state; the provider agrees with it at every step", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.Sandbox
      let customer: Customer = { id: "cus_1", hasPaymentMethod: true }
      yield* sandbox.seedCustomer(customer, CATALOG_MODEL)
      const steps = [["2025-01-01T00:00:00Z", "pro"], [JAN16, "premium"], ["2025-01-20T00:00:00Z", "lite"], ["2025-01-25T00:00:00Z", "premium"]] as const
      const scenarios: Array<string> = []
      for (const [at, planId] of steps) {
        const plan = ok(doc(CATALOG, customer, request(at, planId)))
        scenarios.push(plan.scenario)
        const result = yield* executeAttach(plan, customer)
        expect(result.applied).toBe(true)
        customer = result.customer
        expect(providerHolds(yield* sandbox.state, "cus_1")).toEqual(storedHolds(customer))
      }
      expect(scenarios).toEqual(["new", "upgrade", "downgrade", "renew"])
      const state = yield* sandbox.state
      expect(state.subscriptions).toHaveLength(1)
      expect(state.subscriptions[0]).toMatchObject({ items: [item("premium")], phase: null, cancelAt: null })
      // $20 for January, then premium for Jan 16 – Feb 1 less the unused pro: 2581 − 1032
      expect(state.charges.map((c) => c.amount)).toEqual([2000, 1549])
    }).pipe(Effect.provide(Sandbox.layer())))

  itEffect("Sandbox.layerWith wraps the port; the Sandbox service sees the same state", () =>
    Effect.gen(function* () {
      const s = SCENARIOS.newSubscription
      const r = yield* Effect.result(executeAttach(ok(s.document), customerOf(s)))
      expect(Result.isFailure(r) && r.failure._tag).toBe("PaymentProviderError")
      const state = yield* (yield* Sandbox.Sandbox).state
      expect(state.subscriptions).toHaveLength(1)
      expect(yield* Effect.map(Effect.service(PaymentProvider), (p) => typeof p.payInvoice)).toBe("function")
    }).pipe(Effect.provide(Sandbox.layerWith((port) => withFaults(port, { calls: [0], when: "after" })))))
})

describe("through the package entry points (the docs/adapters.md example)", () => {
  itEffect("previewAttach, then executeAttach with Sandbox.layer()", () =>
    Effect.gen(function* () {
      const api = yield* Effect.promise(() => import("../../src/index.ts"))
      const sandboxEntry = yield* Effect.promise(() => import("../../src/Sandbox.ts"))
      const customer = { id: "cus_1", hasPaymentMethod: true }
      const sandbox = yield* sandboxEntry.Sandbox
      yield* sandbox.seedCustomer(customer, CATALOG_MODEL)
      const plan = yield* api.previewAttach({ catalog: CATALOG, customer, request: request(JAN16, "pro") })
      const result = yield* api.executeAttach(plan, customer)
      expect(result).toMatchObject({ applied: true, invoice: { status: "paid", total: 2000 } })
      expect(result.customer.subscriptions?.[0]?.providerSubscriptionId).toMatch(/^sub_sbx_/)
    }).pipe(Effect.provide(Sandbox.layer())))
})
