/**
 * Issue #12, item 4 — two rules where the engine now agrees with Autumn and Stripe
 * (docs/decisions.md rules 15 and 31): discounts apply to custom lines like any other line, and
 * the next cycle bills the ending period's arrears of the usage the state records, labelled as
 * usage to date.
 */
import { describe, expect, it } from "vitest"
import { FEB1, JAN1, JAN16, catalog, customer, doc, monthly, request, subscription, usageItem } from "../support/build.ts"
import { ok, rows } from "../support/run.ts"

const messages = (included: number) => ({ items: [usageItem("messages", { amount: "0.10" }, { included, reset: { interval: "month" } })] })
const plans = catalog([monthly("pro", "20", messages(1000)), monthly("premium", "50", messages(5000)), monthly("other", "5")], {
  discounts: [
    { id: "Q25", percentOff: "25", duration: "once" },
    { id: "PRO25", percentOff: "25", duration: "once", appliesTo: ["pro"] },
    { id: "OTHER25", percentOff: "25", duration: "once", appliesTo: ["other"] },
    { id: "OFF3", amountOff: "3", duration: "once" }
  ]
})
const custom = [{ amount: "10", description: "Setup" }, { amount: "10", description: "Onboarding" }]

describe("a discount applies to custom lines like any other line (rule 15)", () => {
  it("Autumn's case: $20 of custom lines with a fresh 25 % discount totals $15", () => {
    const p = ok(doc(plans, customer([]), request(JAN1, "pro", { customLineItems: custom, discounts: [{ discountId: "Q25" }] })))
    // each 1000 − 25 % = 750
    expect(rows(p.lines)).toEqual([["custom", null, null, 1000, 750], ["custom", null, null, 1000, 750]])
    expect([p.subtotal, p.discountTotal, p.total]).toEqual([2000, 500, 1500])
  })

  it("a discount limited to plans applies when the request attaches one of them, not otherwise", () => {
    const pro = ok(doc(plans, customer([]), request(JAN1, "pro", { customLineItems: custom, discounts: [{ discountId: "PRO25" }] })))
    expect(pro.total).toBe(1500)
    const other = ok(doc(plans, customer([]), request(JAN1, "pro", { customLineItems: custom, discounts: [{ discountId: "OTHER25" }] })))
    expect(other.total).toBe(2000)
  })

  it("an amount-off discount is split over the custom lines that charge; a negative custom line takes none", () => {
    const p = ok(doc(plans, customer([]), request(JAN1, "pro", { customLineItems: [...custom, { amount: "-4", description: "Goodwill" }], discounts: [{ discountId: "OFF3" }] })))
    // 300 split 1:1 → 150 each; −400 untouched
    expect(rows(p.lines)).toEqual([["custom", null, null, 1000, 850], ["custom", null, null, 1000, 850], ["custom", null, null, -400, -400]])
    expect(p.total).toBe(1300)
  })
})

describe("the next cycle bills the ending period's recorded usage (rule 31)", () => {
  const premium = (used: number) => subscription("premium", JAN1, { id: "sub_premium", usage: [{ featureId: "messages", used }] })

  it("Autumn's case: premium → pro scheduled, 100 messages of premium overage at $0.10 → renewal $20 + $10 = $30", () => {
    const p = ok(doc(plans, customer([premium(5100)]), request(JAN16, "pro")))
    expect(p.scenario).toBe("downgrade")
    expect(p.total).toBe(0)
    const next = p.nextCycle
    expect(next?.startsAt).toBe(FEB1)
    // arrears: (5100 − 5000) × 0.10 = $10 → 1000 for Jan 1 – Feb 1, then pro's first period 2000
    expect(rows(next?.lines ?? [])).toEqual([["arrears", "premium", "messages", 1000, 1000], ["charge", "pro", null, 2000, 2000]])
    expect(next?.total).toBe(3000)
    const arrears = next?.lines[0]
    expect(arrears?.description).toContain("(usage to date)")
    expect(arrears?.period).toEqual({ start: JAN1, end: FEB1 })
    expect(arrears?.derivation?.usageToDate).toBe(true)
  })

  it("a renewal of the same plan bills its usage so far with it: pro with 1250 messages → 2000 + 250 × 0.10", () => {
    const p = ok(doc(plans, customer([subscription("pro", JAN1, { id: "sub_pro", usage: [{ featureId: "messages", used: 1250 }] })]), request(JAN16, "pro")))
    expect(p.scenario).toBe("active")
    expect(rows(p.nextCycle?.lines ?? [])).toEqual([["arrears", "pro", "messages", 2500, 2500], ["charge", "pro", null, 2000, 2000]])
    expect(p.nextCycle?.total).toBe(4500)
  })

  it("nothing recorded above the allowance, nothing billed in arrears: the numbers stay", () => {
    const p = ok(doc(plans, customer([premium(4000)]), request(JAN16, "pro")))
    expect(rows(p.nextCycle?.lines ?? [])).toEqual([["charge", "pro", null, 2000, 2000]])
  })

  it("an immediate switch bills the usage today and not again at the next cycle", () => {
    const p = ok(doc(plans, customer([premium(5100)]), request(JAN16, "pro", { planSchedule: "immediate" })))
    expect(rows(p.lines)[0]).toEqual(["arrears", "premium", "messages", 1000, 1000])
    expect(rows(p.nextCycle?.lines ?? [])).toEqual([["charge", "pro", null, 2000, 2000]])
  })
})
