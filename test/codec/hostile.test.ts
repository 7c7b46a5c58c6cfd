/**
 * "Bad input never throws" (issue #13, point 4): a corpus of hostile inputs — getters that
 * throw, proxies, cycles, 100,000-deep nesting, sparse arrays of length 2³²−1, absurd numbers,
 * instants outside the years 1970–9999 (given, or computed: a next cycle past 9999), fractional
 * seats — given to `previewAttachSync`, `previewDocument`, `planAttach` and the decoders. Each
 * is a tagged error naming the field, never an exception, and none runs away.
 */
import { readFileSync } from "node:fs"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { decodeAttachDocument, decodeCatalog, decodeCustomerAndRequest } from "../../src/Document.ts"
import { planAttach, previewAttachSync, previewDocument } from "../../src/index.ts"
import { INPUT_LIMITS } from "../../src/internal/inputGuard.ts"

type Doc = {
  catalog: { plans: Array<Record<string, unknown>> } & Record<string, unknown>
  customer: { subscriptions: Array<Record<string, unknown>> } & Record<string, unknown>
  request: Record<string, unknown>
}
const upgrade = JSON.parse(readFileSync(new URL("../../examples/upgrade.json", import.meta.url), "utf8")) as Doc
const doc = (): Doc => structuredClone(upgrade)
const premium = (d: Doc) => d.catalog.plans.find((p) => p["id"] === "premium") as Record<string, unknown>
const trap = () => {
  throw new Error("trap")
}
const hostileProxy = <T extends object>(target: T): T => new Proxy(target, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap })
const throwing = <T extends object>(target: T, key: string): T => Object.defineProperty(target, key, { get: trap, enumerable: true })
const nested = (depth: number, inArrays: boolean): unknown => {
  const root: Record<string, unknown> | Array<unknown> = inArrays ? [] : {}
  let at = root
  for (let i = 0; i < depth; i++) {
    const next: Record<string, unknown> | Array<unknown> = inArrays ? [] : {}
    if (Array.isArray(at)) at.push(next)
    else at["x"] = next
    at = next
  }
  return root
}
const sparse = (): Array<unknown> => {
  const a: Array<unknown> = []
  a.length = 2 ** 32 - 1
  return a
}

