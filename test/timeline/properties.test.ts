/**
 * Properties of timelines (issue #15) over the plausible documents of every scenario
 * (`plannedDocumentArb`): the first invoice is the preview's immediate invoice, the first renewal
 * of the subscription the attach touched is its `nextCycle` line for line, every invoice adds
 * up, invoices and events are in time order, no billing subscription has more than N renewals,
 * and the credit balance is consumed invoice by invoice. Fixed seed; fast-check prints it with
 * the shrunk counterexample on a failure.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { previewDocument } from "../../src/index.ts"
import type { AttachPreview, Line } from "../../src/Preview.ts"
import { previewTimelineSync } from "../../src/timeline/preview.ts"
import { plannedDocumentArb } from "../support/arbitraries.ts"

const RUNS = { seed: 1515, numRuns: 250, interruptAfterTimeLimit: 20_000 } as const
const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)
const isPreview = (out: ReturnType<typeof previewDocument>): out is AttachPreview => !("error" in out)
const sorted = (xs: ReadonlyArray<{ at: string }>): boolean => xs.every((x, i) => i === 0 || Date.parse(xs[i - 1]?.at ?? "") <= Date.parse(x.at))

/**
 * Whether every discount of the request is recorded in the state after the attach. The planner
 * discounts the nextCycle with the request's discounts even when the attach changes nothing
 * (`active`, `renew`, a quantity change) and so records them nowhere; the timeline follows the
 * recorded state, as the provider will (reported as a planner question in issue #15).
 */
const requestDiscountsRecorded = (d: Record<string, unknown>, p: AttachPreview): boolean => {
  const wanted = ((d["request"] as { discounts?: ReadonlyArray<unknown> }).discounts ?? []).length
  if (wanted === 0) return true
  const recorded = new Set((p.customerAfter.subscriptions ?? []).flatMap((s) => (s.discounts ?? []).filter((x) => x.appliedAt === new Date(Date.parse((d["request"] as { at: string }).at)).toISOString()).map((x) => x.discountId)))
  return recorded.size >= wanted
}

describe("timeline properties (issue #15)", () => {
  it("starts with the preview, renews with its nextCycle, adds up, stays in order and consumes credit in order", () => {
    const seen = { timelines: 0, renewals: 0, nextCycles: 0, credit: 0, canceled: 0 }
    fc.assert(fc.property(plannedDocumentArb, fc.integer({ min: 1, max: 4 }), (d, cycles) => {
      const p = previewDocument(d)
      // "checkout": a trial ending without a card still sends its first invoice (the nextCycle)
      const r = previewTimelineSync(d, { cycles, trialEndWithoutCard: "checkout" })
      if (!isPreview(p)) {
        // the same document fails the same way
        expect(Result.isFailure(r) && r.failure._tag).toBe(p.error._tag)
        return
      }
      if (Result.isFailure(r)) throw new Error(`timeline failed where the preview did not: ${r.failure.message}`)
      const t = r.success
      seen.timelines++
      const [first, ...later] = t.invoices
      expect(first?.lines).toEqual(p.lines)
      expect(first?.total).toBe(p.total)
      if (p.nextCycle !== null && p.nextCycle.lines.length > 0 && requestDiscountsRecorded(d, p)) {
        const renewal = later.find((i) => i.at === p.nextCycle?.startsAt && JSON.stringify(i.lines) === JSON.stringify(p.nextCycle?.lines))
        expect(renewal, "the nextCycle is one of the timeline's renewals").toBeDefined()
        expect(renewal?.total).toBe(p.nextCycle.total)
        seen.nextCycles++
      }
      expect(sorted(t.invoices)).toBe(true)
      expect(sorted(t.events)).toBe(true)
      const perKey = new Map<string, number>()
      let balance = p.customerAfter.creditBalance ?? 0
      for (const inv of later) {
        seen.renewals++
        expect(inv.total).toBe(sum(inv.lines.map((l: Line) => l.total)))
        expect(inv.subtotal).toBe(sum(inv.lines.map((l: Line) => l.amount)))
        expect(Date.parse(inv.at)).toBeGreaterThan(Date.parse(first?.at ?? ""))
        perKey.set(inv.billingSubscription ?? "", (perKey.get(inv.billingSubscription ?? "") ?? 0) + 1)
        // docs/spec.md §8.9 invoice by invoice: a positive total is paid from the balance first
        expect(inv.creditApplied).toBe(inv.total > 0 ? Math.min(balance, inv.total) : 0)
        expect(inv.amountDue).toBe(Math.max(0, inv.total - inv.creditApplied))
        if (inv.creditApplied > 0) seen.credit++
        balance += inv.total < 0 ? -inv.total : -inv.creditApplied
      }
      for (const n of perKey.values()) expect(n).toBeLessThanOrEqual(cycles)
      // "cancel" (the default): the same timeline, less what a trial ending without a card cancels
      const canceled = previewTimelineSync(d, { cycles })
      if (Result.isSuccess(canceled)) {
        const ends = canceled.success.events.filter((e) => e.type === "trial_ended" && e.outcome === "canceled")
        if (ends.length === 0) expect(canceled.success.invoices).toEqual(t.invoices)
        else seen.canceled++
      }
    }), RUNS)
    console.log("timeline properties reached", JSON.stringify(seen))
    // the generator reaches the cases the properties are about
    expect(seen.timelines).toBeGreaterThan(100)
    expect(seen.nextCycles).toBeGreaterThan(30)
    expect(seen.renewals).toBeGreaterThan(100)
    expect(seen.credit).toBeGreaterThan(3)
    expect(seen.canceled).toBeGreaterThan(3)
  })
})
