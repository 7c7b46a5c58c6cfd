/**
 * Encoding a decoded document back to JSON (docs/spec.md §13): canonical decimals, defaults written out,
 * optional fields left out, and decode∘encode giving back the same model. (The generated
 * property lives in properties-roundtrip.test.ts; these are worked examples.)
 */
import * as Result from "effect/Result"
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import type { Catalog } from "../../src/Catalog.ts"
import { type AttachInput, decodeAttachDocument, decodeCatalog, encodeAttachDocument, encodeCatalog } from "../../src/Document.ts"

const decoded = (d: unknown): AttachInput => {
  const r = decodeAttachDocument(d)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const catalogOf = (d: unknown): Catalog => {
  const r = decodeCatalog(d)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const json = (file: string): unknown => JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8"))

/** Amounts in every spelling decoding takes, and the fields decoding fills in. */
const canonicalForm = () => {
  it("writes decimals in canonical form and the defaults decoding filled in", () => {
    const c = catalogOf({
      defaultCurrency: "USD",
      features: [{ id: "seats", type: "metered" }],
      plans: [{
        id: "pro",
        price: { amount: "20.50", interval: "month", currencies: { EUR: 1.5e1 } },
        items: [{ featureId: "seats", price: { tiers: [{ upTo: 10, amount: "0.100" }, { upTo: "inf", amount: "2E-1", flatAmount: "5" }], interval: "month", billingMethod: "prepaid" } }]
      }],
      discounts: [{ id: "HALF", percentOff: "50.0", duration: { months: 3 } }]
    })
    expect(encodeCatalog(c)).toEqual({
      defaultCurrency: "usd",
      features: [{ id: "seats", name: "seats", type: "metered" }],
      plans: [{
        id: "pro",
        name: "pro",
        group: "",
        addOn: false,
        autoEnable: false,
        version: 1,
        // "20.50" → 41/2 → "20.5"; EUR 1.5e1 → 15 → "15"
        price: { amount: "20.5", interval: "month", currencies: { eur: "15" } },
        items: [{
          featureId: "seats",
          included: 0,
          price: {
            // "0.100" → 1/10 → "0.1"; "2E-1" → 1/5 → "0.2"; a zero flat amount is left out
            tiers: [{ upTo: 10, amount: "0.1" }, { upTo: "inf", amount: "0.2", flatAmount: "5" }],
            tierBehavior: "graduated",
            interval: "month",
            billingUnits: 1,
            billingMethod: "prepaid"
          },
          proration: { onIncrease: "prorate", onDecrease: "prorate" }
        }]
      }],
      discounts: [{ id: "HALF", name: "HALF", percentOff: "50", duration: { months: 3 }, promotionCodes: [] }]
    })
  })
}

describe("encodeCatalog", () => {
  describe("canonical form and defaults", canonicalForm)

  it("keeps interval counts, one-off prices, resets, trials and unlimited allowances", () => {
    const c = catalogOf({
      defaultCurrency: "jpy",
      features: [{ id: "messages", type: "metered", consumable: true, display: { singular: "message", plural: "messages" } }, { id: "sso", type: "boolean" }],
      plans: [
        { id: "q", price: { amount: "0.000000000001", interval: "month", intervalCount: 3 }, freeTrial: { length: 14, unit: "day" }, items: [{ featureId: "sso" }, { featureId: "messages", included: "unlimited", reset: { interval: "week", intervalCount: 2 } }] },
        { id: "setup", addOn: true, group: "extras", version: 2, price: { amount: 99, interval: "one_off" } }
      ]
    })
    const e = encodeCatalog(c) as { plans: ReadonlyArray<Record<string, unknown>>; features: ReadonlyArray<unknown> }
    expect(e.features[0]).toEqual({ id: "messages", name: "messages", type: "metered", consumable: true, display: { singular: "message", plural: "messages" } })
    expect(e.plans[0]).toMatchObject({
      price: { amount: "0.000000000001", interval: "month", intervalCount: 3 },
      freeTrial: { length: 14, unit: "day", cardRequired: true },
      items: [{ featureId: "sso", included: 0 }, { featureId: "messages", included: "unlimited", reset: { interval: "week", intervalCount: 2 } }]
    })
    expect(e.plans[1]).toMatchObject({ addOn: true, group: "extras", version: 2, price: { amount: "99", interval: "one_off" } })
    expect(catalogOf(encodeCatalog(c))).toEqual(c)
  })
})

describe("encodeAttachDocument", () => {
  const cases = readdirSync(new URL("../conformance/cases/", import.meta.url)).filter((f) => f.endsWith(".json")).sort()

  it.each(cases)("decode∘encode gives back conformance case %s, also through JSON text", (file) => {
    const input = (json(`../conformance/cases/${file}`) as { input: unknown }).input
    const r = decodeAttachDocument(input)
    if (Result.isFailure(r)) return // a case about a bad document has nothing to encode
    const x = r.success
    expect(decoded(encodeAttachDocument(x))).toEqual(x)
    expect(decoded(JSON.parse(JSON.stringify(encodeAttachDocument(x))))).toEqual(x)
  })

  it("gives back every example document, and encoding is a fixed point", () => {
    for (const name of ["new", "upgrade", "downgrade", "prepaid-tiers"]) {
      const x = decoded(json(`../../examples/${name}.json`))
      const once = JSON.stringify(encodeAttachDocument(x))
      expect(decoded(JSON.parse(once))).toEqual(x)
      expect(JSON.stringify(encodeAttachDocument(decoded(JSON.parse(once))))).toBe(once)
    }
  })

  it("returns the customer and request in their input shape", () => {
    const x = decoded(json("../../examples/upgrade.json"))
    const e = encodeAttachDocument(x) as { customer: unknown; request: unknown }
    expect(e.customer).toEqual(x.customer)
    expect(e.request).toEqual(x.request)
  })
})
