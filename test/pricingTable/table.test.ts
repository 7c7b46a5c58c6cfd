/**
 * The pricing table (issue #16) on hand-computed cases: a customer on `pro` ($20/month, anchored
 * Jan 1 2025) priced on Jan 16 (16 of 31 days left), the call to action of every kind, trials,
 * currencies, entities, versions, the held plan, Autumn's customer_eligibility, decoding errors
 * and the three API forms.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import {
  customerEligibility, decodeCatalog, decodePricingRequest, planPricingTable, previewPricingTable, previewPricingTablePromise,
  previewPricingTableSync, type PricingTable, type PricingTableEntry
} from "../../src/index.ts"
import { JAN1, JAN16, type Obj, catalog, customer, freePlan, monthly, plan, subscription } from "../support/build.ts"


const CATALOG = catalog([
  freePlan(),
  monthly("pro", "20", { price: { amount: "20", interval: "month", currencies: { eur: "18" } } }),
  monthly("premium", "50", { price: { amount: "50", interval: "month", currencies: { eur: "45" } } }),
  monthly("trial_pro", "30", { freeTrial: { length: 14, unit: "day", cardRequired: false } }),
  plan("pro_annual", "240", "year"),
  monthly("addon", "10", { addOn: true }),
  plan("pack", "15", "one_off")
])

const table = (document: Obj): PricingTable => {
  const r = previewPricingTableSync(document)
  if (Result.isFailure(r)) throw new Error(`expected a table, got ${r.failure._tag}: ${r.failure.message}`)
  return r.success
}

const row = (t: PricingTable, planId: string, version?: number): PricingTableEntry => {
  const found = t.plans.find((p) => p.planId === planId && (version === undefined || p.version === version))
  if (found === undefined) throw new Error(`no row for ${planId}`)
  return found
}

/** The fields a pricing page prints, one row. */
const brief = (r: PricingTableEntry) => ({
  action: r.action,
  scenario: r.scenario,
  timing: r.timing,
  amountDueToday: r.amountDueToday,
  recurring: r.recurring === null ? null : r.recurring.amount,
  nextCycleAt: r.nextCycleAt
})

const onPro = customer([subscription("pro", JAN1)])

