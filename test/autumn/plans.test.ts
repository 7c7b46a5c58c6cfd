/**
 * Autumn's plan listings priced for a customer (issue #16 part 3), through the official clients
 * against the handler on 127.0.0.1: autumn-js 1.x `plans.list` / `plans.get` (their zod schemas
 * validate every response) and the 0.x `products.list`. Each eligibility is the library's own
 * pricing table row for that plan (`customerEligibility`).
 *
 * Catalog: examples/pricing.json — free; pro $20/month; premium $50/month; business $120/month
 * with a 14-day trial (no card); priority_support, a $15/month add-on; onboarding, a $99 one-off
 * add-on. The server's clock: Jan 16 2025.
 * - cus_pro: on pro since Jan 1 (the example's customer).
 * - cus_team: on premium for its workspace ws_1 only, nothing at the customer level.
 */
import { readFileSync } from "node:fs"
import { Autumn } from "autumn-js"
import { Autumn as AutumnV0 } from "autumn-js-v0"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { handlerOf } from "../support/autumnCatalog.ts"
import { CustomerStore, makeMemoryStore } from "../../src/autumn/CustomerStore.ts"
import * as AutumnOps from "../../src/autumn/Plans.ts"
import { type Listening, listen } from "../../src/cli/serve.ts"
import type { Customer } from "../../src/Customer.ts"
import { customerEligibility, decodeCatalog, previewPricingTableSync } from "../../src/index.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { root } from "../support/runCli.ts"

const KEY = "am_sk_test_plans"
const NOW = "2025-01-16T00:00:00Z"
const example = JSON.parse(readFileSync(`${root}examples/pricing.json`, "utf8")) as { catalog: unknown; customer: Customer }
const catalog = (() => {
  const r = decodeCatalog(example.catalog)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
})()
const team: Customer = {
  id: "cus_team", hasPaymentMethod: true,
  subscriptions: [{ id: "sub_ws1", planId: "premium", status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z", entityId: "ws_1" }]
}
const ORDER = ["free", "pro", "premium", "business", "priority_support", "onboarding"]

let server: Listening
let v1: Autumn
let v0: AutumnV0

const post = async (path: string, body: unknown): Promise<{ status: number; json: unknown }> => {
  const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) })
  return { status: response.status, json: await response.json() }
}

/** The library's own table row eligibilities for a customer (and entity). */
const libraryEligibility = (customer: Customer, entityId?: string) => {
  const table = previewPricingTableSync({ catalog: example.catalog, customer, at: NOW, ...(entityId === undefined ? {} : { entityId }) })
  if (Result.isFailure(table)) throw new Error(table.failure.message)
  return table.success.plans.map((row) => customerEligibility(row))
}

beforeAll(async () => {
  const customers = makeMemoryStore()
  await Effect.runPromise(customers.create(example.customer))
  await Effect.runPromise(customers.create(team))
  const handler = handlerOf({ catalog, keys: [KEY], customers, provider: Sandbox.make().port, now: () => NOW })
  server = await listen(handler, { port: 0, host: "127.0.0.1" })
  v1 = new Autumn({ secretKey: KEY, serverURL: server.url })
  v0 = new AutumnV0({ secretKey: KEY, url: `${server.url}/v1` })
})

afterAll(async () => {
  await server.close()
})

