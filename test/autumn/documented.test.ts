/**
 * Autumn's documented calls, answered as documented (issue #10): an unknown customer is created
 * by checkout, the checkout `product` is the whole documented v1 product, `invoice.total` is in
 * minor units, rewards in an Autumn catalog import as discounts.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { importAutumnCatalog, makeMemoryStore, sandboxCustomers } from "../../src/autumn/index.ts"
import { handlerOf } from "../support/autumnCatalog.ts"
import * as Sandbox from "../../src/Sandbox.ts"

const documentedPro = JSON.parse(readFileSync("test/fixtures/autumn/checkout-pro-v1.json", "utf8")) as Record<string, unknown>
const KEY = "am_sk_test_doc"

const setup = (catalogJson: unknown) => {
  const catalog = importAutumnCatalog(catalogJson)
  if (Result.isFailure(catalog)) throw new Error(catalog.failure.message)
  const sandbox = Sandbox.make()
  const customers = makeMemoryStore()
  const handler = handlerOf({
    catalog: catalog.success, keys: [KEY], customers, provider: sandbox.port, ...sandboxCustomers(sandbox), now: () => "2025-07-29T16:00:00Z"
  })
  const post = async (path: string, body: unknown) => {
    const r = await handler(new Request(`http://127.0.0.1${path}`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) }))
    return { status: r.status, body: (await r.json()) as Record<string, unknown> }
  }
  return { post, customers, sandbox }
}

/** Every key of `expected` is in `actual` with a value of the same JSON type, recursively. */
const sameShape = (actual: unknown, expected: unknown, path = "$"): Array<string> => {
  const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v)
  if (kind(actual) !== kind(expected)) return [`${path}: ${kind(actual)} instead of ${kind(expected)}`]
  if (Array.isArray(expected)) return expected.flatMap((e, i) => sameShape((actual as Array<unknown>)[i], e, `${path}[${i}]`))
  if (kind(expected) !== "object") return []
  return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
    k in (actual as Record<string, unknown>) ? sameShape((actual as Record<string, unknown>)[k], v, `${path}.${k}`) : [`${path}.${k}: missing`])
}

describe("the documented checkout of pro for a customer that does not exist yet", () => {
  it("creates user_123 and answers the documented response: url, no lines, the whole product", async () => {
    const s = setup(documentedPro)
    const r = await s.post("/v1/checkout", { customer_id: "user_123", product_id: "pro" })
    expect(r.status).toBe(200)
    const documented = { url: "https://checkout…", customer_id: "user_123", lines: [], product: documentedPro }
    expect(sameShape(r.body, documented)).toEqual([])
    expect(r.body["lines"]).toEqual([])
    // Every value the catalog fixes is the documented one (version 2, created_at, items in full).
    expect(r.body["product"]).toEqual(documentedPro)
    expect(await Effect.runPromise(s.customers.get("user_123"))).toMatchObject({ id: "user_123", hasPaymentMethod: false })
  })

  it("a preview of an unknown customer stores nothing; a failed attach leaves no customer behind", async () => {
    const s = setup(documentedPro)
    expect((await s.post("/v1/billing.preview_attach", { customer_id: "ghost", plan_id: "pro" })).status).toBe(200)
    expect((await s.post("/v1/billing.attach", { customer_id: "ghost2", plan_id: "platinum" })).status).toBe(404)
    expect(await Effect.runPromise(s.customers.get("ghost"))).toBeUndefined()
    expect(await Effect.runPromise(s.customers.get("ghost2"))).toBeUndefined()
  })

  it("an attach with a test card: invoice.total in minor units (2000 for $20.00); attaching pro again is 409", async () => {
    const s = setup(documentedPro)
    const data = { name: "Ada", metadata: { test_payment_method: "pm_card_visa" } }
    const r = await s.post("/v1/billing.attach", { customer_id: "cus_ada", plan_id: "pro", customer_data: data })
    expect(r).toMatchObject({ status: 200, body: { customer_id: "cus_ada", invoice: { status: "paid", total: 2000, currency: "usd" }, payment_url: null } })
    const again = await s.post("/v1/billing.attach", { customer_id: "cus_ada", plan_id: "pro" })
    expect(again).toMatchObject({ status: 409, body: { code: "plan_already_attached" } })
    expect((await Effect.runPromise(s.sandbox.state)).charges.map((c) => c.amount)).toEqual([2000])
    expect(await Effect.runPromise(s.customers.getProfile("cus_ada"))).toMatchObject({ name: "Ada", email: null })
  })
})

describe("rewards in an Autumn catalog", () => {
  const rewards = [{ id: "launch", name: "Launch", type: "percentage_discount", discount_config: { discount_value: 25, duration_type: "forever" }, promo_codes: [{ code: "LAUNCH25" }] }]

  it("import as discounts: pro $20.00 with 25 % off is $15.00 through reward_id and through the promotion code", async () => {
    const s = setup({ products: [documentedPro], rewards })
    // 2000 × 25 % = 500 off → 1500 = $15.00 (preview amounts are major units).
    const byId = await s.post("/v1/billing.preview_attach", { customer_id: "c1", plan_id: "pro", discounts: [{ reward_id: "launch" }] })
    expect(byId).toMatchObject({ status: 200, body: { total: 15 } })
    const byCode = await s.post("/v1/billing.preview_attach", { customer_id: "c1", plan_id: "pro", discounts: [{ promotion_code: "LAUNCH25" }] })
    expect(byCode).toMatchObject({ status: 200, body: { total: 15 } })
  })

  it("a reward the engine cannot express is a decode error naming the field", () => {
    const r = importAutumnCatalog({ products: [documentedPro], rewards: [{ id: "gift", type: "free_product", free_product_id: "pro" }] })
    expect(Result.isFailure(r) && r.failure.message).toContain("rewards[0].type")
    const months = importAutumnCatalog({ products: [documentedPro], rewards: [{ id: "m", type: "fixed_discount", discount_config: { discount_value: 5, duration_type: "months" } }] })
    expect(Result.isFailure(months) && months.failure.message).toContain("rewards[0].discount_config.duration_value")
  })
})
