/**
 * Full previews (docs/spec.md §6–§10, §13) with hand-computed numbers. Every amount is worked out in the
 * comment beside it: the exact fraction, then the half-away-from-zero rounding to minor units.
 *
 * The period most tests use: anchor 2025-01-01, at 2025-01-16 → period [Jan 1, Feb 1) of 31 days,
 * 16 days left: fraction = (Feb 1 − Jan 16) / (Feb 1 − Jan 1) = 16/31.
 *   $20 × 16/31 = 320/31 = 10.3225… → 1032      $50 × 16/31 = 800/31 = 25.8064… → 2581
 *   $10 × 16/31 = 160/31 =  5.1612… →  516
 */
import { describe, expect, it } from "vitest"
import { previewDocument } from "../../src/index.ts"
import type { AttachPreview, Line } from "../../src/Preview.ts"
import { JAN1, JAN16, type Obj, catalog, customer, doc, freePlan, iso, monthly, plan, request, subscription } from "../support/build.ts"
import { brief, failure, preview } from "../support/run.ts"


const subsAfter = (p: AttachPreview): ReadonlyArray<Obj> => (p.customerAfter.subscriptions ?? []) as ReadonlyArray<Obj>
const subAfter = (p: AttachPreview, planId: string, status?: string): Obj | undefined =>
  subsAfter(p).find((s) => s["planId"] === planId && (status === undefined || s["status"] === status))
const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)
const lineFor = (lines: ReadonlyArray<Line>, kind: Line["kind"], planId: string, featureId: string | null = null): Line | undefined =>
  lines.find((l) => l.kind === kind && l.planId === planId && l.featureId === featureId)

// Items reused by the catalogs below
const messagesArrears = (included: number | "unlimited", amount: string, extra: Obj = {}): Obj => ({
  featureId: "messages",
  included,
  reset: { interval: "month" },
  price: { amount, interval: "month", billingMethod: "usage_based", ...extra }
})
const seatsAllocated = (included: number, amount: string): Obj => ({
  featureId: "seats",
  included,
  price: { amount, interval: "month", billingMethod: "usage_based" }
})
const storagePrepaid = (billingUnits: number, amount: string): Obj => ({
  featureId: "storage",
  price: { amount, interval: "month", billingMethod: "prepaid", billingUnits }
})

/** free, pro $20/month, premium $50/month, an add-on $10/month and a one-off pack $15. */
const basic = catalog([
  freePlan("free"),
  monthly("pro", "20"),
  monthly("premium", "50"),
  monthly("extra", "10", { addOn: true }),
  plan("pack", "15", "one_off")
])

// ---------------------------------------------------------------------------------------------
// §8.1 / §7 new subscriptions
// ---------------------------------------------------------------------------------------------

describe("new subscription with a card on file: full first period (docs/spec.md §7, §8.1, §9)", () => {
  it("monthly $20 at 2025-03-10T12:00Z: 2000 now, next cycle one month later", () => {
    const p = preview(doc(basic, customer([]), request("2025-03-10T12:00:00Z", "pro")))
    expect(p.scenario).toBe("new")
    // new subscription anchored at `at`: fraction 1 → $20.00 → 2000
    expect(p.lines).toEqual([{
      kind: "charge",
      planId: "pro",
      featureId: null,
      description: expect.any(String),
      quantity: 1,
      period: { start: "2025-03-10T12:00:00.000Z", end: "2025-04-10T12:00:00.000Z" },
      amount: 2000,
      discounts: [],
      total: 2000,
      // issue #12: the full period (Mar 10 12:00 → Apr 10 12:00, 31 days) by the millisecond
      derivation: {
        exact: "2000", roundingDelta: "0", base: "2000", policy: "exact", discounts: [],
        fraction: { numerator: 2_678_400_000, denominator: 2_678_400_000, unit: "millisecond", from: "2025-03-10T12:00:00.000Z", to: "2025-04-10T12:00:00.000Z" }
      }
    }])
    expect(p).toMatchObject({ subtotal: 2000, discountTotal: 0, total: 2000, creditApplied: 0, amountDue: 2000, trialEndsAt: null, checkout: "none" })
    // boundary 1 = anchor + 1 month = 2025-04-10T12:00Z, full price 2000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-10T12:00:00.000Z", subtotal: 2000, discountTotal: 0, total: 2000, usageLines: [] })
    expect(brief(p.nextCycle?.lines ?? [])).toEqual([{ kind: "charge", planId: "pro", featureId: null, amount: 2000, total: 2000 }])
    expect(p.changes).toEqual([{ planId: "pro", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: "2025-03-10T12:00:00.000Z" }])
    // docs/decisions.md rule 22: sub_<planId>_<yyyymmddThhmmssZ>
    expect(subAfter(p, "pro")).toMatchObject({
      id: "sub_pro_20250310T120000Z", status: "active", billingAnchor: "2025-03-10T12:00:00.000Z", startedAt: "2025-03-10T12:00:00.000Z"
    })
  })

  it("quarterly $54 anchored Jan 31: 5400 now, next cycle Apr 30 (Jan 31 + 3 months clamps)", () => {
    const cat = catalog([plan("proQ", "54", "quarter")])
    const p = preview(doc(cat, customer([]), request("2025-01-31T00:00:00Z", "proQ")))
    // full quarter: $54.00 → 5400; Jan 31 + 3 months = "Apr 31" → Apr 30
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "proQ", featureId: null, amount: 5400, total: 5400 }])
    expect(p.lines[0]?.period).toEqual({ start: "2025-01-31T00:00:00.000Z", end: "2025-04-30T00:00:00.000Z" })
    expect(p.total).toBe(5400)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-30T00:00:00.000Z", total: 5400 })
  })

  it("annual $200 anchored Feb 29 2024: 20000 now, next cycle Feb 28 2025", () => {
    const cat = catalog([plan("proY", "200", "year")])
    const p = preview(doc(cat, customer([]), request("2024-02-29T00:00:00Z", "proY")))
    // full year: $200.00 → 20000; Feb 29 2024 + 12 months → Feb 28 2025 (clamped)
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "proY", featureId: null, amount: 20000, total: 20000 }])
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-28T00:00:00.000Z", total: 20000 })
  })

  it("base + prepaid graduated packs + allocated seats: seats held 0 gives no seat line", () => {
    const cat = catalog([monthly("team", "30", {
      items: [
        {
          featureId: "messages",
          included: 100,
          price: { interval: "month", billingMethod: "prepaid", billingUnits: 100, tiers: [{ upTo: 500, amount: "2" }, { upTo: "inf", amount: "1" }] }
        },
        seatsAllocated(2, "10")
      ]
    })])
    const p = preview(doc(cat, customer([]), request("2025-03-10T12:00:00Z", [{ planId: "team", featureQuantities: [{ featureId: "messages", quantity: 1250 }] }])))
    // base: $30 full period → 3000
    // messages: billable = 1250 − 100 = 1150 → ceil(1150/100) = 12 packs → u = 1200 units
    //   graduated: 500 units = 5 packs × $2 = 10; 700 units = 7 packs × $1 = 7 → $17 → 1700, quantity 1200
    // seats: held 0 (a new plan carries nothing) → max(0, 0 − 2) = 0 → 0 → dropped
    expect(brief(p.lines)).toEqual([
      { kind: "charge", planId: "team", featureId: null, amount: 3000, total: 3000 },
      { kind: "charge", planId: "team", featureId: "messages", amount: 1700, total: 1700 }
    ])
    expect(lineFor(p.lines, "charge", "team", "messages")?.quantity).toBe(1200)
    // 3000 + 1700 = 4700
    expect(p).toMatchObject({ subtotal: 4700, total: 4700, amountDue: 4700 })
    // next cycle: the same in-advance prices at full period: 3000 + 1700 = 4700
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-10T12:00:00.000Z", total: 4700 })
    expect(brief(p.nextCycle?.lines ?? []).map((l) => l.amount)).toEqual([3000, 1700])
    expect(subAfter(p, "team")?.["featureQuantities"]).toEqual([{ featureId: "messages", quantity: 1250 }])
  })

  it("a per-currency price is used for the customer's currency: €18 → 1800", () => {
    const cat = catalog([monthly("pro", "20", { price: { amount: "20", interval: "month", currencies: { eur: "18" } } })])
    const p = preview(doc(cat, customer([], { currency: "eur" }), request("2025-03-10T12:00:00Z", "pro")))
    // full period in eur: €18.00 → 1800
    expect(p.currency).toBe("eur")
    expect(p.total).toBe(1800)
  })
})

