import fc from "fast-check"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { findPlan } from "../../src/Catalog.ts"
import { decodeAttachDocument, decodeCatalog, decodeCustomerAndRequest, encodeCatalog } from "../../src/Document.ts"
import type { DecodeError } from "../../src/Errors.ts"
import * as Rational from "../../src/Rational.ts"

// ---------------------------------------------------------------------------------------------
// A small valid document and helpers to mutate a fresh copy of it
// ---------------------------------------------------------------------------------------------

type Key = string | number
type Path = ReadonlyArray<Key>

/**
 * catalog.plans[0] = free, [1] = pro (base price + seats + api tiers), [2] = credits (one-off pack)
 * catalog.features[0] = seats (metered, non-consumable), [1] = api (consumable), [2] = sso (boolean)
 */
const validDocument = () => ({
  catalog: {
    defaultCurrency: "usd",
    features: [
      { id: "seats", type: "metered", display: { singular: "seat", plural: "seats" } },
      { id: "api", name: "API calls", type: "metered", consumable: true },
      { id: "sso", type: "boolean" }
    ],
    plans: [
      {
        id: "free",
        group: "main",
        autoEnable: true,
        items: [{ featureId: "api", included: 100, reset: { interval: "month" } }]
      },
      {
        id: "pro",
        name: "Pro",
        group: "main",
        price: { amount: "20", interval: "month", currencies: { eur: "18" } },
        items: [
          { featureId: "sso" },
          {
            featureId: "seats",
            included: 1,
            price: { amount: 10, interval: "month", billingMethod: "usage_based" },
            proration: { onIncrease: "prorate", onDecrease: "next_cycle" }
          },
          {
            featureId: "api",
            included: 1000,
            reset: { interval: "month" },
            price: {
              tiers: [
                { upTo: 100, amount: "0.10" },
                { upTo: 500, amount: "0.05", flatAmount: "1" },
                { upTo: "inf", amount: "0.02" }
              ],
              tierBehavior: "graduated",
              interval: "month",
              billingMethod: "usage_based"
            }
          }
        ],
        freeTrial: { length: 14, unit: "day", cardRequired: false }
      },
      {
        id: "credits",
        addOn: true,
        items: [{ featureId: "api", price: { amount: "5", interval: "one_off", billingUnits: 1000, billingMethod: "prepaid" } }]
      }
    ],
    discounts: [{ id: "half", percentOff: "50", duration: { months: 3 }, appliesTo: ["pro"], promotionCodes: ["HALF"] }]
  },
  customer: {
    id: "cus_1",
    currency: "usd",
    hasPaymentMethod: true,
    subscriptions: [
      {
        id: "sub_1",
        planId: "free",
        status: "active",
        billingAnchor: "2025-01-01T00:00:00Z",
        startedAt: "2025-01-01T00:00:00.000Z",
        usage: [{ featureId: "api", used: 40 }]
      }
    ]
  },
  request: {
    customerId: "cus_1",
    at: "2025-01-16T00:00:00Z",
    plans: [{ planId: "pro", featureQuantities: [{ featureId: "seats", quantity: 3 }] }],
    redirectMode: "if_required"
  }
})

const isContainer = (u: unknown): u is Record<Key, unknown> => typeof u === "object" && u !== null

const parentOf = (root: unknown, path: Path): [Record<Key, unknown>, Key] => {
  let node: unknown = root
  for (const key of path.slice(0, -1)) {
    if (!isContainer(node) || !(key in node)) throw new Error(`test bug: no ${String(key)} in path ${path.join(".")}`)
    node = node[key]
  }
  const last = path[path.length - 1]
  if (!isContainer(node) || last === undefined) throw new Error(`test bug: bad path ${path.join(".")}`)
  return [node, last]
}

/** A fresh valid document with the value at `path` replaced. */
const withValue = (path: Path, value: unknown): unknown => {
  const doc = validDocument()
  const [parent, key] = parentOf(doc, path)
  parent[key] = value
  return doc
}
/** A fresh valid document without the field at `path`. */
const without = (path: Path): unknown => {
  const doc = validDocument()
  const [parent, key] = parentOf(doc, path)
  if (!(key in parent)) throw new Error(`test bug: nothing to delete at ${path.join(".")}`)
  delete parent[key]
  return doc
}
/** A fresh valid document with `value` appended to the array at `path`. */
const withPushed = (path: Path, value: unknown): unknown => {
  const doc = validDocument()
  const [parent, key] = parentOf(doc, path)
  const list = parent[key]
  if (!Array.isArray(list)) throw new Error(`test bug: not an array at ${path.join(".")}`)
  list.push(value)
  return doc
}

