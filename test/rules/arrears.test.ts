/**
 * Arrears of the outgoing plan (docs/spec.md §8.4): consumable usage above the allowance on a
 * replaced subscription is billed now, at the old price, not prorated, for [period start, at).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $20 × 16/31 = 320/31 = 10.3225… → 1032      $50 × 16/31 = 800/31 = 25.8064… → 2581
 */
import { describe, expect, it } from "vitest"
import { JAN1, JAN16, type Obj, catalog, customer, doc, monthly, request, subscription, usageItem } from "../support/build.ts"
import { brief, lineFor, preview } from "../support/run.ts"

describe("arrears of the outgoing plan (docs/spec.md §8.4)", () => {
  // proUsage: $20 a month, `included` messages a month, then $0.01 a message (or `price`) in arrears
  const arrearsCatalog = (included: number | "unlimited", price: Obj = { amount: "0.01" }): Obj => catalog([
    monthly("proUsage", "20", { items: [usageItem("messages", price, { included, reset: { interval: "month" } })] }),
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

describe("a feature listed twice in a subscription's usage (docs/spec.md §4)", () => {
  it("arrears bill its first entry, an allocated feature's credit its last", () => {
    const twice = catalog([
      monthly("proUsage", "20", { items: [usageItem("messages", { amount: "0.01" }, { included: 1000, reset: { interval: "month" } }), usageItem("seats", { amount: "10" }, { included: 0 })] }),
      monthly("premium", "50")
    ])
    const usage = [{ featureId: "messages", used: 1500 }, { featureId: "seats", used: 3 }, { featureId: "messages", used: 1200 }, { featureId: "seats", used: 5 }]
    const p = preview(doc(twice, customer([subscription("proUsage", JAN1, { usage })]), request(JAN16, "premium")))
    // messages, first entry: 1500 − 1000 = 500 × $0.01 → 500 (the last entry would give 200)
    // seats, last entry: −(5 × $10 × 16/31) = −800/31 = −25.806… → −2581 (the first would give −1548)
    expect(brief(p.lines)).toEqual([
      { kind: "arrears", planId: "proUsage", featureId: "messages", amount: 500, total: 500 },
      { kind: "credit", planId: "proUsage", featureId: null, amount: -1032, total: -1032 },
      { kind: "credit", planId: "proUsage", featureId: "seats", amount: -2581, total: -2581 },
      { kind: "charge", planId: "premium", featureId: null, amount: 2581, total: 2581 }
    ])
    // 500 − 1032 − 2581 + 2581 = −532
    expect(p.total).toBe(-532)
  })
})
