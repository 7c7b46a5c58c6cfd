/**
 * Issue #12, item 1 — properties of the ledger over generated chains of 2–6 attaches, each fed the
 * previous preview's `customerAfter` (docs/decisions.md rule 30, docs/proration.md §13):
 * - a chain inside one billing period never credits more than it charged (credit ≤ paid);
 * - every ledger entry's credits stay within its amount (open amounts never negative), and no
 *   credit line takes more than its entries had open;
 * - a chain whose changes all happen at one instant and end on the starting plan nets to within
 *   one minor unit per change.
 * The catalog's proration policy is generated too (exact, stripe, lago, killbill, fixed30).
 * Runs use a fixed seed; fast-check prints it with the shrunk counterexample on a failure.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { BilledEntry, Customer } from "../../src/Customer.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import { previewAttachSync } from "../../src/index.ts"
import * as Result from "effect/Result"
import { DAY, type Obj, catalog, customer, doc, iso, request } from "../support/build.ts"

const ONCE: ReadonlyArray<string> = ["ALL1", "HALF1", "OFF5"]
const RUNS = { seed: 12, numRuns: 150 } as const
const ANCHOR = Date.parse("2025-03-01T00:00:00Z")
const PLANS = ["p0", "p1", "p2", "p3"] as const
const DISCOUNTS: ReadonlyArray<Obj> = [
  { id: "ALL1", percentOff: "100", duration: "once" },
  { id: "HALF1", percentOff: "50", duration: "once" },
  { id: "PCT2M", percentOff: "17.5", duration: { months: 2 } },
  { id: "OFF5", amountOff: "5", duration: "once" },
  { id: "PCTF", percentOff: "10", duration: "forever" }
]

/** One change of a chain: which plan, how many storage units, and the request options. */
const stepArb = fc.record({
  plan: fc.constantFrom(...PLANS),
  storage: fc.integer({ min: 0, max: 8 }),
  discount: fc.option(fc.constantFrom(...DISCOUNTS.map((d) => d["id"] as string)), { nil: undefined, freq: 3 }),
  noProration: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  /** minutes after the previous step (inside the first period: at most 27 days in all) */
  minutes: fc.integer({ min: 0, max: 6 * 24 * 60 })
})

/** The catalog's proration policy (docs/proration.md §14): the ledger caps credits under every one. */
const policyArb = fc.constantFrom<Obj | string | undefined>(undefined, "stripe", "lago", "killbill", { clock: "day", dayCount: "fixed30" })

const catalogArb = fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 4, maxLength: 4 }).chain((bases) =>
  fc.tuple(fc.integer({ min: 1, max: 3_000 }), policyArb).map(([storage, policy]) => catalog(bases.map((cents, i) => ({
    id: PLANS[i],
    name: `P${i}`,
    group: "main",
    price: { amount: (cents / 100).toFixed(2), interval: "month" },
    items: [{ featureId: "storage", included: 0, price: { amount: (storage / 100).toFixed(2), interval: "month", billingMethod: "prepaid" } }]
  })), { discounts: DISCOUNTS, ...(policy === undefined ? {} : { prorationPolicy: policy }) })))

const chainArb = fc.record({ catalog: catalogArb, steps: fc.array(stepArb, { minLength: 2, maxLength: 6 }) })

type Step = typeof stepArb extends fc.Arbitrary<infer A> ? A : never

/** The request of one step; downgrades happen now (`planSchedule: "immediate"`), so every step bills today. */
const requestOf = (at: number, s: Step): Obj =>
  request(iso(at), [{ planId: s.plan, featureQuantities: [{ featureId: "storage", quantity: s.storage }] }], {
    planSchedule: "immediate",
    ...(s.discount === undefined ? {} : { discounts: [{ discountId: s.discount }] }),
    ...(s.noProration ? { prorationBehavior: "none" } : {})
  })

/** Runs a chain from a customer with nothing; skips a step the engine refuses (e.g. `none` from free). */
const run = (cat: Obj, steps: ReadonlyArray<Step>, atOf: (i: number) => number): Array<AttachPreview> => {
  let state: Obj = customer([])
  const out: Array<AttachPreview> = []
  steps.forEach((s, i) => {
    const r = previewAttachSync(doc(cat, state, requestOf(atOf(i), s)))
    if (Result.isFailure(r)) {
      // the only refusal a chain can meet: `none` that would skip a charge (free → paid)
      expect(r.failure._tag === "InvalidRequest" && s.noProration).toBe(true)
      return
    }
    out.push(r.success)
    state = r.success.customerAfter as unknown as Obj
  })
  return out
}

