/**
 * Totals and the customer's credit balance (docs/spec.md §8.9): subtotal, discountTotal and total
 * are sums of the lines; the balance pays first. The negative totals of an immediate downgrade are
 * in ./overrides.test.ts (planSchedule immediate).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31: pro $20 → premium
 * $50 is −1032 + 2581 = 1549.
 */
import { describe, expect, it } from "vitest"
import type { Action, AttachPreview } from "../../src/Preview.ts"
import { JAN1, JAN16, customer, doc, referenceCatalog, request, subscription } from "../support/build.ts"
import { actionTypes, lineFor, ok, preview } from "../support/run.ts"

const action = (p: AttachPreview, type: string): Action | undefined => p.actions.find((a) => a.type === type)

describe("totals and customer credit (docs/spec.md §8.9)", () => {
  it("an existing balance smaller than the total reduces amountDue", () => {
    const p = preview(doc(referenceCatalog(), customer([subscription("pro", JAN1)], { creditBalance: 1000 }), request(JAN16, "premium")))
    // total 1549; applied min(1000, 1549) = 1000; due 1549 − 1000 = 549; balance after 0
    expect(p).toMatchObject({ total: 1549, creditApplied: 1000, amountDue: 549 })
    expect(p.customerAfter.creditBalance).toBe(0)
  })

  it("an existing balance larger than the total covers it", () => {
    const p = preview(doc(referenceCatalog(), customer([subscription("pro", JAN1)], { creditBalance: 3000 }), request(JAN16, "premium")))
    // applied min(3000, 1549) = 1549; due 0; balance after 3000 − 1549 = 1451
    expect(p).toMatchObject({ total: 1549, creditApplied: 1549, amountDue: 0 })
    expect(p.customerAfter.creditBalance).toBe(1451)
  })

  it("subtotal, discountTotal and total add up with a percent discount", () => {
    const cat = referenceCatalog({ discounts: [{ id: "TEN", percentOff: "10", duration: "forever" }] })
    const p = preview(doc(cat, customer([subscription("pro", JAN1)]), request(JAN16, "premium", { discounts: [{ discountId: "TEN" }] })))
    // charge 2581, 10 % off: 258.1 → 258 → total 2323; the credit is not discounted (the discount is new)
    // subtotal −1032 + 2581 = 1549; discountTotal 258; total 1549 − 258 = 1291
    expect(lineFor(p.lines, "charge", "premium")).toMatchObject({ amount: 2581, discounts: [{ discountId: "TEN", amount: 258 }], total: 2323 })
    expect(p).toMatchObject({ subtotal: 1549, discountTotal: 258, total: 1291, amountDue: 1291 })
    expect(p.total).toBe(p.lines.reduce((a, l) => a + l.total, 0))
  })
})

describe("creditBalance reduces amountDue (docs/spec.md §8.9)", () => {
  it("a balance of 500 on a 2000 total: 500 applied, 1500 due, nothing left", () => {
    const p = ok(doc(referenceCatalog(), customer([], { creditBalance: 500 }), request(JAN16, "pro")))
    expect(p).toMatchObject({ total: 2000, creditApplied: 500, amountDue: 1500 })
    expect(p.customerAfter.creditBalance).toBe(0)
    expect(action(p, "payInvoice")).toMatchObject({ amount: 1500, creditApplied: 500 })
  })

  it("a balance of 3000 covers the 2000: nothing due, 1000 left", () => {
    const p = ok(doc(referenceCatalog(), customer([], { creditBalance: 3000 }), request(JAN16, "pro")))
    expect(p).toMatchObject({ total: 2000, creditApplied: 2000, amountDue: 0 })
    expect(p.customerAfter.creditBalance).toBe(1000)
    expect(actionTypes(p)).not.toContain("payInvoice")
  })
})
