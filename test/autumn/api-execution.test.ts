/**
 * The Autumn-compatible fetch handler with plain `Request`s, executing: the per-customer lock,
 * `Idempotency-Key`, execution outcomes (declines, pending plans after a provider failure,
 * checkouts) and discounts and credit balance on the wire. Authentication, decoding, error codes
 * and amounts: api.test.ts.
 *
 * Catalog (test/support/autumnCatalog.ts): pro $20/month, premium $50/month, seats $10/seat/month.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import type { Customer } from "../../src/Customer.ts"
import { mapPort, type PaymentPort } from "../../src/Provider.ts"
import { withFaults } from "../../src/testing/index.ts"
import { KEY, type Setup, catalog, post, setup, state } from "./apiSetup.ts"

/** The port with a network round trip before every call, so that concurrent requests interleave. */
const withLatency = (port: PaymentPort): PaymentPort =>
  mapPort(port, (_name, op) => (r) => Effect.flatMap(Effect.sleep("2 millis"), () => op(r)))

/** A stored customer with a card in the sandbox. */
const withCard = async (s: Setup, id: string, token = "pm_card_visa"): Promise<void> => {
  await Effect.runPromise(s.sandbox.attachPaymentMethod(id, token))
  await Effect.runPromise(s.customers.create({ id, hasPaymentMethod: true }))
}

describe("one customer at a time", () => {
  it("two concurrent attaches of pro: the second waits, finds pro attached, is refused with 409, and charges nothing", async () => {
    const s = setup({ wrap: withLatency })
    await withCard(s, "cus_1")
    // Each request plans at its own instant (the clock ticks), so without the lock both would plan
    // from the empty state with different idempotency keys and both charge $20.00.
    const [a, b] = await Promise.all([
      post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" }),
      post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" })
    ])
    expect([a.status, b.status]).toEqual([200, 409])
    expect(b.body["code"]).toBe("plan_already_attached")
    expect((await state(s)).charges.map((c) => c.amount)).toEqual([2000])
    expect((await Effect.runPromise(s.customers.get("cus_1")))?.subscriptions?.map((x) => x.planId)).toEqual(["pro"])
  })

  it("different customers are not held up by each other", async () => {
    const s = setup({ wrap: withLatency })
    await withCard(s, "cus_1")
    await withCard(s, "cus_2")
    const [a, b] = await Promise.all([
      post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" }),
      post(s, "/v1/billing.attach", { customer_id: "cus_2", plan_id: "premium" })
    ])
    expect([a.status, b.status]).toEqual([200, 200])
    expect((await state(s)).charges.map((c) => [c.customerId, c.amount]).sort()).toEqual([["cus_1", 2000], ["cus_2", 5000]])
  })
})

describe("Idempotency-Key", () => {
  const headers = (key: string) => ({ authorization: `Bearer ${KEY}`, "idempotency-key": key })

  it("the same key and body: the stored response is replayed, nothing runs again", async () => {
    const s = setup()
    await withCard(s, "cus_1")
    const body = { customer_id: "cus_1", plan_id: "pro" }
    const first = await post(s, "/v1/billing.attach", body, headers("k1"))
    const log = (await state(s)).log.length
    const again = await post(s, "/v1/billing.attach", body, headers("k1"))
    expect(again.body).toEqual(first.body)
    expect(again.headers.get("idempotent-replayed")).toBe("true")
    expect((await state(s)).log.length).toBe(log)
    expect((await state(s)).charges.map((c) => c.amount)).toEqual([2000])
  })

  it("the same key sent twice at once: one execution, the same response for both", async () => {
    const s = setup({ wrap: withLatency })
    await withCard(s, "cus_1")
    const body = { customer_id: "cus_1", plan_id: "premium" }
    const [a, b] = await Promise.all([post(s, "/v1/billing.attach", body, headers("k2")), post(s, "/v1/billing.attach", body, headers("k2"))])
    expect(a.body).toEqual(b.body)
    expect((await state(s)).charges.map((c) => c.amount)).toEqual([5000])
  })

  it("the same key with another body or route: 422 idempotency_key_reused, nothing runs", async () => {
    const s = setup()
    await withCard(s, "cus_1")
    await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" }, headers("k3"))
    const log = (await state(s)).log.length
    const otherBody = await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "premium" }, headers("k3"))
    const otherRoute = await post(s, "/v1/billing.preview_attach", { customer_id: "cus_1", plan_id: "pro" }, headers("k3"))
    expect(otherBody).toMatchObject({ status: 422, body: { code: "idempotency_key_reused" } })
    expect(otherRoute).toMatchObject({ status: 422, body: { code: "idempotency_key_reused" } })
    expect((await state(s)).log.length).toBe(log)
  })

  it("keys are per API key: another key's same Idempotency-Key is a new request", async () => {
    const s = setup()
    await withCard(s, "cus_1")
    await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" }, headers("k4"))
    const other = await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "premium" }, { authorization: "Bearer am_sk_other", "idempotency-key": "k4" })
    expect(other.status).toBe(200)
  })
})

