/**
 * Autumn's two documented calls, verbatim (only the client's base URL changed), through the
 * official clients against a real HTTP server on 127.0.0.1, for customers that do not exist
 * beforehand — then the same customer goes on: customers.get, a seat increase, a cancel at the
 * end of the cycle and an uncancel. Bad bodies on the new routes answer `{ code, message }`
 * naming the field, and change nothing.
 *
 * Catalogs: the documented checkout's `pro` product (Autumn v1, $20/month); and, for the
 * multi-attach, `pro_plan` $24/month and the add-on `addon_seats` at $5 per seat per month
 * (prepaid), so the documented answer's total is 24 + 5 × 5 = $49.00 = 4900 cents.
 */
import { Autumn } from "autumn-js"
import { Autumn as AutumnV0 } from "autumn-js-v0"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { importAutumnCatalog, makeMemoryStore, sandboxCustomers } from "../../src/autumn/index.ts"
import { handlerOf } from "../support/autumnCatalog.ts"
import type { CustomerStoreOps } from "../../src/autumn/CustomerStore.ts"
import { type Listening, listen } from "../../src/cli/serve.ts"
import { decodeCatalog } from "../../src/Document.ts"
import * as Sandbox from "../../src/Sandbox.ts"

const KEY = "am_sk_test_seeds"
let now = "2025-03-01T00:00:00Z"

const SEEDS_CATALOG = {
  defaultCurrency: "usd",
  features: [{ id: "seats", name: "Seats", type: "metered" }],
  plans: [
    { id: "pro_plan", name: "Pro", price: { amount: "24", interval: "month" } },
    { id: "addon_seats", name: "Seats", addOn: true, items: [{ featureId: "seats", price: { amount: "5", interval: "month", billingMethod: "prepaid" } }] }
  ]
}

interface Served {
  readonly server: Listening
  readonly sandbox: Sandbox.SandboxOps
  readonly customers: CustomerStoreOps
}

const serve = async (catalogJson: unknown, autumnCatalog: boolean, testCard?: string): Promise<Served> => {
  const catalog = autumnCatalog ? importAutumnCatalog(catalogJson) : decodeCatalog(catalogJson)
  if (Result.isFailure(catalog)) throw new Error(catalog.failure.message)
  const sandbox = Sandbox.make()
  const customers = makeMemoryStore()
  const handler = handlerOf({
    catalog: catalog.success, keys: [KEY], customers, provider: sandbox.port,
    ...sandboxCustomers(sandbox, testCard === undefined ? {} : { testCard }), now: () => now
  })
  return { server: await listen(handler, { port: 0, host: "127.0.0.1" }), sandbox, customers }
}

let checkoutServer: Served
let billingServer: Served

beforeAll(async () => {
  checkoutServer = await serve(JSON.parse(readFileSync("test/fixtures/autumn/checkout-pro-v1.json", "utf8")), true)
  billingServer = await serve(SEEDS_CATALOG, false, "pm_card_visa")
})

afterAll(async () => {
  await checkoutServer.server.close()
  await billingServer.server.close()
})

const chargesOf = async (s: Served, customerId = "cus_123") =>
  (await Effect.runPromise(s.sandbox.state)).charges.filter((c) => c.customerId === customerId).map((c) => c.amount)

/** Every key of `expected` is in `actual` with a value of the same JSON type, recursively. */
const sameShape = (actual: unknown, expected: unknown, path = "$"): Array<string> => {
  const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v)
  if (kind(actual) !== kind(expected)) return [`${path}: ${kind(actual)} instead of ${kind(expected)}`]
  if (kind(expected) !== "object") return []
  return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
    k in (actual as Record<string, unknown>) ? sameShape((actual as Record<string, unknown>)[k], v, `${path}.${k}`) : [`${path}.${k}: missing`])
}

