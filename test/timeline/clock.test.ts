/**
 * `advanceClock` (issue #15) against the sandbox, hand-computed: renewals created and charged
 * through the port, a scheduled downgrade's phase applied at the provider, a trial ending with
 * and without a card, a declined renewal leaving the subscription `past_due`, and an attach's
 * failure handling (a provider outage at every call, then advancing again: nothing twice).
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import type { Customer } from "../../src/Customer.ts"
import { executeAttachPromise } from "../../src/Execute.ts"
import { type PaymentPort, PaymentProvider } from "../../src/Provider.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { withFaults } from "../../src/testing/index.ts"
import { advanceClock, advanceClockPromise, type ClockResult } from "../../src/timeline/clock.ts"
import { FEB1, JAN1, JAN16, type Obj, catalog, customer, doc, monthly, request, subscription } from "../support/build.ts"
import { decoded, preview } from "../support/run.ts"

const MAR1 = "2025-03-01T00:00:00.000Z"
const APR1 = "2025-04-01T00:00:00.000Z"

const CAT = catalog([
  monthly("lite", "10"),
  monthly("pro", "20", { freeTrial: { length: 14, unit: "day", cardRequired: false } }),
  monthly("premium", "50")
])
const MODEL = decoded(CAT)

/** Seeds the sandbox, executes the attach document, and returns the stored state after it. */
const attach = async (sandbox: ReturnType<typeof Sandbox.make>, d: Obj, card?: string): Promise<Customer> => {
  const plan = preview(d)
  const before = d["customer"] as Customer
  await Effect.runPromise(sandbox.seedCustomer(before, MODEL))
  if (card !== undefined) await Effect.runPromise(sandbox.attachPaymentMethod(before.id, card))
  const result = await executeAttachPromise(plan, before, sandbox.port)
  expect(result.applied).toBe(true)
  return result.customer
}

const renewals = (state: Sandbox.SandboxState) => state.invoices.filter((i) => i.description.startsWith("Renewal"))

describe("advanceClock on the sandbox: renewals and a scheduled phase", () => {
  it("a new premium subscription renews Feb 1, Mar 1, Apr 1: three $50 invoices created and charged", async () => {
    const sandbox = Sandbox.make()
    const stored = await attach(sandbox, doc(CAT, customer([]), request(JAN1, "premium")))
    const r = await advanceClockPromise({ catalog: MODEL, customer: stored, at: JAN1 }, APR1, sandbox.port)
    expect(r.invoices.map((i) => [i.at, i.total, i.amountDue, i.outcome])).toEqual([[FEB1, 5000, 5000, "paid"], [MAR1, 5000, 5000, "paid"], [APR1, 5000, 5000, "paid"]])
    const state = await Effect.runPromise(sandbox.state)
    expect(renewals(state).map((i) => [i.status, i.amountPaid])).toEqual([["paid", 5000], ["paid", 5000], ["paid", 5000]])
    // one charge for the attach, one per renewal
    expect(state.charges.map((c) => c.amount)).toEqual([5000, 5000, 5000, 5000])
    expect(state.clocks).toEqual([{ customerId: "cus_1", at: APR1 }])
    expect(await Effect.runPromise(sandbox.port.testClockOf("cus_1"))).toBe(APR1)
  })

  it("a scheduled downgrade premium → lite: on Feb 1 the provider's subscription holds lite and $10 is charged", async () => {
    const sandbox = Sandbox.make()
    const stored = await attach(sandbox, doc(CAT, customer([subscription("premium", JAN1)]), request(JAN16, "lite")))
    const before = await Effect.runPromise(sandbox.state)
    expect(before.subscriptions[0]?.phase?.items.map((i) => i.planId)).toEqual(["lite"])
    const r = await advanceClockPromise({ catalog: MODEL, customer: stored, at: JAN16 }, FEB1, sandbox.port)
    expect(r.invoices.map((i) => [i.at, i.total, i.outcome])).toEqual([[FEB1, 1000, "paid"]])
    expect(r.events).toMatchObject([{ at: FEB1, type: "phase_started", planId: "lite", replaces: "premium" }])
    const after = await Effect.runPromise(sandbox.state)
    expect(after.subscriptions.map((s) => [s.status, s.items.map((i) => i.planId), s.phase])).toEqual([["active", ["lite"], null]])
    expect(r.customer.subscriptions?.filter((s) => s.status === "active").map((s) => s.planId)).toEqual(["lite"])
  })
})

