/**
 * Import of Autumn's product catalog (v1 products, v2 plans) into this library's catalog:
 * field-by-field mapping, planning an attach on the result, error paths that name the Autumn
 * field, and a property that the import never throws.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { autumnCatalogDocument, importAutumnCatalog, isAutumnCatalog } from "../../src/autumn/Products.ts"
import { type Catalog, findPlan } from "../../src/Catalog.ts"
import { decodeCustomerAndRequest } from "../../src/Document.ts"
import { DecodeError } from "../../src/Errors.ts"
import { planAttach } from "../../src/Planner.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import * as Rational from "../../src/Rational.ts"

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/autumn/${name}`, import.meta.url), "utf8"))

/**
 * The `product` of the response example in Autumn's checkout documentation, verbatim:
 * https://docs.useautumn.com/api-reference/core/checkout (also docs-v1.useautumn.com).
 * A `pro` product: $20 per month, 100 messages included, then $0.10 per message, pay per use.
 */
const CHECKOUT_PRO = fixture("checkout-pro-v1.json")
/** A v2 plan as autumn-js 1.x's Plan response has it: $49/month, 3 seats included, prepaid tiered seats, 14-day trial. */
const TEAM_V2 = fixture("team-seats-v2.json")
/** Autumn's features list (GET /v1/features), v1 types. */
const FEATURES = fixture("features-v1.json")

const eq = (a: Rational.Rational | undefined, b: Rational.Rational): boolean => a !== undefined && Rational.compare(a, b) === 0

const imported = (products: unknown, options = {}): Catalog => {
  const r = importAutumnCatalog(products, options)
  if (Result.isFailure(r)) throw new Error(`expected a catalog, got ${r.failure.message}`)
  return r.success
}

const importError = (products: unknown, options = {}): DecodeError => {
  const r = importAutumnCatalog(products, options)
  if (Result.isSuccess(r)) throw new Error("expected a DecodeError, got a catalog")
  return r.failure
}

/** Plans an attach of `planId` for a new customer (card on file) at 2025-01-16. */
const attachNew = (catalog: Catalog, planId: string, extra: Record<string, unknown> = {}, plan: Record<string, unknown> = {}): AttachPreview => {
  const input = decodeCustomerAndRequest(catalog, {
    customer: { id: "cus_1", hasPaymentMethod: true, subscriptions: [] },
    request: { customerId: "cus_1", at: "2025-01-16T00:00:00Z", plans: [{ planId, ...plan }], ...extra }
  })
  if (Result.isFailure(input)) throw new Error(input.failure.message)
  const r = planAttach(input.success)
  if (Result.isFailure(r)) throw new Error(`${r.failure._tag}: ${r.failure.message}`)
  return r.success
}

describe("Autumn checkout documentation product (v1)", () => {
  it("becomes plan pro: 20 usd a month, 100 messages a month included, then 0.10 per message in arrears", () => {
    const catalog = imported(CHECKOUT_PRO)
    expect(catalog.defaultCurrency).toBe("usd")
    expect(catalog.features).toEqual([
      { id: "messages", name: "Messages", type: "metered", consumable: true, display: { singular: "message", plural: "messages" } }
    ])
    const pro = findPlan(catalog, "pro")
    expect(pro).toBeDefined()
    expect({ id: pro?.id, name: pro?.name, group: pro?.group, addOn: pro?.addOn, autoEnable: pro?.autoEnable, version: pro?.version, freeTrial: pro?.freeTrial })
      .toEqual({ id: "pro", name: "Pro", group: "", addOn: false, autoEnable: false, version: 2, freeTrial: undefined })
    expect(eq(pro?.price?.amount, Rational.fromInt(20))).toBe(true)
    expect(pro?.price?.interval).toEqual({ unit: "month", count: 1 })
    expect(pro?.items).toHaveLength(1)
    const messages = pro?.items[0]
    expect({ featureId: messages?.featureId, included: messages?.included, reset: messages?.reset }).toEqual({ featureId: "messages", included: 100, reset: { unit: "month", count: 1 } })
    // 0.1 → the decimal string "0.1" → exactly 1/10, never the binary float 0.1000000000000000055…
    expect(eq(messages?.price?.amount?.amount, Rational.make(1n, 10n))).toBe(true)
    expect({
      interval: messages?.price?.interval,
      billingUnits: messages?.price?.billingUnits,
      billingMethod: messages?.price?.billingMethod,
      tiers: messages?.price?.tiers,
      maxPurchase: messages?.price?.maxPurchase
    }).toEqual({ interval: { unit: "month", count: 1 }, billingUnits: 1, billingMethod: "usage_based", tiers: undefined, maxPurchase: undefined })
  })

  it("gives the catalog input document, plain camelCase JSON", () => {
    expect(autumnCatalogDocument(CHECKOUT_PRO)).toEqual(Result.succeed({
      defaultCurrency: "usd",
      features: [{ id: "messages", name: "Messages", type: "metered", consumable: true, display: { singular: "message", plural: "messages" } }],
      plans: [{
        id: "pro",
        name: "Pro",
        version: 2,
        price: { amount: "20", interval: "month" },
        items: [{
          featureId: "messages",
          included: 100,
          reset: { interval: "month" },
          price: { amount: "0.1", interval: "month", billingUnits: 1, billingMethod: "usage_based" }
        }]
      }]
    }))
  })

  it("plans an attach: a new customer pays 20.00 now and 20.00 next cycle, messages billed in arrears", () => {
    const preview = attachNew(imported(CHECKOUT_PRO), "pro")
    // New customer, monthly 20.00 in advance: 2000 minor units today, nothing to credit.
    expect(preview.scenario).toBe("new")
    expect(preview.total).toBe(2000)
    expect(preview.amountDue).toBe(2000)
    // Next cycle one month after 2025-01-16: the base price again (2000); usage above 100 messages is an arrears line.
    expect(preview.nextCycle?.startsAt).toBe("2025-02-16T00:00:00.000Z")
    expect(preview.nextCycle?.total).toBe(2000)
    expect(preview.nextCycle?.usageLines.map((u) => [u.planId, u.featureId])).toEqual([["pro", "messages"]])
  })

  it("takes the currency from the options, since Autumn products carry none", () => {
    expect(imported(CHECKOUT_PRO, { defaultCurrency: "EUR" }).defaultCurrency).toBe("eur")
    expect(importError(CHECKOUT_PRO, { defaultCurrency: "euro" }).path).toBe("options.defaultCurrency")
  })

  it("accepts one product, an array, { list } and { products, features }", () => {
    for (const wrapped of [CHECKOUT_PRO, [CHECKOUT_PRO], { list: [CHECKOUT_PRO] }, { products: [CHECKOUT_PRO], features: FEATURES }]) {
      expect(findPlan(imported(wrapped), "pro")?.items[0]?.featureId).toBe("messages")
    }
  })
})

