/**
 * Import of Autumn's product catalog: decode errors that name the Autumn field, telling Autumn
 * products from a native catalog, and the property that the import never throws. The mapping
 * itself: products.test.ts.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { importAutumnCatalog, isAutumnCatalog } from "../../src/autumn/Products.ts"
import { DecodeError } from "../../src/Errors.ts"
import { CHECKOUT_PRO, FEATURES, TEAM_V2, importError } from "./productFixtures.ts"

/** The checkout product, as a one-product list, with item `index` patched and the `drop` keys removed. */
const withItem = (index: number, patch: Record<string, unknown>, drop: ReadonlyArray<string> = []): unknown => {
  const p = structuredClone(CHECKOUT_PRO) as Record<string, unknown>
  const items = p["items"] as Array<Record<string, unknown>>
  const item = { ...items[index], ...patch }
  for (const key of drop) delete item[key]
  items[index] = item
  return [p]
}

describe("decode errors name the Autumn field", () => {
  it("wrong usage_model", () => {
    const e = importError(withItem(1, { usage_model: "weekly" }))
    expect(e).toBeInstanceOf(DecodeError)
    expect(e.path).toBe("products[0].items[1].usage_model")
    expect(e.message).toBe('products[0].items[1].usage_model: expected "prepaid" | "pay_per_use", got "weekly"')
  })

  it("negative price", () => {
    expect(importError(withItem(0, { price: -5 })).message).toBe("products[0].items[0].price: expected a non-negative amount, got -5")
  })

  it("unknown field", () => {
    expect(importError(withItem(1, { usage_modle: "prepaid" })).message).toBe("products[0].items[1].usage_modle: is not a field of this document (check its spelling)")
    const v2 = { ...(TEAM_V2 as Record<string, unknown>), is_add_on: false }
    expect(importError([CHECKOUT_PRO, v2]).path).toBe("products[1].is_add_on")
  })

  it("missing feature_id, v1 and v2", () => {
    expect(importError(withItem(1, {}, ["feature_id", "feature"])).path).toBe("products[0].items[1].feature_id")
    const v2 = structuredClone(TEAM_V2) as { items: Array<Record<string, unknown>> }
    delete v2.items[0]?.["feature_id"]
    expect(importError(v2).message).toBe("products[0].items[0].feature_id: is required but missing")
  })

  it("docs/spec.md §3 rules of the second pass come back with Autumn paths", () => {
    // Tiers out of order: to 50 then 20.
    expect(importError(withItem(1, { price: null, tiers: [{ to: 50, amount: 0.1 }, { to: 20, amount: 0.05 }, { to: "inf", amount: 0.01 }] })).path)
      .toBe("products[0].items[1].tiers[1].to")
    // Pay-per-use messages (consumable) as a one-off price: arrears cannot be one-off.
    expect(importError(withItem(1, { interval: null })).path).toBe("products[0].items[1].interval")
    // Same plan id and version twice.
    expect(importError([CHECKOUT_PRO, CHECKOUT_PRO]).path).toBe("products[1].id")
  })

  it("things with no counterpart are rejected, not dropped", () => {
    expect(importError(withItem(1, { entity_feature_id: "users" })).path).toBe("products[0].items[1].entity_feature_id")
    expect(importError(withItem(1, { interval: "hour" })).message).toMatch(/^products\[0\]\.items\[1\]\.interval: interval "hour" has no counterpart/)
    expect(importError(withItem(1, { config: { on_increase: "prorate_next_cycle" } })).path).toBe("products[0].items[1].config.on_increase")
    const trial = { ...(TEAM_V2 as Record<string, unknown>), free_trial: { duration_length: 7, duration_type: "day", card_required: true, on_end: "revert" } }
    expect(importError(trial).path).toBe("products[0].free_trial.on_end")
    // A price on a flag: messages declared boolean by the features list.
    expect(importError(CHECKOUT_PRO, { features: [{ id: "messages", type: "boolean" }] }).message)
      .toBe('products[0].items[1].price: feature "messages" is a boolean feature (a flag) and cannot be priced')
  })

  it("a bad features list names its entry", () => {
    expect(importError(CHECKOUT_PRO, { features: [{ id: "messages", type: "gauge" }] }).path).toBe("features[0].type")
  })

  it("not products at all", () => {
    expect(importError(42).message).toBe("(document): expected an Autumn product, an array of products, or { list: [...] }, got number")
    expect(importError([null]).path).toBe("products[0]")
  })
})

describe("isAutumnCatalog", () => {
  it("tells Autumn products from a native catalog", () => {
    expect(isAutumnCatalog(CHECKOUT_PRO)).toBe(true)
    expect(isAutumnCatalog([TEAM_V2])).toBe(true)
    expect(isAutumnCatalog({ list: [CHECKOUT_PRO, TEAM_V2] })).toBe(true)
    expect(isAutumnCatalog({ products: [CHECKOUT_PRO], features: FEATURES })).toBe(true)
    expect(isAutumnCatalog({ defaultCurrency: "usd", features: [], plans: [{ id: "pro", price: { amount: "20", interval: "month" } }] })).toBe(false)
    expect(isAutumnCatalog([])).toBe(false)
    expect(isAutumnCatalog("pro")).toBe(false)
  })
})

describe("never throws", () => {
  const settled = (r: Result.Result<unknown, DecodeError>): boolean =>
    Result.isSuccess(r) || (r.failure instanceof DecodeError && r.failure.path.length > 0 && r.failure.issues.length > 0)

  it("for arbitrary JSON, as products or as the features option", () => {
    fc.assert(fc.property(fc.jsonValue(), fc.option(fc.jsonValue(), { nil: undefined }), (products, features) => {
      expect(settled(importAutumnCatalog(products, features === undefined ? {} : { features }))).toBe(true)
    }), { numRuns: 300 })
  })

  it("for arbitrary values, including non-JSON ones", () => {
    fc.assert(fc.property(fc.anything(), (products) => {
      expect(settled(importAutumnCatalog(products))).toBe(true)
    }), { numRuns: 300 })
  })

  it("for the checkout product with one field of one item replaced by arbitrary JSON", () => {
    const keys = ["type", "feature_id", "feature_type", "included_usage", "interval", "price", "usage_model", "billing_units", "tiers", "interval_count"]
    fc.assert(fc.property(fc.nat(1), fc.constantFrom(...keys), fc.jsonValue(), (index, key, value) => {
      const p = structuredClone(CHECKOUT_PRO) as { items: Array<Record<string, unknown>> }
      const item = p.items[index]
      if (item !== undefined) item[key] = value
      const r = importAutumnCatalog(p)
      expect(settled(r)).toBe(true)
      if (Result.isFailure(r)) expect(r.failure.path).toMatch(/^products\[0\]/)
    }), { numRuns: 300 })
  })
})