describe("a customer on pro, mid-cycle", () => {
  const t = table({ catalog: CATALOG, customer: onPro, at: JAN16 })

  it("lists every plan in catalog order, in the customer's currency", () => {
    expect(t.plans.map((p) => p.planId)).toEqual(["free", "pro", "premium", "trial_pro", "pro_annual", "addon", "pack"])
    expect([t.customerId, t.currency, t.at, t.entityId]).toEqual(["cus_1", "usd", JAN16, null])
  })

  it("pro is current; it renews Feb 1 at $20.00", () => {
    expect(brief(row(t, "pro"))).toEqual({ action: "current", scenario: "active", timing: "none", amountDueToday: 0, recurring: 2000, nextCycleAt: "2025-02-01T00:00:00.000Z" })
    expect(row(t, "pro").held).toEqual({ version: 1, status: "active", canceling: false, trialing: false })
    expect(row(t, "pro").recurring).toEqual({ amount: 2000, currency: "usd", interval: { unit: "month", count: 1 }, usageBased: false })
  })

  it("premium is an upgrade: $15.49 today, then $50.00 monthly from Feb 1", () => {
    // charge 5000 × 16/31 = 2580.6 → 2581; credit −2000 × 16/31 = −1032.3 → −1032; 2581 − 1032 = 1549
    expect(brief(row(t, "premium"))).toEqual({ action: "upgrade", scenario: "upgrade", timing: "immediate", amountDueToday: 1549, recurring: 5000, nextCycleAt: "2025-02-01T00:00:00.000Z" })
    expect(row(t, "premium").replaces).toBe("pro")
    expect(row(t, "premium").checkoutRequired).toBe(false)
  })

  it("free is a downgrade on Feb 1, with nothing to pay after it", () => {
    expect(brief(row(t, "free"))).toEqual({ action: "downgrade", scenario: "cancel", timing: "end_of_cycle", amountDueToday: 0, recurring: null, nextCycleAt: null })
    expect(row(t, "free").effectiveAt).toBe("2025-02-01T00:00:00.000Z")
    expect(row(t, "free").kind).toBe("free")
  })

  it("trial_pro starts a 14-day trial with no card: the credit for pro is kept, $30.00 from Jan 30", () => {
    // nothing charged for trial_pro; credit −1032 → total −1032 → amount due 0 (the credit becomes balance)
    expect(brief(row(t, "trial_pro"))).toEqual({ action: "trial", scenario: "upgrade", timing: "immediate", amountDueToday: 0, recurring: 3000, nextCycleAt: "2025-01-30T00:00:00.000Z" })
    expect(row(t, "trial_pro")).toMatchObject({ trial: { length: 14, unit: "day", cardRequired: false }, trialAvailable: true, trialEndsAt: "2025-01-30T00:00:00.000Z" })
  })

  it("pro_annual is an upgrade on pro's anchor, billed to Jan 1 2026", () => {
    // charge 24000 × 350/365 = 23013.7 → 23014 (Jan 16 2025 → Jan 1 2026); credit −1032; 23014 − 1032 = 21982
    expect(brief(row(t, "pro_annual"))).toEqual({ action: "upgrade", scenario: "upgrade", timing: "immediate", amountDueToday: 21982, recurring: 24000, nextCycleAt: "2026-01-01T00:00:00.000Z" })
    expect(row(t, "pro_annual").recurring?.interval).toEqual({ unit: "year", count: 1 })
  })

  it("the add-on joins pro's subscription; the one-off pack is bought in full", () => {
    // addon: 1000 × 16/31 = 516.1 → 516; its next invoice line is 1000
    expect(brief(row(t, "addon"))).toEqual({ action: "buy", scenario: "new", timing: "immediate", amountDueToday: 516, recurring: 1000, nextCycleAt: "2025-02-01T00:00:00.000Z" })
    expect(brief(row(t, "pack"))).toEqual({ action: "buy", scenario: "new", timing: "immediate", amountDueToday: 1500, recurring: null, nextCycleAt: null })
    expect([row(t, "pack").kind, row(t, "addon").addOn]).toEqual(["one_off", true])
  })

  it("gives Autumn's customer_eligibility for each row", () => {
    expect(customerEligibility(row(t, "pro"))).toEqual({ scenario: "active", attach_action: "none", status: "active", canceling: false, trialing: false })
    expect(customerEligibility(row(t, "premium"))).toEqual({ scenario: "upgrade", attach_action: "upgrade" })
    expect(customerEligibility(row(t, "free"))).toEqual({ scenario: "cancel", attach_action: "downgrade" })
    expect(customerEligibility(row(t, "trial_pro"))).toEqual({ scenario: "upgrade", attach_action: "upgrade", trial_available: true })
    expect(customerEligibility(row(t, "addon"))).toEqual({ scenario: "new", attach_action: "activate" })
    expect(customerEligibility(row(t, "pack"))).toEqual({ scenario: "new", attach_action: "purchase" })
  })
})