describe("autumn-js 0.x: the documented checkout", () => {
  it("creates user_123 and answers with the checkout url, no lines and the whole product", async () => {
    const autumn = new AutumnV0({ secretKey: KEY, url: `${checkoutServer.server.url}/v1` })
    const { data, error } = await autumn.checkout({ customer_id: 'user_123', product_id: 'pro' })
    expect(error).toBeNull()
    expect(data).toMatchObject({ customer_id: "user_123", lines: [], product: { id: "pro", name: "Pro" } })
    expect(data?.url).toMatch(/^https:\/\//)
    expect(await Effect.runPromise(checkoutServer.customers.get("user_123"))).toMatchObject({ id: "user_123", hasPaymentMethod: false })
    // 0.x reads the customer back at GET /customers/:id (x-api-version 1.2: the v1 shape).
    const customer = await autumn.customers.get("user_123")
    expect(customer.error).toBeNull()
    expect(customer.data).toMatchObject({ id: "user_123", products: [] })
  })
})

/** An autumn-js 1.x client of the billing server. */
const v1Client = () => new Autumn({ secretKey: KEY, serverURL: billingServer.server.url })

/** The documented multi-attach for new customers, then the same one again. */
const multiAttachSteps = () => {
  it("creates cus_123 and charges $49.00: the invoice total is 4900 (cents) in usd", async () => {
    now = "2025-03-01T00:00:00Z"
    const response = await v1Client().billing.multiAttach({ customerId: "cus_123", plans: [
      { planId: "pro_plan" },
      { planId: "addon_seats", featureQuantities: [{ featureId: "seats", quantity: 5 }] } ] })
    expect(response).toMatchObject({ customerId: "cus_123", paymentUrl: null, invoice: { status: "paid", total: 4900, currency: "usd" } })
    expect(await chargesOf(billingServer)).toEqual([4900])
  })

  it("on the wire the answer is the documented one, key by key (cus_124, also new)", async () => {
    const documented = JSON.parse(readFileSync("test/fixtures/autumn/multi-attach-response.json", "utf8")) as Record<string, unknown>
    const r = await fetch(`${billingServer.server.url}/v1/billing.multi_attach`, {
      method: "POST", headers: { authorization: `Bearer ${KEY}`, "x-api-version": "2.1" },
      body: JSON.stringify({ customer_id: "cus_124", plans: [{ plan_id: "pro_plan" }, { plan_id: "addon_seats", feature_quantities: [{ feature_id: "seats", quantity: 5 }] }] })
    })
    const body = (await r.json()) as Record<string, unknown>
    expect(r.status).toBe(200)
    expect(sameShape(body, documented)).toEqual([])
    expect(body).toMatchObject({ customer_id: "cus_124", payment_url: null, invoice: { status: "paid", total: 4900, currency: "usd" } })
    expect(await chargesOf(billingServer, "cus_124")).toEqual([4900])
  })

  it("the same multi-attach again is 409 plan_already_attached, and nothing is charged", async () => {
    const again = fetch(`${billingServer.server.url}/v1/billing.multi_attach`, {
      method: "POST", headers: { authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ customer_id: "cus_123", plans: [{ plan_id: "pro_plan" }, { plan_id: "addon_seats", feature_quantities: [{ feature_id: "seats", quantity: 5 }] }] })
    })
    const r = await again
    expect(r.status).toBe(409)
    expect(await r.json()).toMatchObject({ code: "plan_already_attached" })
    expect(await chargesOf(billingServer)).toEqual([4900])
  })
}