// ---------------------------------------------------------------------------------------------
// §8.1 + §8.3 upgrades
// ---------------------------------------------------------------------------------------------

describe("mid-cycle upgrade: credit at the old price, charge prorated to the anchor's period end", () => {
  it("pro $20 → premium $50 on Jan 16 of a Jan 1 anchor", () => {
    const p = preview(doc(basic, customer([subscription("pro", JAN1)]), request(JAN16, "premium")))
    expect(p.scenario).toBe("upgrade")
    // credit −(20 × 16/31) = −320/31 = −10.3225… → −1032
    // charge  50 × 16/31  =  800/31 =  25.8064… → 2581
    expect(brief(p.lines)).toEqual([
      { kind: "credit", planId: "pro", featureId: null, amount: -1032, total: -1032 },
      { kind: "charge", planId: "premium", featureId: null, amount: 2581, total: 2581 }
    ])
    const period = { start: "2025-01-16T00:00:00.000Z", end: "2025-02-01T00:00:00.000Z" }
    expect(p.lines.map((l) => l.period)).toEqual([period, period])
    // −1032 + 2581 = 1549
    expect(p).toMatchObject({ subtotal: 1549, discountTotal: 0, total: 1549, amountDue: 1549 })
    expect(p.changes).toEqual([{ planId: "premium", scenario: "upgrade", timing: "immediate", replaces: "pro", entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }])
    // next cycle on the joined anchor: Feb 1, premium at full price 5000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 5000 })
    expect(brief(p.nextCycle?.lines ?? [])).toEqual([{ kind: "charge", planId: "premium", featureId: null, amount: 5000, total: 5000 }])
    // the old subscription ends now, the new one keeps the old anchor
    expect(subAfter(p, "pro")).toMatchObject({ status: "expired", endsAt: "2025-01-16T00:00:00.000Z" })
    expect(subAfter(p, "premium")).toMatchObject({ status: "active", billingAnchor: "2025-01-01T00:00:00.000Z", startedAt: "2025-01-16T00:00:00.000Z" })
  })

  it("credits use the old anchor even when the charge re-anchors (billingCycleAnchor now)", () => {
    const p = preview(doc(basic, customer([subscription("pro", JAN1)]), request(JAN16, "premium", { billingCycleAnchor: "now" })))
    // credit on the old anchor: −(20 × 16/31) → −1032
    // charge re-anchored at Jan 16: full period Jan 16 → Feb 16, 50 × 1 → 5000
    expect(brief(p.lines)).toEqual([
      { kind: "credit", planId: "pro", featureId: null, amount: -1032, total: -1032 },
      { kind: "charge", planId: "premium", featureId: null, amount: 5000, total: 5000 }
    ])
    expect(p.lines[0]?.period).toEqual({ start: "2025-01-16T00:00:00.000Z", end: "2025-02-01T00:00:00.000Z" })
    expect(p.lines[1]?.period).toEqual({ start: "2025-01-16T00:00:00.000Z", end: "2025-02-16T00:00:00.000Z" })
    // −1032 + 5000 = 3968
    expect(p.total).toBe(3968)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-16T00:00:00.000Z", total: 5000 })
  })

  it("a clamped month-end anchor: anchor Nov 30 2024, at Feb 10 2025 → period [Jan 30, Feb 28), 18/29 left", () => {
    const p = preview(doc(basic, customer([subscription("pro", "2024-11-30T00:00:00Z")]), request("2025-02-10T00:00:00Z", "premium")))
    // boundaries: Nov 30 + 2 months = Jan 30; + 3 months = "Feb 30" → Feb 28. Period 29 days, 18 left.
    // credit −(20 × 18/29) = −360/29 = −12.4137… → −1241
    // charge  50 × 18/29  =  900/29 =  31.0344… → 3103
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-1241, 3103])
    // −1241 + 3103 = 1862
    expect(p.total).toBe(1862)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-28T00:00:00.000Z", total: 5000 })
  })

  it("prepaid packs: credit for the old packs × fraction, the new plan converts the quantity to its pack size", () => {
    const cat = catalog([
      monthly("proPacks", "20", { items: [storagePrepaid(100, "5")] }),
      monthly("premiumPacks", "50", { items: [storagePrepaid(250, "10")] })
    ])
    const c = customer([subscription("proPacks", JAN1, { featureQuantities: [{ featureId: "storage", quantity: 450 }] })])
    const p = preview(doc(cat, c, request(JAN16, "premiumPacks")))
    // old storage: ceil(450/100) = 5 packs × $5 = $25; new: ceil(450/250) = 2 packs × $10 = $20
    // credit base    −(20 × 16/31) = −320/31 = −10.3225… → −1032
    // credit storage −(25 × 16/31) = −400/31 = −12.9032… → −1290   (quantity 5 × 100 = 500)
    // charge base     50 × 16/31  =  800/31 =  25.8064… →  2581
    // charge storage  20 × 16/31  =  320/31 =  10.3225… →  1032   (quantity 2 × 250 = 500)
    expect(brief(p.lines)).toEqual([
      { kind: "credit", planId: "proPacks", featureId: null, amount: -1032, total: -1032 },
      { kind: "credit", planId: "proPacks", featureId: "storage", amount: -1290, total: -1290 },
      { kind: "charge", planId: "premiumPacks", featureId: null, amount: 2581, total: 2581 },
      { kind: "charge", planId: "premiumPacks", featureId: "storage", amount: 1032, total: 1032 }
    ])
    expect(lineFor(p.lines, "credit", "proPacks", "storage")?.quantity).toBe(500)
    expect(lineFor(p.lines, "charge", "premiumPacks", "storage")?.quantity).toBe(500)
    // −1032 − 1290 + 2581 + 1032 = 1291
    expect(p.total).toBe(1291)
    expect(subAfter(p, "premiumPacks")?.["featureQuantities"]).toEqual([{ featureId: "storage", quantity: 450 }])
    // next cycle: 5000 + 2000 = 7000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 7000 })
  })

  it("allocated seats carry over: credit for the old billable seats, charge for the new ones", () => {
    const cat = catalog([
      monthly("teamSeats", "20", { items: [seatsAllocated(2, "10")] }),
      monthly("bizSeats", "50", { items: [seatsAllocated(3, "12")] })
    ])
    const c = customer([subscription("teamSeats", JAN1, { usage: [{ featureId: "seats", used: 5 }] })])
    const p = preview(doc(cat, c, request(JAN16, "bizSeats")))
    // old seats billable: 5 − 2 = 3 × $10 = $30; new: 5 − 3 = 2 × $12 = $24
    // credit base  −(20 × 16/31) = −320/31 → −1032
    // credit seats −(30 × 16/31) = −480/31 = −15.4838… → −1548   (quantity 3)
    // charge base    50 × 16/31  → 2581
    // charge seats   24 × 16/31  =  384/31 =  12.3870… →  1239   (quantity 2)
    expect(brief(p.lines)).toEqual([
      { kind: "credit", planId: "teamSeats", featureId: null, amount: -1032, total: -1032 },
      { kind: "credit", planId: "teamSeats", featureId: "seats", amount: -1548, total: -1548 },
      { kind: "charge", planId: "bizSeats", featureId: null, amount: 2581, total: 2581 },
      { kind: "charge", planId: "bizSeats", featureId: "seats", amount: 1239, total: 1239 }
    ])
    expect(lineFor(p.lines, "credit", "teamSeats", "seats")?.quantity).toBe(3)
    expect(lineFor(p.lines, "charge", "bizSeats", "seats")?.quantity).toBe(2)
    // −1032 − 1548 + 2581 + 1239 = 1240
    expect(p.total).toBe(1240)
    expect(subAfter(p, "bizSeats")?.["usage"]).toEqual([{ featureId: "seats", used: 5 }])
    // next cycle: 5000 + 2 × 1200 = 7400
    expect(p.nextCycle).toMatchObject({ total: 7400 })
  })
})