describe("other customers", () => {
  it("a used trial is not offered again: trial_pro is a plain upgrade", () => {
    const t = table({ catalog: CATALOG, customer: customer([subscription("pro", JAN1)], { trialsUsed: ["trial_pro"] }), at: JAN16 })
    // 3000 × 16/31 = 1548.4 → 1548; − 1032 = 516
    expect(brief(row(t, "trial_pro"))).toMatchObject({ action: "upgrade", amountDueToday: 516, nextCycleAt: "2025-02-01T00:00:00.000Z" })
    expect([row(t, "trial_pro").trialAvailable, row(t, "trial_pro").trialEndsAt]).toEqual([false, null])
    expect(customerEligibility(row(t, "trial_pro")).trial_available).toBe(false)
  })

  it("a new customer without a card must check out for a paid plan, not for a cardless trial", () => {
    const t = table({ catalog: CATALOG, customer: customer([], { hasPaymentMethod: false }), at: JAN16 })
    // nothing held: premium is new on its own anchor, a full first period of 5000
    expect(brief(row(t, "premium"))).toEqual({ action: "buy", scenario: "new", timing: "immediate", amountDueToday: 5000, recurring: 5000, nextCycleAt: "2025-02-16T00:00:00.000Z" })
    expect([row(t, "premium").checkout, row(t, "premium").checkoutRequired]).toEqual(["provider_checkout", true])
    expect([row(t, "trial_pro").action, row(t, "trial_pro").checkoutRequired]).toEqual(["trial", false])
    expect([row(t, "free").action, row(t, "free").checkoutRequired]).toEqual(["buy", false])
  })

  it("a plan cancelling at period end with another scheduled: renew and scheduled", () => {
    const c = customer([
      subscription("premium", JAN1, { cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00Z" }),
      subscription("pro", JAN1, { id: "sub_pro_next", status: "scheduled", startsAt: "2025-02-01T00:00:00Z", startedAt: "2025-02-01T00:00:00Z" })
    ])
    const t = table({ catalog: CATALOG, customer: c, at: JAN16 })
    expect(brief(row(t, "premium"))).toEqual({ action: "renew", scenario: "renew", timing: "immediate", amountDueToday: 0, recurring: 5000, nextCycleAt: "2025-02-01T00:00:00.000Z" })
    expect(brief(row(t, "pro"))).toMatchObject({ action: "scheduled", scenario: "scheduled", timing: "none", amountDueToday: 0 })
    expect(row(t, "premium").held).toEqual({ version: 1, status: "active", canceling: true, trialing: false })
    expect(row(t, "pro").held).toEqual({ version: 1, status: "scheduled", canceling: false, trialing: false })
    expect(customerEligibility(row(t, "pro"))).toEqual({ scenario: "scheduled", attach_action: "none", status: "scheduled" })
    expect(customerEligibility(row(t, "premium"))).toEqual({ scenario: "renew", attach_action: "none", status: "active", canceling: true, trialing: false })
  })

  it("in eur, plans without a eur price are unavailable with the reason", () => {
    const t = table({ catalog: CATALOG, customer: onPro, at: JAN16, currency: "EUR" })
    expect(t.currency).toBe("eur")
    // premium: 4500 × 16/31 = 2322.6 → 2323; credit −1800 × 16/31 = −929.0 → −929; 2323 − 929 = 1394
    expect(brief(row(t, "premium"))).toMatchObject({ action: "upgrade", amountDueToday: 1394, recurring: 4500 })
    expect(row(t, "trial_pro")).toMatchObject({ action: "unavailable", reason: { _tag: "CurrencyMismatch", message: 'Plan "trial_pro" has no price in EUR' }, amountDueToday: null, scenario: null })
    expect(row(t, "free").action).toBe("downgrade")
    expect(customerEligibility(row(t, "trial_pro"))).toEqual({ attach_action: "none", trial_available: false })
  })

  it("for an entity with nothing of its own, the plans are new and join the customer's subscription", () => {
    const t = table({ catalog: CATALOG, customer: onPro, at: JAN16, entityId: "ws_1" })
    expect(t.entityId).toBe("ws_1")
    // premium joins pro's anchor: 5000 × 16/31 → 2581, nothing replaced
    expect(brief(row(t, "premium"))).toMatchObject({ action: "buy", scenario: "new", amountDueToday: 2581 })
    expect(brief(row(t, "pro"))).toMatchObject({ action: "buy", scenario: "new", amountDueToday: 1032 })
    expect(row(t, "pro").held).toBeNull()
  })
})

describe("versions", () => {
  const versioned = catalog([monthly("pro", "20"), monthly("pro", "25", { version: 2 }), monthly("premium", "50")])

  // A subscription without a version holds the highest one; this customer holds v1.
  const onProV1 = customer([subscription("pro", JAN1, { version: 1 })])

  it("lists the highest version of each plan; the customer on v1 sees v2 as an upgrade", () => {
    const t = table({ catalog: versioned, customer: onProV1, at: JAN16 })
    expect(t.plans.map((p) => `${p.planId}@${p.version}`)).toEqual(["pro@2", "premium@1"])
    // 2500 × 16/31 = 1290.3 → 1290; − 1032 = 258
    expect(brief(row(t, "pro"))).toMatchObject({ action: "upgrade", amountDueToday: 258 })
    expect(row(t, "pro").held).toEqual({ version: 1, status: "active", canceling: false, trialing: false })
  })

  it("with allVersions, every version in catalog order: v1 is current", () => {
    const t = table({ catalog: versioned, customer: onProV1, at: JAN16, allVersions: true })
    expect(t.plans.map((p) => `${p.planId}@${p.version}`)).toEqual(["pro@1", "pro@2", "premium@1"])
    expect([row(t, "pro", 1).action, row(t, "pro", 2).action]).toEqual(["current", "upgrade"])
  })
})

describe("errors and API forms", () => {
  it("a held plan missing from the catalog fails the whole table, as it fails every preview", () => {
    const r = previewPricingTableSync({ catalog: CATALOG, customer: customer([subscription("gold", JAN1)]), at: JAN16 })
    expect(Result.isFailure(r) && r.failure).toMatchObject({ _tag: "UnknownPlan", planId: "gold", message: 'Subscription "sub_gold_old" holds plan "gold", which is not in the catalog' })
  })

  it("bad documents are DecodeErrors naming the field", () => {
    const message = (d: unknown): string => {
      const r = previewPricingTableSync(d)
      return Result.isFailure(r) ? `${r.failure._tag}: ${r.failure.message}` : "no error"
    }
    expect(message({ catalog: CATALOG, customer: onPro, at: "Jan 16" })).toBe('DecodeError: at: expected an ISO-8601 instant such as 2025-01-16T00:00:00Z, got "Jan 16"')
    expect(message({ catalog: CATALOG, customer: onPro, at: JAN16, currency: "euro" })).toBe('DecodeError: currency: expected a 3-letter ISO 4217 currency code, got "euro"')
    expect(message({ catalog: CATALOG, customer: { id: "" }, at: JAN16 })).toMatch(/^DecodeError: customer\.id: /)
    expect(message({ catalog: CATALOG, customer: onPro, at: JAN16, plans: [] })).toMatch(/^DecodeError: plans: /)
    expect(message({ customer: onPro, at: JAN16 })).toBe("DecodeError: catalog: is required but missing")
    expect(message({ catalog: { defaultCurrency: "usd", features: [], plans: [{ id: "pro", price: { amount: "x", interval: "month" } }] }, customer: onPro, at: JAN16 })).toMatch(/^DecodeError: catalog\.plans\[0\]\.price\.amount: /)
    expect(message([])).toBe("DecodeError: (document): expected an object with catalog, customer and at, got an array")
  })

  it("a catalog decoded once prices many customers: decodePricingRequest + planPricingTable give the same table", () => {
    const decoded = decodeCatalog(CATALOG)
    if (Result.isFailure(decoded)) throw new Error(decoded.failure.message)
    const input = decodePricingRequest(decoded.success, { customer: onPro, at: JAN16 })
    if (Result.isFailure(input)) throw new Error(input.failure.message)
    expect(planPricingTable(input.success)).toEqual(Result.succeed(table({ catalog: CATALOG, customer: onPro, at: JAN16 })))
  })

  it("the Effect and Promise forms give the same table or the same error", async () => {
    const document = { catalog: CATALOG, customer: onPro, at: JAN16 }
    const expected = table(document)
    expect(await Effect.runPromise(previewPricingTable(document))).toEqual(expected)
    expect(await previewPricingTablePromise(document)).toEqual(expected)
    await expect(previewPricingTablePromise({ ...document, at: "never" })).rejects.toMatchObject({ _tag: "DecodeError", path: "at" })
    const failed = await Effect.runPromise(Effect.result(previewPricingTable({ ...document, at: "never" })))
    expect(Result.isFailure(failed) && failed.failure._tag).toBe("DecodeError")
  })
})
