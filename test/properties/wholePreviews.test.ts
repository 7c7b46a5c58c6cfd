/**
 * Properties of whole previews (docs/spec.md §2.3, §8.1–§8.4, §8.9) over generated plan prices, anchors
 * and instants. Every run uses a fixed seed, so a failure reproduces exactly.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Interval from "../../src/Interval.ts"
import type { AttachPreview, Line } from "../../src/Preview.ts"
import { anchorAndAtArb, instantArb } from "../support/arbitraries.ts"
import { type Obj, catalog, customer, doc, iso, monthly, request, subscription } from "../support/build.ts"
import { preview } from "../support/run.ts"

const RUNS = { seed: 42, numRuns: 150 } as const

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** A decimal amount in major units with up to 4 decimals, as a string: 0 … 1000.0000. */
const amountArb = fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 10_000).toFixed(4))
/** A non-zero amount: 0.0001 … 1000.0000. */
const paidAmountArb = fc.integer({ min: 1, max: 10_000_000 }).map((n) => (n / 10_000).toFixed(4))
const unitArb = fc.constantFrom("day", "week", "month", "quarter", "semi_annual", "year")
const intervalArb = fc.record({ unit: unitArb, count: fc.integer({ min: 1, max: 3 }) })
/** Exact minor units (usd) of a 4-decimal amount string, rounded half away from zero. */
const minorOf = (amount: string): number => {
  const tenThousandths = Math.round(Number(amount) * 10_000) // exact: at most 1e7
  return Math.floor((tenThousandths + 50) / 100)
}
const priced = (amount: string, interval: { unit: string; count: number }): Obj => ({ amount, interval: interval.unit, intervalCount: interval.count })
const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)

const moneyFields = (p: AttachPreview): Array<number> => [
  p.subtotal, p.discountTotal, p.total, p.creditApplied, p.amountDue,
  ...p.lines.flatMap((l) => [l.amount, l.total, ...l.discounts.map((d) => d.amount)]),
  ...(p.nextCycle === null ? [] : [
    p.nextCycle.subtotal, p.nextCycle.discountTotal, p.nextCycle.total,
    ...p.nextCycle.lines.flatMap((l) => [l.amount, l.total, ...l.discounts.map((d) => d.amount)])
  ]),
  ...(p.customerAfter.creditBalance === undefined ? [] : [p.customerAfter.creditBalance])
]

const lineAddsUp = (l: Line): boolean => l.total === l.amount - sum(l.discounts.map((d) => d.amount))

// ---------------------------------------------------------------------------------------------
// Totals (docs/spec.md §8.9)
// ---------------------------------------------------------------------------------------------

/** A switch between two generated plans, forced immediate so that every line kind can appear. */
const switchArb = fc.record({
  times: anchorAndAtArb,
  oldAmount: amountArb,
  oldInterval: intervalArb,
  newAmount: amountArb,
  newInterval: intervalArb,
  seatAmount: amountArb,
  seatsIncluded: fc.integer({ min: 0, max: 5 }),
  seatsUsed: fc.integer({ min: 0, max: 20 }),
  storageAmount: amountArb,
  storagePack: fc.integer({ min: 1, max: 100 }),
  storageQuantity: fc.integer({ min: 0, max: 1000 }),
  messagesAmount: amountArb,
  messagesIncluded: fc.integer({ min: 0, max: 1000 }),
  messagesUsed: fc.integer({ min: 0, max: 5000 }),
  percentOff: fc.integer({ min: 0, max: 10_000 }).map((n) => (n / 100).toFixed(2)),
  amountOff: fc.integer({ min: 0, max: 50_000 }).map((n) => (n / 100).toFixed(2)),
  creditBalance: fc.integer({ min: 0, max: 100_000 })
})
type Switch = typeof switchArb extends fc.Arbitrary<infer A> ? A : never

const switchDoc = (g: Switch): Obj => doc(
  catalog([
    {
      id: "old",
      price: priced(g.oldAmount, g.oldInterval),
      items: [
        { featureId: "seats", included: g.seatsIncluded, price: { ...priced(g.seatAmount, g.oldInterval), billingMethod: "usage_based" } },
        { featureId: "storage", price: { ...priced(g.storageAmount, g.oldInterval), billingMethod: "prepaid", billingUnits: g.storagePack } },
        { featureId: "messages", included: g.messagesIncluded, price: { amount: g.messagesAmount, interval: "month", billingMethod: "usage_based" } }
      ]
    },
    {
      id: "new",
      price: priced(g.newAmount, g.newInterval),
      items: [
        { featureId: "seats", included: g.seatsIncluded, price: { ...priced(g.seatAmount, g.newInterval), billingMethod: "usage_based" } },
        { featureId: "storage", price: { ...priced(g.storageAmount, g.newInterval), billingMethod: "prepaid", billingUnits: g.storagePack } }
      ]
    }
  ], {
    discounts: [
      { id: "PCT", percentOff: g.percentOff, duration: "forever" },
      { id: "OFF", amountOff: g.amountOff, duration: "once" }
    ]
  }),
  customer([subscription("old", iso(g.times.anchor), {
    featureQuantities: [{ featureId: "storage", quantity: g.storageQuantity }],
    usage: [{ featureId: "seats", used: g.seatsUsed }, { featureId: "messages", used: g.messagesUsed }]
  })], { creditBalance: g.creditBalance }),
  request(iso(g.times.at), "new", { planSchedule: "immediate", discounts: [{ discountId: "PCT" }, { discountId: "OFF" }] })
)