/** cus_123 after the multi-attach: read back, seats increased, cancelled, uncancelled, cancelled at once. */
const sameCustomerSteps = () => {
  it("customers.get shows both plans as subscriptions, 5 seats", async () => {
    const customer = await v1Client().customers.get({ customerId: "cus_123" })
    expect(customer.id).toBe("cus_123")
    expect(customer.subscriptions.map((s) => [s.planId, s.status, s.quantity])).toEqual([["pro_plan", "active", 1], ["addon_seats", "active", 5]])
    expect(customer.subscriptions[0]?.currentPeriodEnd).toBe(Date.parse("2025-04-01T00:00:00Z"))
  })

  it("seats 5 → 8 on Mar 16: preview and update charge 3 × $5 × 16/31 = $7.74", async () => {
    now = "2025-03-16T00:00:00Z"
    // 3 seats × 500 = 1500 for a month; 16 of 31 days left: 1500 × 16/31 = 774.19… → 774.
    const preview = await v1Client().billing.previewUpdate({ customerId: "cus_123", planId: "addon_seats", featureQuantities: [{ featureId: "seats", quantity: 8 }] })
    expect(preview).toMatchObject({ customerId: "cus_123", total: 7.74, currency: "usd", intent: "update_quantity" })
    const updated = await v1Client().billing.update({ customerId: "cus_123", planId: "addon_seats", featureQuantities: [{ featureId: "seats", quantity: 8 }] })
    expect(updated).toMatchObject({ customerId: "cus_123", invoice: { status: "paid", total: 774 } })
    expect(await chargesOf(billingServer)).toEqual([4900, 774])
    const customer = await v1Client().customers.get({ customerId: "cus_123" })
    expect(customer.subscriptions.find((s) => s.planId === "addon_seats")?.quantity).toBe(8)
  })

  it("cancel pro_plan at the end of the cycle: nothing charged, it expires Apr 1", async () => {
    const preview = await v1Client().billing.previewUpdate({ customerId: "cus_123", planId: "pro_plan", cancelAction: "cancel_end_of_cycle" })
    expect(preview).toMatchObject({ total: 0, intent: "cancel_end_of_cycle", outgoing: [{ planId: "pro_plan", expiresAt: Date.parse("2025-04-01T00:00:00Z") }] })
    const r = await v1Client().billing.update({ customerId: "cus_123", planId: "pro_plan", cancelAction: "cancel_end_of_cycle" })
    expect(r).toMatchObject({ customerId: "cus_123", paymentUrl: null })
    expect(r.invoice).toBeUndefined()
    const pro = (await v1Client().customers.get({ customerId: "cus_123" })).subscriptions.find((s) => s.planId === "pro_plan")
    expect(pro).toMatchObject({ canceledAt: Date.parse("2025-04-01T00:00:00Z"), expiresAt: Date.parse("2025-04-01T00:00:00Z") })
    const state = await Effect.runPromise(billingServer.sandbox.state)
    // Both plans bill on one provider subscription: from Apr 1 it holds the seats alone.
    const billing = state.subscriptions.filter((s) => s.customerId === "cus_123")
    expect(billing.map((s) => [s.cancelAt, s.phase?.at, s.phase?.items.map((i) => i.planId)])).toEqual([[null, "2025-04-01T00:00:00.000Z", ["addon_seats"]]])
    expect(await chargesOf(billingServer)).toEqual([4900, 774])
  })

  it("uncancel: pro_plan renews again, nothing charged", async () => {
    const r = await v1Client().billing.update({ customerId: "cus_123", planId: "pro_plan", cancelAction: "uncancel" })
    expect(r).toMatchObject({ customerId: "cus_123", paymentUrl: null })
    const pro = (await v1Client().customers.get({ customerId: "cus_123" })).subscriptions.find((s) => s.planId === "pro_plan")
    expect(pro).toMatchObject({ canceledAt: null, expiresAt: null })
    expect(await chargesOf(billingServer)).toEqual([4900, 774])
  })

  it("cancel immediately on Mar 16: the unused $24 × 16/31 = $12.39 goes to the credit balance", async () => {
    // 2400 × 16/31 = 1238.70… → 1239 credited; pro_plan ends now.
    const preview = await v1Client().billing.previewUpdate({ customerId: "cus_123", planId: "pro_plan", cancelAction: "cancel_immediately" })
    expect(preview).toMatchObject({ total: -12.39, intent: "cancel_immediately" })
    await v1Client().billing.update({ customerId: "cus_123", planId: "pro_plan", cancelAction: "cancel_immediately" })
    const stored = await Effect.runPromise(billingServer.customers.get("cus_123"))
    expect(stored?.creditBalance).toBe(1239)
    const customer = await v1Client().customers.get({ customerId: "cus_123" })
    expect(customer.subscriptions.map((s) => s.planId)).toEqual(["addon_seats"])
  })
}