const failureOf = (r: Result.Result<unknown, DecodeError>): DecodeError => {
  if (Result.isSuccess(r)) throw new Error("expected a DecodeError, but the document decoded")
  return r.failure
}

/** Asserts the document fails with a DecodeError at exactly `path`, whose message starts with the path. */
const expectDecodeError = (input: unknown, path: string, message?: RegExp | string): DecodeError => {
  const error = failureOf(decodeAttachDocument(input))
  expect(error._tag).toBe("DecodeError")
  expect(error.path).toBe(path)
  expect(error.message.startsWith(`${path}: `)).toBe(true)
  expect(error.issues[0]?.path).toBe(path)
  if (message !== undefined) expect(error.message).toMatch(message)
  return error
}

const eq = (a: Rational.Rational | undefined, b: Rational.Rational): boolean => a !== undefined && Rational.compare(a, b) === 0

// ---------------------------------------------------------------------------------------------

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

describe("decodeAttachDocument — failures carry the path of the bad field", () => {
  it("a price amount that is not a decimal", () => {
    expectDecodeError(
      withValue(["catalog", "plans", 1, "price", "amount"], "twenty"),
      "catalog.plans[1].price.amount",
      'catalog.plans[1].price.amount: expected a decimal, got "twenty"'
    )
  })

  it("a decimal of the wrong JSON type", () => {
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "amount"], true), "catalog.plans[1].price.amount", /got true/)
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "amount"], null), "catalog.plans[1].price.amount", /got null/)
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "amount"], "1.2.3"), "catalog.plans[1].price.amount")
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "amount"], ""), "catalog.plans[1].price.amount")
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "amount"], "NaN"), "catalog.plans[1].price.amount")
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "amount"], "Infinity"), "catalog.plans[1].price.amount")
  })

  it("a missing required field", () => {
    expectDecodeError(without(["catalog", "plans", 1, "price", "interval"]), "catalog.plans[1].price.interval", /is required but missing/)
    expectDecodeError(without(["catalog", "plans", 1, "id"]), "catalog.plans[1].id", /is required but missing/)
    expectDecodeError(without(["catalog", "features"]), "catalog.features", /is required but missing/)
    expectDecodeError(without(["catalog", "plans", 1, "items", 1, "price", "billingMethod"]), "catalog.plans[1].items[1].price.billingMethod", /is required but missing/)
    expectDecodeError(without(["catalog"]), "catalog", /is required but missing/)
  })

  it("an unknown (misspelled) field is rejected", () => {
    const doc = withValue(["catalog", "plans", 1, "prise"], { amount: "20", interval: "month" })
    expectDecodeError(doc, "catalog.plans[1].prise", /not a field/)
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 1, "featureID"], "seats"), "catalog.plans[1].items[1].featureID", /not a field/)
    expectDecodeError(withValue(["catalog", "features", 0, "consumeable"], true), "catalog.features[0].consumeable", /not a field/)
    expectDecodeError(withValue(["request", "prorationBehaviour"], "none"), "request.prorationBehaviour", /not a field/)
    expectDecodeError(withValue(["customer", "subscriptions", 0, "anchor"], "2025-01-01T00:00:00Z"), "customer.subscriptions[0].anchor", /not a field/)
    expectDecodeError(withValue(["extra"], 1), "extra", /not a field/)
  })

  it("an unknown feature id in a plan item", () => {
    const error = expectDecodeError(withValue(["catalog", "plans", 1, "items", 1, "featureId"], "seat"), "catalog.plans[1].items[1].featureId", /unknown feature id "seat"/)
    expect(error.path.endsWith(".featureId")).toBe(true)
  })

  it("a feature listed twice in one plan", () => {
    expectDecodeError(withPushed(["catalog", "plans", 1, "items"], { featureId: "sso" }), "catalog.plans[1].items[3].featureId", /twice/)
  })

  it("a duplicate plan id + version", () => {
    expectDecodeError(withPushed(["catalog", "plans"], { id: "pro" }), "catalog.plans[3].id", /duplicate plan id "pro" at version 1/)
    expectDecodeError(withPushed(["catalog", "plans"], { id: "free", version: 1 }), "catalog.plans[3].id", /duplicate plan id "free"/)
  })

  it("a duplicate feature id", () => {
    expectDecodeError(withPushed(["catalog", "features"], { id: "sso", type: "boolean" }), "catalog.features[3].id", /duplicate feature id "sso"/)
  })

  it("a reset on a non-consumable feature", () => {
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 1, "reset"], { interval: "month" }), "catalog.plans[1].items[1].reset", /consumable/)
    // a metered feature marked consumable: false is not consumable either
    const doc = withValue(["catalog", "features", 0, "consumable"], false)
    const r = decodeAttachDocument(doc)
    expect(Result.isSuccess(r)).toBe(true)
  })

  it("a consumable usage-based price with interval one_off", () => {
    expectDecodeError(
      withValue(["catalog", "plans", 1, "items", 2, "price", "interval"], "one_off"),
      "catalog.plans[1].items[2].price.interval",
      /one_off/
    )
  })

  it("tiers out of order", () => {
    const tiers = [{ upTo: 100, amount: "1" }, { upTo: 50, amount: "1" }, { upTo: "inf", amount: "1" }]
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "price", "tiers"], tiers), "catalog.plans[1].items[2].price.tiers[1].upTo", /ascend/)
    const equal = [{ upTo: 100, amount: "1" }, { upTo: 100, amount: "1" }, { upTo: "inf", amount: "1" }]
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "price", "tiers"], equal), "catalog.plans[1].items[2].price.tiers[1].upTo", /ascend/)
  })

  it('the last tier is not "inf", or "inf" is not last', () => {
    const notInf = [{ upTo: 100, amount: "1" }, { upTo: 500, amount: "1" }]
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "price", "tiers"], notInf), "catalog.plans[1].items[2].price.tiers[1].upTo", /"inf"/)
    const infFirst = [{ upTo: "inf", amount: "1" }, { upTo: "inf", amount: "2" }]
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "price", "tiers"], infFirst), "catalog.plans[1].items[2].price.tiers[0].upTo", /only the last/)
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "price", "tiers"], []), "catalog.plans[1].items[2].price.tiers", /at least one tier/)
  })

  it("a price with both or neither of amount and tiers", () => {
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "price", "amount"], "0.01"), "catalog.plans[1].items[2].price", /exactly one of amount or tiers/)
    expectDecodeError(without(["catalog", "plans", 1, "items", 1, "price", "amount"]), "catalog.plans[1].items[1].price", /exactly one of amount or tiers/)
  })

  it("a negative amount", () => {
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "amount"], "-5"), "catalog.plans[1].price.amount", /got "-5"/)
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "amount"], -5), "catalog.plans[1].price.amount", /got -5/)
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 1, "price", "amount"], "-0.01"), "catalog.plans[1].items[1].price.amount")
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "price", "tiers", 0, "amount"], "-0.10"), "catalog.plans[1].items[2].price.tiers[0].amount")
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "price", "tiers", 1, "flatAmount"], "-1"), "catalog.plans[1].items[2].price.tiers[1].flatAmount")
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "currencies", "eur"], "-18"), 'catalog.plans[1].price.currencies.eur')
  })

  it("intervalCount below 1", () => {
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "intervalCount"], 0), "catalog.plans[1].price.intervalCount", /got 0/)
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "intervalCount"], -1), "catalog.plans[1].price.intervalCount")
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 2, "reset", "intervalCount"], 0), "catalog.plans[1].items[2].reset.intervalCount")
    expectDecodeError(withValue(["catalog", "plans", 1, "items", 1, "price", "intervalCount"], 1.5), "catalog.plans[1].items[1].price.intervalCount")
  })

  it("a plan version that is not an integer", () => {
    expectDecodeError(withValue(["catalog", "plans", 1, "version"], 1.5), "catalog.plans[1].version", /got 1\.5/)
    expectDecodeError(withValue(["catalog", "plans", 1, "version"], "2"), "catalog.plans[1].version")
    expectDecodeError(withValue(["catalog", "plans", 1, "version"], 0), "catalog.plans[1].version")
  })

  it("an unknown enum value", () => {
    expectDecodeError(withValue(["catalog", "plans", 1, "price", "interval"], "monthly"), "catalog.plans[1].price.interval", /got "monthly"/)
    expectDecodeError(withValue(["catalog", "features", 0, "type"], "seats"), "catalog.features[0].type")
    expectDecodeError(withValue(["catalog", "defaultCurrency"], "dollars"), "catalog.defaultCurrency")
  })

  it("a discount that appliesTo an unknown plan, or has both percentOff and amountOff", () => {
    expectDecodeError(withValue(["catalog", "discounts", 0, "appliesTo"], ["pro", "platinum"]), "catalog.discounts[0].appliesTo[1]", /platinum/)
    expectDecodeError(withValue(["catalog", "discounts", 0, "amountOff"], "5"), "catalog.discounts[0]", /exactly one/)
    expectDecodeError(withValue(["catalog", "discounts", 0, "percentOff"], "150"), "catalog.discounts[0].percentOff")
  })

  it("a bad instant in request.at", () => {
    expectDecodeError(withValue(["request", "at"], "yesterday"), "request.at", /got "yesterday"/)
    expectDecodeError(withValue(["request", "at"], "2025-13-01T00:00:00Z"), "request.at")
    expectDecodeError(withValue(["request", "at"], "2025-01-16T10:00:00"), "request.at") // no zone: would depend on the host
    expectDecodeError(withValue(["request", "at"], 1737000000000), "request.at")
  })

  it("a calendar date that does not exist (Date.parse would roll it over)", () => {
    expectDecodeError(withValue(["request", "at"], "2025-02-30T00:00:00Z"), "request.at")
    expectDecodeError(withValue(["request", "at"], "2025-02-29T00:00:00Z"), "request.at")
    expectDecodeError(withValue(["request", "at"], "2025-04-31T00:00:00Z"), "request.at")
    expectDecodeError(withValue(["request", "at"], "2025-01-01T24:00:00Z"), "request.at")
    expectDecodeError(withValue(["customer", "subscriptions", 0, "billingAnchor"], "2100-02-29T00:00:00Z"), "customer.subscriptions[0].billingAnchor")
    for (const ok of ["2024-02-29T00:00:00Z", "2000-02-29T12:00:00.000Z", "2025-12-31T23:59:59.999Z", "2025-01-16T10:00:00+02:00"]) {
      expect(Result.isSuccess(decodeAttachDocument(withValue(["request", "at"], ok)))).toBe(true)
    }
  })

  it("customer errors carry paths starting with customer.", () => {
    expectDecodeError(without(["customer", "id"]), "customer.id", /is required but missing/)
    expectDecodeError(withValue(["customer", "creditBalance"], -1), "customer.creditBalance", /got -1/)
    expectDecodeError(withValue(["customer", "creditBalance"], 1.5), "customer.creditBalance")
    expectDecodeError(withValue(["customer", "subscriptions", 0, "status"], "cancelled"), "customer.subscriptions[0].status", /got "cancelled"/)
    expectDecodeError(withValue(["customer", "subscriptions", 0, "usage", 0, "used"], -3), "customer.subscriptions[0].usage[0].used")
    expectDecodeError(withValue(["customer", "currency"], "us"), "customer.currency")
    expectDecodeError(withValue(["customer"], "cus_1"), "customer")
  })

  it("request errors carry paths starting with request.", () => {
    expectDecodeError(without(["request", "customerId"]), "request.customerId", /is required but missing/)
    expectDecodeError(withValue(["request", "plans"], []), "request.plans", /at least one plan/)
    expectDecodeError(without(["request", "plans", 0, "planId"]), "request.plans[0].planId", /is required but missing/)
    expectDecodeError(withValue(["request", "plans", 0, "featureQuantities", 0, "quantity"], -1), "request.plans[0].featureQuantities[0].quantity")
    expectDecodeError(withValue(["request", "redirectMode"], "sometimes"), "request.redirectMode")
    expectDecodeError(withValue(["request", "invoiceMode"], { enabled: false }), "request.invoiceMode.enabled")
    expectDecodeError(withValue(["request", "plans", 0, "version"], 1.5), "request.plans[0].version")
  })

  it("reports every issue and names the first one", () => {
    const doc = validDocument()
    const plans: Array<Record<string, unknown>> = doc.catalog.plans
    plans.push({ id: "pro" }, { id: "bad", price: { amount: "x", interval: "month" } })
    const structural = failureOf(decodeAttachDocument(doc))
    expect(structural.path).toBe("catalog.plans[4].price.amount") // structure first, cross-field rules after
    const twoRules = failureOf(decodeAttachDocument(withPushed(["catalog", "features"], { id: "sso", type: "boolean" })))
    expect(twoRules.issues.length).toBe(1)
    const customerAndRequest = validDocument()
    const req: Record<string, unknown> = customerAndRequest.request
    const cus: Record<string, unknown> = customerAndRequest.customer
    req["at"] = "nope"
    cus["creditBalance"] = -1
    const both = failureOf(decodeAttachDocument(customerAndRequest))
    expect(both.issues.map((i) => i.path)).toEqual(["customer.creditBalance", "request.at"])
    expect(both.message).toMatch(/^customer\.creditBalance: .*\(and 1 more\)$/)
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

// ---------------------------------------------------------------------------------------------
// Decoding never throws
// ---------------------------------------------------------------------------------------------

const expectWellFormedResult = (r: Result.Result<unknown, DecodeError>): void => {
  if (Result.isSuccess(r)) return
  expect(r.failure._tag).toBe("DecodeError")
  expect(typeof r.failure.path).toBe("string")
  expect(r.failure.path.length).toBeGreaterThan(0)
  expect(r.failure.message.startsWith(`${r.failure.path}: `)).toBe(true)
}

const deepArray = (depth: number): unknown => {
  let v: unknown = "leaf"
  for (let i = 0; i < depth; i++) v = [v]
  return v
}
const deepObject = (depth: number): unknown => {
  let v: unknown = { leaf: true }
  for (let i = 0; i < depth; i++) v = { catalog: v, plans: [v] }
  return v
}

/** Every path to a value in the valid document (objects, arrays and leaves). */
const allPaths = (node: unknown, prefix: Path = []): Array<Path> => {
  if (!isContainer(node)) return [prefix]
  const children = Object.keys(node).flatMap((k) => allPaths(node[Array.isArray(node) ? Number(k) : k], [...prefix, Array.isArray(node) ? Number(k) : k]))
  return prefix.length === 0 ? children : [prefix, ...children]
}

describe("decoding never throws", () => {
  it("on non-object documents", () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /got null/],
      [[], /got an array/],
      ["x", /got string/],
      [42, /got number/],
      [undefined, /got undefined/],
      [true, /got boolean/]
    ]
    for (const [input, message] of cases) {
      const e = failureOf(decodeAttachDocument(input))
      expect(e._tag).toBe("DecodeError")
      expect(e.path).toBe("(document)")
      expect(e.message).toMatch(message)
      expect(e.message.startsWith("(document): ")).toBe(true)
    }
  })

  it("on odd values in every field", () => {
    const cyclic: Record<string, unknown> = {}
    cyclic["self"] = cyclic
    const odd: ReadonlyArray<unknown> = [
      null, undefined, [], {}, "", "x", 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 10n ** 30n, true,
      deepArray(100_000), deepObject(40), cyclic, Symbol("s"), () => 1, new Date(0), new Map([["a", 1]]),
      Object.create(null), "__proto__", { __proto__: { id: "pro" } }, JSON.parse('{"__proto__": {"polluted": true}}')
    ]
    const paths = allPaths(validDocument())
    for (const path of paths) {
      for (const value of odd) {
        let r: Result.Result<unknown, DecodeError> | undefined
        expect(() => {
          r = decodeAttachDocument(withValue(path, value))
        }, `${path.join(".")} = ${String(typeof value)}`).not.toThrow()
        if (r !== undefined) expectWellFormedResult(r)
      }
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()
  })

  it("on deeply nested junk documents", () => {
    for (const input of [deepArray(100_000), deepObject(200), { catalog: deepObject(200), customer: deepArray(50_000), request: 1 }]) {
      let r: Result.Result<unknown, DecodeError> | undefined
      expect(() => {
        r = decodeAttachDocument(input)
      }).not.toThrow()
      if (r !== undefined) expectWellFormedResult(r)
    }
  })

  it("on arbitrary values (property)", () => {
    fc.assert(
      fc.property(
        fc.anything({ maxDepth: 5, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }),
        (input) => {
          expectWellFormedResult(decodeAttachDocument(input))
          expectWellFormedResult(decodeCatalog(input))
          expectWellFormedResult(decodeAttachDocument({ catalog: input, customer: input, request: input }))
        }
      ),
      { seed: 42, numRuns: 200 }
    )
  })

  it("on the valid document with one field replaced by arbitrary JSON (property)", () => {
    const paths = allPaths(validDocument())
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 4 }), (path, value) => {
        const r = decodeAttachDocument(withValue(path, value))
        expectWellFormedResult(r)
        if (Result.isFailure(r)) {
          // the error is about the replaced field, or a field inside it, or a rule that involves it
          expect(["catalog", "customer", "request"].some((root) => r.failure.path.startsWith(root))).toBe(true)
        }
      }),
      { seed: 1337, numRuns: 200 }
    )
  })
})
