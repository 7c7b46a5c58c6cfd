import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { findPlan } from "../../src/Catalog.ts"
import { decodeAttachDocument, decodeCatalog, decodeCustomerAndRequest, encodeCatalog } from "../../src/Document.ts"
import * as Rational from "../../src/Rational.ts"
import { failureOf, validDocument, withPushed, withValue } from "./validDocument.ts"

// The failures of each field are in decode-failures.test.ts, hostile input in decode-never-throws.test.ts.

const eq = (a: Rational.Rational | undefined, b: Rational.Rational): boolean => a !== undefined && Rational.compare(a, b) === 0

describe("decodeAttachDocument — a valid document", () => {
  it("decodes into the model", () => {
    const r = decodeAttachDocument(validDocument())
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    const { catalog, customer, request } = r.success
    expect(catalog.defaultCurrency).toBe("usd")
    expect(catalog.features.map((f) => [f.id, f.consumable])).toEqual([["seats", false], ["api", true], ["sso", false]])
    const pro = findPlan(catalog, "pro")
    expect(pro?.version).toBe(1)
    expect(pro?.group).toBe("main")
    expect(eq(pro?.price?.amount, Rational.fromInt(20))).toBe(true)
    expect(eq(pro?.price?.currencies.get("eur"), Rational.fromInt(18))).toBe(true)
    expect(pro?.price?.interval).toEqual({ unit: "month", count: 1 })
    expect(pro?.freeTrial).toEqual({ length: 14, unit: "day", cardRequired: false })
    const api = pro?.items.find((i) => i.featureId === "api")
    expect(api?.reset).toEqual({ unit: "month", count: 1 })
    expect(api?.price?.tiers?.map((t) => t.upTo)).toEqual([100, 500, "inf"])
    expect(eq(api?.price?.tiers?.[0]?.amount, Rational.make(1n, 10n))).toBe(true)
    expect(eq(api?.price?.tiers?.[1]?.flatAmount, Rational.one)).toBe(true)
    expect(eq(api?.price?.tiers?.[0]?.flatAmount, Rational.zero)).toBe(true)
    const seats = pro?.items.find((i) => i.featureId === "seats")
    expect(seats?.proration).toEqual({ onIncrease: "prorate", onDecrease: "next_cycle" })
    expect(findPlan(catalog, "credits")?.items[0]?.price?.billingUnits).toBe(1000)
    expect(findPlan(catalog, "free")?.price).toBeUndefined()
    expect(catalog.discountsByCode.get("HALF")?.id).toBe("half")
    expect(customer.id).toBe("cus_1")
    expect(request.at).toBe("2025-01-16T00:00:00Z")
  })

  it("accepts decimals as strings and as JSON numbers, with the same exact value", () => {
    const values: Array<[string | number, Rational.Rational]> = [
      ["19.99", Rational.make(1999n, 100n)],
      [19.99, Rational.make(1999n, 100n)],
      ["0.0015", Rational.make(15n, 10000n)],
      [0.0015, Rational.make(15n, 10000n)],
      [20, Rational.fromInt(20)],
      ["20", Rational.fromInt(20)],
      ["0", Rational.zero],
      [0, Rational.zero],
      ["1e2", Rational.fromInt(100)],
      [".5", Rational.make(1n, 2n)]
    ]
    for (const [input, expected] of values) {
      const r = decodeAttachDocument(withValue(["catalog", "plans", 1, "price", "amount"], input))
      if (Result.isFailure(r)) throw new Error(`${JSON.stringify(input)}: ${r.failure.message}`)
      expect(eq(findPlan(r.success.catalog, "pro")?.price?.amount, expected)).toBe(true)
    }
  })

  it("normalises the catalog's currency codes to lower case", () => {
    const doc = withValue(["catalog", "defaultCurrency"], "USD")
    const r = decodeAttachDocument(doc)
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(r.success.catalog.defaultCurrency).toBe("usd")
    const r2 = decodeAttachDocument(withValue(["catalog", "plans", 1, "price", "currencies"], { EUR: "18" }))
    if (Result.isFailure(r2)) throw new Error(r2.failure.message)
    expect(eq(findPlan(r2.success.catalog, "pro")?.price?.currencies.get("eur"), Rational.fromInt(18))).toBe(true)
  })
})