describe("totals add up (docs/spec.md §8.9)", () => {
  it("total = Σ line totals, subtotal = Σ amounts, discountTotal = subtotal − total; all money safe integers", () => {
    fc.assert(fc.property(switchArb, (g) => {
      const p = preview(switchDoc(g))
      expect(p.total).toBe(sum(p.lines.map((l) => l.total)))
      expect(p.subtotal).toBe(sum(p.lines.map((l) => l.amount)))
      expect(p.discountTotal).toBe(p.subtotal - p.total)
      expect(p.lines.every(lineAddsUp)).toBe(true)
      if (p.nextCycle !== null) {
        expect(p.nextCycle.total).toBe(sum(p.nextCycle.lines.map((l) => l.total)))
        expect(p.nextCycle.subtotal).toBe(sum(p.nextCycle.lines.map((l) => l.amount)))
        expect(p.nextCycle.discountTotal).toBe(p.nextCycle.subtotal - p.nextCycle.total)
        expect(p.nextCycle.lines.every(lineAddsUp)).toBe(true)
      }
      for (const n of moneyFields(p)) expect(Number.isSafeInteger(n), `${n} is not a safe integer`).toBe(true)
      // no discount takes a line below zero, and discounts never apply to arrears
      for (const l of p.lines) {
        if (l.kind === "charge") expect(l.total).toBeGreaterThanOrEqual(0)
        if (l.kind === "arrears") expect(l.discounts).toEqual([])
      }
    }), RUNS)
  })

  it("the credit balance after = balance − creditApplied + max(0, −total); a positive total is paid by credit then amountDue", () => {
    fc.assert(fc.property(switchArb, (g) => {
      const p = preview(switchDoc(g))
      expect(p.customerAfter.creditBalance ?? 0).toBe(g.creditBalance - p.creditApplied + Math.max(0, -p.total))
      if (p.total > 0) {
        // creditApplied = min(balance, total), amountDue = total − creditApplied
        expect(p.creditApplied).toBe(Math.min(g.creditBalance, p.total))
        expect(p.amountDue).toBe(p.total - p.creditApplied)
      } else {
        expect(p.creditApplied).toBe(0)
      }
    }), RUNS)
  })

  it("the generated switches exercise every line kind, discounts and both signs of total", () => {
    const seen = { arrears: 0, credit: 0, charge: 0, discounted: 0, negative: 0, positive: 0 }
    for (const g of fc.sample(switchArb, { seed: 42, numRuns: 150 })) {
      const p = preview(switchDoc(g))
      for (const l of p.lines) {
        if (l.kind === "arrears" || l.kind === "credit" || l.kind === "charge") seen[l.kind]++
        if (l.discounts.length > 0) seen.discounted++
      }
      if (p.total < 0) seen.negative++
      if (p.total > 0) seen.positive++
    }
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(10)
  })

  // Regression: docs/spec.md §6 / §8.9 (fixed in the planner).
  it("amountDue is never negative and never above the total", () => {
    fc.assert(fc.property(switchArb, (g) => {
      const p = preview(switchDoc(g))
      expect(p.amountDue).toBeGreaterThanOrEqual(0)
      expect(p.amountDue).toBe(Math.max(0, p.total - g.creditBalance))
    }), RUNS)
  })
})

// ---------------------------------------------------------------------------------------------
// Credits (docs/spec.md §8.3)
// ---------------------------------------------------------------------------------------------

describe("credits (docs/spec.md §8.3)", () => {
  it("a credit never exceeds the old period's full price in absolute value", () => {
    fc.assert(fc.property(switchArb, (g) => {
      const p = preview(switchDoc(g))
      // full-period prices of the old plan, in minor units
      const fullBase = minorOf(g.oldAmount)
      const seatsBillable = Math.max(0, g.seatsUsed - g.seatsIncluded)
      // seats: billable × amount; rounding a product of ≤ 20 × 1000.0000 is exact in doubles at 4 dp
      const fullSeats = Math.floor((Math.round(Number(g.seatAmount) * 10_000) * seatsBillable + 50) / 100)
      const packs = Math.ceil(g.storageQuantity / g.storagePack)
      const fullStorage = Math.floor((Math.round(Number(g.storageAmount) * 10_000) * packs + 50) / 100)
      for (const l of p.lines.filter((x) => x.kind === "credit")) {
        expect(l.amount).toBeLessThan(0)
        const bound = l.featureId === null ? fullBase : l.featureId === "seats" ? fullSeats : fullStorage
        expect(-l.amount, `${l.featureId ?? "base"} credit ${l.amount} vs full ${bound}`).toBeLessThanOrEqual(bound)
        expect(l.planId).toBe("old")
      }
    }), RUNS)
  })

  it("a same-price switch (version 1 → version 2 of a plan) cancels to 0 ± 1", () => {
    const arb = fc.record({ times: anchorAndAtArb, amount: paidAmountArb, interval: intervalArb })
    fc.assert(fc.property(arb, ({ times, amount, interval }) => {
      const cat = catalog([
        { id: "pro", version: 1, price: priced(amount, interval) },
        { id: "pro", version: 2, price: priced(amount, interval) }
      ])
      const p = preview(doc(cat, customer([subscription("pro", iso(times.anchor), { version: 1 })]), request(iso(times.at), "pro")))
      // docs/decisions.md rule 2: another version is a switch; equal monthly totals → upgrade (tie)
      expect(p.scenario).toBe("upgrade")
      // credit −(a × f) and charge a × f over the same period (the new version joins the old anchor)
      expect(Math.abs(p.total)).toBeLessThanOrEqual(1)
      const credit = p.lines.find((l) => l.kind === "credit")
      const charge = p.lines.find((l) => l.kind === "charge")
      expect((credit?.amount ?? 0) + (charge?.amount ?? 0)).toBe(p.total)
    }), RUNS)
  })
})

