/**
 * The Autumn-compatible fetch handler with plain `Request`s: authentication, request decoding,
 * error codes, the per-customer lock, `Idempotency-Key`, pending plans after a provider failure,
 * and the one conversion of amounts to Autumn's major-unit numbers.
 *
 * Catalog (test/support/autumnCatalog.ts): pro $20/month, premium $50/month, seats $10/seat/month.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { type AutumnHandler, makeAutumnHandler, makeMemoryStore, minorToMajor, sandboxCustomers, toWireAmount } from "../../src/autumn/index.ts"
import type { Customer } from "../../src/Customer.ts"
import { mapPort, type PaymentPort } from "../../src/Provider.ts"
import * as Rational from "../../src/Rational.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { withFaults } from "../../src/testing/index.ts"
import { AUTUMN_TEST_CATALOG, autumnTestCatalog, handlerOf } from "../support/autumnCatalog.ts"

const KEY = "am_sk_test_api"
const catalog = autumnTestCatalog()

interface Setup {
  readonly sandbox: Sandbox.SandboxOps
  readonly customers: ReturnType<typeof makeMemoryStore>
  readonly handler: AutumnHandler
}

/** A handler over a fresh sandbox; `clock` gives successive instants (a second apart by default). */
const setup = (options: { readonly customers?: ReadonlyArray<Customer>; readonly wrap?: (port: PaymentPort) => PaymentPort } = {}): Setup => {
  const sandbox = Sandbox.make()
  const customers = makeMemoryStore(options.customers ?? [])
  let tick = 0
  const now = () => new Date(Date.parse("2025-01-01T00:00:00Z") + 1000 * tick++).toISOString()
  const provider = options.wrap === undefined ? sandbox.port : options.wrap(sandbox.port)
  return { sandbox, customers, handler: handlerOf({ catalog, keys: [KEY, "am_sk_other"], customers, provider, now, ...sandboxCustomers(sandbox) }) }
}