describe("v2 plan: prepaid tiered seats and a free trial", () => {
  const catalog = () => imported(TEAM_V2, { features: FEATURES })

  it("maps price, tiers (v2 'to' counts the included seats), max purchase, proration, trial", () => {
    const team = findPlan(catalog(), "team")
    expect({ group: team?.group, addOn: team?.addOn, autoEnable: team?.autoEnable, version: team?.version, freeTrial: team?.freeTrial })
      .toEqual({ group: "main", addOn: false, autoEnable: false, version: 1, freeTrial: { length: 14, unit: "day", cardRequired: true } })
    expect(eq(team?.price?.amount, Rational.fromInt(49))).toBe(true)
    const seats = team?.items.find((i) => i.featureId === "seats")
    expect(seats?.included).toBe(3)
    expect(seats?.reset).toBeUndefined()
    expect(seats?.feature).toMatchObject({ type: "metered", consumable: false, name: "Seats" })
    // Autumn: to 10 (incl. 3 included) at 12, then 9.5 → billable units: up to 7 at 12, then 9.5.
    expect(seats?.price?.tiers?.map((t) => t.upTo)).toEqual([7, "inf"])
    expect(eq(seats?.price?.tiers?.[1]?.amount, Rational.make(19n, 2n))).toBe(true)
    expect({ method: seats?.price?.billingMethod, behavior: seats?.price?.tierBehavior, max: seats?.price?.maxPurchase, proration: seats?.proration })
      .toEqual({ method: "prepaid", behavior: "graduated", max: 97, proration: { onIncrease: "prorate", onDecrease: "none" } })
    const sso = team?.items.find((i) => i.featureId === "sso")
    expect(sso?.feature.type).toBe("boolean")
    expect(sso?.price).toBeUndefined()
  })

  it("starts the 14-day trial: nothing today", () => {
    const preview = attachNew(catalog(), "team", {}, { featureQuantities: [{ featureId: "seats", quantity: 15 }] })
    expect(preview.total).toBe(0)
    expect(preview.trialEndsAt).toBe("2025-01-30T00:00:00.000Z")
  })

  it("without the trial charges 49 + 15 seats now", () => {
    const preview = attachNew(catalog(), "team", { freeTrial: null }, { featureQuantities: [{ featureId: "seats", quantity: 15 }] })
    // 15 seats − 3 included = 12 billable: 7 × 12.00 = 84.00, 5 × 9.50 = 47.50; + 49.00 base = 180.50
    expect(preview.total).toBe(18050)
  })

  it("infers features when no features list is given: seats metered (not consumable), sso boolean", () => {
    const features = imported(TEAM_V2).features
    expect(features.map((f) => [f.id, f.type, f.consumable])).toEqual([["seats", "metered", false], ["sso", "boolean", false]])
  })

  it("takes additional currencies of a base price", () => {
    const plan = { ...(TEAM_V2 as Record<string, unknown>), price: { amount: 49, interval: "month", additional_currencies: [{ currency: "EUR", amount: 45.5 }] } }
    expect(eq(findPlan(imported(plan), "team")?.price?.currencies.get("eur"), Rational.make(91n, 2n))).toBe(true)
  })
})

