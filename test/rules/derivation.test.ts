/**
 * Issue #12, item 3 — each line says how its amount came about (`derivation`, docs/proration.md
 * §15), with hand-computed values: "why 15.49?" answered from the preview alone.
 */
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { LineSchema } from "../../src/Provider.ts"
import { FEB1, JAN1, JAN16, catalog, customer, doc, monthly, prepaidItem, request, subscription } from "../support/build.ts"
import { ok } from "../support/run.ts"

const plans = catalog([monthly("pro", "20"), monthly("premium", "50"),
  monthly("packs", "0", { items: [prepaidItem("messages", { tiers: [{ upTo: 500, amount: "10" }, { upTo: "inf", amount: "5", flatAmount: "1.5" }], billingUnits: 100 }, { included: 100 })] })],
{ discounts: [{ id: "HALF1", percentOff: "50", duration: "once" }, { id: "TEN", percentOff: "10", duration: "forever" }] })
const heldPro = subscription("pro", JAN1, { id: "sub_pro" })

describe("the derivation of a prorated line", () => {
  it("$20 → $50 on Jan 16: −1032 = −2000 × 16/31 (delta −8/31), 2581 = 5000 × 16/31 (delta −11/31)", () => {
    const p = ok(doc(plans, customer([heldPro]), request(JAN16, "premium")))
    const fraction = { numerator: 1_382_400_000, denominator: 2_678_400_000, unit: "millisecond", from: JAN16, to: FEB1 }
    expect(p.lines.map((l) => l.derivation)).toEqual([
      { exact: "-32000/31", roundingDelta: "-8/31", base: "-2000", fraction, policy: "exact", discounts: [] },
      { exact: "80000/31", roundingDelta: "-11/31", base: "5000", fraction, policy: "exact", discounts: [] }
    ])
    // the next cycle: a full period, nothing prorated
    expect(p.nextCycle?.lines[0]?.derivation).toEqual({ exact: "5000", roundingDelta: "0", base: "5000", discounts: [] })
  })

  it("a day policy counts days: lago, Mar 20 … Mar 31 of Mar 1 … Mar 31", () => {
    const held = { ...heldPro, billingAnchor: "2024-03-01T00:00:00Z", startedAt: "2024-03-01T00:00:00Z" }
    const p = ok(doc(plans, customer([held]), request("2024-03-20T08:30:00Z", "premium", { prorationPolicy: "lago" })))
    expect(p.lines[1]?.derivation).toEqual({
      exact: "60000/31", roundingDelta: "15/31", base: "5000",
      fraction: { numerator: 12, denominator: 31, unit: "day", from: "2024-03-20", to: "2024-03-31" },
      policy: "lago", discounts: []
    })
    expect(p.lines[1]?.amount).toBe(1935) // 5000 × 12/31 = 1935.48 → 1935
  })
})

describe("the derivation of a line's credit and discounts", () => {
  it("a credit drawn on the ledger names the entry, what remains of it and the paid share", () => {
    const bought = ok(doc(plans, customer([]), request(JAN1, "pro", { discounts: [{ discountId: "HALF1" }] })))
    expect(bought.lines[0]?.derivation?.discounts).toEqual([{ discountId: "HALF1", percentOff: "50", amount: 1000 }])
    const up = ok(doc(plans, bought.customerAfter, request(JAN16, "premium")))
    const credit = up.lines[0]?.derivation
    // −min(2000 × 16/31 = 32000/31, 1000 × 16/31 = 16000/31, 1000) = −16000/31 = −516.13 → −516, delta −4/31
    expect(credit?.exact).toBe("-16000/31")
    expect(credit?.roundingDelta).toBe("-4/31")
    expect(credit?.ledger).toEqual({
      entries: [{ from: JAN1, to: FEB1, amount: 1000, credited: 0, open: 1000, unused: "16000/31" }],
      unused: "16000/31", ratio: "1", paidShare: "16000/31", open: 1000
    })
  })

  it("a percent-off discount on the line, with what it is", () => {
    const p = ok(doc(plans, customer([]), request(JAN16, "pro", { discounts: [{ discountId: "TEN" }] })))
    expect(p.lines[0]?.derivation).toEqual({
      exact: "2000", roundingDelta: "0", base: "2000",
      fraction: { numerator: 2_678_400_000, denominator: 2_678_400_000, unit: "millisecond", from: JAN16, to: "2025-02-16T00:00:00.000Z" },
      policy: "exact", discounts: [{ discountId: "TEN", percentOff: "10", amount: 200 }]
    })
  })
})

describe("the derivation of a line's price", () => {
  it("tiers: 800 messages, 100 included, packs of 100, [≤500 @ 10, ∞ @ 5 + 1.50 flat] → 5000 + 1150 = 6150", () => {
    const p = ok(doc(plans, customer([]), request(JAN1, [{ planId: "packs", featureQuantities: [{ featureId: "messages", quantity: 800 }] }])))
    const line = p.lines.find((l) => l.featureId === "messages")
    expect(line?.amount).toBe(6150)
    expect(line?.derivation?.tiers).toEqual([
      { upTo: 500, units: 500, unitPrice: "1000", flatAmount: "0", amount: "5000" },
      { upTo: "inf", units: 200, unitPrice: "500", flatAmount: "150", amount: "1150" }
    ])
  })

  it("custom lines: the exact minor units of the amount given", () => {
    const p = ok(doc(plans, customer([]), request(JAN1, "pro", { customLineItems: [{ amount: "12.345", description: "Setup" }] })))
    expect(p.lines[0]?.derivation).toEqual({ exact: "1234.5", roundingDelta: "-0.5", base: "1234.5", discounts: [] })
    expect(p.lines[0]?.amount).toBe(1235)
  })
})

describe("invoices keep the derivation (the provider port's LineSchema)", () => {
  it("every line of a ledger credit, a tiered charge and a day-policy preview decodes with it, derivation and all", () => {
    const bought = ok(doc(plans, customer([]), request(JAN1, "pro", { discounts: [{ discountId: "HALF1" }] })))
    const up = ok(doc(plans, bought.customerAfter, request(JAN16, "premium", { prorationPolicy: "lago" })))
    const packs = ok(doc(plans, customer([]), request(JAN1, [{ planId: "packs", featureQuantities: [{ featureId: "messages", quantity: 800 }] }])))
    for (const line of [...up.lines, ...packs.lines, ...(up.nextCycle?.lines ?? [])]) {
      expect(Schema.decodeUnknownSync(LineSchema)(line)).toEqual(line)
    }
    expect(() => Schema.decodeUnknownSync(LineSchema)({ ...up.lines[0], derivation: { exact: 1 } })).toThrow()
  })
})
