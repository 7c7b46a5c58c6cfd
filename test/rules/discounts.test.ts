/**
 * Issue #3, item 2 — discounts (docs/spec.md §8.8, §8.9, §9; decisions.md rule 15).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $10 × 16/31 = 160/31 =  5.1612… →  516     $20 × 16/31 = 320/31  = 10.3225… → 1032
 *   $50 × 16/31 = 800/31 = 25.8064… → 2581     $100 × 16/31 = 1600/31 = 51.6129… → 5161
 * A new subscription anchored at `at` is charged a full period (fraction 1).
 */
import { describe, expect, it } from "vitest"
import type { AttachPreview } from "../../src/Preview.ts"
import { FEB1, FEB16, JAN1, JAN16, type Obj, addOn, catalog, customer, doc, monthly, request, subscription } from "../support/build.ts"
import { err, ok, rows, subAfter } from "../support/run.ts"

const DISCOUNTS: ReadonlyArray<Obj> = [
  { id: "PCT20", percentOff: "20", duration: "forever" },
  { id: "PCT10", percentOff: "10", duration: "forever" },
  { id: "OFF5", amountOff: "5", duration: "forever" },
  { id: "OFF10", amountOff: "10", duration: "forever" },
  { id: "NICKEL", amountOff: "0.05", duration: "forever" },
  { id: "HUGE", amountOff: "100", duration: "forever" },
  { id: "EXTRA3", amountOff: "3", duration: "forever", appliesTo: ["extra"] },
  { id: "PROHALF", percentOff: "50", duration: "forever", appliesTo: ["pro"] },
  { id: "ONCE25", percentOff: "25", duration: "once" },
  { id: "M1", percentOff: "20", duration: { months: 1 } },
  { id: "M3", percentOff: "20", duration: { months: 3 } },
  { id: "SPRING15", percentOff: "15", duration: "forever", promotionCodes: ["SPRING"] }
]

const dcat = catalog([
  monthly("lite", "10"),
  monthly("pro", "20"),
  monthly("premium", "50"),
  monthly("ultra", "100"),
  addOn("extra", "10"),
  monthly("tpro", "20", { freeTrial: { length: 14, unit: "day" } })
], { discounts: DISCOUNTS })

const ids = (...discountIds: ReadonlyArray<string>): Obj => ({ discounts: discountIds.map((discountId) => ({ discountId })) })

/** A new customer attaching `plans` at Jan 16 with the request discounts. */
const fresh = (plans: string | ReadonlyArray<Obj>, ...discountIds: ReadonlyArray<string>): AttachPreview =>
  ok(doc(dcat, customer([]), request(JAN16, plans, ids(...discountIds))))

const proAndExtra: ReadonlyArray<Obj> = [{ planId: "pro" }, { planId: "extra" }]

describe("percent-off first, then amount-off, each in request order (docs/spec.md §8.8)", () => {
  it("[OFF5, PCT20] on 2000: 20% first (400), then $5 (500) → 1100", () => {
    const p = fresh("pro", "OFF5", "PCT20")
    // 2000 × 20/100 = 400 → 1600; then 500 off → 1100 (amount-off first would give (2000 − 500) × 0.8 = 1200)
    expect(p.lines[0]?.discounts).toEqual([{ discountId: "PCT20", amount: 400 }, { discountId: "OFF5", amount: 500 }])
    expect(p).toMatchObject({ subtotal: 2000, discountTotal: 900, total: 1100, amountDue: 1100 })
  })

  it("two percent-offs apply on the running amount, in request order, each rounded on the line", () => {
    // customer on pro (Jan 1); the add-on joins: 10 × 16/31 → 516
    const base = customer([subscription("pro", JAN1)])
    const a = ok(doc(dcat, base, request(JAN16, "extra", ids("PCT20", "PCT10"))))
    // 516 × 20% = 103.2 → 103 → 413; 413 × 10% = 41.3 → 41 → 372
    expect(a.lines[0]?.discounts).toEqual([{ discountId: "PCT20", amount: 103 }, { discountId: "PCT10", amount: 41 }])
    expect(a.total).toBe(372)
    const b = ok(doc(dcat, base, request(JAN16, "extra", ids("PCT10", "PCT20"))))
    // 516 × 10% = 51.6 → 52 → 464; 464 × 20% = 92.8 → 93 → 371
    expect(b.lines[0]?.discounts).toEqual([{ discountId: "PCT10", amount: 52 }, { discountId: "PCT20", amount: 93 }])
    expect(b.total).toBe(371)
  })
})