describe("execution outcomes", () => {
  it("a declined card: 200 with required_action payment_failed and the open invoice to pay", async () => {
    const s = setup()
    await withCard(s, "cus_1", "pm_card_declined")
    const r = await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ required_action: { code: "payment_failed" }, invoice: { status: "open", total: 2000 } })
    expect(r.body["payment_url"]).toMatch(/\/invoices\/in_sbx_/)
    expect((await state(s)).charges).toEqual([])
    expect((await Effect.runPromise(s.customers.get("cus_1")))?.subscriptions ?? []).toEqual([])
  })

  it("the provider fails after charging: 503; the retry completes the same plan, charging once", async () => {
    // pro for a customer with a card: createSubscription (call 0), createInvoice (1), payInvoice (2).
    // The payment goes through but its response is lost.
    const s = setup({ wrap: (port) => withFaults(port, { calls: [2], when: "after" }) })
    await withCard(s, "cus_1")
    const failed = await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" })
    expect(failed).toMatchObject({ status: 503, body: { code: "payment_provider_unavailable" } })
    expect((await state(s)).charges.map((c) => c.amount)).toEqual([2000])
    const retried = await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" })
    expect(retried.status).toBe(200)
    expect((await state(s)).charges.map((c) => c.amount)).toEqual([2000])
    expect((await Effect.runPromise(s.customers.get("cus_1")))?.subscriptions?.map((x) => [x.planId, x.providerSubscriptionId])).toEqual([["pro", "sub_sbx_0001"]])
  })

  it("a checkout for a customer with a card only previews: no provider call, no url", async () => {
    const s = setup()
    await withCard(s, "cus_1")
    const r = await post(s, "/v1/checkout", { customer_id: "cus_1", product_id: "seats", options: [{ feature_id: "seats", quantity: 3 }] })
    // 3 seats × $10.00 = $30.00 today and at the next cycle.
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ total: 30, options: [{ feature_id: "seats", quantity: 3 }], product: { id: "seats", is_add_on: true, properties: { updateable: true } } })
    expect(r.body["url"]).toBeUndefined()
    expect((await state(s)).log).toEqual([])
  })

  it("a pending checkout takes effect through resume (the provider's webhook)", async () => {
    const s = setup()
    const r = await post(s, "/v1/checkout", { customer_id: "cus_new", product_id: "pro", customer_data: { name: "New" } })
    // A webhook that comes before the customer completed the checkout leaves the plan pending.
    expect(await s.handler.resume("cus_new")).toMatchObject({ status: 200, body: { required_action: { code: "payment_method_required" }, payment_url: r.body["url"] } })
    await Effect.runPromise(s.sandbox.completeCheckout(String(r.body["url"]), "pm_card_visa"))
    const resumed = await s.handler.resume("cus_new")
    expect(resumed).toMatchObject({ status: 200, body: { customer_id: "cus_new", invoice: { status: "paid", total: 2000 } } })
    expect(await s.handler.resume("cus_new")).toEqual({ status: 200, body: { customer_id: "cus_new", payment_url: null } })
    expect((await state(s)).charges.map((c) => c.amount)).toEqual([2000])
  })
})

describe("discounts and credit balance on the wire", () => {
  it("preview and attach of pro with the LAUNCH code and a $5.00 credit balance", async () => {
    const s = setup()
    const customer: Customer = { id: "cus_1", hasPaymentMethod: true, creditBalance: 500 }
    await Effect.runPromise(s.sandbox.seedCustomer(customer, catalog))
    await Effect.runPromise(s.customers.create(customer))
    const body = { customer_id: "cus_1", plan_id: "pro", discounts: [{ promotion_code: "LAUNCH" }] }
    // pro $20.00, 20% off → −$4.00 → $16.00; the $5.00 balance pays part of it → $11.00 charged.
    const preview = await post(s, "/v1/billing.preview_attach", body)
    expect(preview.body).toMatchObject({
      line_items: [{ plan_id: "pro", subtotal: 20, total: 16, discounts: [{ amount_off: 4, reward_id: "launch", reward_name: "Launch" }] }],
      subtotal: 20, total: 16, invoice_credits: { balance: 5, applied: 5, currency: "usd" }
    })
    const attached = await post(s, "/v1/billing.attach", body)
    expect(attached.body).toMatchObject({ invoice: { status: "paid", total: 1600 } })
    expect((await state(s)).charges.map((c) => c.amount)).toEqual([1100])
  })

  it("the legacy checkout's reward is a discount id or a promotion code", async () => {
    const s = setup()
    await withCard(s, "cus_1")
    for (const reward of ["launch", "LAUNCH"]) {
      const r = await post(s, "/v1/checkout", { customer_id: "cus_1", product_id: "pro", reward })
      expect(r.body).toMatchObject({ total: 16, lines: [{ amount: 16 }] }) // $20.00 − 20%
    }
    expect(await post(s, "/v1/checkout", { customer_id: "cus_1", product_id: "pro", reward: "NOPE" })).toMatchObject({ status: 404, body: { code: "reward_not_found" } })
  })
})
