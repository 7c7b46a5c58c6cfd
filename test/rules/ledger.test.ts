/**
 * Issue #12, item 1 — credit only what was paid: the ledger (`billed`) of customerAfter, fed
 * forward from one attach to the next (docs/decisions.md rule 30).
 */
import { describe, expect, it } from "vitest"
import type { AttachPreview } from "../../src/Preview.ts"
import { JAN1, JAN16, catalog, customer, doc, freePlan, monthly, prepaidItem, request, subscription } from "../support/build.ts"
import { ok, rows } from "../support/run.ts"

const JAN10 = "2025-01-10T00:00:00.000Z"
const JAN11 = "2025-01-11T00:00:00.000Z"
const DISCOUNTS = [
  { id: "FREE1", percentOff: "100", duration: "once" },
  { id: "HALF1", percentOff: "50", duration: "once" },
  { id: "HALFM", percentOff: "50", duration: { months: 1 } }
]
const plans = catalog([freePlan(), monthly("a", "10"), monthly("pro", "20"), monthly("b", "20"), monthly("c", "30"), monthly("premium", "50"),
  monthly("seatsPlan", "0", { items: [prepaidItem("storage", { amount: "10" }, { included: 0 })] })],
{ discounts: DISCOUNTS })
const next = (p: AttachPreview, at: string, planId: string, extra = {}): AttachPreview => ok(doc(plans, p.customerAfter, request(at, planId, extra)))

describe("a credit never exceeds what was billed for the period", () => {
  it("pro bought Jan 1 with 100 % off once (billed 0), upgraded Jan 16: no credit, premium 2581", () => {
    const bought = ok(doc(plans, customer([]), request(JAN1, "pro", { discounts: [{ discountId: "FREE1" }] })))
    expect(bought.total).toBe(0) // 2000 − 2000
    const up = next(bought, JAN16, "premium")
    // credit: min(2000 × 16/31 = 1032.2…, 0 paid × 16/31 = 0) = 0 → dropped; charge 5000 × 16/31 = 2580.6… → 2581
    expect(rows(up.lines)).toEqual([["charge", "premium", null, 2581, 2581]])
    expect(up.total).toBe(2581)
  })

  it("5 prepaid units billed 0, 5 → 2 on Jan 16: no credit", () => {
    const bought = ok(doc(plans, customer([]), request(JAN1, [{ planId: "seatsPlan", featureQuantities: [{ featureId: "storage", quantity: 5 }] }], { discounts: [{ discountId: "FREE1" }] })))
    expect(bought.total).toBe(0) // 5 × 1000 − 100 %
    const down = ok(doc(plans, bought.customerAfter, request(JAN16, [{ planId: "seatsPlan", featureQuantities: [{ featureId: "storage", quantity: 2 }] }])))
    // list: 3 × 1000 × 16/31 = 1548.3…; paid share: 0 × 3/5 = 0 → no line
    expect(down.lines).toEqual([])
  })

  it("A → B with 50 % once on Jan 10 (B billed 709), then B → C on Jan 11: B's credit is 709 × 21/22 → 677", () => {
    const first = ok(doc(plans, customer([subscription("a", JAN1, { id: "sub_a" })]), request(JAN10, "b", { discounts: [{ discountId: "HALF1" }] })))
    // credit A: 1000 × 22/31 = 709.6… → −710; charge B: 2000 × 22/31 = 1419.3… → 1419, 50 % = 709.5 → 710 off → 709
    expect(rows(first.lines)).toEqual([["credit", "a", null, -710, -710], ["charge", "b", null, 1419, 709]])
    const second = next(first, JAN11, "c")
    // credit B: min(2000 × 21/31 = 1354.8…, 709 × 21/22 = 676.7…) → −677; charge C: 3000 × 21/31 = 2032.2… → 2032
    expect(rows(second.lines)).toEqual([["credit", "b", null, -677, -677], ["charge", "c", null, 2032, 2032]])
    // January credits 710 + 677 = 1387 ≤ paid 1000 + 709 = 1709
  })

  it("A → B with prorationBehavior none (B billed nothing), then B → C: no credit for B", () => {
    const first = ok(doc(plans, customer([subscription("a", JAN1, { id: "sub_a" })]), request(JAN10, "b", { prorationBehavior: "none" })))
    expect(first.lines).toEqual([])
    const second = next(first, JAN11, "c")
    // B's ledger entry is 0 (left unbilled): credit min(1354.8…, 0) = 0; charge C 2032
    expect(rows(second.lines)).toEqual([["charge", "c", null, 2032, 2032]])
  })

  it("records what was billed and credited in customerAfter", () => {
    const first = ok(doc(plans, customer([subscription("a", JAN1, { id: "sub_a" })]), request(JAN10, "b", { discounts: [{ discountId: "HALF1" }] })))
    const b = first.customerAfter.subscriptions?.find((s) => s.planId === "b")
    expect(b?.billed).toEqual([{ featureId: null, from: JAN10, to: "2025-02-01T00:00:00.000Z", amount: 709 }])
    const second = next(first, JAN11, "c")
    const ended = second.customerAfter.subscriptions?.find((s) => s.planId === "b")
    expect(ended?.billed?.[0]?.credits).toEqual([{ at: JAN11, amount: 677 }])
  })
})

const JAN15 = "2025-01-15T00:00:00.000Z"
const FEB20 = "2025-02-20T00:00:00.000Z"
const heldPro = (extra = {}) => subscription("pro", JAN1, { id: "sub_pro", ...extra })
const storage = (quantity: number) => [{ planId: "seatsPlan", featureQuantities: [{ featureId: "storage", quantity }] }]

