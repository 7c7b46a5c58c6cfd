/**
 * Issue #12, item 1 — credit only what was paid: the ledger (`billed`) of customerAfter, fed
 * forward from one attach to the next (docs/decisions.md rule 30).
 */
import { describe, expect, it } from "vitest"
import type { AttachPreview } from "../src/Preview.ts"
import { JAN1, JAN16, cat, cus, doc, monthly, ok, req, rows } from "./support/rulesDoc.ts"

const JAN10 = "2025-01-10T00:00:00.000Z"
const JAN11 = "2025-01-11T00:00:00.000Z"
const DISCOUNTS = [
  { id: "FREE1", percentOff: "100", duration: "once" },
  { id: "HALF1", percentOff: "50", duration: "once" }
]
const plans = cat([monthly("a", "10"), monthly("pro", "20"), monthly("b", "20"), monthly("c", "30"), monthly("premium", "50"),
  monthly("seatsPlan", "0", { items: [{ featureId: "storage", included: 0, price: { amount: "10", interval: "month", billingMethod: "prepaid" } }] })],
{ discounts: DISCOUNTS })
const next = (p: AttachPreview, at: string, planId: string, extra = {}): AttachPreview => ok(doc(plans, p.customerAfter, req(at, planId, extra)))

describe("a credit never exceeds what was billed for the period", () => {
  it("pro bought Jan 1 with 100 % off once (billed 0), upgraded Jan 16: no credit, premium 2581", () => {
    const bought = ok(doc(plans, cus([]), req(JAN1, "pro", { discounts: [{ discountId: "FREE1" }] })))
    expect(bought.total).toBe(0) // 2000 − 2000
    const up = next(bought, JAN16, "premium")
    // credit: min(2000 × 16/31 = 1032.2…, 0 paid × 16/31 = 0) = 0 → dropped; charge 5000 × 16/31 = 2580.6… → 2581
    expect(rows(up.lines)).toEqual([["charge", "premium", null, 2581, 2581]])
    expect(up.total).toBe(2581)
  })

  it("5 prepaid units billed 0, 5 → 2 on Jan 16: no credit", () => {
    const bought = ok(doc(plans, cus([]), req(JAN1, [{ planId: "seatsPlan", featureQuantities: [{ featureId: "storage", quantity: 5 }] }], { discounts: [{ discountId: "FREE1" }] })))
    expect(bought.total).toBe(0) // 5 × 1000 − 100 %
    const down = ok(doc(plans, bought.customerAfter, req(JAN16, [{ planId: "seatsPlan", featureQuantities: [{ featureId: "storage", quantity: 2 }] }])))
    // list: 3 × 1000 × 16/31 = 1548.3…; paid share: 0 × 3/5 = 0 → no line
    expect(down.lines).toEqual([])
  })

  it("A → B with 50 % once on Jan 10 (B billed 709), then B → C on Jan 11: B's credit is 709 × 21/22 → 677", () => {
    const first = ok(doc(plans, cus([{ id: "sub_a", planId: "a", status: "active", billingAnchor: JAN1, startedAt: JAN1 }]), req(JAN10, "b", { discounts: [{ discountId: "HALF1" }] })))
    // credit A: 1000 × 22/31 = 709.6… → −710; charge B: 2000 × 22/31 = 1419.3… → 1419, 50 % = 709.5 → 710 off → 709
    expect(rows(first.lines)).toEqual([["credit", "a", null, -710, -710], ["charge", "b", null, 1419, 709]])
    const second = next(first, JAN11, "c")
    // credit B: min(2000 × 21/31 = 1354.8…, 709 × 21/22 = 676.7…) → −677; charge C: 3000 × 21/31 = 2032.2… → 2032
    expect(rows(second.lines)).toEqual([["credit", "b", null, -677, -677], ["charge", "c", null, 2032, 2032]])
    // January credits 710 + 677 = 1387 ≤ paid 1000 + 709 = 1709
  })

  it("A → B with prorationBehavior none (B billed nothing), then B → C: no credit for B", () => {
    const first = ok(doc(plans, cus([{ id: "sub_a", planId: "a", status: "active", billingAnchor: JAN1, startedAt: JAN1 }]), req(JAN10, "b", { prorationBehavior: "none" })))
    expect(first.lines).toEqual([])
    const second = next(first, JAN11, "c")
    // B's ledger entry is 0 (left unbilled): credit min(1354.8…, 0) = 0; charge C 2032
    expect(rows(second.lines)).toEqual([["charge", "c", null, 2032, 2032]])
  })

  it("records what was billed and credited in customerAfter", () => {
    const first = ok(doc(plans, cus([{ id: "sub_a", planId: "a", status: "active", billingAnchor: JAN1, startedAt: JAN1 }]), req(JAN10, "b", { discounts: [{ discountId: "HALF1" }] })))
    const b = first.customerAfter.subscriptions?.find((s) => s.planId === "b")
    expect(b?.billed).toEqual([{ featureId: null, from: JAN10, to: "2025-02-01T00:00:00.000Z", amount: 709 }])
    const second = next(first, JAN11, "c")
    const ended = second.customerAfter.subscriptions?.find((s) => s.planId === "b")
    expect(ended?.billed?.[0]?.credits).toEqual([{ at: JAN11, amount: 677 }])
  })
})