describe("1.x plans.list", () => {
  it("with customerId: each plan's customerEligibility, as the client types it", async () => {
    const { list } = await v1.plans.list({ customerId: "cus_pro" })
    expect(list.map((p) => p.id)).toEqual(ORDER)
    expect(list.map((p) => p.customerEligibility)).toEqual([
      { attachAction: "downgrade" }, // free: pro is cancelled at its period end (Feb 1)
      { attachAction: "none", status: "active", canceling: false, trialing: false }, // pro: held
      { attachAction: "upgrade" }, // premium: $50 > $20
      { attachAction: "upgrade", trialAvailable: true }, // business: upgrade with its 14-day trial
      { attachAction: "activate" }, // priority_support: an add-on beside pro
      { attachAction: "purchase" } // onboarding: one-off
    ])
    const premium = list[2]
    expect(premium?.price).toEqual({ amount: 50, interval: "month" })
    expect(premium?.items.map((i) => [i.featureId, i.included, i.unlimited, i.price?.amount ?? null])).toEqual([["messages", 10000, false, 0.01], ["seats", 10, false, null], ["sso", 0, false, null]])
    expect(list[3]?.freeTrial).toEqual({ durationLength: 14, durationType: "day", cardRequired: false, onEnd: "bill" })
    expect(list[5]?.price).toEqual({ amount: 99, interval: "one_off" })
    expect(list.map((p) => [p.addOn, p.autoEnable, p.archived, p.env])).toEqual([
      [false, true, false, "sandbox"], [false, false, false, "sandbox"], [false, false, false, "sandbox"],
      [false, false, false, "sandbox"], [true, false, false, "sandbox"], [true, false, false, "sandbox"]
    ])
  })

  it("on the wire: customer_eligibility (with its scenario) is the library's pricing table row", async () => {
    const { status, json } = await post("/v1/plans.list", { customer_id: "cus_pro" })
    expect(status).toBe(200)
    const wire = (json as { list: Array<{ customer_eligibility: unknown }> }).list.map((p) => p.customer_eligibility)
    expect(wire).toEqual(libraryEligibility(example.customer))
    expect(wire.map((e) => (e as { scenario: string }).scenario)).toEqual(["cancel", "active", "upgrade", "upgrade", "new", "new"])
  })

  it("with entityId: the entity's own plans decide", async () => {
    const customerLevel = await v1.plans.list({ customerId: "cus_team" })
    expect(customerLevel.list.map((p) => p.customerEligibility?.attachAction)).toEqual(["activate", "activate", "activate", "activate", "activate", "purchase"])
    const workspace = await v1.plans.list({ customerId: "cus_team", entityId: "ws_1" })
    expect(workspace.list.map((p) => p.customerEligibility?.attachAction)).toEqual(["downgrade", "downgrade", "none", "upgrade", "activate", "purchase"])
    expect(workspace.list[2]?.customerEligibility).toEqual({ attachAction: "none", status: "active", canceling: false, trialing: false })
    const { json } = await post("/v1/plans.list", { customer_id: "cus_team", entity_id: "ws_1" })
    expect((json as { list: Array<{ customer_eligibility: unknown }> }).list.map((p) => p.customer_eligibility)).toEqual(libraryEligibility(team, "ws_1"))
  })

  it("without a customer: the plans without eligibility; an unknown customer is priced as a new one", async () => {
    const plain = await v1.plans.list()
    expect(plain.list.map((p) => [p.id, p.customerEligibility])).toEqual(ORDER.map((id) => [id, undefined]))
    const fresh = await v1.plans.list({ customerId: "cus_visitor" })
    expect(fresh.list.map((p) => p.customerEligibility)).toEqual([
      { attachAction: "activate" }, { attachAction: "activate" }, { attachAction: "activate" },
      { attachAction: "activate", trialAvailable: true }, { attachAction: "activate" }, { attachAction: "purchase" }
    ])
  })
})

describe("1.x plans.get", () => {
  it("one plan through the client; with customer_id its customer_eligibility (validated by the client's schema)", async () => {
    const business = await v1.plans.get({ planId: "business" })
    expect(business).toMatchObject({ id: "business", name: "Business", version: 1, price: { amount: 120, interval: "month" } })
    expect(business.customerEligibility).toBeUndefined()
    // The 1.x client sends only planId / version; the server also reads customer_id and entity_id.
    const { status, json } = await post("/v1/plans.get", { plan_id: "business", customer_id: "cus_pro" })
    expect(status).toBe(200)
    const { getPlanResponseFromJSON } = await import("autumn-js")
    const parsed = getPlanResponseFromJSON(JSON.stringify(json))
    if (!parsed.ok) throw parsed.error
    expect(parsed.value.customerEligibility).toEqual({ attachAction: "upgrade", trialAvailable: true })
    expect((json as { customer_eligibility: unknown }).customer_eligibility).toEqual(libraryEligibility(example.customer)[3])
  })

  it("an unknown plan is 404 product_not_found through the client", async () => {
    const error = await v1.plans.get({ planId: "platinum" }).then(() => undefined, (e: unknown) => e)
    expect(error).toMatchObject({ statusCode: 404 })
    expect(JSON.parse((error as { readonly body: string }).body)).toMatchObject({ code: "product_not_found", message: 'plan_id: no plan "platinum"' })
  })
})