describe("decodeAttachDocument — a valid document: plan versions, the input's objects, one-off packs", () => {
  it("allows several versions of a plan; the highest is the default", () => {
    const r = decodeAttachDocument(withPushed(["catalog", "plans"], { id: "pro", version: 2, price: { amount: "25", interval: "month" } }))
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(findPlan(r.success.catalog, "pro")?.version).toBe(2)
    expect(findPlan(r.success.catalog, "pro", 1)?.version).toBe(1)
  })

  it("keeps none of the input's objects: changing the input afterwards leaves the catalog as it was", () => {
    const input = validDocument().catalog
    const r = decodeCatalog(input)
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    const before = JSON.stringify(encodeCatalog(r.success))
    const feature = input.features[0] as { display: { singular: string; plural: string } }
    feature.display.singular = "changed"
    const discount = input.discounts[0] as { duration: { months: number }; appliesTo: Array<string>; promotionCodes: Array<string> }
    discount.duration.months = 9
    discount.appliesTo.push("free")
    discount.promotionCodes.push("MORE")
    expect(JSON.stringify(encodeCatalog(r.success))).toBe(before)
  })

  it("accepts a prepaid one-off pack of a consumable feature", () => {
    // credits plan: consumable api, prepaid, one_off — only usage_based + one_off is forbidden
    expect(Result.isSuccess(decodeAttachDocument(validDocument()))).toBe(true)
  })
})

describe("decodeCatalog and decodeCustomerAndRequest", () => {
  it("decodeCatalog uses the given prefix", () => {
    const catalog = validDocument().catalog
    expect(Result.isSuccess(decodeCatalog(catalog))).toBe(true)
    const bad = { ...catalog, defaultCurrency: 7 }
    const e1 = failureOf(decodeCatalog(bad))
    expect(e1._tag).toBe("DecodeError")
    expect(e1.path).toBe("catalog.defaultCurrency")
    const e2 = failureOf(decodeCatalog(bad, "catalogFile"))
    expect(e2.path).toBe("catalogFile.defaultCurrency")
    expect(e2.message.startsWith("catalogFile.defaultCurrency: ")).toBe(true)
  })

  it("decodeCatalog rejects non-objects at the prefix", () => {
    for (const input of [null, [], "x", 42, undefined]) {
      const e = failureOf(decodeCatalog(input))
      expect(e._tag).toBe("DecodeError")
      expect(e.path).toBe("catalog")
    }
  })

  it("decodeCustomerAndRequest decodes against an already decoded catalog", () => {
    const catalog = decodeCatalog(validDocument().catalog)
    if (Result.isFailure(catalog)) throw new Error(catalog.failure.message)
    const { customer, request } = validDocument()
    const ok = decodeCustomerAndRequest(catalog.success, { customer, request })
    expect(Result.isSuccess(ok)).toBe(true)
    const e = failureOf(decodeCustomerAndRequest(catalog.success, { customer, request: { ...request, at: "soon" } }))
    expect(e._tag).toBe("DecodeError")
    expect(e.path).toBe("request.at")
    const e2 = failureOf(decodeCustomerAndRequest(catalog.success, { customer, request, requests: [] }))
    expect(e2.path).toBe("requests")
    const e3 = failureOf(decodeCustomerAndRequest(catalog.success, "line"))
    expect(e3.path).toBe("(document)")
    const e4 = failureOf(decodeCustomerAndRequest(catalog.success, { request }))
    expect(e4.path).toBe("customer")
  })
})
