/**
 * Autumn's official clients against the Autumn-compatible handler on 127.0.0.1, end to end through
 * the sandbox provider: autumn-js 1.x (`billing.*`, `serverURL`) and autumn-js 0.x (legacy
 * `checkout`, `url`). Each client validates the responses with its own schemas, so a missing or
 * mistyped field fails these tests.
 *
 * Catalog (test/support/autumnCatalog.ts): pro $20/month, premium $50/month, seats add-on $10 per
 * seat per month (prepaid). The server's clock is set per step.
 */
import { Autumn } from "autumn-js"
import { Autumn as AutumnV0 } from "autumn-js-v0"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Listening, listen, serveHandler } from "../../src/cli/serve.ts"
import type { SandboxOps } from "../../src/Sandbox.ts"
import { autumnTestCatalog } from "../support/autumnCatalog.ts"
import * as Result from "effect/Result"

const KEY = "am_sk_test_compat"
let now = "2025-01-01T00:00:00Z"
let server: Listening
let sandbox: SandboxOps
let v1: Autumn
let v0: AutumnV0

const state = () => Effect.runPromise(sandbox.state)
const chargesOf = async (customerId: string) => (await state()).charges.filter((c) => c.customerId === customerId).map((c) => c.amount)

beforeAll(async () => {
  const made = serveHandler(autumnTestCatalog(), KEY, () => now)
  if (Result.isFailure(made)) throw new Error(made.failure.message)
  const served = made.success
  sandbox = served.sandbox
  server = await listen(served.handler, { port: 0, host: "127.0.0.1" })
  v1 = new Autumn({ secretKey: KEY, serverURL: server.url })
  v0 = new AutumnV0({ secretKey: KEY, url: `${server.url}/v1` })
})

afterAll(async () => {
  await server.close()
})

let checkoutUrl = ""

/** Steps 1–2 for cus_ada: the 0.x checkout, then the customer pays it. */
const checkoutSteps = () => {
  it("0.x checkout: a new customer without a card gets the provider's checkout for pro", async () => {
    now = "2025-01-01T00:00:00Z"
    const { data, error } = await v0.checkout({ customer_id: "cus_ada", product_id: "pro", customer_data: { name: "Ada", email: "ada@example.com" } })
    expect(error).toBeNull()
    // pro for Jan 1 – Feb 1: $20.00 due today; the next cycle (Feb 1) is $20.00 again.
    expect(data).toMatchObject({
      customer_id: "cus_ada",
      total: 20,
      currency: "usd",
      // With a checkout url Autumn answers no lines (the checkout page shows them).
      lines: [],
      product: {
        id: "pro", scenario: "new",
        properties: { is_free: false, is_one_off: false, interval_group: "month", has_trial: false, updateable: false }
      },
      current_product: null,
      next_cycle: { starts_at: Date.parse("2025-02-01T00:00:00Z"), total: 20 }
    })
    checkoutUrl = data?.url ?? ""
    expect(checkoutUrl).toMatch(/^https:\/\/sandbox\.attach-planner\.invalid\/checkout\/cs_sbx_/)
    const s = await state()
    expect(s.checkoutSessions.map((cs) => [cs.customerId, cs.status, cs.amountDue])).toEqual([["cus_ada", "open", 2000]])
    expect(s.charges).toEqual([])
    expect(s.subscriptions).toEqual([])
  })

  it("the customer completes the checkout: pro starts and $20.00 is charged", async () => {
    const response = await fetch(`${server.url}/v1/sandbox.complete_checkout`, {
      method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ url: checkoutUrl, payment_method: "pm_card_visa" })
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ customer_id: "cus_ada", invoice: { status: "paid", total: 2000, currency: "usd" }, payment_url: null })
    expect(await chargesOf("cus_ada")).toEqual([2000])
    const subs = (await state()).subscriptions.filter((s) => s.customerId === "cus_ada")
    expect(subs.map((s) => [s.status, s.items.map((i) => i.planId)])).toEqual([["active", ["pro"]]])
  })
}

