/**
 * The sandbox stays bounded over a long run (issue #13): its call log keeps the last 1,000–2,000
 * calls, and a key's record still replays while it is kept.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import * as Sandbox from "../../src/Sandbox.ts"

const invoice = (key: string) => ({
  idempotencyKey: key, customerId: "cus_long", currency: "usd", description: "Pro", lines: [], subtotal: 2000, discountTotal: 0,
  total: 2000, creditApplied: 0, amountDue: 2000, collection: "charge_automatically" as const, finalize: true, netTermsDays: null
})

describe("a sandbox after 5,000 calls", () => {
  it("keeps a bounded log, and replays a recent key with the invoice it created", async () => {
    const sandbox = Sandbox.make()
    await Effect.runPromise(sandbox.attachPaymentMethod("cus_long", "pm_card_visa"))
    const created = []
    for (let i = 0; i < 5_000; i++) created.push(await Effect.runPromise(sandbox.port.createInvoice(invoice(`inv_${i}`))))
    const state = await Effect.runPromise(sandbox.state)
    expect(state.log.length).toBeGreaterThanOrEqual(1_000)
    expect(state.log.length).toBeLessThanOrEqual(2_000)
    expect(state.log.at(-1)).toEqual({ operation: "createInvoice", idempotencyKey: "inv_4999", outcome: "applied" })
    expect(state.invoices.length).toBe(5_000)
    // Invoice 4,000's key replays: the same invoice, no new one.
    expect(await Effect.runPromise(sandbox.port.createInvoice(invoice("inv_4000")))).toEqual(created[4_000])
    expect(await Effect.runPromise(sandbox.port.retrieveInvoice(created[17]?.id ?? ""))).toEqual(created[17])
    expect((await Effect.runPromise(sandbox.state)).invoices.length).toBe(5_000)
  })
})