describe("autumn-js 1.x: the documented multi-attach, then the same customer goes on", () => {
  describe("the multi-attach", multiAttachSteps)
  describe("the same customer goes on", sameCustomerSteps)
})

/** POSTs `body` as JSON to the billing server with the secret key; answers the status and the JSON body. */
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${billingServer.server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, ...headers }, body: JSON.stringify(body) })
    .then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))

/** Bodies, routes and API versions the server refuses, and how it says so. */
const refusedCalls = () => {
  it("bad bodies name the field and change nothing", async () => {
    const before = await Effect.runPromise(billingServer.customers.get("cus_123"))
    expect(await post("/v1/billing.update", { customer_id: "cus_123", plan_id: "addon_seats", feature_quantities: [{ feature_id: "seats", quantity: "9" }] }))
      .toMatchObject({ status: 400, body: { code: "invalid_inputs", message: expect.stringContaining("feature_quantities[0].quantity") } })
    expect(await post("/v1/billing.update", { customer_id: "cus_123", plan_id: "addon_seats" }))
      .toMatchObject({ status: 400, body: { message: expect.stringContaining("feature_quantities") } })
    expect(await post("/v1/billing.update", { customer_id: "cus_123", plan_id: "addon_seats", cancel_action: "pause" }))
      .toMatchObject({ status: 400, body: { message: expect.stringContaining("cancel_action") } })
    expect(await post("/v1/billing.preview_update", { customer_id: "cus_123", plan_id: "nope", cancel_action: "cancel_end_of_cycle" }))
      .toMatchObject({ status: 404, body: { code: "plan_not_attached" } })
    expect(await post("/v1/customers.update", { customer_id: "cus_123", email: 7 }))
      .toMatchObject({ status: 400, body: { message: expect.stringContaining("email") } })
    expect(await post("/v1/customers.list", { limit: 0 })).toMatchObject({ status: 400, body: { message: expect.stringContaining("limit") } })
    expect(await post("/v1/customers.get_or_create", { customer_id: "cus_new", email: ["a"] })).toMatchObject({ status: 400, body: { message: expect.stringContaining("email") } })
    expect(await post("/v1/attach", { customer_id: "cus_123", product_id: 5 })).toMatchObject({ status: 400, body: { message: expect.stringContaining("product_id") } })
    expect(await post("/v1/attach", { customer_id: "cus_new2", product_id: "pro_plan", free_trial: "yes" })).toMatchObject({ status: 400, body: { message: expect.stringContaining("free_trial") } })
    expect(await post("/v1/cancel", { customer_id: "cus_123" })).toMatchObject({ status: 400, body: { message: expect.stringContaining("product_id") } })
    expect(await post("/v1/customers.get", { customer_id: "cus_nobody" })).toMatchObject({ status: 404, body: { code: "customer_not_found" } })
    expect(await Effect.runPromise(billingServer.customers.get("cus_new"))).toBeUndefined()
    expect(await Effect.runPromise(billingServer.customers.get("cus_new2"))).toBeUndefined()
    expect(await Effect.runPromise(billingServer.customers.get("cus_123"))).toEqual(before)
    expect(await chargesOf(billingServer)).toEqual([4900, 774])
  })

  it("metering routes answer 501 not_implemented, never a bare 404", async () => {
    for (const path of ["/v1/check", "/v1/track", "/v1/balances.check", "/v1/events.list", "/v1/usage"]) {
      expect(await post(path, { customer_id: "cus_123", feature_id: "seats" })).toMatchObject({ status: 501, body: { code: "not_implemented" } })
    }
  })

  it("x-api-version: 1.x and 2.1+ are served, anything else is a 400 naming the versions", async () => {
    expect((await post("/v1/customers.get", { customer_id: "cus_123" }, { "x-api-version": "1.2" })).body).toHaveProperty("products")
    expect((await post("/v1/customers.get", { customer_id: "cus_123" }, { "x-api-version": "2.1" })).body).toHaveProperty("subscriptions")
    for (const v of ["2.0", "0.9", "banana"]) {
      expect(await post("/v1/customers.get", { customer_id: "cus_123" }, { "x-api-version": v }))
        .toMatchObject({ status: 400, body: { code: "unsupported_api_version", message: expect.stringContaining("2.1") } })
    }
  })
}

