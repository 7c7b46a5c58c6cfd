/**
 * Upgrades (docs/spec.md §6, §8.1, §8.3): the replaced plan is credited at its old price and
 * quantity on its old anchor, the new one charged for the unused share of the anchor's period.
 * Every amount is worked out in the comment beside it: the exact fraction, then the
 * half-away-from-zero rounding to minor units.
 *
 * The period most tests use: anchor 2025-01-01, at 2025-01-16 → period [Jan 1, Feb 1) of 31 days,
 * 16 days left: fraction = (Feb 1 − Jan 16) / (Feb 1 − Jan 1) = 16/31.
 *   $20 × 16/31 = 320/31 = 10.3225… → 1032      $50 × 16/31 = 800/31 = 25.8064… → 2581
 */
import { describe, expect, it } from "vitest"
import { JAN1, JAN16, catalog, customer, doc, monthly, prepaidItem, referenceCatalog, request, subscription, usageItem } from "../support/build.ts"
import { brief, lineFor, preview, subAfter } from "../support/run.ts"

/**
 * An upgrade whose plans carry one billed item: the old plan's base and item credited, the new
 * plan's charged (`amounts` in that order), the item's quantity on each side, and the customer's
 * holding (`kept`, on the old subscription) carried to the new one.
 */
interface CarryOver {
  readonly name: string
  readonly plans: ReadonlyArray<Record<string, unknown>>
  readonly from: string
  readonly to: string
  readonly featureId: string
  readonly kept: Record<string, unknown>
  readonly amounts: readonly [number, number, number, number]
  readonly quantities: readonly [credited: number, charged: number]
  readonly total: number
  readonly nextCycle: Record<string, unknown>
}

const carryOvers: ReadonlyArray<CarryOver> = [
  {
    name: "prepaid packs: credit for the old packs × fraction, the new plan converts the quantity to its pack size",
    plans: [
      monthly("proPacks", "20", { items: [prepaidItem("storage", { amount: "5", billingUnits: 100 })] }),
      monthly("premiumPacks", "50", { items: [prepaidItem("storage", { amount: "10", billingUnits: 250 })] })
    ],
    from: "proPacks",
    to: "premiumPacks",
    featureId: "storage",
    kept: { featureQuantities: [{ featureId: "storage", quantity: 450 }] },
    // old storage: ceil(450/100) = 5 packs × $5 = $25; new: ceil(450/250) = 2 packs × $10 = $20
    // credit base    −(20 × 16/31) = −320/31 = −10.3225… → −1032
    // credit storage −(25 × 16/31) = −400/31 = −12.9032… → −1290   (quantity 5 × 100 = 500)
    // charge base     50 × 16/31  =  800/31 =  25.8064… →  2581
    // charge storage  20 × 16/31  =  320/31 =  10.3225… →  1032   (quantity 2 × 250 = 500)
    amounts: [-1032, -1290, 2581, 1032],
    quantities: [500, 500],
    // −1032 − 1290 + 2581 + 1032 = 1291
    total: 1291,
    // next cycle: 5000 + 2000 = 7000
    nextCycle: { startsAt: "2025-02-01T00:00:00.000Z", total: 7000 }
  },
  {
    name: "allocated seats carry over: credit for the old billable seats, charge for the new ones",
    plans: [
      monthly("teamSeats", "20", { items: [usageItem("seats", { amount: "10" }, { included: 2 })] }),
      monthly("bizSeats", "50", { items: [usageItem("seats", { amount: "12" }, { included: 3 })] })
    ],
    from: "teamSeats",
    to: "bizSeats",
    featureId: "seats",
    kept: { usage: [{ featureId: "seats", used: 5 }] },
    // old seats billable: 5 − 2 = 3 × $10 = $30; new: 5 − 3 = 2 × $12 = $24
    // credit base  −(20 × 16/31) = −320/31 → −1032
    // credit seats −(30 × 16/31) = −480/31 = −15.4838… → −1548   (quantity 3)
    // charge base    50 × 16/31  → 2581
    // charge seats   24 × 16/31  =  384/31 =  12.3870… →  1239   (quantity 2)
    amounts: [-1032, -1548, 2581, 1239],
    quantities: [3, 2],
    // −1032 − 1548 + 2581 + 1239 = 1240
    total: 1240,
    // next cycle: 5000 + 2 × 1200 = 7400
    nextCycle: { total: 7400 }
  }
]