describe("advanceClock on the sandbox: a trial's end", () => {
  const trial = doc(CAT, customer([], { hasPaymentMethod: false }), request("2025-03-10T00:00:00Z", "pro"))
  const MAR24 = "2025-03-24T00:00:00.000Z"
  it("a trial ending without a card: the provider's subscription is canceled on Mar 24, no invoice", async () => {
    const sandbox = Sandbox.make()
    const stored = await attach(sandbox, trial)
    const r = await advanceClockPromise({ catalog: MODEL, customer: stored, at: "2025-03-10T00:00:00.000Z" }, APR1, sandbox.port)
    expect(r.invoices).toEqual([])
    expect(r.events).toMatchObject([{ at: MAR24, type: "trial_ended", outcome: "canceled" }])
    const state = await Effect.runPromise(sandbox.state)
    expect(state.subscriptions.map((s) => [s.status, s.canceledAt])).toEqual([["canceled", MAR24]])
    expect(r.customer.subscriptions?.map((s) => [s.status, s.endsAt])).toEqual([["expired", MAR24]])
  })

  it("a trial ending without a card under checkout: the $20 invoice is sent (open) and the subscription is past_due", async () => {
    const sandbox = Sandbox.make()
    const stored = await attach(sandbox, trial)
    const r = await advanceClockPromise({ catalog: MODEL, customer: stored, at: "2025-03-10T00:00:00.000Z" }, MAR24, sandbox.port, { trialEndWithoutCard: "checkout" })
    expect(r.invoices.map((i) => [i.at, i.total, i.outcome, i.invoice.status])).toEqual([[MAR24, 2000, "open", "open"]])
    const state = await Effect.runPromise(sandbox.state)
    expect(state.subscriptions.map((s) => s.status)).toEqual(["past_due"])
    expect(state.charges).toEqual([])
  })

  it("a trial ending with a card: active at the provider and $20 charged on Mar 24", async () => {
    const sandbox = Sandbox.make()
    const stored = await attach(sandbox, doc(CAT, customer([]), request("2025-03-10T00:00:00Z", "pro")))
    const r = await advanceClockPromise({ catalog: MODEL, customer: stored, at: "2025-03-10T00:00:00.000Z" }, MAR24, sandbox.port)
    expect(r.invoices.map((i) => [i.at, i.total, i.outcome])).toEqual([[MAR24, 2000, "paid"]])
    expect((await Effect.runPromise(sandbox.state)).subscriptions.map((s) => s.status)).toEqual(["active"])
  })
})

describe("advanceClock on the sandbox: a declined renewal, and advancing again", () => {
  it("a declined renewal: the Feb 1 invoice stays open, the subscription is past_due at the provider and in the state", async () => {
    const sandbox = Sandbox.make()
    const stored = await attach(sandbox, doc(CAT, customer([]), request(JAN1, "premium")))
    await Effect.runPromise(sandbox.attachPaymentMethod("cus_1", "pm_card_declined"))
    const r = await advanceClockPromise({ catalog: MODEL, customer: stored, at: JAN1 }, FEB1, sandbox.port)
    expect(r.invoices.map((i) => [i.at, i.total, i.outcome, i.failure, i.invoice.status])).toEqual([[FEB1, 5000, "payment_failed", "CardDeclined", "open"]])
    const state = await Effect.runPromise(sandbox.state)
    expect(state.subscriptions.map((s) => s.status)).toEqual(["past_due"])
    expect(r.customer.subscriptions?.map((s) => s.status)).toEqual(["past_due"])
    expect(state.charges.length).toBe(1) // the attach's only
  })

  it("advancing again from the same state charges nothing twice; an earlier `to` is a tagged error", async () => {
    const sandbox = Sandbox.make()
    const stored = await attach(sandbox, doc(CAT, customer([]), request(JAN1, "premium")))
    const state = { catalog: MODEL, customer: stored, at: JAN1 }
    const once = await advanceClockPromise(state, MAR1, sandbox.port)
    const twice = await advanceClockPromise(state, MAR1, sandbox.port)
    expect(twice.invoices.map((i) => i.invoice.id)).toEqual(once.invoices.map((i) => i.invoice.id))
    expect((await Effect.runPromise(sandbox.state)).charges.length).toBe(3)
    const back = await Effect.runPromise(Effect.result(Effect.provideService(advanceClock(state, "2024-12-01T00:00:00Z"), PaymentProvider, sandbox.port)))
    expect(Result.isFailure(back) && back.failure).toMatchObject({ _tag: "TimelineOptionError", path: "to" })
  })

  it("a provider outage at any call, then advancing again: the same invoices, each charged once", async () => {
    const clean = Sandbox.make()
    const cleanStored = await attach(clean, doc(CAT, customer([]), request(JAN1, "premium")))
    const expected: ClockResult = await advanceClockPromise({ catalog: MODEL, customer: cleanStored, at: JAN1 }, APR1, clean.port)
    const calls = expected.completed.length
    expect(calls).toBeGreaterThan(6)
    for (const when of ["before", "after"] as const) {
      for (let k = 0; k < calls; k++) {
        const sandbox = Sandbox.make()
        const stored = await attach(sandbox, doc(CAT, customer([]), request(JAN1, "premium")))
        // the faults are counted over this clock's calls only, the test clock kept beside the faulty port
        const faulty: PaymentPort = { ...sandbox.port, ...withFaults(sandbox.port, { calls: [k], when }) }
        const first = await Effect.runPromise(Effect.result(Effect.provideService(advanceClock({ catalog: MODEL, customer: stored, at: JAN1 }, APR1), PaymentProvider, faulty)))
        const failedOrDone = Result.isFailure(first) ? first.failure._tag : "done"
        expect(["PaymentProviderError", "done"]).toContain(failedOrDone)
        const again = await advanceClockPromise({ catalog: MODEL, customer: stored, at: JAN1 }, APR1, sandbox.port)
        expect(again.invoices.map((i) => [i.at, i.total, i.outcome])).toEqual(expected.invoices.map((i) => [i.at, i.total, i.outcome]))
        const state = await Effect.runPromise(sandbox.state)
        expect(state.charges.map((c) => c.amount), `fault at call ${k} ${when}`).toEqual([5000, 5000, 5000, 5000])
        expect(renewals(state).length).toBe(3)
      }
    }
  })
})