describe("a state without a ledger is credited from the discounts it records (rule 8)", () => {
  it("a one-month 50 % discount applied Jan 15 to a running pro, upgrade Feb 20: credit −321, not −643", () => {
    const state = customer([heldPro({ discounts: [{ discountId: "HALFM", appliedAt: JAN15 }] })])
    // the engine's own next-cycle preview bills Feb 1 – Mar 1 at 2000 − 50 % = 1000 (Feb 1 < Jan 15 + 1 month)
    expect(ok(doc(plans, state, request(JAN15, "pro"))).nextCycle?.total).toBe(1000)
    const up = ok(doc(plans, state, request(FEB20, "premium")))
    // period Feb 1 – Mar 1 (28 days), 9 left: credit 2000 × 9/28 = 642.857… → −643, HALFM in force at Feb 1 →
    // 50 % of −643 = −321.5 → 322 off → −321; charge 5000 × 9/28 = 1607.14… → 1607 (HALFM ran out Feb 15)
    expect(rows(up.lines)).toEqual([["credit", "pro", null, -643, -321], ["charge", "premium", null, 1607, 1607]])
    expect(up.total).toBe(1286)
  })

  it("a once discount applied when the subscription started reduces the credit of its first period", () => {
    const up = ok(doc(plans, customer([heldPro({ discounts: [{ discountId: "HALF1", appliedAt: JAN1 }] })]), request(JAN16, "premium")))
    // credit 2000 × 16/31 = 1032.26 → −1032, 50 % → 516 off → −516; charge 2581
    expect(rows(up.lines)).toEqual([["credit", "pro", null, -1032, -516], ["charge", "premium", null, 2581, 2581]])
  })

  it("a once discount used up on an earlier period does not reduce this period's credit: list price", () => {
    const dec1 = "2024-12-01T00:00:00.000Z"
    const up = ok(doc(plans, customer([heldPro({ billingAnchor: dec1, startedAt: dec1, discounts: [{ discountId: "HALF1", appliedAt: dec1 }] })]), request(JAN16, "premium")))
    // the January invoice (Jan 1) was billed at list: credit 2000 × 16/31 → −1032, undiscounted
    expect(rows(up.lines)).toEqual([["credit", "pro", null, -1032, -1032], ["charge", "premium", null, 2581, 2581]])
  })
})

describe("switches to free plans, cancellations, prepaid decreases and credit balances draw on the ledger", () => {
  const bought = (discountId: string) => ok(doc(plans, customer([]), request(JAN1, "pro", { discounts: [{ discountId }] })))

  it("pro bought with 50 % once (paid 1000), cancelled to free immediately on Jan 16: −516 to the balance, not −1032", () => {
    const cancel = ok(doc(plans, bought("HALF1").customerAfter, request(JAN16, "free", { planSchedule: "immediate" })))
    expect(cancel.scenario).toBe("cancel")
    // credit min(2000 × 16/31 = 1032.26, 1000 × 16/31 = 516.13) → −516
    expect(rows(cancel.lines)).toEqual([["credit", "pro", null, -516, -516]])
    expect(cancel.total).toBe(-516)
    expect(cancel.amountDue).toBe(0)
    expect(cancel.customerAfter.creditBalance).toBe(516)
    expect(cancel.customerAfter.subscriptions?.find((s) => s.planId === "pro")?.billed?.[0]?.credits).toEqual([{ at: JAN16, amount: 516 }])
  })

  it("pro bought with 100 % once (paid 0), switched to free immediately: nothing credited, no balance", () => {
    const cancel = ok(doc(plans, bought("FREE1").customerAfter, request(JAN16, "free", { planSchedule: "immediate" })))
    expect(cancel.lines).toEqual([])
    expect(cancel.total).toBe(0)
    expect(cancel.customerAfter.creditBalance).toBeUndefined()
  })

  it("5 prepaid units bought with 50 % once (paid 2500), 5 → 2 on Jan 16: −774, not −1548", () => {
    const first = ok(doc(plans, customer([]), request(JAN1, storage(5), { discounts: [{ discountId: "HALF1" }] })))
    expect(first.total).toBe(2500) // 5 × 1000 − 50 %
    const down = ok(doc(plans, first.customerAfter, request(JAN16, storage(2))))
    // list 3 × 1000 × 16/31 = 1548.39; paid share 2500 × 16/31 × 3/5 = 774.19 → −774
    expect(rows(down.lines)).toEqual([["credit", "seatsPlan", "storage", -774, -774]])
    expect(down.customerAfter.creditBalance).toBe(774)
  })

  it("a credit drawn on the ledger is netted before the customer's credit balance is applied", () => {
    const first = ok(doc(plans, customer([], { creditBalance: 500 }), request(JAN1, "pro", { discounts: [{ discountId: "HALF1" }] })))
    expect([first.total, first.creditApplied, first.amountDue]).toEqual([1000, 500, 500])
    expect(first.customerAfter.creditBalance).toBe(0)
    const up = ok(doc(plans, { ...first.customerAfter, creditBalance: 300 }, request(JAN16, "premium")))
    // credit min(1032.26, 1000 × 16/31 = 516.13) → −516; charge 2581; total 2065; balance 300 applied → 1765 due
    expect(rows(up.lines)).toEqual([["credit", "pro", null, -516, -516], ["charge", "premium", null, 2581, 2581]])
    expect([up.total, up.creditApplied, up.amountDue]).toEqual([2065, 300, 1765])
    expect(up.customerAfter.creditBalance).toBe(0)
  })
})