describe("appliesTo restricts a discount to a plan's lines (docs/spec.md §8.8)", () => {
  it("a percent-off for pro: pro 2000 → 1000, the add-on's 1000 untouched", () => {
    const p = fresh(proAndExtra, "PROHALF")
    // pro: 2000 × 50% = 1000 → 1000; extra: not eligible → 1000
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 1000], ["charge", "extra", null, 1000, 1000]])
    expect(p.lines[1]?.discounts).toEqual([])
    expect(p).toMatchObject({ subtotal: 3000, discountTotal: 1000, total: 2000 })
  })

  it("an amount-off for the add-on: all $3 on its line, none on pro", () => {
    const p = fresh(proAndExtra, "EXTRA3")
    // extra: 1000 − 300 = 700; pro untouched
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 2000], ["charge", "extra", null, 1000, 700]])
    expect(p.total).toBe(2700)
  })
})

describe("amount-off split across lines by largest remainder in minor units (docs/spec.md §8.8)", () => {
  it("$10 off lines 2000 and 1000 → 667 + 333", () => {
    const p = fresh(proAndExtra, "OFF10")
    // shares of 1000: 1000 × 2000/3000 = 666.66… and 1000 × 1000/3000 = 333.33…; floors 666 + 333 = 999,
    // the 1 left goes to the larger remainder (.66… on pro) → 667 + 333
    expect(p.lines.map((l) => l.discounts)).toEqual([[{ discountId: "OFF10", amount: 667 }], [{ discountId: "OFF10", amount: 333 }]])
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 1333], ["charge", "extra", null, 1000, 667]])
    expect(p).toMatchObject({ subtotal: 3000, discountTotal: 1000, total: 2000 })
  })

  it("equal remainders go to the earlier line: $0.05 off 1000 + 1000 → 3 + 2", () => {
    const p = fresh([{ planId: "lite" }, { planId: "extra" }], "NICKEL")
    // 5 × 1000/2000 = 2.5 each; floors 2 + 2, 1 left; remainders tie → first line → 3 + 2
    expect(p.lines.map((l) => l.discounts)).toEqual([[{ discountId: "NICKEL", amount: 3 }], [{ discountId: "NICKEL", amount: 2 }]])
    expect(p.total).toBe(1995)
  })
})

describe("amount-off larger than the charges: lines go to 0, never below (docs/spec.md §8.8)", () => {
  it("$100 off 2000 + 1000 → both 0", () => {
    const p = fresh(proAndExtra, "HUGE")
    // available 3000 < 10000 → shares 2000 and 1000
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 0], ["charge", "extra", null, 1000, 0]])
    expect(p).toMatchObject({ subtotal: 3000, discountTotal: 3000, total: 0, amountDue: 0 })
  })

  it("on an upgrade the charge goes to 0 and the credit line is left alone", () => {
    const p = ok(doc(dcat, customer([subscription("lite", JAN1)]), request(JAN16, "pro", ids("HUGE"))))
    // credit −(10 × 16/31) → −516 (amount-off never touches credits); charge 20 × 16/31 → 1032, all of it off
    expect(rows(p.lines)).toEqual([["credit", "lite", null, -516, -516], ["charge", "pro", null, 1032, 0]])
    expect(p).toMatchObject({ subtotal: 516, discountTotal: 1032, total: -516, amountDue: 0 })
  })
})

describe("credit lines: only a discount applied before the credited period began (docs/spec.md §8.8; decisions rule 15)", () => {
  // premium $50 (anchor Jan 1) → ultra $100 on Jan 16
  const upgrade = (customerExtra: Obj, subExtra: Obj = {}, requestExtra: Obj = {}): AttachPreview =>
    ok(doc(dcat, customer([subscription("premium", JAN1, subExtra)], customerExtra), request(JAN16, "ultra", requestExtra)))

  it("a customer discount applied Dec 1 (before the period Jan 1) reduces the credit too", () => {
    const p = upgrade({ discounts: [{ discountId: "PCT20", appliedAt: "2024-12-01T00:00:00Z" }] })
    // credit −2581 × 20% = −516.2 → −516 → −2065; charge 5161 × 20% = 1032.2 → 1032 → 4129
    expect(rows(p.lines)).toEqual([["credit", "premium", null, -2581, -2065], ["charge", "ultra", null, 5161, 4129]])
    expect(p.lines[0]?.discounts).toEqual([{ discountId: "PCT20", amount: -516 }])
    // subtotal −2581 + 5161 = 2580; total −2065 + 4129 = 2064; discounts −516 + 1032 = 516
    expect(p).toMatchObject({ subtotal: 2580, discountTotal: 516, total: 2064 })
  })

  it("a subscription discount (AppliedDiscount on the subscription) applied Dec 1 does the same", () => {
    const p = upgrade({}, { discounts: [{ discountId: "PCT20", appliedAt: "2024-12-01T00:00:00Z" }] })
    expect(rows(p.lines)).toEqual([["credit", "premium", null, -2581, -2065], ["charge", "ultra", null, 5161, 4129]])
    expect(p.total).toBe(2064)
  })

  it("a customer discount applied Jan 10 (after the period began) reduces only the charge", () => {
    const p = upgrade({ discounts: [{ discountId: "PCT20", appliedAt: "2025-01-10T00:00:00Z" }] })
    // credit −2581 untouched; charge 4129; total 1548
    expect(rows(p.lines)).toEqual([["credit", "premium", null, -2581, -2581], ["charge", "ultra", null, 5161, 4129]])
    expect(p).toMatchObject({ subtotal: 2580, discountTotal: 1032, total: 1548 })
  })

  it("a new discount from the request reduces only the charge", () => {
    const p = upgrade({}, {}, ids("PCT20"))
    expect(rows(p.lines)).toEqual([["credit", "premium", null, -2581, -2581], ["charge", "ultra", null, 5161, 4129]])
    expect(p.total).toBe(1548)
  })
})