// ---------------------------------------------------------------------------------------------
// §8.4 arrears
// ---------------------------------------------------------------------------------------------

describe("arrears of the outgoing plan (docs/spec.md §8.4)", () => {
  const arrearsCatalog = (included: number | "unlimited", extra: Obj = {}): Obj => catalog([
    monthly("proUsage", "20", { items: [messagesArrears(included, extra["amount"] === undefined ? "0.01" : String(extra["amount"]), extra["billingUnits"] === undefined ? {} : { billingUnits: extra["billingUnits"] })] }),
    monthly("premium", "50")
  ])
  const used = (n: number): Obj => customer([subscription("proUsage", JAN1, { usage: [{ featureId: "messages", used: n }] })])

  it("overage billed at the old price, not prorated, period [period start, at]; lines ordered arrears, credits, charges", () => {
    const p = preview(doc(arrearsCatalog(1000), used(1500), request(JAN16, "premium")))
    // overage: 1500 − 1000 = 500 × $0.01 = $5.00 → 500 (no proration)
    // credit −(20 × 16/31) → −1032; charge 50 × 16/31 → 2581
    expect(brief(p.lines)).toEqual([
      { kind: "arrears", planId: "proUsage", featureId: "messages", amount: 500, total: 500 },
      { kind: "credit", planId: "proUsage", featureId: null, amount: -1032, total: -1032 },
      { kind: "charge", planId: "premium", featureId: null, amount: 2581, total: 2581 }
    ])
    expect(p.lines[0]).toMatchObject({ quantity: 500, period: { start: "2025-01-01T00:00:00.000Z", end: "2025-01-16T00:00:00.000Z" } })
    // 500 − 1032 + 2581 = 2049
    expect(p).toMatchObject({ subtotal: 2049, total: 2049, amountDue: 2049 })
  })

  it("arrears round up to whole packs: 250 over in packs of 100 at $1 → 3 packs → 300", () => {
    const p = preview(doc(arrearsCatalog(1000, { amount: "1", billingUnits: 100 }), used(1250), request(JAN16, "premium")))
    // 1250 − 1000 = 250 → ceil(2.5) = 3 packs × $1 = $3.00 → 300; quantity = overage units 250
    expect(lineFor(p.lines, "arrears", "proUsage", "messages")).toMatchObject({ amount: 300, quantity: 250 })
    // 300 − 1032 + 2581 = 1849
    expect(p.total).toBe(1849)
  })

  it("unlimited included: no arrears line", () => {
    const p = preview(doc(arrearsCatalog("unlimited"), used(1500), request(JAN16, "premium")))
    // billable = 0 when unlimited → 0 → dropped; −1032 + 2581 = 1549
    expect(p.lines.map((l) => l.kind)).toEqual(["credit", "charge"])
    expect(p.total).toBe(1549)
  })

  it("usage under the allowance gives a zero line, which is dropped", () => {
    const p = preview(doc(arrearsCatalog(1000), used(800), request(JAN16, "premium")))
    // 800 − 1000 < 0 → 0 billable → 0 → dropped
    expect(p.lines.map((l) => l.kind)).toEqual(["credit", "charge"])
    expect(p.total).toBe(1549)
  })
})

// ---------------------------------------------------------------------------------------------
// §6 timing: downgrade, cancel, free → paid, add-on, active
// ---------------------------------------------------------------------------------------------