/** Steps 3–5 for cus_ada, once pro is active: the upgrade to premium, then the downgrade back to pro. */
const planChangeSteps = () => {
  it("1.x billing.previewAttach: the upgrade to premium on Jan 16 costs $15.49", async () => {
    now = "2025-01-16T00:00:00Z"
    const preview = await v1.billing.previewAttach({ customerId: "cus_ada", planId: "premium" })
    // 16 of the 31 days of January are left:
    //   unused pro      −20 × 16/31 = −10.3226 → −$10.32
    //   premium          50 × 16/31 =  25.8065 →  $25.81
    //   due today                                 $15.49; from Feb 1 premium bills $50.00
    expect(preview.lineItems.map((l) => [l.planId, l.total])).toEqual([["pro", -10.32], ["premium", 25.81]])
    expect(preview.subtotal).toBe(15.49)
    expect(preview.total).toBe(15.49)
    expect(preview.currency).toBe("usd")
    expect(preview.nextCycle).toMatchObject({ startsAt: Date.parse("2025-02-01T00:00:00Z"), total: 50 })
    expect(preview.outgoing.map((o) => o.planId)).toEqual(["pro"])
    expect(preview.incoming.map((i) => [i.planId, i.effectiveAt])).toEqual([["premium", Date.parse(now)]])
    expect(preview.redirectToCheckout).toBe(false)
    expect(await chargesOf("cus_ada")).toEqual([2000])
  })

  it("1.x billing.attach: the upgrade charges the card $15.49 at once", async () => {
    const result = await v1.billing.attach({ customerId: "cus_ada", planId: "premium" })
    expect(result.customerId).toBe("cus_ada")
    expect(result.paymentUrl).toBeNull()
    expect(result.requiredAction).toBeUndefined()
    expect(result.invoice).toMatchObject({ status: "paid", total: 1549, currency: "usd" })
    expect(await chargesOf("cus_ada")).toEqual([2000, 1549])
    const subs = (await state()).subscriptions.filter((s) => s.customerId === "cus_ada")
    expect(subs.map((s) => [s.status, s.items.map((i) => i.planId), s.phase])).toEqual([["active", ["premium"], null]])
  })

  it("1.x billing.attach: the downgrade to pro on Jan 20 is scheduled for Feb 1 and charges nothing", async () => {
    now = "2025-01-20T00:00:00Z"
    const preview = await v1.billing.previewAttach({ customerId: "cus_ada", planId: "pro" })
    // A downgrade waits for the period end: nothing today; from Feb 1 pro bills $20.00.
    expect(preview.total).toBe(0)
    expect(preview.lineItems).toEqual([])
    expect(preview.nextCycle).toMatchObject({ startsAt: Date.parse("2025-02-01T00:00:00Z"), total: 20 })
    expect(preview.incoming.map((i) => [i.planId, i.effectiveAt])).toEqual([["pro", Date.parse("2025-02-01T00:00:00Z")]])
    const result = await v1.billing.attach({ customerId: "cus_ada", planId: "pro" })
    expect(result).toEqual({ customerId: "cus_ada", paymentUrl: null })
    expect(await chargesOf("cus_ada")).toEqual([2000, 1549])
    const subs = (await state()).subscriptions.filter((s) => s.customerId === "cus_ada")
    expect(subs.map((s) => [s.items.map((i) => i.planId), s.phase?.at, s.phase?.items.map((i) => i.planId)])).toEqual([
      [["premium"], "2025-02-01T00:00:00.000Z", ["pro"]]
    ])
  })
}

describe("a new customer through checkout, then an upgrade and a downgrade (cus_ada)", () => {
  describe("checkout", checkoutSteps)
  describe("upgrade and downgrade", planChangeSteps)
})

describe("a plan with a seats add-on in one multi-attach (cus_bob)", () => {
  const plans = [{ planId: "pro" }, { planId: "seats", featureQuantities: [{ featureId: "seats", quantity: 5 }] }]
  const customerData = { name: "Bob", metadata: { test_payment_method: "pm_card_visa" } }

  it("1.x billing.previewMultiAttach: pro and 5 seats cost $70.00", async () => {
    now = "2025-03-01T00:00:00Z"
    const preview = await v1.billing.previewMultiAttach({ customerId: "cus_bob", plans, customerData })
    // pro $20.00 + 5 seats × $10.00 = $70.00 for Mar 1 – Apr 1, and again from Apr 1.
    expect(preview.lineItems.map((l) => [l.planId, l.featureId, l.quantity, l.total])).toEqual([["pro", null, 1, 20], ["seats", "seats", 5, 50]])
    expect(preview.total).toBe(70)
    expect(preview.nextCycle).toMatchObject({ startsAt: Date.parse("2025-04-01T00:00:00Z"), total: 70 })
    expect(preview.incoming.map((i) => [i.planId, i.featureQuantities])).toEqual([["pro", []], ["seats", [{ featureId: "seats", quantity: 5 }]]])
    expect((await state()).customers.some((c) => c.id === "cus_bob")).toBe(false) // a preview creates nothing
  })

  it("1.x billing.multiAttach: one subscription with both, $70.00 charged to the test card", async () => {
    const result = await v1.billing.multiAttach({ customerId: "cus_bob", plans, customerData })
    expect(result.invoice).toMatchObject({ status: "paid", total: 7000, currency: "usd" })
    expect(result.paymentUrl).toBeNull()
    expect(await chargesOf("cus_bob")).toEqual([7000])
    const subs = (await state()).subscriptions.filter((s) => s.customerId === "cus_bob")
    expect(subs.map((s) => s.items.map((i) => [i.planId, i.quantities]))).toEqual([[["pro", []], ["seats", [{ featureId: "seats", quantity: 5 }]]]])
  })
})

describe("errors as the clients see them", () => {
  it("1.x: an unknown plan rejects with the status and Autumn's error body", async () => {
    const error = await v1.billing.attach({ customerId: "cus_ada", planId: "platinum" }).then(() => undefined, (e: unknown) => e)
    expect(error).toMatchObject({ name: "AutumnDefaultError", statusCode: 404 })
    expect(JSON.parse((error as { readonly body: string }).body)).toMatchObject({ code: "product_not_found" })
  })

  it("0.x: an unknown product is { data: null, error } with the code", async () => {
    const { data, error } = await v0.checkout({ customer_id: "cus_ghost", product_id: "platinum" })
    expect(data).toBeNull()
    expect(error).toMatchObject({ code: "product_not_found" })
  })
})
