/**
 * The adapter contract (attach-planner/testing) against the embedded sandbox: every check passes.
 * The sandbox cannot fail by itself, so its outages come from `withWriteOutage`.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as Sandbox from "../../src/Sandbox.ts"
import { type ContractCard, type ContractSetup, contractChecks, runContract, withWriteOutage } from "../../src/testing/index.ts"

const TOKENS: Record<ContractCard, string> = { pays: "pm_card_visa", declines: "pm_card_declined", "3ds": "pm_card_3ds" }

const sandboxSetup: ContractSetup = async () => {
  const sandbox = Sandbox.make()
  const outage = withWriteOutage(sandbox.port)
  let customers = 0
  const state = () => Effect.runPromise(sandbox.state)
  return {
    port: outage.port,
    failNextWrite: outage.failNextWrite,
    newCustomer: async (card) => {
      const id = `cus_contract_${++customers}`
      if (card !== null) await Effect.runPromise(sandbox.attachPaymentMethod(id, TOKENS[card]))
      return id
    },
    completeCheckout: async (session) => void (await Effect.runPromise(sandbox.completeCheckout(session, "pm_card_visa"))),
    voidInvoice: async (invoice) => void (await Effect.runPromise(sandbox.voidInvoice(invoice))),
    charges: async (customer) => (await state()).charges.filter((c) => c.customerId === customer).map((c) => c.amount),
    subscriptions: async (customer) => (await state()).subscriptions.filter((s) => s.customerId === customer && s.status !== "canceled").length
  }
}

describe("the adapter contract against the sandbox", () => {
  for (const check of contractChecks(sandboxSetup)) {
    it(check.name, async () => {
      const result = await check.run()
      expect(result.failures).toEqual([])
      expect(result.passed).toBe(true)
    })
  }
})

describe("the contract kit itself", () => {
  it("reports a broken adapter as failures, as data", async () => {
    // An adapter that drops the idempotency key of createSubscription: a retry subscribes twice.
    let n = 0
    const broken: ContractSetup = async (catalog) => {
      const subject = await sandboxSetup(catalog)
      return { ...subject, port: { ...subject.port, createSubscription: (r) => subject.port.createSubscription({ ...r, idempotencyKey: `${r.idempotencyKey}#${++n}` }) } }
    }
    const results = await runContract(broken)
    const byName = new Map(results.map((r) => [r.name, r]))
    expect(results.filter((r) => !r.passed).map((r) => r.name)).toEqual([
      "createSubscription holds its items and quantities; the same key twice makes one subscription",
      "an outage after the provider acted (the answer lost) is ProviderUnavailable; the retry with the same key acts once"
    ])
    expect(byName.get("createSubscription holds its items and quantities; the same key twice makes one subscription")?.failures).toContain("subscriptions of the customer: expected 1, got 2")
  })
})