describe("downgrade: scheduled for the period end (docs/spec.md §6 timing)", () => {
  it("premium → pro mid-cycle: no lines, change at Feb 1, the old sub cancels then, the new one is scheduled", () => {
    const c = customer([subscription("premium", JAN1, { providerSubscriptionId: "stripe_sub_1" })])
    const p = preview(doc(basic, c, request(JAN16, "pro")))
    expect(p.scenario).toBe("downgrade")
    expect(p.lines).toEqual([])
    expect(p).toMatchObject({ subtotal: 0, discountTotal: 0, total: 0, creditApplied: 0, amountDue: 0, checkout: "none" })
    // period end = anchor + 1 month = Feb 1
    expect(p.changes).toEqual([{ planId: "pro", scenario: "downgrade", timing: "end_of_cycle", replaces: "premium", entityId: null, effectiveAt: "2025-02-01T00:00:00.000Z" }])
    expect(subAfter(p, "premium")).toMatchObject({ status: "active", cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00.000Z" })
    expect(subAfter(p, "pro")).toMatchObject({
      status: "scheduled",
      startsAt: "2025-02-01T00:00:00.000Z",
      billingAnchor: "2025-01-01T00:00:00.000Z", // keeps the old anchor (docs/decisions.md rule 5)
      providerSubscriptionId: "stripe_sub_1"
    })
    // next cycle at the period end with the new plan's price only: $20 → 2000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", subtotal: 2000, total: 2000 })
    expect(brief(p.nextCycle?.lines ?? [])).toEqual([{ kind: "charge", planId: "pro", featureId: null, amount: 2000, total: 2000 }])
  })
})

describe("cancel: paid → free (docs/spec.md §6 rule 7)", () => {
  it("is scenario cancel, end of cycle, nothing billed any more → nextCycle null", () => {
    const p = preview(doc(basic, customer([subscription("premium", JAN1)]), request(JAN16, "free")))
    expect(p.scenario).toBe("cancel")
    expect(p.changes).toEqual([{ planId: "free", scenario: "cancel", timing: "end_of_cycle", replaces: "premium", entityId: null, effectiveAt: "2025-02-01T00:00:00.000Z" }])
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    expect(p.nextCycle).toBeNull()
    expect(subAfter(p, "premium")).toMatchObject({ cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00.000Z" })
  })
})

describe("free → paid (docs/spec.md §6 rule 1, §7)", () => {
  it("is an upgrade with a full new period anchored at `at` (a free plan is not a paid subscription to join)", () => {
    const c = customer([subscription("free", "2024-12-05T00:00:00Z")])
    const p = preview(doc(basic, c, request(JAN16, "pro")))
    expect(p.scenario).toBe("upgrade")
    expect(p.changes[0]).toMatchObject({ planId: "pro", scenario: "upgrade", timing: "immediate", replaces: "free" })
    // no credit (free has no price); full period Jan 16 → Feb 16 at $20 → 2000
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "pro", featureId: null, amount: 2000, total: 2000 }])
    expect(p.lines[0]?.period).toEqual({ start: "2025-01-16T00:00:00.000Z", end: "2025-02-16T00:00:00.000Z" })
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-16T00:00:00.000Z", total: 2000 })
    expect(subAfter(p, "pro")).toMatchObject({ billingAnchor: "2025-01-16T00:00:00.000Z", status: "active" })
    expect(subAfter(p, "free")).toMatchObject({ status: "expired" })
  })
})

describe("add-on joins the existing subscription (docs/spec.md §6 rule 2, §7)", () => {
  it("prorated to the existing anchor's period end; the next cycle bills both", () => {
    const c = customer([subscription("pro", JAN1, { providerSubscriptionId: "stripe_sub_1" })])
    const p = preview(doc(basic, c, request(JAN16, "extra")))
    expect(p.scenario).toBe("new")
    expect(p.changes).toEqual([{ planId: "extra", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }])
    // 10 × 16/31 = 160/31 = 5.1612… → 516
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "extra", featureId: null, amount: 516, total: 516 }])
    expect(p.lines[0]?.period).toEqual({ start: "2025-01-16T00:00:00.000Z", end: "2025-02-01T00:00:00.000Z" })
    // Feb 1: pro 2000 + extra 1000 = 3000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", subtotal: 3000, total: 3000 })
    expect(brief(p.nextCycle?.lines ?? []).map((l) => [l.planId, l.amount])).toEqual([["pro", 2000], ["extra", 1000]])
    expect(subAfter(p, "extra")).toMatchObject({ billingAnchor: "2025-01-01T00:00:00.000Z", providerSubscriptionId: "stripe_sub_1" })
    // the main plan is untouched
    expect(subAfter(p, "pro")).toMatchObject({ status: "active" })
  })
})

describe("add-on stacking and future anchors", () => {
  it("a recurring add-on already held stacks as a second instance (docs/spec.md §6 rule 2)", () => {
    const p = preview(doc(basic, customer([subscription("pro", JAN1), subscription("extra", JAN1)]), request(JAN16, "extra")))
    expect(p.changes[0]).toMatchObject({ planId: "extra", scenario: "new", replaces: null })
    // 10 × 16/31 → 516
    expect(brief(p.lines).map((l) => l.amount)).toEqual([516])
    expect(subsAfter(p).filter((s) => s["planId"] === "extra" && s["status"] === "active")).toHaveLength(2)
    // Feb 1: pro 2000 + extra 1000 + extra 1000 = 4000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 4000 })
  })

  it("an anchor in the future works (docs/spec.md §2.2): anchor Feb 1, at Jan 16 → period [Jan 1, Feb 1)", () => {
    const p = preview(doc(basic, customer([subscription("pro", "2025-02-01T00:00:00Z", { startedAt: JAN1 })]), request(JAN16, "premium")))
    // boundary −1 = Jan 1: the same 16/31 as above: −1032 + 2581 = 1549
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-1032, 2581])
    expect(p.total).toBe(1549)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 5000 })
  })
})

describe("attaching the current plan (docs/spec.md §6 rule 4)", () => {
  it("is active: no lines, no actions, the current next cycle is still shown", () => {
    const p = preview(doc(basic, customer([subscription("pro", JAN1)]), request(JAN16, "pro")))
    expect(p.scenario).toBe("active")
    expect(p.changes).toEqual([{ planId: "pro", scenario: "active", timing: "none", replaces: null, entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }])
    expect(p.lines).toEqual([])
    expect(p.actions).toEqual([])
    expect(p).toMatchObject({ total: 0, amountDue: 0, checkout: "none" })
    // docs/decisions.md rule 16: renewal Feb 1 at $20 → 2000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 2000 })
    expect(subAfter(p, "pro")).toMatchObject({ status: "active", billingAnchor: JAN1 })
  })
})

