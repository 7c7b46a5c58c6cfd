/**
 * Properties of whole previews over plausible generated documents of every scenario (issue #5;
 * docs/spec.md §1, §8.9, §13): plans of every kind (free, paid, arrears-only, one-off, add-on, trial,
 * two versions), customers holding some of them in any status, and requests for one or two of
 * them with random options. `test/properties/wholePreviews.test.ts` checks the totals on immediate switches;
 * here they are checked on everything the engine plans, together with determinism.
 * Runs use a fixed seed; fast-check prints it with the shrunk counterexample on a failure.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { previewDocument } from "../../src/index.ts"
import type { AttachPreview, Line } from "../../src/Preview.ts"
import { attachDocumentArb, plannedDocumentArb } from "../support/arbitraries.ts"
import { catalog, customer, doc, request } from "../support/build.ts"
import { preview } from "../support/run.ts"

/**
 * Shrinking these documents is slow (every candidate plans several previews); a run that fails
 * stops shrinking after 15 s and reports the smallest counterexample found by then.
 */
const RUNS = { seed: 42, numRuns: 300, interruptAfterTimeLimit: 15_000 } as const
const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)

const isPreview = (out: ReturnType<typeof previewDocument>): out is AttachPreview => !("error" in out)

const moneyOf = (lines: ReadonlyArray<Line>): Array<number> => lines.flatMap((l) => [l.amount, l.total, ...l.discounts.map((d) => d.amount)])

/** Checks docs/spec.md §8.9 on one invoice: total = Σ totals, subtotal = Σ amounts, discountTotal = Σ discounts. */
const expectInvoiceAddsUp = (inv: { lines: ReadonlyArray<Line>; subtotal: number; discountTotal: number; total: number }): void => {
  expect(inv.total).toBe(sum(inv.lines.map((l) => l.total)))
  expect(inv.subtotal).toBe(sum(inv.lines.map((l) => l.amount)))
  expect(inv.discountTotal).toBe(sum(inv.lines.flatMap((l) => l.discounts.map((d) => d.amount))))
  expect(inv.discountTotal).toBe(inv.subtotal - inv.total)
  for (const l of inv.lines) expect(l.total, l.description).toBe(l.amount - sum(l.discounts.map((d) => d.amount)))
}

describe("totals add up on previews of every scenario (docs/spec.md §8.9)", () => {
  it("today's invoice and the next cycle add up, all money is a safe integer, amountDue and the balance follow", () => {
    const seen = { cases: 0, previews: 0, lines: 0, discounted: 0, negative: 0, nextCycles: 0, custom: 0, trials: 0 }
    const scenarios = new Set<string>()
    fc.assert(fc.property(plannedDocumentArb, (d) => {
      seen.cases++
      const out = previewDocument(d)
      if (!isPreview(out)) {
        expect(typeof out.error._tag).toBe("string")
        return
      }
      const p = out
      seen.previews++
      expectInvoiceAddsUp(p)
      const money = [p.subtotal, p.discountTotal, p.total, p.creditApplied, p.amountDue, ...moneyOf(p.lines)]
      if (p.nextCycle !== null) {
        expectInvoiceAddsUp(p.nextCycle)
        money.push(p.nextCycle.subtotal, p.nextCycle.discountTotal, p.nextCycle.total, ...moneyOf(p.nextCycle.lines))
        seen.nextCycles++
      }
      for (const n of money) expect(Number.isSafeInteger(n), `${n} is not a safe integer`).toBe(true)
      // docs/spec.md §8.9: a positive total is paid from the balance first; a negative one becomes credit
      const balance = Number((d["customer"] as { creditBalance?: number }).creditBalance ?? 0)
      expect(p.creditApplied).toBe(p.total > 0 ? Math.min(balance, p.total) : 0)
      expect(p.amountDue).toBe(Math.max(0, p.total - balance))
      expect(p.customerAfter.creditBalance ?? 0).toBe(balance - p.creditApplied + Math.max(0, -p.total))
      for (const c of p.changes) scenarios.add(c.scenario)
      if (p.lines.length > 0) seen.lines++
      if (p.discountTotal !== 0) seen.discounted++
      if (p.total < 0) seen.negative++
      if (p.lines.some((l) => l.kind === "custom")) seen.custom++
      if (p.trialEndsAt !== null) seen.trials++
    }), RUNS)
    // not vacuous: most documents plan, with every scenario and line kind among them
    expect(seen.previews / seen.cases, JSON.stringify(seen)).toBeGreaterThanOrEqual(0.5)
    for (const k of ["lines", "discounted", "nextCycles", "custom", "trials"] as const) expect(seen[k], `${k}: ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(10)
    expect(seen.negative, JSON.stringify(seen)).toBeGreaterThanOrEqual(3)
    expect([...scenarios].sort()).toEqual(["active", "cancel", "downgrade", "new", "renew", "scheduled", "update_prepaid_quantity", "upgrade"])
  })
})

describe("determinism (docs/spec.md §1)", () => {
  it("the same document gives byte-identical JSON: twice, after another document, from a deep copy, from its JSON text", () => {
    let previews = 0
    const docs = fc.oneof({ weight: 3, arbitrary: plannedDocumentArb }, { weight: 1, arbitrary: attachDocumentArb })
    fc.assert(fc.property(docs, docs, (d, other) => {
      const first = JSON.stringify(previewDocument(d))
      expect(JSON.stringify(previewDocument(d))).toBe(first)
      // no state carried from one document to the next (caches, counters)
      previewDocument(other)
      expect(JSON.stringify(previewDocument(structuredClone(d)))).toBe(first)
      expect(JSON.stringify(previewDocument(JSON.parse(JSON.stringify(d))))).toBe(first)
      if (!first.startsWith("{\"error\"")) previews++
    }), { ...RUNS, numRuns: 100 })
    expect(previews).toBeGreaterThanOrEqual(40)
  })
})

describe("monotonicity of prepaid quantities: where it does not hold (docs/spec.md §8.2)", () => {
  /**
   * `test/properties/wholePreviews.test.ts` checks "more prepaid quantity never costs less" on flat and
   * graduated prices only, and rightly: a volume price charges every unit at the rate of the tier
   * the quantity falls in, so crossing into a cheaper tier costs less. Tiers ≤ 100 @ $0.10, then
   * @ $0.05: 100 units = 100 × 0.10 = $10.00; 101 units = 101 × 0.05 = $5.05 (a new subscription,
   * full period).
   */
  it("volume tiers: 101 units cost less than 100 (1000 → 505)", () => {
    const cat = catalog([{
      id: "storagePlan",
      items: [{ featureId: "storage", price: { tiers: [{ upTo: 100, amount: "0.10" }, { upTo: "inf", amount: "0.05" }], tierBehavior: "volume", interval: "month", billingMethod: "prepaid" } }]
    }])
    const costOf = (quantity: number): number =>
      preview(doc(cat, customer([]), request("2025-01-16T00:00:00Z", [{ planId: "storagePlan", featureQuantities: [{ featureId: "storage", quantity }] }]))).total
    expect(costOf(100)).toBe(1000)
    expect(costOf(101)).toBe(505)
  })
})