/** Runs a chain whose steps follow one another by their minutes, all inside the first period (at most 27 days in). */
const runInFirstPeriod = (cat: Obj, steps: ReadonlyArray<Step>): Array<AttachPreview> => {
  let at = ANCHOR
  const times = steps.map((s, i) => (at = i === 0 ? ANCHOR : Math.min(at + s.minutes * 60_000, ANCHOR + 27 * DAY)))
  return run(cat, steps, (i) => times[i] as number)
}

const entriesOf = (c: Customer): Array<BilledEntry> => (c.subscriptions ?? []).flatMap((s) => s.billed ?? [])
const creditedOf = (e: BilledEntry): number => (e.credits ?? []).reduce((a, c) => a + c.amount, 0)
const sumOf = (p: AttachPreview, kind: string): number => p.lines.filter((l) => l.kind === kind).reduce((a, l) => a + l.total, 0)

describe("the ledger over chains of attaches (rule 30): credits within what was charged and open", () => {
  it("inside one period, Σ credits ≤ Σ charges, and every ledger entry's open amount stays ≥ 0", () => {
    let credits = 0
    fc.assert(fc.property(chainArb, ({ catalog: cat, steps }) => {
      const previews = runInFirstPeriod(cat, steps)
      let charged = 0
      let credited = 0
      for (const p of previews) {
        charged += sumOf(p, "charge")
        credited -= sumOf(p, "credit")
        for (const e of entriesOf(p.customerAfter)) {
          expect(creditedOf(e)).toBeLessThanOrEqual(e.amount)
          for (const c of e.credits ?? []) expect(c.amount).toBeGreaterThan(0)
        }
      }
      if (credited > 0) credits++
      expect(credited).toBeLessThanOrEqual(charged)
    }), RUNS)
    expect(credits).toBeGreaterThan(30)
  })

  it("each credit line is at most what the ledger had open for its subscription and price", () => {
    fc.assert(fc.property(chainArb, ({ catalog: cat, steps }) => {
      const previews = runInFirstPeriod(cat, steps)
      for (let i = 1; i < previews.length; i++) {
        const before = (previews[i - 1] as AttachPreview).customerAfter
        for (const line of (previews[i] as AttachPreview).lines.filter((l) => l.kind === "credit")) {
          const open = (before.subscriptions ?? [])
            .filter((s) => s.planId === line.planId && s.status !== "expired")
            .flatMap((s) => s.billed ?? [])
            .filter((e) => e.featureId === line.featureId)
            .reduce((a, e) => a + e.amount - creditedOf(e), 0)
          expect(-line.total).toBeLessThanOrEqual(open)
        }
      }
    }), RUNS)
  })
})

describe("the ledger over chains of attaches (rule 30): changes at one instant and back", () => {
  it("a chain of changes at one instant that ends on the starting plan nets within 1 minor unit per change", () => {
    let nonTrivial = 0
    fc.assert(fc.property(chainArb, fc.integer({ min: 0, max: 27 * DAY }), ({ catalog: cat, steps }, offset) => {
      // The starting plan is bought at list; the changes use only `once` discounts: a discount that
      // stays on the subscription (months, forever) would follow the chain back onto the starting
      // plan and make buying it back cheaper than what its credit returned — legitimately not net.
      // A discounted purchase nets only when it is credited in full afterwards: the next change
      // moves to another plan (a quantity change on the same plan keeps part of it discounted).
      const first = steps[0] as Step
      const planAfter = (i: number): string => (steps[i + 1] ?? first).plan
      const changes = steps.map((s, i) => ({ ...s, noProration: false, discount: i > 0 && ONCE.includes(s.discount ?? "") && planAfter(i) !== s.plan ? s.discount : undefined }))
      const start = changes[0] as Step
      const chain = [...changes, start]
      const previews = run(cat, chain, (i) => (i === 0 ? ANCHOR : ANCHOR + offset))
      if (previews.length !== chain.length) return
      const net = previews.slice(1).reduce((a, p) => a + p.total, 0)
      if (previews.slice(1).some((p) => p.lines.length > 0)) nonTrivial++
      expect(Math.abs(net)).toBeLessThanOrEqual(chain.length - 1)
    }), RUNS)
    expect(nonTrivial).toBeGreaterThan(50)
  })
})