describe("changes entries", () => {
  it("carry the entity of the request", () => {
    const p = preview(doc(basic, customer([]), request(JAN16, "pro", { entityId: "ent_1" })))
    expect(p.changes).toEqual([{ planId: "pro", scenario: "new", timing: "immediate", replaces: null, entityId: "ent_1", effectiveAt: "2025-01-16T00:00:00.000Z" }])
    expect(subAfter(p, "pro")).toMatchObject({ entityId: "ent_1" })
  })

  it("list every plan of a multi-plan request in order", () => {
    const p = preview(doc(basic, customer([subscription("pro", JAN1)]), request(JAN16, [{ planId: "premium" }, { planId: "extra" }])))
    expect(p.changes).toEqual([
      { planId: "premium", scenario: "upgrade", timing: "immediate", replaces: "pro", entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" },
      { planId: "extra", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }
    ])
    // credit −1032; charges premium 2581 and extra 10 × 16/31 → 516: −1032 + 2581 + 516 = 2065
    expect(brief(p.lines).map((l) => [l.kind, l.planId, l.amount])).toEqual([["credit", "pro", -1032], ["charge", "premium", 2581], ["charge", "extra", 516]])
    expect(p.total).toBe(2065)
    // Feb 1: premium 5000 + extra 1000 = 6000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 6000 })
  })
})

// ---------------------------------------------------------------------------------------------
// More of §6 (scenario rules), §7 (joining), §8.1/§8.3 (one-off prices) and §9 (next cycle)
// ---------------------------------------------------------------------------------------------

describe("scenario rules of docs/spec.md §6", () => {
  const cat = catalog([
    freePlan("free"),
    freePlan("free2"),
    monthly("lite", "10"),
    monthly("pro", "20"),
    monthly("premium", "50"),
    monthly("support", "5", { group: "support" }),
    plan("annual100", "100", "year"),
    plan("proQ", "54", "quarter")
  ])

  it("rule 3: a plan of another group is new and joins the paid subscription", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "support")))
    expect(p.changes[0]).toMatchObject({ planId: "support", scenario: "new", replaces: null })
    // joins the Jan 1 anchor: 5 × 16/31 = 80/31 = 2.5806… → 258
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "support", featureId: null, amount: 258, total: 258 }])
    expect(subAfter(p, "pro")).toMatchObject({ status: "active" })
    // Feb 1: pro 2000 + support 500 = 2500
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 2500 })
  })

  it("rule 6: free → free is new and switches now, with nothing billed", () => {
    const p = preview(doc(cat, customer([subscription("free", JAN1)]), request(JAN16, "free2")))
    expect(p.changes).toEqual([{ planId: "free2", scenario: "new", timing: "immediate", replaces: "free", entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }])
    expect(p.lines).toEqual([])
    expect(p.nextCycle).toBeNull()
    expect(subAfter(p, "free")).toMatchObject({ status: "expired" })
    expect(subAfter(p, "free2")).toMatchObject({ status: "active" })
  })

  it("rule 4 of isUpgrade: monthly $20 → annual $100 is an upgrade, charged on the shared anchor's annual period", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "annual100")))
    expect(p.scenario).toBe("upgrade")
    // credit −(20 × 16/31) → −1032
    // annual period from the Jan 1 anchor: [Jan 1 2025, Jan 1 2026) = 365 days, 350 left:
    //   100 × 350/365 = 35000/365 = 95.8904… → 9589
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-1032, 9589])
    expect(p.lines[1]?.period).toEqual({ start: "2025-01-16T00:00:00.000Z", end: "2026-01-01T00:00:00.000Z" })
    // −1032 + 9589 = 8557
    expect(p.total).toBe(8557)
    expect(p.nextCycle).toMatchObject({ startsAt: "2026-01-01T00:00:00.000Z", total: 10000 })
  })

  it("monthly $20 → quarterly $54 joins the anchor with the quarter's own period", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "proQ")))
    expect(p.scenario).toBe("upgrade")
    // quarter from Jan 1: [Jan 1, Apr 1) = 31 + 28 + 31 = 90 days, 75 left (Jan 16 → Apr 1)
    //   54 × 75/90 = 45 exactly → 4500; credit −1032; total 3468
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-1032, 4500])
    expect(p.total).toBe(3468)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-01T00:00:00.000Z", total: 5400 })
  })

  it("an immediate upgrade with planSchedule end_of_cycle is scheduled instead", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "premium", { planSchedule: "end_of_cycle" })))
    expect(p.changes).toEqual([{ planId: "premium", scenario: "upgrade", timing: "end_of_cycle", replaces: "pro", entityId: null, effectiveAt: "2025-02-01T00:00:00.000Z" }])
    expect(p.lines).toEqual([])
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 5000 })
  })

  describe("with a pending downgrade premium → pro at Feb 1", () => {
    const pending = customer([
      subscription("premium", JAN1, { cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00.000Z" }),
      subscription("pro", JAN1, { id: "sub_pro_scheduled", status: "scheduled", startsAt: "2025-02-01T00:00:00.000Z", startedAt: "2025-02-01T00:00:00.000Z" })
    ])

    it("rule 4: attaching the cancelling plan renews it (uncancel, nothing charged) and releases the schedule", () => {
      const p = preview(doc(cat, pending, request(JAN16, "premium")))
      expect(p.scenario).toBe("renew")
      expect(p.lines).toEqual([])
      expect(p.total).toBe(0)
      const premium = subAfter(p, "premium")
      expect(premium).toMatchObject({ status: "active" })
      expect(premium?.["cancelAtPeriodEnd"]).toBeUndefined()
      expect(subAfter(p, "pro")).toMatchObject({ status: "expired" })
      // renewal Feb 1 at premium's price 5000
      expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 5000 })
    })

    it("rule 5: attaching the scheduled plan is scheduled (no change)", () => {
      const p = preview(doc(cat, pending, request(JAN16, "pro")))
      expect(p.changes).toEqual([{ planId: "pro", scenario: "scheduled", timing: "none", replaces: null, entityId: null, effectiveAt: "2025-02-01T00:00:00.000Z" }])
      expect(p.lines).toEqual([])
    })

    it("another downgrade replaces the pending schedule", () => {
      const p = preview(doc(cat, pending, request(JAN16, "lite")))
      expect(p.changes[0]).toMatchObject({ planId: "lite", scenario: "downgrade", timing: "end_of_cycle", replaces: "premium", effectiveAt: "2025-02-01T00:00:00.000Z" })
      expect(p.lines).toEqual([])
      expect(subAfter(p, "pro")).toMatchObject({ status: "expired" })
      expect(subAfter(p, "lite")).toMatchObject({ status: "scheduled", startsAt: "2025-02-01T00:00:00.000Z" })
    })

    // Regression: docs/spec.md §6 / §8.9 (fixed in the planner).
    it("another downgrade: the current plan still cancels at the period end and only the new plan renews", () => {
      const p = preview(doc(cat, pending, request(JAN16, "lite")))
      expect(subAfter(p, "premium")).toMatchObject({ cancelAtPeriodEnd: true, endsAt: "2025-02-01T00:00:00.000Z" })
      // Feb 1: only lite, $10 → 1000
      expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 1000 })
    })

    it("an upgrade releases the schedule and credits the cancelling plan", () => {
      const p = preview(doc(catalog([monthly("pro", "20"), monthly("premium", "50"), monthly("ultra", "100")]), pending, request(JAN16, "ultra")))
      expect(p.changes[0]).toMatchObject({ planId: "ultra", scenario: "upgrade", timing: "immediate", replaces: "premium" })
      // credit −(50 × 16/31) → −2581; charge 100 × 16/31 = 1600/31 = 51.6129… → 5161; total 2580
      expect(brief(p.lines).map((l) => [l.kind, l.planId, l.amount])).toEqual([["credit", "premium", -2581], ["charge", "ultra", 5161]])
      expect(p.total).toBe(2580)
      expect(subAfter(p, "pro")).toMatchObject({ status: "expired" })
    })

    // Regression: docs/spec.md §6 / §8.9 (fixed in the planner).
    it("an upgrade from a plan with a pending schedule ends the old plan; the next cycle bills only the new one", () => {
      const p = preview(doc(catalog([monthly("pro", "20"), monthly("premium", "50"), monthly("ultra", "100")]), pending, request(JAN16, "ultra")))
      expect(subAfter(p, "premium")).toMatchObject({ status: "expired", endsAt: "2025-01-16T00:00:00.000Z" })
      // Feb 1: ultra $100 → 10000
      expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 10000 })
    })
  })
})