/** [name, document, path the error names (a prefix), tag] */
const CORPUS: ReadonlyArray<readonly [string, () => unknown, string, string]> = [
  ["a Proxy whose every trap throws, as the document", () => hostileProxy({}), "(document)", "DecodeError"],
  ["a Proxy as the catalog", () => ({ ...doc(), catalog: hostileProxy(doc().catalog) }), "catalog", "DecodeError"],
  ["a getter that throws on customer.id", () => {
    const d = doc()
    throwing(d.customer, "id")
    return d
  }, "customer", "DecodeError"],
  ["a getter that throws on request.plans", () => {
    const d = doc()
    throwing(d.request, "plans")
    return d
  }, "request", "DecodeError"],
  ["a getter that throws on a plan's price", () => {
    const d = doc()
    throwing(premium(d), "price")
    return d
  }, "catalog.plans[3]", "DecodeError"],
  ["a cyclic checkoutSessionParams", () => {
    const d = doc()
    const p: Record<string, unknown> = {}
    p["self"] = p
    d.request["checkoutSessionParams"] = p
    return d
  }, "request.checkoutSessionParams.self", "DecodeError"],
  ["a 100,000-deep checkoutSessionParams", () => ({ ...doc(), request: { ...doc().request, checkoutSessionParams: nested(100_000, false) } }), "request.checkoutSessionParams.x", "DecodeError"],
  ["100,000 nested arrays", () => ({ ...doc(), request: { ...doc().request, checkoutSessionParams: { a: nested(100_000, true) } } }), "request.checkoutSessionParams.a[0]", "DecodeError"],
  ["a sparse plans array of length 2³²−1", () => ({ ...doc(), request: { ...doc().request, plans: sparse() } }), "request.plans", "DecodeError"],
  ["a sparse catalog of length 2³²−1", () => ({ ...doc(), catalog: { ...doc().catalog, plans: sparse() } }), "catalog.plans", "DecodeError"],
  ["a million-plan catalog (over the documented limit)", () => ({ ...doc(), catalog: { ...doc().catalog, plans: Array.from({ length: 1_000_000 }, (_, i) => ({ id: `p${i}` })) } }), "catalog.plans", "DecodeError"],
  ["a shared object reached 2⁴⁰ times", () => {
    let layer: Array<unknown> = [1]
    for (let i = 0; i < 40; i++) layer = [layer, layer]
    return { ...doc(), request: { ...doc().request, checkoutSessionParams: { a: layer } } }
  }, "request.checkoutSessionParams.a", "DecodeError"],
  ["intervalCount 1e9 months (every next cycle is past 9999)", () => {
    const d = doc()
    premium(d)["price"] = { amount: "50", interval: "month", intervalCount: 1e9 }
    return d
  }, "", "InvalidRequest"],
  ["intervalCount 1e300", () => {
    const d = doc()
    premium(d)["price"] = { amount: "50", interval: "month", intervalCount: 1e300 }
    return d
  }, "catalog.plans[3].price.intervalCount", "DecodeError"],
  ["a trial of 1e9 months", () => {
    const d = doc()
    premium(d)["freeTrial"] = { length: 1e9, unit: "month", cardRequired: false }
    d.customer = { id: d.customer["id"], subscriptions: [] }
    return d
  }, "", "InvalidRequest"],
  ["at 9999-12-31 (the next cycle would be in year 10000)", () => {
    const d = doc()
    d.request["at"] = "9999-12-31T00:00:00Z"
    return d
  }, "", "InvalidRequest"],
  ["at +010000-01-01", () => ({ ...doc(), request: { ...doc().request, at: "+010000-01-01T00:00:00Z" } }), "request.at", "DecodeError"],
  ["at 1969-12-31", () => ({ ...doc(), request: { ...doc().request, at: "1969-12-31T23:59:59Z" } }), "request.at", "DecodeError"],
  ["a billing anchor in year 1", () => {
    const d = doc()
    ;(d.customer.subscriptions[0] as Record<string, unknown>)["billingAnchor"] = "0001-01-01T00:00:00Z"
    return d
  }, "customer.subscriptions[0].billingAnchor", "DecodeError"],
  ["1.5 seats asked", () => ({ ...doc(), request: { ...doc().request, plans: [{ planId: "premium", featureQuantities: [{ featureId: "seats", quantity: 1.5 }] }] } }), "request.plans[0].featureQuantities[0].quantity", "DecodeError"],
  ["2.5 seats held", () => {
    const d = doc()
    ;(d.customer.subscriptions[0] as Record<string, unknown>)["featureQuantities"] = [{ featureId: "seats", quantity: 2.5 }]
    return d
  }, "customer.subscriptions[0].featureQuantities[0].quantity", "DecodeError"],
  ["1e300 seats", () => ({ ...doc(), request: { ...doc().request, plans: [{ planId: "premium", featureQuantities: [{ featureId: "seats", quantity: 1e300 }] }] } }), "request.plans[0].featureQuantities[0].quantity", "DecodeError"],
  ["NaN usage", () => {
    const d = doc()
    ;(d.customer.subscriptions[0] as Record<string, unknown>)["usage"] = [{ featureId: "messages", used: Number.NaN }]
    return d
  }, "customer.subscriptions[0].usage[0].used", "DecodeError"],
  ["a price of 1e308", () => {
    const d = doc()
    premium(d)["price"] = { amount: "1e308", interval: "month" }
    return d
  }, "catalog.plans[3].price.amount", "DecodeError"],
  ["a 100,000-digit price", () => {
    const d = doc()
    premium(d)["price"] = { amount: "9".repeat(100_000), interval: "month" }
    return d
  }, "catalog.plans[3].price.amount", "DecodeError"],
  ["a bigint credit balance", () => ({ ...doc(), customer: { ...doc().customer, creditBalance: 10n } }), "customer.creditBalance", "DecodeError"],
  ["a Date as request.at", () => ({ ...doc(), request: { ...doc().request, at: new Date(0) } }), "request.at", "DecodeError"]
]

