/**
 * The preview path of the handler without the Effect runtime (issue #13's server cost): request
 * bodies on the compiled decoder, each stored customer decoded once, the preview planned by a
 * plain function. Each is held to the path it replaces: the same values, the same errors.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { parseJsonBytes } from "../../src/autumn/internal/body.ts"
import { decodeForPlanning } from "../../src/autumn/internal/decodedCustomers.ts"
import {
  AttachBodySchema, CheckoutBodySchema, CustomerStore, makeMemoryStore, minorToMajor, MultiAttachBodySchema, previewAttach, sandboxCustomers,
  toWireAmount
} from "../../src/autumn/index.ts"
import { decodeWith } from "../../src/autumn/Requests.ts"
import type { Customer } from "../../src/Customer.ts"
import { decodeCustomerAndRequest } from "../../src/Document.ts"
import * as Rational from "../../src/Rational.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { autumnTestCatalog, handlerOf } from "../support/autumnCatalog.ts"

const KEY = "am_sk_test_preview"
const catalog = autumnTestCatalog()
const NOW = "2025-01-16T00:00:00.000Z"

const setup = () => {
  const sandbox = Sandbox.make()
  const customers = makeMemoryStore()
  const options = { catalog, now: () => NOW, ...sandboxCustomers(sandbox, { testCard: "pm_card_visa" }) }
  const handler = handlerOf({ ...options, keys: [KEY], customers, provider: sandbox.port })
  const post = async (path: string, body: unknown) => {
    const response = await handler.raw({
      method: "POST", url: path, header: (name) => (name === "authorization" ? `Bearer ${KEY}` : null),
      readBody: () => Promise.resolve({ ok: true, value: body })
    })
    return { status: response.status, body: response.body }
  }
  return { customers, handler, options, post }
}

describe("request bodies on the compiled decoder", () => {
  const valid: ReadonlyArray<readonly [Schema.Codec<unknown, unknown>, unknown]> = [
    [AttachBodySchema, { customer_id: "cus_1", plan_id: "pro" }],
    [AttachBodySchema, { plan_id: "pro", customer_id: "cus_1", feature_quantities: [{ quantity: 3, feature_id: "seats" }], free_trial: null, redirect_mode: "always", version: 2 }],
    [AttachBodySchema, { customer_id: "cus_1", plan_id: "pro", customer_data: { name: "Ada", metadata: { test_payment_method: "pm_card_visa" } } }],
    [MultiAttachBodySchema, { customer_id: "cus_1", plans: [{ plan_id: "pro" }, { plan_id: "seats", entity_id: null, feature_quantities: [{ feature_id: "seats", quantity: 5 }] }] }],
    [CheckoutBodySchema, { customer_id: "cus_1", product_ids: ["pro", "seats"], options: [{ feature_id: "seats", quantity: 2 }], force_checkout: true }]
  ]
  it("decodes a valid body to what Schema decodes it to, keys in the same order", () => {
    for (const [schema, body] of valid) {
      const ours = decodeWith(schema, body)
      const schemas = Schema.decodeUnknownSync(schema)(body, { onExcessProperty: "error" })
      expect(Result.isSuccess(ours) ? JSON.stringify(ours.success) : "failed").toBe(JSON.stringify(schemas))
    }
  })
  it("words a bad body as before: the first bad field, in snake_case", () => {
    const bad = decodeWith(AttachBodySchema, { customer_id: "cus_1", plan_id: 7, extra: true })
    expect(Result.isFailure(bad) && bad.failure.message).toMatch(/plan_id|extra/)
    // A property that throws when read: whatever Schema does with it (the compiled path steps aside).
    const thrower = Object.defineProperty({ customer_id: "cus_1" }, "plan_id", { enumerable: true, get: () => { throw new Error("read") } })
    const outcome = (decode: () => Result.Result<unknown, unknown>) => {
      try {
        return Result.isSuccess(decode()) ? "decoded" : "failed"
      } catch {
        return "threw"
      }
    }
    expect(outcome(() => decodeWith(AttachBodySchema, thrower))).toBe(outcome(() => Schema.decodeUnknownResult(AttachBodySchema)(thrower, { errors: "all", onExcessProperty: "error" })))
  })
})

describe("the depth bound of a body without walking a short one", () => {
  it("refuses exactly the bodies nested deeper than the bound, the shortest of each depth included", () => {
    const nested = (depth: number, open: string, close: string) => `${open.repeat(depth - 1)}1${close.repeat(depth - 1)}`
    for (let maxDepth = 1; maxDepth <= 8; maxDepth++) {
      for (let depth = 1; depth <= 10; depth++) {
        for (const [open, close] of [["[", "]"], ['{"a":', "}"]] as const) {
          const read = parseJsonBytes(new TextEncoder().encode(nested(depth, open, close)), { maxBytes: 1 << 20, timeoutMs: 1000, maxDepth })
          expect([depth, maxDepth, read.ok]).toStrictEqual([depth, maxDepth, depth <= maxDepth])
        }
      }
    }
  })
})

describe("each stored customer decoded once", () => {
  const request = (planId: string) => ({ customerId: "cus_1", at: NOW, plans: [{ planId }] })
  const stored = async (): Promise<Customer> => {
    const s = setup()
    expect((await s.post("/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" })).status).toBe(200)
    const customer = await Effect.runPromise(s.customers.get("cus_1"))
    if (customer === undefined) throw new Error("the attach stored the customer")
    return customer
  }
  it("answers what decoding the whole document answers, the first time and after", async () => {
    const customer = await stored()
    for (const planId of ["premium", "pro", "premium"]) {
      const whole = decodeCustomerAndRequest(catalog, { customer, request: request(planId) })
      expect(decodeForPlanning(catalog, customer, request(planId))).toStrictEqual(whole)
    }
  })
  it("gives a bad request the whole document's error once the customer is known", async () => {
    const customer = await stored()
    expect(Result.isSuccess(decodeForPlanning(catalog, customer, request("pro")))).toBe(true)
    const bad = { customerId: "cus_1", at: "yesterday", plans: [{ planId: "pro" }] }
    const whole = decodeCustomerAndRequest(catalog, { customer, request: bad })
    expect(Result.isFailure(whole)).toBe(true)
    expect(decodeForPlanning(catalog, customer, bad)).toStrictEqual(whole)
  })
  it("keeps refusing a customer that does not decode", () => {
    const broken = { id: "cus_1", hasPaymentMethod: "yes" } as unknown as Customer
    for (let i = 0; i < 2; i++) {
      const r = decodeForPlanning(catalog, broken, request("pro"))
      expect(Result.isFailure(r) && r.failure.message).toMatch(/customer\.hasPaymentMethod/)
    }
  })
})

describe("a preview without the Effect runtime", () => {
  it("answers byte for byte what the preview operation's Effect answers, again and again", async () => {
    const s = setup()
    for (const id of ["cus_1", "cus_2"]) expect((await s.post("/v1/billing.attach", { customer_id: id, plan_id: "pro" })).status).toBe(200)
    const bodies = [{ customer_id: "cus_1", plan_id: "premium" }, { customer_id: "cus_2", plan_id: "pro" }, { customer_id: "cus_new", plan_id: "premium" }]
    for (const body of bodies) {
      const viaEffect = await Effect.runPromise(Effect.provideService(previewAttach(s.options, body), CustomerStore, s.customers))
      for (let i = 0; i < 3; i++) expect(await s.post("/v1/billing.preview_attach", body)).toStrictEqual({ status: 200, body: JSON.stringify(viaEffect) })
    }
  })
  it("answers a bad body and an unknown plan with Autumn's errors", async () => {
    const s = setup()
    const bad = await s.post("/v1/billing.preview_attach", { customer_id: "cus_1" })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ code: "invalid_inputs" })
    const unknown = await s.post("/v1/billing.preview_attach", { customer_id: "cus_1", plan_id: "platinum" })
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.body).request_id).toMatch(/^req_/)
  })
})

describe("minor units on the wire", () => {
  it("gives every amount the number of its exact decimal, as toWireAmount of the rational does", () => {
    const amounts: Array<bigint> = [0n, 1n, -1n, 9n, 10n, 99n, 100n, 101n, 1549n, -1032n, 30n, 2n ** 53n + 1n, -(10n ** 25n) - 7n]
    let seed = 12345
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      amounts.push(BigInt(seed % 2 === 0 ? seed : -seed) * BigInt(1 + (i % 7) * 1000))
    }
    for (const currency of ["usd", "jpy", "kwd"]) {
      const scale = 10n ** BigInt(currency === "usd" ? 2 : currency === "jpy" ? 0 : 3)
      for (const minor of amounts) expect(Object.is(minorToMajor(minor, currency), toWireAmount(Rational.make(minor, scale)))).toBe(true)
      expect(minorToMajor(1549, currency)).toBe(toWireAmount(Rational.make(1549n, scale)))
    }
  })
})