describe("0.x products.list", () => {
  it("with customer_id: each product's scenario and trial availability", async () => {
    const { data, error } = await v0.products.list({ customer_id: "cus_pro" })
    expect(error).toBeNull()
    const list = data?.list ?? []
    expect(list.map((p) => [p.id, p.scenario])).toEqual([
      ["free", "cancel"], ["pro", "active"], ["premium", "upgrade"], ["business", "upgrade"], ["priority_support", "new"], ["onboarding", "new"]
    ])
    expect(list[3]?.free_trial).toMatchObject({ duration: "day", length: 14, trial_available: true })
    expect(list[3]?.properties).toEqual({ is_free: false, is_one_off: false, interval_group: "month", has_trial: true, updateable: false })
    expect(list[5]?.properties).toMatchObject({ is_one_off: true, interval_group: "one_off" })
    expect(list[2]?.items[0]).toMatchObject({ type: "price", price: 50, interval: "month" })
  })

  it("without a customer: no scenario", async () => {
    const { data, error } = await v0.products.list()
    expect(error).toBeNull()
    expect(data?.list.map((p) => [p.id, p.scenario])).toEqual(ORDER.map((id) => [id, undefined]))
  })
})

describe("bad requests answer Autumn's { code, message } naming the field", () => {
  it("plans.list with a customer_id that is not a string", async () => {
    const { status, json } = await post("/v1/plans.list", { customer_id: 42 })
    expect(status).toBe(400)
    expect(json).toMatchObject({ code: "invalid_inputs", message: "customer_id: expected string | null, got 42" })
  })

  it("plans.get without plan_id, and with a version that is not a whole number", async () => {
    const missing = await post("/v1/plans.get", { customer_id: "cus_pro" })
    expect(missing.status).toBe(400)
    expect(missing.json).toMatchObject({ code: "invalid_inputs", message: "plan_id: is required but missing" })
    const version = await post("/v1/plans.get", { plan_id: "pro", version: 1.5 })
    expect(version.status).toBe(400)
    expect(version.json).toMatchObject({ code: "invalid_inputs", message: "version: expected an integer, got 1.5" })
  })

  it("the 0.x listing with an unknown query parameter", async () => {
    const response = await fetch(`${server.url}/v1/products_beta?customer_id=cus_pro&sort=name`, { headers: { authorization: `Bearer ${KEY}` } })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { code: string; message: string }
    expect(body.code).toBe("invalid_inputs")
    expect(body.message).toBe("sort: is not a field of this request (check its spelling)")
  })
})

describe("versions (the operations, on a store of their own)", () => {
  // pro v1 $20 and v2 $25; cus_v1 holds v1 since Jan 1.
  const versioned = (() => {
    const r = decodeCatalog({
      defaultCurrency: "usd", features: [],
      plans: [
        { id: "pro", name: "Pro", price: { amount: "20", interval: "month" }, items: [] },
        { id: "pro", name: "Pro", version: 2, price: { amount: "25", interval: "month" }, items: [] }
      ]
    })
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    return r.success
  })()
  const onV1: Customer = { id: "cus_v1", hasPaymentMethod: true, subscriptions: [{ id: "s1", planId: "pro", version: 1, status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z" }] }
  const run = async <A>(effect: Effect.Effect<A, unknown, CustomerStore>): Promise<A> => {
    const store = makeMemoryStore()
    await Effect.runPromise(store.create(onV1))
    return Effect.runPromise(Effect.provideService(effect, CustomerStore, store))
  }
  const options = { catalog: versioned, now: () => NOW }

  it("plans.list lists the highest version, or every version with all_versions; plans.get takes a version", async () => {
    const latest = await run(AutumnOps.listPlans(options, { customer_id: "cus_v1" }))
    expect(latest.list.map((p) => [p.version, p.active, p.price?.amount, p.customer_eligibility?.attach_action])).toEqual([[2, true, 25, "none"]])
    const all = await run(AutumnOps.listPlans(options, { customer_id: "cus_v1", all_versions: true }))
    expect(all.list.map((p) => [p.version, p.active, p.customer_eligibility?.scenario])).toEqual([[1, false, "active"], [2, true, "upgrade"]])
    const v1 = await run(AutumnOps.getPlan(options, { plan_id: "pro", version: 1, customer_id: "cus_v1" }))
    expect([v1.version, v1.price?.amount, v1.customer_eligibility]).toEqual([1, 20, { scenario: "active", attach_action: "none", status: "active", canceling: false, trialing: false }])
    const missing = await run(Effect.flip(AutumnOps.getPlan(options, { plan_id: "pro", version: 3 })))
    expect(missing).toMatchObject({ status: 404, code: "product_not_found", message: 'plan_id: no plan "pro" version 3' })
  })
})
