/**
 * Autumn's `customers.advance_test_clock` (issue #15) on the Autumn-compatible handler, called by
 * Autumn's official client (autumn-js 1.x validates the response with its own schema): the
 * customer's renewals are charged in the sandbox, the stored state moves on, and a time not later
 * than the clock is refused. Catalog (test/support/autumnCatalog.ts): pro $20/month.
 */
import { Autumn } from "autumn-js"
import * as Result from "effect/Result"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Listening, listen, serveHandler } from "../../src/cli/serve.ts"
import type { SandboxOps } from "../../src/Sandbox.ts"
import { autumnTestCatalog } from "../support/autumnCatalog.ts"

const KEY = "am_sk_test_clock"
const now = "2025-01-01T00:00:00Z"
let server: Listening
let sandbox: SandboxOps
let client: Autumn

beforeAll(async () => {
  const made = serveHandler(autumnTestCatalog(), KEY, () => now)
  if (Result.isFailure(made)) throw new Error(made.failure.message)
  const served = made.success
  sandbox = served.sandbox
  server = await listen(served.handler, { port: 0, host: "127.0.0.1" })
  client = new Autumn({ secretKey: KEY, serverURL: server.url })
})

afterAll(async () => {
  await server.close()
})

describe("customers.advance_test_clock", () => {
  it("pro attached Jan 1 with a card; advancing to Mar 1 charges $20 on Feb 1 and Mar 1", async () => {
    const attached = await fetch(`${server.url}/v1/billing.attach`, {
      method: "POST", headers: { authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ customer_id: "cus_clock", plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } })
    })
    expect(attached.status).toBe(200)
    const frozenTime = Date.parse("2025-03-01T00:00:00Z")
    const r = await client.customers.advanceTestClock({ customerId: "cus_clock", frozenTime })
    expect(r).toEqual({ customerId: "cus_clock", frozenTime, status: "ready" })
    const state = await Effect.runPromise(sandbox.state)
    expect(state.charges.filter((c) => c.customerId === "cus_clock").map((c) => c.amount)).toEqual([2000, 2000, 2000])
    expect(state.clocks).toEqual([{ customerId: "cus_clock", at: "2025-03-01T00:00:00.000Z" }])
  })

  it("a time not later than the clock is a 400 naming frozen_time; an unknown customer is a 404", async () => {
    const post = (body: unknown) => fetch(`${server.url}/v1/customers.advance_test_clock`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) })
    const early = await post({ customer_id: "cus_clock", frozen_time: Date.parse("2025-02-01T00:00:00Z") })
    expect(early.status).toBe(400)
    expect(await early.json()).toMatchObject({ code: "invalid_inputs", message: expect.stringContaining("frozen_time") })
    const unknown = await post({ customer_id: "cus_nobody", frozen_time: Date.parse("2025-04-01T00:00:00Z") })
    expect(unknown.status).toBe(404)
    const bad = await post({ customer_id: "cus_clock", frozen_time: "soon" })
    expect(bad.status).toBe(400)
  })
})