const post = async (s: Setup, path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) => {
  const response = await s.handler(new Request(`http://localhost${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }))
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> }
}

const state = (s: Setup) => Effect.runPromise(s.sandbox.state)

/** The port with a network round trip before every call, so that concurrent requests interleave. */
const withLatency = (port: PaymentPort): PaymentPort =>
  mapPort(port, (_name, op) => (r) => Effect.flatMap(Effect.sleep("2 millis"), () => op(r)))

/** A stored customer with a card in the sandbox. */
const withCard = async (s: Setup, id: string, token = "pm_card_visa"): Promise<void> => {
  await Effect.runPromise(s.sandbox.attachPaymentMethod(id, token))
  await Effect.runPromise(s.customers.create({ id, hasPaymentMethod: true }))
}

describe("making the handler", () => {
  const base = { keys: [KEY], customers: makeMemoryStore(), provider: Sandbox.make().port, now: () => "2025-01-16T00:00:00Z" }
  const attachPro = (handler: AutumnHandler) =>
    handler(new Request("http://localhost/v1/billing.preview_attach", { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ customer_id: "cus_1", plan_id: "pro" }) }))

  it("takes a catalog document or a decoded catalog, and both answer alike", async () => {
    const fromDocument = makeAutumnHandler({ ...base, catalog: AUTUMN_TEST_CATALOG })
    const fromDecoded = makeAutumnHandler({ ...base, catalog })
    if (Result.isFailure(fromDocument) || Result.isFailure(fromDecoded)) throw new Error("both catalogs must be accepted")
    const [a, b] = await Promise.all([attachPro(fromDocument.success), attachPro(fromDecoded.success)])
    expect(a.status).toBe(200)
    expect(await a.json()).toEqual(await b.json())
  })

  it("refuses a catalog that does not decode when it is made, naming the bad field", () => {
    const bad = { ...AUTUMN_TEST_CATALOG, plans: [{ id: "pro", price: { amount: "twenty", interval: "month" } }] }
    const made = makeAutumnHandler({ ...base, catalog: bad })
    expect(Result.isFailure(made) && made.failure).toMatchObject({ _tag: "DecodeError", path: "catalog.plans[0].price.amount" })
  })
})

describe("amounts on the wire", () => {
  it("converts minor units to major-unit numbers exactly, per currency exponent", () => {
    expect(minorToMajor(1549, "usd")).toBe(15.49)
    expect(minorToMajor(-1032, "usd")).toBe(-10.32)
    expect(minorToMajor(30, "usd")).toBe(0.3) // "0.30", not 0.1 + 0.2
    expect(minorToMajor(5, "usd")).toBe(0.05)
    expect(minorToMajor(0, "usd")).toBe(0)
    expect(minorToMajor(1548, "jpy")).toBe(1548)
    expect(minorToMajor(12345n, "kwd")).toBe(12.345)
  })

  it("writes catalog prices by their decimal expansion; a non-terminating one is cut at 12 places", () => {
    expect(toWireAmount(Rational.make(1n, 10n))).toBe(0.1)
    expect(toWireAmount(Rational.make(-7n, 8n))).toBe(-0.875)
    expect(toWireAmount(Rational.make(1n, 3n))).toBe(0.333333333333)
  })
})

describe("authentication", () => {
  const attachNewCustomer = { customer_id: "cus_x", plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } }

  it.each([
    ["no Authorization header", {}, "no_auth_header"],
    ["a header that is not Bearer", { authorization: `Basic ${KEY}` }, "invalid_auth_header"],
    ["a wrong key", { authorization: "Bearer am_sk_wrong" }, "invalid_secret_key"]
  ])("%s: 401 and nothing runs", async (_, headers, code) => {
    const s = setup()
    const r = await post(s, "/v1/billing.attach", attachNewCustomer, headers)
    expect(r.status).toBe(401)
    expect(r.body["code"]).toBe(code)
    expect((await state(s)).log).toEqual([])
    expect(await Effect.runPromise(s.customers.get("cus_x"))).toBeUndefined()
  })

  it("any of the host's keys is accepted", async () => {
    const s = setup()
    const r = await post(s, "/v1/billing.attach", attachNewCustomer, { authorization: "Bearer am_sk_other" })
    expect(r.status).toBe(200)
  })
})

describe("bad requests", () => {
  it.each([
    ["an unknown field", { customer_id: "cus_1", plan_idd: "pro" }, /plan_idd: is not a field of this request/],
    ["a missing field", { customer_id: "cus_1" }, /^plan_id: is required but missing/],
    ["a field of the wrong type", { customer_id: "cus_1", plan_id: 7 }, /^plan_id: expected/],
    ["an Autumn field this server does not carry out", { customer_id: "cus_1", plan_id: "pro", customize: { price: null } }, /^customize: is not supported by this server/],
    ["a trial that reverts", { customer_id: "cus_1", plan_id: "pro", free_trial: { duration_length: 7, on_end: "revert" } }, /^free_trial\.on_end:/],
    ["both a reward id and a promotion code", { customer_id: "cus_1", plan_id: "pro", discounts: [{ reward_id: "a", promotion_code: "b" }] }, /^discounts\[0\]: expected exactly one/]
  ])("%s: 400 invalid_inputs naming the field", async (_, body, message) => {
    const s = setup({ customers: [{ id: "cus_1" }] })
    const r = await post(s, "/v1/billing.attach", body)
    expect(r.status).toBe(400)
    expect(r.body["code"]).toBe("invalid_inputs")
    expect(r.body["message"]).toMatch(message)
  })

  it("a body that is not JSON: 400", async () => {
    const r = await post(setup(), "/v1/billing.attach", "{nope")
    expect(r).toMatchObject({ status: 400, body: { code: "invalid_inputs" } })
  })

  it("an unknown customer without customer_data is previewed as a new customer; nothing is stored", async () => {
    const s = setup()
    const r = await post(s, "/v1/billing.preview_attach", { customer_id: "cus_ghost", plan_id: "pro" })
    // pro for a new customer: $20.00 for the first month.
    expect(r).toMatchObject({ status: 200, body: { customer_id: "cus_ghost", total: 20 } })
    expect(await Effect.runPromise(s.customers.get("cus_ghost"))).toBeUndefined()
    expect((await state(s)).log).toEqual([])
  })

  it("an unknown plan: 404 product_not_found; an unknown feature: 404 feature_not_found", async () => {
    const s = setup({ customers: [{ id: "cus_1" }] })
    expect(await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "platinum" })).toMatchObject({ status: 404, body: { code: "product_not_found" } })
    expect(await post(s, "/v1/billing.multi_attach", { customer_id: "cus_1", plans: [{ plan_id: "seats", feature_quantities: [{ feature_id: "desks", quantity: 2 }] }] }))
      .toMatchObject({ status: 404, body: { code: "feature_not_found" } })
    expect((await state(s)).log).toEqual([])
  })

  it("an unknown route: 404; a GET: 405", async () => {
    const s = setup()
    expect(await post(s, "/v1/billing.detach", {})).toMatchObject({ status: 404, body: { code: "not_found" } })
    const get = await s.handler(new Request("http://localhost/v1/billing.attach", { headers: { authorization: `Bearer ${KEY}` } }))
    expect(get.status).toBe(405)
  })
})

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

describe("the in-memory customer store", () => {
  it("refuses to create a customer twice and a put over a state that changed", async () => {
    const store = makeMemoryStore([{ id: "cus_1" }])
    const exists = await Effect.runPromise(Effect.result(store.create({ id: "cus_1" })))
    expect(Result.isFailure(exists) && exists.failure._tag).toBe("CustomerExists")
    const changed = await Effect.runPromise(Effect.result(store.put({ id: "cus_1", hasPaymentMethod: true }, { ifFingerprint: "cf_other" })))
    expect(Result.isFailure(changed) && changed.failure._tag).toBe("CustomerChanged")
  })
})