describe("which subscription a new plan joins (docs/spec.md §7)", () => {
  const subs = [
    subscription("pro", JAN1, { id: "sub_customer" }),
    subscription("pro", "2025-01-10T00:00:00Z", { id: "sub_entity", entityId: "ent_1" })
  ]

  it("the same entity's subscription first", () => {
    const p = preview(doc(basic, customer(subs), request(JAN16, [{ planId: "extra", entityId: "ent_1" }])))
    // ent_1 anchor Jan 10: period [Jan 10, Feb 10) = 31 days, 25 left: 10 × 25/31 = 250/31 = 8.0645… → 806
    expect(brief(p.lines).map((l) => l.amount)).toEqual([806])
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-10T00:00:00.000Z", total: 3000 }) // pro 2000 + extra 1000
  })

  it("the customer's subscription for a customer-level plan", () => {
    const p = preview(doc(basic, customer(subs), request(JAN16, "extra")))
    // Jan 1 anchor: 10 × 16/31 → 516
    expect(brief(p.lines).map((l) => l.amount)).toEqual([516])
  })

  it("newBillingSubscription starts a new subscription anchored at `at` (full period)", () => {
    const p = preview(doc(basic, customer(subs), request(JAN16, "extra", { newBillingSubscription: true })))
    // fraction 1: $10 → 1000, Jan 16 → Feb 16
    expect(brief(p.lines).map((l) => l.amount)).toEqual([1000])
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-16T00:00:00.000Z", total: 1000 })
  })
})

describe("one-off prices of a recurring plan (docs/spec.md §8.1, §8.3) and the next cycle (docs/spec.md §9)", () => {
  const cat = catalog([
    monthly("pro", "20"),
    monthly("premium", "50"),
    // a one-off $100 setup fee and $1 a unit a month of storage
    plan("setup", "100", "one_off", { addOn: true, items: [{ featureId: "storage", price: { amount: "1", interval: "month", billingMethod: "prepaid" } }] }),
    // $20 a month and storage bought once at $1 a unit
    monthly("proOnce", "20", { items: [{ featureId: "storage", price: { amount: "1", interval: "one_off", billingMethod: "prepaid" } }] }),
    // $20 a month and storage at $12 a unit a year
    monthly("mixed", "20", { items: [{ featureId: "storage", price: { amount: "12", interval: "year", billingMethod: "prepaid" } }] })
  ])

  it("a one-off price is charged in full, the recurring part prorated; the next cycle has no one-off price", () => {
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, [{ planId: "setup", featureQuantities: [{ featureId: "storage", quantity: 10 }] }])))
    // setup: $100 full, no period → 10000; storage 10 × $1 = $10 × 16/31 = 160/31 → 516
    expect(brief(p.lines).map((l) => [l.featureId, l.amount])).toEqual([[null, 10000], ["storage", 516]])
    expect(p.lines[0]?.period).toBeNull()
    // 10000 + 516 = 10516
    expect(p.total).toBe(10516)
    // Feb 1: pro 2000 + storage 1000 = 3000 (no setup fee)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 3000 })
  })

  it("one-off prices are never credited", () => {
    const c = customer([subscription("proOnce", JAN1, { featureQuantities: [{ featureId: "storage", quantity: 50 }] })])
    const p = preview(doc(cat, c, request(JAN16, "premium")))
    // only the monthly base is credited: −(20 × 16/31) → −1032; the $50 of storage bought once is not
    expect(brief(p.lines).map((l) => [l.kind, l.featureId, l.amount])).toEqual([["credit", null, -1032], ["charge", null, 2581]])
    expect(p.total).toBe(1549)
  })

  it("an annual item is not part of a monthly renewal", () => {
    const p = preview(doc(cat, customer([]), request("2025-03-10T12:00:00Z", [{ planId: "mixed", featureQuantities: [{ featureId: "storage", quantity: 5 }] }])))
    // base $20 full month → 2000; storage 5 × $12 = $60 full year → 6000; total 8000
    expect(brief(p.lines).map((l) => l.amount)).toEqual([2000, 6000])
    expect(p.lines[1]?.period).toEqual({ start: "2025-03-10T12:00:00.000Z", end: "2026-03-10T12:00:00.000Z" })
    expect(p.total).toBe(8000)
    // Apr 10: only the monthly base starts a period then → 2000
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-04-10T12:00:00.000Z", total: 2000 })
    expect(brief(p.nextCycle?.lines ?? []).map((l) => l.featureId)).toEqual([null])
  })

  it("discounts still active at the next cycle: forever yes, once no, {months: 1} ends before Feb 16", () => {
    const cat = { ...basic, discounts: [
      { id: "FOREVER", percentOff: "10", duration: "forever" },
      { id: "ONCE", percentOff: "10", duration: "once" },
      { id: "MONTH", percentOff: "10", duration: { months: 1 } }
    ] }
    const run = (discountId: string): AttachPreview => preview(doc(cat, customer([]), request(JAN16, "pro", { discounts: [{ discountId }] })))
    // today: 2000 − 10 % (200) = 1800 in each case
    for (const id of ["FOREVER", "ONCE", "MONTH"]) expect(run(id).total).toBe(1800)
    // Feb 16: forever → 2000 − 200 = 1800
    expect(run("FOREVER").nextCycle).toMatchObject({ startsAt: "2025-02-16T00:00:00.000Z", subtotal: 2000, discountTotal: 200, total: 1800 })
    // once: today's invoice only → 2000
    expect(run("ONCE").nextCycle).toMatchObject({ subtotal: 2000, discountTotal: 0, total: 2000 })
    // {months: 1} applied Jan 16 covers invoices starting before Feb 16; Feb 16 is not before it → 2000
    expect(run("MONTH").nextCycle).toMatchObject({ subtotal: 2000, discountTotal: 0, total: 2000 })
  })

  it("consumable items are listed as usage lines, with the overage so far when known", () => {
    const usageCat = catalog([monthly("proUsage", "20", { items: [messagesArrears(1000, "0.01")] })])
    const active = preview(doc(usageCat, customer([subscription("proUsage", JAN1, { usage: [{ featureId: "messages", used: 1500 }] })]), request(JAN16, "proUsage")))
    // 1500 − 1000 = 500 so far
    expect(active.nextCycle?.usageLines).toEqual([{ planId: "proUsage", featureId: "messages", overage: 500 }])
    const fresh = preview(doc(usageCat, customer([]), request(JAN16, "proUsage")))
    expect(fresh.nextCycle?.usageLines).toEqual([{ planId: "proUsage", featureId: "messages" }])
    // the new subscription pays only the base today: 2000
    expect(fresh.total).toBe(2000)
  })
})

