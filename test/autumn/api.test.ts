/**
 * The Autumn-compatible fetch handler with plain `Request`s: making it, authentication, request
 * decoding and error codes, the one conversion of amounts to Autumn's major-unit numbers, and the
 * in-memory customer store. The per-customer lock, `Idempotency-Key`, execution outcomes and
 * discounts: api-execution.test.ts.
 *
 * Catalog (test/support/autumnCatalog.ts): pro $20/month, premium $50/month, seats $10/seat/month.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { type AutumnHandler, makeAutumnHandler, makeMemoryStore, minorToMajor, toWireAmount } from "../../src/autumn/index.ts"
import * as Rational from "../../src/Rational.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { AUTUMN_TEST_CATALOG } from "../support/autumnCatalog.ts"
import { KEY, catalog, post, setup, state } from "./apiSetup.ts"

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

describe("the in-memory customer store", () => {
  it("refuses to create a customer twice and a put over a state that changed", async () => {
    const store = makeMemoryStore([{ id: "cus_1" }])
    const exists = await Effect.runPromise(Effect.result(store.create({ id: "cus_1" })))
    expect(Result.isFailure(exists) && exists.failure._tag).toBe("CustomerExists")
    const changed = await Effect.runPromise(Effect.result(store.put({ id: "cus_1", hasPaymentMethod: true }, { ifFingerprint: "cf_other" })))
    expect(Result.isFailure(changed) && changed.failure._tag).toBe("CustomerChanged")
  })
})