describe("the same discount twice counts once (docs/spec.md §8.8)", () => {
  it("listed twice in the request: 20% once → 1600", () => {
    const p = fresh("pro", "PCT20", "PCT20")
    // 2000 × 20% = 400 once (twice would be 400 + 320 = 720 → 1280)
    expect(p.lines[0]?.discounts).toEqual([{ discountId: "PCT20", amount: 400 }])
    expect(p.total).toBe(1600)
  })

  it("already on the customer and requested again: once", () => {
    const p = ok(doc(dcat, customer([], { discounts: [{ discountId: "PCT20", appliedAt: "2024-06-01T00:00:00Z" }] }), request(JAN16, "pro", ids("PCT20"))))
    expect(p.lines[0]?.discounts).toEqual([{ discountId: "PCT20", amount: 400 }])
    expect(p.total).toBe(1600)
  })

  it("on the customer and on the subscription: once (on the credit and on the charge)", () => {
    const applied = [{ discountId: "PCT20", appliedAt: "2024-12-01T00:00:00Z" }]
    const p = ok(doc(dcat, customer([subscription("premium", JAN1, { discounts: applied })], { discounts: applied }), request(JAN16, "ultra")))
    // as with either alone: credit −2581 → −2065, charge 5161 → 4129 (twice would be −1652 and 3303)
    expect(rows(p.lines)).toEqual([["credit", "premium", null, -2581, -2065], ["charge", "ultra", null, 5161, 4129]])
    expect(p.lines.map((l) => l.discounts.length)).toEqual([1, 1])
  })

  it("by id and by its promotion code: once", () => {
    const p = ok(doc(dcat, customer([]), request(JAN16, "pro", { discounts: [{ discountId: "SPRING15" }, { promotionCode: "SPRING" }] })))
    // 2000 × 15% = 300 once
    expect(p.lines[0]?.discounts).toEqual([{ discountId: "SPRING15", amount: 300 }])
    expect(p.total).toBe(1700)
  })
})

describe("durations (docs/spec.md §8.8, §9)", () => {
  it("once: today's invoice only; the next cycle is not discounted", () => {
    const p = fresh("pro", "ONCE25")
    // 2000 × 25% = 500 → 1500 today
    expect(p.total).toBe(1500)
    // Feb 16: full 2000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB16, subtotal: 2000, discountTotal: 0, total: 2000 })
  })

  it("once with an empty invoice today (a trial): the next cycle is discounted", () => {
    const p = fresh("tpro", "ONCE25")
    expect(p.lines).toEqual([])
    // trial end Jan 16 + 14 days = Jan 30: 2000 × 25% = 500 → 1500
    expect(p.nextCycle).toMatchObject({ startsAt: "2025-01-30T00:00:00.000Z", subtotal: 2000, discountTotal: 500, total: 1500 })
  })

  it("{months: 3} applied Jan 16: the Feb 16 cycle starts before Apr 16 → discounted", () => {
    const p = fresh("pro", "M3")
    // today 2000 − 400 = 1600; next cycle 2000 − 400 = 1600
    expect(p.total).toBe(1600)
    expect(p.nextCycle).toMatchObject({ startsAt: FEB16, discountTotal: 400, total: 1600 })
  })

  it("{months: 1} applied Jan 16: the Feb 16 cycle does not start before Feb 16 → not discounted", () => {
    const p = fresh("pro", "M1")
    expect(p.total).toBe(1600)
    expect(p.nextCycle).toMatchObject({ startsAt: FEB16, discountTotal: 0, total: 2000 })
  })

  it("forever: today and the next cycle", () => {
    const p = fresh("pro", "PCT20")
    expect(p.total).toBe(1600)
    expect(p.nextCycle).toMatchObject({ discountTotal: 400, total: 1600 })
  })

  it("a request discount is recorded on the new subscription in customerAfter", () => {
    const p = fresh("pro", "M3")
    expect(subAfter(p, "pro")?.["discounts"]).toEqual([{ discountId: "M3", appliedAt: JAN16 }])
  })
})