/** The customers routes (1.x) and the legacy 0.x attach, cancel and customers calls. */
const customerAndLegacyCalls = () => {
  it("customers.get_or_create, customers.update and customers.list (1.x), keeping customer_data", async () => {
    const client = new Autumn({ secretKey: KEY, serverURL: billingServer.server.url })
    const created = await client.customers.getOrCreate({ customerId: "cus_ada", name: "Ada", email: "ada@example.com", metadata: { team: "core" } })
    expect(created).toMatchObject({ id: "cus_ada", name: "Ada", email: "ada@example.com", metadata: { team: "core" }, subscriptions: [] })
    const updated = await client.customers.update({ customerId: "cus_ada", name: "Ada L." })
    expect(updated).toMatchObject({ id: "cus_ada", name: "Ada L.", email: "ada@example.com" })
    const page = await client.customers.list({ limit: 10 })
    expect(page.list.map((c) => c.id).sort()).toEqual(["cus_123", "cus_124", "cus_ada"])
  })

  it("0.x attach and cancel: attach confirms a plan, cancel ends it at the end of the cycle", async () => {
    now = "2025-03-20T00:00:00Z"
    const v0 = new AutumnV0({ secretKey: KEY, url: `${billingServer.server.url}/v1` })
    const attached = await v0.attach({ customer_id: "cus_bob", product_id: "pro_plan" })
    expect(attached.error).toBeNull()
    // pro_plan from Mar 20 to Apr 20: $24.00 in full (anchored today).
    expect(attached.data).toMatchObject({ customer_id: "cus_bob", product_ids: ["pro_plan"], code: "new_product_attached", invoice: { total: 2400 } })
    const cancelled = await v0.cancel({ customer_id: "cus_bob", product_id: "pro_plan" })
    expect(cancelled).toMatchObject({ data: { success: true, customer_id: "cus_bob", product_id: "pro_plan" }, error: null })
    const listed = await v0.customers.list({ limit: 10 })
    expect(listed.data?.list.map((c) => c.id)).toContain("cus_bob")
    const eve = await v0.customers.create({ id: "cus_eve", name: "Eve", email: "eve@example.com" })
    expect(eve.error?.message ?? null).toBeNull()
    expect(eve).toMatchObject({ data: { id: "cus_eve", name: "Eve", products: [] }, error: null })
    expect(await v0.customers.update("cus_eve", { name: "Eve K." })).toMatchObject({ data: { id: "cus_eve", name: "Eve K.", email: "eve@example.com" }, error: null })
    const bob = await v0.customers.get("cus_bob")
    expect(bob.data?.products[0]).toMatchObject({ id: "pro_plan", canceled_at: Date.parse("2025-04-20T00:00:00Z") })
  })
}

describe("the other routes an app calls", () => {
  describe("refused calls", refusedCalls)
  describe("customers and 0.x calls", customerAndLegacyCalls)
})