describe("v1 shapes: one-off, add-on, interval_count", () => {
  const products = {
    list: [
      { id: "free", name: "Free", is_add_on: false, is_default: true, group: "main", version: 1, free_trial: null, items: [
        { type: "feature", feature_id: "messages", feature_type: "single_use", included_usage: 5, interval: "month" },
        { type: "feature", feature_id: "sso", feature_type: "boolean", included_usage: null, interval: null }
      ] },
      { id: "lifetime", name: "Lifetime", is_add_on: false, is_default: false, group: "main", version: 1, free_trial: null, items: [
        { type: "price", feature_id: null, interval: null, price: 199 },
        { type: "feature", feature_id: "messages", feature_type: "single_use", included_usage: "inf", interval: null }
      ] },
      { id: "credits_pack", name: "Credits pack", is_add_on: true, is_default: false, group: null, version: 1, free_trial: null, items: [
        { type: "priced_feature", feature_id: "credits", feature_type: "single_use", included_usage: 0, interval: null, price: 5, billing_units: 100, usage_model: "prepaid" }
      ] },
      { id: "quarterly", name: "Pro quarterly", is_add_on: false, is_default: false, group: "main", version: 3, items: [
        { type: "price", feature_id: null, interval: "month", interval_count: 3, price: 54 }
      ], free_trial: { duration: "month", length: 1, unique_fingerprint: true, card_required: false } }
    ]
  }
  const catalog = () => imported(products, { features: FEATURES })

  it("is_default → autoEnable; a boolean feature item → a bare item; group null → no group", () => {
    const free = findPlan(catalog(), "free")
    expect(free?.autoEnable).toBe(true)
    expect(free?.items.map((i) => [i.featureId, i.included, i.reset])).toEqual([["messages", 5, { unit: "month", count: 1 }], ["sso", 0, undefined]])
    expect(findPlan(catalog(), "credits_pack")?.group).toBe("")
  })

  it("a price item with interval null is a one-off price; included_usage 'inf' is unlimited", () => {
    const lifetime = findPlan(catalog(), "lifetime")
    expect(lifetime?.price?.interval).toBe("one_off")
    expect(lifetime?.items[0]?.included).toBe("unlimited")
    const preview = attachNew(catalog(), "lifetime")
    // One-off 199.00 today, no next cycle.
    expect(preview.total).toBe(19900)
    expect(preview.nextCycle).toBeNull()
  })

  it("an add-on of prepaid one-off packs: 250 credits = 3 packs of 100 at 5.00", () => {
    const pack = findPlan(catalog(), "credits_pack")
    expect(pack?.addOn).toBe(true)
    expect({ interval: pack?.items[0]?.price?.interval, units: pack?.items[0]?.price?.billingUnits, method: pack?.items[0]?.price?.billingMethod })
      .toEqual({ interval: "one_off", units: 100, method: "prepaid" })
    // ceil(250 / 100) = 3 packs × 5.00 = 15.00
    expect(attachNew(catalog(), "credits_pack", {}, { featureQuantities: [{ featureId: "credits", quantity: 250 }] }).total).toBe(1500)
  })

  it("interval_count 3 on a monthly price bills every 3 months; the trial maps duration → unit", () => {
    const quarterly = findPlan(catalog(), "quarterly")
    expect(quarterly?.price?.interval).toEqual({ unit: "month", count: 3 })
    expect(quarterly?.version).toBe(3)
    expect(quarterly?.freeTrial).toEqual({ length: 1, unit: "month", cardRequired: false })
    const preview = attachNew(catalog(), "quarterly", { freeTrial: null })
    // 54.00 for three months, next cycle 2025-04-16
    expect(preview.total).toBe(5400)
    expect(preview.nextCycle?.startsAt).toBe("2025-04-16T00:00:00.000Z")
  })

  it("a v2 plan with interval_count maps the same way", () => {
    const plan = { id: "biennial", add_on: false, auto_enable: false, price: { amount: 100, interval: "year", interval_count: 2 }, items: [] }
    expect(findPlan(imported(plan), "biennial")?.price?.interval).toEqual({ unit: "year", count: 2 })
  })
})

describe("decode errors name the Autumn field", () => {
  const pro = (): Record<string, unknown> => structuredClone(CHECKOUT_PRO) as Record<string, unknown>
  const withItem = (index: number, patch: Record<string, unknown>, drop: ReadonlyArray<string> = []): unknown => {
    const p = pro()
    const items = p["items"] as Array<Record<string, unknown>>
    const item = { ...items[index], ...patch }
    for (const key of drop) delete item[key]
    items[index] = item
    return [p]
  }

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