describe("promotion codes and unknown discounts (docs/spec.md §8.8, §12)", () => {
  it("a promotion code resolves to its discount", () => {
    const p = ok(doc(dcat, customer([]), request(JAN16, "pro", { discounts: [{ promotionCode: "SPRING" }] })))
    // 2000 × 15% = 300 → 1700
    expect(p.lines[0]?.discounts).toEqual([{ discountId: "SPRING15", amount: 300 }])
    expect(p.total).toBe(1700)
  })

  it("an unknown discount id → UnknownDiscount naming it", () => {
    const e = err(doc(dcat, customer([]), request(JAN16, "pro", ids("NOPE"))))
    expect(e).toMatchObject({ _tag: "UnknownDiscount", discountId: "NOPE" })
  })

  it("an unknown promotion code → UnknownDiscount naming it", () => {
    const e = err(doc(dcat, customer([]), request(JAN16, "pro", { discounts: [{ promotionCode: "WINTER" }] })))
    expect(e).toMatchObject({ _tag: "UnknownDiscount", promotionCode: "WINTER" })
  })

  it("a discount id is not accepted as a promotion code", () => {
    expect(err(doc(dcat, customer([]), request(JAN16, "pro", { discounts: [{ promotionCode: "SPRING15" }] })))._tag).toBe("UnknownDiscount")
  })
})

describe("an existing customer-level AppliedDiscount keeps applying per its duration (docs/spec.md §8.8)", () => {
  it("forever, applied Jun 1: the joining add-on today and both plans at the next cycle", () => {
    const p = ok(doc(dcat, customer([subscription("pro", JAN1)], { discounts: [{ discountId: "PCT20", appliedAt: "2024-06-01T00:00:00Z" }] }), request(JAN16, "extra")))
    // extra 516 × 20% = 103.2 → 103 → 413
    expect(rows(p.lines)).toEqual([["charge", "extra", null, 516, 413]])
    // Feb 1: pro 2000 − 400 = 1600, extra 1000 − 200 = 800 → 2400
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, subtotal: 3000, discountTotal: 600, total: 2400 })
  })

  it("{months: 3} applied Nov 1: today (Jan 16 < Feb 1) on credit and charge; the Feb 1 cycle is past it", () => {
    const p = ok(doc(dcat, customer([subscription("pro", JAN1)], { discounts: [{ discountId: "M3", appliedAt: "2024-11-01T00:00:00Z" }] }), request(JAN16, "premium")))
    // credit −1032 × 20% = −206.4 → −206 → −826 (applied Nov 1, before the credited period Jan 1)
    // charge 2581 × 20% = 516.2 → 516 → 2065; total 2065 − 826 = 1239
    expect(rows(p.lines)).toEqual([["credit", "pro", null, -1032, -826], ["charge", "premium", null, 2581, 2065]])
    expect(p.total).toBe(1239)
    // Nov 1 + 3 months = Feb 1; the Feb 1 invoice does not start before it → 5000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, discountTotal: 0, total: 5000 })
  })

  it("{months: 3} applied Sep 1: ended Dec 1, before today → not applied", () => {
    const p = ok(doc(dcat, customer([subscription("pro", JAN1)], { discounts: [{ discountId: "M3", appliedAt: "2024-09-01T00:00:00Z" }] }), request(JAN16, "extra")))
    expect(rows(p.lines)).toEqual([["charge", "extra", null, 516, 516]])
    expect(p.nextCycle).toMatchObject({ discountTotal: 0, total: 3000 })
  })

  it("once, applied in the past: already used, not applied again", () => {
    const p = ok(doc(dcat, customer([subscription("pro", JAN1)], { discounts: [{ discountId: "ONCE25", appliedAt: "2024-12-01T00:00:00Z" }] }), request(JAN16, "extra")))
    expect(rows(p.lines)).toEqual([["charge", "extra", null, 516, 516]])
    expect(p.nextCycle).toMatchObject({ discountTotal: 0, total: 3000 })
  })
})