// ---------------------------------------------------------------------------------------------
// Monotonicity (docs/spec.md §8.2, §2.3)
// ---------------------------------------------------------------------------------------------

/** Ascending graduated tiers (per pack), with optional flat fees; the last one is "inf". */
const graduatedTiersArb = fc.tuple(
  fc.uniqueArray(fc.integer({ min: 1, max: 2000 }), { minLength: 0, maxLength: 3 }),
  fc.array(fc.tuple(amountArb, fc.option(amountArb, { nil: undefined })), { minLength: 4, maxLength: 4 })
).map(([bounds, prices]) => {
  const ups: Array<number | "inf"> = [...[...bounds].sort((a, b) => a - b), "inf"]
  return ups.map((upTo, i) => {
    const [amount, flat] = prices[i] ?? ["1.0000", undefined]
    return flat === undefined ? { upTo, amount } : { upTo, amount, flatAmount: flat }
  })
})
const storagePriceArb = fc.oneof(
  fc.record({ amount: amountArb }).map((p): Obj => p),
  graduatedTiersArb.map((tiers): Obj => ({ tiers, tierBehavior: "graduated" }))
)

describe("monotonicity", () => {
  it("more prepaid quantity never costs less (flat or graduated; new and joined subscriptions)", () => {
    const arb = fc.record({
      price: storagePriceArb,
      pack: fc.integer({ min: 1, max: 50 }),
      included: fc.integer({ min: 0, max: 100 }),
      q1: fc.integer({ min: 0, max: 3000 }),
      dq: fc.integer({ min: 0, max: 3000 }),
      joined: fc.boolean(),
      times: anchorAndAtArb
    })
    fc.assert(fc.property(arb, ({ price, pack, included, q1, dq, joined, times }) => {
      const cat = catalog([
        monthly("pro", "20"),
        {
          id: "storagePlan",
          addOn: true,
          items: [{ featureId: "storage", included, price: { ...price, interval: "month", billingMethod: "prepaid", billingUnits: pack } }]
        }
      ])
      const c = customer(joined ? [subscription("pro", iso(times.anchor))] : [])
      const costOf = (q: number): number =>
        preview(doc(cat, c, request(iso(times.at), [{ planId: "storagePlan", featureQuantities: [{ featureId: "storage", quantity: q }] }]))).total
      expect(costOf(q1)).toBeLessThanOrEqual(costOf(q1 + dq))
    }), RUNS)
  })

  it("a later instant in the same period never gives a larger prorated charge", () => {
    const arb = fc.record({
      anchor: instantArb,
      amount: amountArb,
      interval: intervalArb,
      periodsLater: fc.integer({ min: 0, max: 24 }),
      // two points in the period, as parts per million of its length
      p1: fc.integer({ min: 0, max: 999_999 }),
      p2: fc.integer({ min: 0, max: 999_999 })
    })
    fc.assert(fc.property(arb, ({ anchor, amount, interval, periodsLater, p1, p2 }) => {
      const cat = catalog([monthly("pro", "20"), { id: "extra", addOn: true, price: priced(amount, interval) }])
      const c = customer([subscription("pro", iso(anchor))])
      // a period of the add-on's interval on the shared anchor, some periods after the anchor
      const iv = { unit: interval.unit, count: interval.count } as Interval.Interval
      const start = Interval.boundary(anchor, iv, periodsLater)
      const end = Interval.boundary(anchor, iv, periodsLater + 1)
      const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1]
      const t1 = start + Math.floor(((end - start) * lo) / 1_000_000)
      const t2 = start + Math.floor(((end - start) * hi) / 1_000_000)
      const charge = (t: number): number => preview(doc(cat, c, request(iso(t), "extra"))).total
      const early = charge(t1)
      const late = charge(t2)
      expect(late).toBeLessThanOrEqual(early)
      // and never more than the full period's price: amount rounded to cents
      expect(early).toBeLessThanOrEqual(minorOf(amount))
    }), RUNS)
  })
})