// ---------------------------------------------------------------------------------------------
// §8.9 totals
// ---------------------------------------------------------------------------------------------

describe("totals and customer credit (docs/spec.md §8.9)", () => {
  const forcedDowngrade = (extra: Obj = {}): AttachPreview =>
    preview(doc(basic, customer([subscription("premium", JAN1)], extra), request(JAN16, "pro", { planSchedule: "immediate" })))

  it("a negative total (premium → pro forced immediate) becomes customer credit", () => {
    const p = forcedDowngrade()
    expect(p.changes[0]).toMatchObject({ scenario: "downgrade", timing: "immediate", replaces: "premium", effectiveAt: "2025-01-16T00:00:00.000Z" })
    // credit −(50 × 16/31) → −2581; charge 20 × 16/31 → 1032; total −1549
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-2581, 1032])
    expect(p).toMatchObject({ subtotal: -1549, discountTotal: 0, total: -1549, creditApplied: 0 })
    // balance 0 + 1549
    expect(p.customerAfter.creditBalance).toBe(1549)
    // nothing is collected
    expect(p.actions.some((a) => a.type === "payInvoice")).toBe(false)
  })

  it("a negative total adds to an existing balance", () => {
    const p = forcedDowngrade({ creditBalance: 500 })
    // nothing applied; 500 + 1549 = 2049
    expect(p).toMatchObject({ total: -1549, creditApplied: 0 })
    expect(p.customerAfter.creditBalance).toBe(2049)
  })

  // Regression: docs/spec.md §6 / §8.9 (fixed in the planner).
  it("a negative total has amountDue 0 (no balance, and with a balance of 500)", () => {
    // total −1549 < 0 → amountDue 0
    expect(forcedDowngrade().amountDue).toBe(0)
    expect(forcedDowngrade({ creditBalance: 500 }).amountDue).toBe(0)
  })

  it("an existing balance smaller than the total reduces amountDue", () => {
    const p = preview(doc(basic, customer([subscription("pro", JAN1)], { creditBalance: 1000 }), request(JAN16, "premium")))
    // total 1549; applied min(1000, 1549) = 1000; due 1549 − 1000 = 549; balance after 0
    expect(p).toMatchObject({ total: 1549, creditApplied: 1000, amountDue: 549 })
    expect(p.customerAfter.creditBalance).toBe(0)
  })

  it("an existing balance larger than the total covers it", () => {
    const p = preview(doc(basic, customer([subscription("pro", JAN1)], { creditBalance: 3000 }), request(JAN16, "premium")))
    // applied min(3000, 1549) = 1549; due 0; balance after 3000 − 1549 = 1451
    expect(p).toMatchObject({ total: 1549, creditApplied: 1549, amountDue: 0 })
    expect(p.customerAfter.creditBalance).toBe(1451)
  })

  it("subtotal, discountTotal and total add up with a percent discount", () => {
    const cat = { ...basic, discounts: [{ id: "TEN", percentOff: "10", duration: "forever" }] }
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "premium", { discounts: [{ discountId: "TEN" }] })))
    // charge 2581, 10 % off: 258.1 → 258 → total 2323; the credit is not discounted (the discount is new)
    // subtotal −1032 + 2581 = 1549; discountTotal 258; total 1549 − 258 = 1291
    expect(lineFor(p.lines, "charge", "premium")).toMatchObject({ amount: 2581, discounts: [{ discountId: "TEN", amount: 258 }], total: 2323 })
    expect(p).toMatchObject({ subtotal: 1549, discountTotal: 258, total: 1291, amountDue: 1291 })
    expect(p.total).toBe(sum(p.lines.map((l) => l.total)))
  })
})

// ---------------------------------------------------------------------------------------------
// §10 checkout
// ---------------------------------------------------------------------------------------------