describe("mid-cycle upgrade: credit at the old price, charge prorated to the anchor's period end", () => {
  it("pro $20 → premium $50 on Jan 16 of a Jan 1 anchor", () => {
    const p = preview(doc(referenceCatalog(), customer([subscription("pro", JAN1)]), request(JAN16, "premium")))
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

  // The credit keeps the old anchor when the charge re-anchors (billingCycleAnchor now): ./overrides.test.ts.

  it("a clamped month-end anchor: anchor Nov 30 2024, at Feb 10 2025 → period [Jan 30, Feb 28), 18/29 left", () => {
    const p = preview(doc(referenceCatalog(), customer([subscription("pro", "2024-11-30T00:00:00Z")]), request("2025-02-10T00:00:00Z", "premium")))
    // boundaries: Nov 30 + 2 months = Jan 30; + 3 months = "Feb 30" → Feb 28. Period 29 days, 18 left.
    // credit −(20 × 18/29) = −360/29 = −12.4137… → −1241
    // charge  50 × 18/29  =  900/29 =  31.0344… → 3103
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-1241, 3103])
    // −1241 + 3103 = 1862
    expect(p.total).toBe(1862)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-28T00:00:00.000Z", total: 5000 })
  })

  for (const c of carryOvers) it(c.name, () => {
    const p = preview(doc(catalog(c.plans), customer([subscription(c.from, JAN1, c.kept)]), request(JAN16, c.to)))
    const [creditBase, creditItem, chargeBase, chargeItem] = c.amounts
    expect(brief(p.lines)).toEqual([
      { kind: "credit", planId: c.from, featureId: null, amount: creditBase, total: creditBase },
      { kind: "credit", planId: c.from, featureId: c.featureId, amount: creditItem, total: creditItem },
      { kind: "charge", planId: c.to, featureId: null, amount: chargeBase, total: chargeBase },
      { kind: "charge", planId: c.to, featureId: c.featureId, amount: chargeItem, total: chargeItem }
    ])
    expect(lineFor(p.lines, "credit", c.from, c.featureId)?.quantity).toBe(c.quantities[0])
    expect(lineFor(p.lines, "charge", c.to, c.featureId)?.quantity).toBe(c.quantities[1])
    expect(p.total).toBe(c.total)
    for (const [key, value] of Object.entries(c.kept)) expect(subAfter(p, c.to)?.[key]).toEqual(value)
    expect(p.nextCycle).toMatchObject(c.nextCycle)
  })
})

describe("free → paid (docs/spec.md §6 rule 1, §7)", () => {
  it("is an upgrade with a full new period anchored at `at` (a free plan is not a paid subscription to join)", () => {
    const c = customer([subscription("free", "2024-12-05T00:00:00Z")])
    const p = preview(doc(referenceCatalog(), c, request(JAN16, "pro")))
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

describe("an anchor in the future (docs/spec.md §2.2)", () => {
  it("an anchor in the future works (docs/spec.md §2.2): anchor Feb 1, at Jan 16 → period [Jan 1, Feb 1)", () => {
    const p = preview(doc(referenceCatalog(), customer([subscription("pro", "2025-02-01T00:00:00Z", { startedAt: JAN1 })]), request(JAN16, "premium")))
    // boundary −1 = Jan 1: the same 16/31 as above: −1032 + 2581 = 1549
    expect(brief(p.lines).map((l) => l.amount)).toEqual([-1032, 2581])
    expect(p.total).toBe(1549)
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-02-01T00:00:00.000Z", total: 5000 })
  })
})
