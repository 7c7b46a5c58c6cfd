import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { decodeAttachDocument } from "../../src/Document.ts"
import { expectDecodeError, failureOf, validDocument, withPushed, withValue, without } from "./validDocument.ts"

describe("decodeAttachDocument — failures carry the path of the bad field: a value of the wrong form", () => {
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
})

describe("decodeAttachDocument — failures carry the path of the bad field: a missing or unknown field", () => {
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
})

describe("decodeAttachDocument — failures carry the path of the bad field: ids that clash or are unknown", () => {
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

  it("a discount that appliesTo an unknown plan, or has both percentOff and amountOff", () => {
    expectDecodeError(withValue(["catalog", "discounts", 0, "appliesTo"], ["pro", "platinum"]), "catalog.discounts[0].appliesTo[1]", /platinum/)
    expectDecodeError(withValue(["catalog", "discounts", 0, "amountOff"], "5"), "catalog.discounts[0]", /exactly one/)
    expectDecodeError(withValue(["catalog", "discounts", 0, "percentOff"], "150"), "catalog.discounts[0].percentOff")
  })
})

describe("decodeAttachDocument — failures carry the path of the bad field: items and their prices", () => {
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
})

describe("decodeAttachDocument — failures carry the path of the bad field: instants", () => {
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
})

describe("decodeAttachDocument — failures carry the path of the bad field: the customer and the request", () => {
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
})

describe("decodeAttachDocument — failures carry the path of the bad field: several issues", () => {
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