describe("checkout (docs/spec.md §10)", () => {
  const noCard = (subs: ReadonlyArray<Obj> = []): Obj => customer(subs, { hasPaymentMethod: false })
  const trialCatalog = catalog([
    monthly("proTrial", "20", { freeTrial: { length: 14, unit: "day", cardRequired: false } }),
    monthly("proCardTrial", "20", { freeTrial: { length: 14, unit: "day" } })
  ])

  it("no payment method + a new paid recurring plan → provider_checkout", () => {
    const p = preview(doc(basic, noCard(), request(JAN16, "pro")))
    expect(p.checkout).toBe("provider_checkout")
    expect(p.actions[0]?.type).toBe("createCheckoutSession")
  })

  it("with a card on file → none", () => {
    expect(preview(doc(basic, customer([]), request(JAN16, "pro"))).checkout).toBe("none")
  })

  it("redirectMode never → none, even without a card", () => {
    expect(preview(doc(basic, noCard(), request(JAN16, "pro", { redirectMode: "never" }))).checkout).toBe("none")
  })

  it("no payment method but an existing paid subscription being upgraded → none", () => {
    expect(preview(doc(basic, noCard([subscription("pro", JAN1)]), request(JAN16, "premium"))).checkout).toBe("none")
  })

  it("a trial that needs no card, without a card → none; nothing charged today", () => {
    const p = preview(doc(trialCatalog, noCard(), request("2025-03-10T12:00:00Z", "proTrial")))
    expect(p.checkout).toBe("none")
    // trial: today's in-advance charge is dropped → no lines, total 0
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
    // trial end = Mar 10 12:00 + 14 days = Mar 24 12:00; next cycle there at full price 2000
    expect(p.trialEndsAt).toBe("2025-03-24T12:00:00.000Z")
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-03-24T12:00:00.000Z", total: 2000 })
  })

  it("a trial that needs a card, without a card → provider_checkout", () => {
    expect(preview(doc(trialCatalog, noCard(), request("2025-03-10T12:00:00Z", "proCardTrial"))).checkout).toBe("provider_checkout")
  })

  it("a one-off purchase without a card → provider_checkout; it is charged in full with no next cycle", () => {
    const p = preview(doc(basic, noCard(), request(JAN16, "pack")))
    expect(p.checkout).toBe("provider_checkout")
    // one-off: full amount, no proration, no period: $15 → 1500
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "pack", featureId: null, amount: 1500, total: 1500 }])
    expect(p.lines[0]?.period).toBeNull()
    expect(p.nextCycle).toBeNull()
  })

  it("a one-off purchase without a card, next to an existing paid subscription → still provider_checkout; it replaces nothing", () => {
    const p = preview(doc(basic, noCard([subscription("pro", JAN1)]), request(JAN16, "pack")))
    expect(p.checkout).toBe("provider_checkout")
    // docs/spec.md §6 rule 1: one-off → new, never replaces anything; $15 in full → 1500
    expect(p.changes).toEqual([{ planId: "pack", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }])
    expect(brief(p.lines).map((l) => l.amount)).toEqual([1500])
    expect(subAfter(p, "pro")).toMatchObject({ status: "active" })
  })

  it("invoiceMode → none, even without a card", () => {
    expect(preview(doc(basic, noCard(), request(JAN16, "pro", { invoiceMode: { enabled: true } }))).checkout).toBe("none")
  })

  it("redirectMode always on an upgrade → confirm; on a new subscription → provider_checkout", () => {
    expect(preview(doc(basic, customer([subscription("pro", JAN1)]), request(JAN16, "premium", { redirectMode: "always" }))).checkout).toBe("confirm")
    expect(preview(doc(basic, customer([]), request(JAN16, "pro", { redirectMode: "always" }))).checkout).toBe("provider_checkout")
  })

  it("free → paid without a card: no paid subscription yet → provider_checkout", () => {
    expect(preview(doc(basic, noCard([subscription("free", JAN1)]), request(JAN16, "pro"))).checkout).toBe("provider_checkout")
  })

  it("a downgrade (future start) → none even without a card", () => {
    expect(preview(doc(basic, noCard([subscription("premium", JAN1)]), request(JAN16, "pro"))).checkout).toBe("none")
  })
})

// ---------------------------------------------------------------------------------------------
// §12 errors
// ---------------------------------------------------------------------------------------------

describe("typed errors (docs/spec.md §12)", () => {
  it("UnknownPlan", () => {
    expect(failure(doc(basic, customer([]), request(JAN16, "platinum")))).toMatchObject({ _tag: "UnknownPlan", planId: "platinum" })
  })

  it("UnknownFeature for a feature quantity of a feature the catalog does not have", () => {
    const d = doc(basic, customer([]), request(JAN16, [{ planId: "pro", featureQuantities: [{ featureId: "widgets", quantity: 3 }] }]))
    expect(failure(d)).toMatchObject({ _tag: "UnknownFeature", featureId: "widgets" })
  })

  it("CurrencyMismatch: customer in eur, plan without an eur price", () => {
    const d = doc(basic, customer([], { currency: "eur" }), request(JAN16, "pro"))
    expect(failure(d)).toMatchObject({ _tag: "CurrencyMismatch", planId: "pro", currency: "eur" })
  })

  it("InvalidRequest customer_mismatch", () => {
    const d = doc(basic, customer([]), { ...request(JAN16, "pro"), customerId: "cus_2" })
    expect(failure(d)).toMatchObject({ _tag: "InvalidRequest", reason: "customer_mismatch" })
  })

  it("DecodeError with the path of a bad request field, as an error document", () => {
    const bad = previewDocument(doc(basic, customer([]), request("2025-13-01T00:00:00Z", "pro")))
    expect(bad).toMatchObject({ error: { _tag: "DecodeError", path: "request.at" } })
    const negative = previewDocument(doc(basic, customer([]), request(JAN16, [{ planId: "pro", featureQuantities: [{ featureId: "seats", quantity: -1 }] }])))
    expect(negative).toMatchObject({ error: { _tag: "DecodeError", path: "request.plans[0].featureQuantities[0].quantity" } })
    const typo = previewDocument(doc(basic, customer([]), { ...request(JAN16, "pro"), redirectMod: "never" }))
    expect(typo).toMatchObject({ error: { _tag: "DecodeError", path: "request.redirectMod" } })
  })
})

// ---------------------------------------------------------------------------------------------
// §1 determinism
// ---------------------------------------------------------------------------------------------

describe("determinism (docs/spec.md §1)", () => {
  it("the same document twice gives byte-identical JSON", () => {
    const d = doc(
      { ...basic, discounts: [{ id: "TEN", percentOff: "10", duration: "forever" }] },
      customer([subscription("pro", JAN1, { providerSubscriptionId: "stripe_sub_1" })], { creditBalance: 700 }),
      request(JAN16, [{ planId: "premium" }, { planId: "extra" }], { discounts: [{ discountId: "TEN" }] })
    )
    const first = JSON.stringify(previewDocument(d))
    const second = JSON.stringify(previewDocument(structuredClone(d)))
    expect(second).toBe(first)
    expect(JSON.stringify(previewDocument(d))).toBe(first)
    expect(first).not.toContain("\"error\"")
    expect(iso(JAN16)).toBe("2025-01-16T00:00:00.000Z")
  })
})
