/**
 * Import of Autumn's product catalog (v1 products, v2 plans) into this library's catalog:
 * field-by-field mapping and planning an attach on the result. Error paths that name the Autumn
 * field, and the property that the import never throws: products-errors.test.ts.
 */
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { autumnCatalogDocument, importAutumnCatalog } from "../../src/autumn/Products.ts"
import { type Catalog, findPlan } from "../../src/Catalog.ts"
import { decodeCustomerAndRequest } from "../../src/Document.ts"
import { planAttach } from "../../src/Planner.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import * as Rational from "../../src/Rational.ts"
import { CHECKOUT_PRO, FEATURES, TEAM_V2, importError } from "./productFixtures.ts"

const eq = (a: Rational.Rational | undefined, b: Rational.Rational): boolean => a !== undefined && Rational.compare(a, b) === 0

const imported = (products: unknown, options = {}): Catalog => {
  const r = importAutumnCatalog(products, options)
  if (Result.isFailure(r)) throw new Error(`expected a catalog, got ${r.failure.message}`)
  return r.success
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

/** The checkout product as this library's plan and as the catalog input document. */
const checkoutMapping = () => {
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
}

/** Planning an attach on the imported checkout product, and the options and wrappers the import takes. */
const checkoutUse = () => {
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
}

describe("Autumn checkout documentation product (v1)", () => {
  describe("mapping", checkoutMapping)
  describe("attach and import options", checkoutUse)
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

/** v1 products: a default free plan, a one-off lifetime plan, a prepaid add-on of packs, a quarterly plan with a trial. */
const V1_SHAPES = {
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

describe("v1 shapes: one-off, add-on, interval_count", () => {
  const catalog = () => imported(V1_SHAPES, { features: FEATURES })

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