const failureOf = (r: Result.Result<unknown, unknown>) => (Result.isFailure(r) ? (r.failure as { readonly _tag: string; readonly message: string; readonly path?: string }) : undefined)

describe("the hostile corpus", () => {
  it.each(CORPUS)("%s: a tagged error naming the field, from every entry point", (_name, make, path, tag) => {
    const started = Date.now()
    const preview = failureOf(previewAttachSync(make()))
    expect(preview?._tag).toBe(tag)
    if (tag === "DecodeError") expect(preview?.path?.startsWith(path)).toBe(true)
    if (tag === "InvalidRequest") expect(preview?.message).toMatch(/after 9999-12-31/)
    expect(previewDocument(make())).toMatchObject({ error: { _tag: tag } })
    expect(failureOf(decodeAttachDocument(make()))?._tag ?? "decoded").toBe(tag === "DecodeError" ? "DecodeError" : "decoded")
    // Each is decided in seconds, not minutes (the sparse and shared ones are refused at once).
    expect(Date.now() - started).toBeLessThan(60_000)
  })

  it("the decoders of parts refuse them the same way", () => {
    expect(failureOf(decodeCatalog(hostileProxy({})))?.path).toBe("catalog")
    const catalog = decodeCatalog(upgrade.catalog)
    if (Result.isFailure(catalog)) throw new Error(catalog.failure.message)
    const cyclic: Record<string, unknown> = {}
    cyclic["self"] = cyclic
    const input = { customer: upgrade.customer, request: { ...upgrade.request, checkoutSessionParams: cyclic } }
    expect(failureOf(decodeCustomerAndRequest(catalog.success, input))?.message).toMatch(/nests deeper than 64 levels \(or refers to itself\)/)
    expect(failureOf(decodeCustomerAndRequest(catalog.success, throwing({ ...input }, "customer")))?.path).toBe("customer")
    const d = doc()
    throwing(d.customer, "id")
    expect(failureOf(decodeAttachDocument(d))).toMatchObject({ path: "customer.id", message: "customer.id: cannot be read (trap)" })
  })

  it("planAttach handed a cyclic value directly (no decoder) fails with a tagged error", () => {
    const decoded = decodeAttachDocument(doc())
    if (Result.isFailure(decoded)) throw new Error(decoded.failure.message)
    const cyclic: Record<string, unknown> = {}
    cyclic["self"] = cyclic
    const r = planAttach({ ...decoded.success, request: { ...decoded.success.request, checkoutSessionParams: cyclic } })
    expect(failureOf(r)).toMatchObject({ _tag: "InvalidRequest", reason: "input_out_of_range" })
  })

  it("a document within the limits still decodes: 64 levels of checkout parameters", () => {
    const d = doc()
    d.request["checkoutSessionParams"] = nested(INPUT_LIMITS.maxDepth - 4, false)
    expect(Result.isSuccess(previewAttachSync(d))).toBe(true)
  })

  it("names the object whose plain values pass the limit on values, and the key whose getter throws", () => {
    const row = Array.from({ length: 50 }, (_, i) => i)
    const shared = doc()
    shared.request["checkoutSessionParams"] = { a: new Array<unknown>(50_000).fill(row) }
    expect(failureOf(decodeAttachDocument(shared))).toMatchObject({ path: "request.checkoutSessionParams.a[10784]", message: `request.checkoutSessionParams.a[10784]: makes the input hold more than ${INPUT_LIMITS.maxValues} values` })
    const throwing = Object.defineProperty({ a: 1, b: { c: 2 } }, "z", { enumerable: true, get: () => { throw new Error("boom") } })
    expect(failureOf(decodeCatalog({ features: [], plans: [throwing] }))).toMatchObject({ path: "catalog.plans[0].z", message: "catalog.plans[0].z: cannot be read (boom)" })
  })
})
