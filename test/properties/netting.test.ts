/**
 * Upgrade then immediate downgrade back at the same instant nets to zero (issue #5; docs/spec.md §6,
 * §8.1, §8.3, §8.4, §8.8). A customer holds plan A mid-period; attaching B (an upgrade) credits
 * A's unused time and charges B over the same periods; attaching A again over the returned
 * `customerAfter` at the same instant with `planSchedule: "immediate"` (the docs/spec.md §6 override that
 * makes the downgrade happen now, prorated) credits B and charges A over those periods again.
 * Every line of the second invoice is the negation of one of the first, so the two totals cancel
 * (±2 minor units of rounding, though symmetric half-away-from-zero rounding makes it exactly 0).
 * Runs use a fixed seed; fast-check prints it with the shrunk counterexample on a failure.
 *
 * What the generator leaves out, because the SPEC makes the round trip legitimately not net:
 * - arrears (§8.4): consumable usage is billed at the first switch and does not carry over
 *   (decisions.md rule 10). Usage *is* generated; the arrears lines of the first preview are
 *   subtracted, and the second preview must have none.
 * - discounts requested in either request: applied at `at`, they reduce charges but not credits
 *   of a period that started before (§8.8). Amount-off discounts reduce charges only (rule 15) and
 *   stop at zero. `once` discounts apply to one invoice. Only percent-off discounts applied to the
 *   held subscription before its period (forever or for some months) are generated; they follow
 *   the replacement (rule 25) and reduce both charges and credits.
 * - an item on one plan only: seats held and prepaid quantities carry over only to a plan with
 *   that feature (rules 10, 11), so a round trip through a plan without it drops them. Both plans
 *   have seats, storage, both or neither (prices independent).
 * - one-off prices (charged, never credited: §8.3) and trials (§8.5: a trial drops the charge).
 * - both plans free: a switch between free plans is `new` with nothing billed; counted and
 *   skipped at run time, and at least 90 % of the cases must be checked.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { addMonths } from "../../src/Interval.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import { type PlanParts, type PlanShape, anchorAndAtArb, decimalOf, isFreeShape, planDoc, planPartsArb, tenThousandthsArb, zeroed } from "../support/arbitraries.ts"
import { DAY, type Obj, catalog, customer, doc, iso, request, subscription } from "../support/build.ts"
import { preview } from "../support/run.ts"

const RUNS = { seed: 42, numRuns: 200 } as const
const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)

const percentDiscountArb = fc.record({
  percent: fc.integer({ min: 1, max: 10_000 }).map((n) => (n / 100).toFixed(2)),
  duration: fc.oneof(fc.constant<"forever">("forever"), fc.integer({ min: 1, max: 24 }).map((months) => ({ months }))),
  appliesTo: fc.option(fc.subarray(["p", "q", "extra"]), { nil: undefined }),
  /** applied with the subscription (often: a credit of its first period is then discounted too) or before */
  daysBeforeAnchor: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 }))
})

/** Two plans `p` and `q` of one group, the customer's state on one of them, and an instant. */
const roundTripArb = fc.record({
  p: planPartsArb,
  q: planPartsArb,
  pBase: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  qBase: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  pMessages: fc.boolean(),
  qMessages: fc.boolean(),
  seats: fc.boolean(),
  storage: fc.boolean(),
  /** one plan in ten is free (every amount 0) */
  pFree: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  group: fc.constantFrom("", "main"),
  times: anchorAndAtArb,
  storageQuantity: fc.integer({ min: 0, max: 400 }),
  seatsUsed: fc.integer({ min: 0, max: 20 }),
  messagesUsed: fc.integer({ min: 0, max: 500 }),
  discounts: fc.array(percentDiscountArb, { maxLength: 2 }),
  /** a held paid add-on, on its own anchor up to 60 days before the instant */
  addOn: fc.option(fc.record({ amount: tenThousandthsArb.filter((n) => n > 0), daysBefore: fc.integer({ min: 0, max: 60 }) }), { nil: undefined }),
  creditBalance: fc.integer({ min: 0, max: 100_000 })
})
type RoundTrip = typeof roundTripArb extends fc.Arbitrary<infer A> ? A : never

const shapes = (g: RoundTrip): { p: PlanShape; q: PlanShape } => {
  const p: PlanShape = { parts: g.p, base: g.pBase, seats: g.seats, storage: g.storage, messages: g.pMessages }
  const q: PlanShape = { parts: g.q, base: g.qBase, seats: g.seats, storage: g.storage, messages: g.qMessages }
  return { p: g.pFree ? zeroed(p) : p, q }
}

const catalogOf = (g: RoundTrip): Obj => {
  const { p, q } = shapes(g)
  return catalog([
    planDoc("p", p, { group: g.group }),
    planDoc("q", q, { group: g.group }),
    ...(g.addOn === undefined ? [] : [{ id: "extra", addOn: true, price: { amount: decimalOf(g.addOn.amount), interval: "month" } }])
  ], { discounts: g.discounts.map((d, i) => ({ id: `PCT${i}`, percentOff: d.percent, duration: d.duration, ...(d.appliesTo === undefined ? {} : { appliesTo: d.appliesTo.filter((id) => id !== "extra" || g.addOn !== undefined) }) })) })
}

/** The customer holding `held` since `anchor`, with usage, quantities and pre-applied discounts. */
const customerOn = (g: RoundTrip, held: string): Obj => customer([
  subscription(held, iso(g.times.anchor), {
    featureQuantities: [{ featureId: "storage", quantity: g.storageQuantity }],
    usage: [{ featureId: "seats", used: g.seatsUsed }, { featureId: "messages", used: g.messagesUsed }],
    discounts: g.discounts.map((d, i) => ({ discountId: `PCT${i}`, appliedAt: iso(g.times.anchor - d.daysBeforeAnchor * DAY) }))
  }),
  ...(g.addOn === undefined ? [] : [subscription("extra", iso(g.times.at - g.addOn.daysBefore * DAY))])
], { creditBalance: g.creditBalance })

/**
 * A discount for some months that runs out between the held period's start and `at` billed that
 * period discounted (so its credit is net, decisions.md rule 8) but no longer reduces the charge
 * bought back at `at`: the round trip then legitimately does not net. Such a discount is made
 * `forever` here.
 */
const settled = (g: RoundTrip): RoundTrip => ({
  ...g,
  discounts: g.discounts.map((d) => {
    if (d.duration === "forever") return d
    const end = addMonths(g.times.anchor - d.daysBeforeAnchor * DAY, d.duration.months)
    return end > g.times.anchor && end <= g.times.at ? { ...d, duration: "forever" as const } : d
  })
})

interface RoundTripResult {
  readonly upgrade: AttachPreview
  readonly back: AttachPreview
}

/**
 * Attaches the other plan as an upgrade (holding `p` or `q`, whichever makes it one), then attaches
 * the held plan back over `customerAfter` at the same instant, immediately. `undefined` when
 * neither direction is an upgrade (both plans free).
 */
const roundTrip = (generated: RoundTrip): RoundTripResult | undefined => {
  const g = settled(generated)
  const cat = catalogOf(g)
  const at = iso(g.times.at)
  for (const [a, b] of [["p", "q"], ["q", "p"]] as const) {
    const upgrade = preview(doc(cat, customerOn(g, a), request(at, b)))
    if (upgrade.scenario !== "upgrade") continue
    const back = preview(doc(cat, upgrade.customerAfter, request(at, a, { planSchedule: "immediate" })))
    return { upgrade, back }
  }
  return undefined
}

const arrearsOf = (p: AttachPreview): number => sum(p.lines.filter((l) => l.kind === "arrears").map((l) => l.total))

describe("upgrade then immediate downgrade back nets to zero (docs/spec.md §6, §8.3, §8.8)", () => {
  it("the two totals, without the first switch's arrears, cancel to 0 ± 2", () => {
    const seen = { cases: 0, checked: 0, nonZero: 0, credits: 0, discounted: 0, reverseDowngrade: 0, withoutCredit: 0 }
    fc.assert(fc.property(roundTripArb, (g) => {
      seen.cases++
      const { p, q } = shapes(g)
      const r = roundTrip(g)
      if (r === undefined) {
        // neither direction is an upgrade only when both plans are free (docs/spec.md §6 rule 6: `new`)
        expect(isFreeShape(p) && isFreeShape(q)).toBe(true)
        return
      }
      seen.checked++
      const { upgrade, back } = r
      expect(back.changes[0]?.timing).toBe("immediate")
      expect(["upgrade", "downgrade", "cancel"]).toContain(back.scenario)
      // usage does not carry over: no arrears the second time
      expect(back.lines.filter((l) => l.kind === "arrears")).toEqual([])
      const there = upgrade.total - arrearsOf(upgrade)
      expect(Math.abs(there + back.total), `upgrade ${there} (+ arrears ${arrearsOf(upgrade)}), back ${back.total}`).toBeLessThanOrEqual(2)
      if (there !== 0) seen.nonZero++
      if (upgrade.lines.some((l) => l.kind === "credit") && back.lines.some((l) => l.kind === "credit")) seen.credits++
      if ([...upgrade.lines, ...back.lines].some((l) => l.discounts.length > 0)) seen.discounted++
      if (back.scenario !== "upgrade") seen.reverseDowngrade++
      // from a free or arrears-only plan: nothing to credit, the charge alone is refunded
      if (!upgrade.lines.some((l) => l.kind === "credit")) seen.withoutCredit++
    }), RUNS)
    // the exclusions do not make the property vacuous
    expect(seen.checked / seen.cases, JSON.stringify(seen)).toBeGreaterThanOrEqual(0.9)
    expect(seen.nonZero / seen.checked, JSON.stringify(seen)).toBeGreaterThanOrEqual(0.8)
    expect(seen.credits / seen.checked, JSON.stringify(seen)).toBeGreaterThanOrEqual(0.5)
    for (const k of ["discounted", "reverseDowngrade", "withoutCredit"] as const) expect(seen[k], `${k}: ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(10)
  })

  /**
   * Found by the property above (shrunk), now fixed: holding `p` ($31/month, anchored Jan 1,
   * a 50 % forever discount applied Jan 1) and cancelling immediately on Jan 16 (attaching the
   * free `q` with `planSchedule: "immediate"`). The customer paid 3100 − 1550 = 1550 for January;
   * the unused 16/31 of it is 3100 × 16/31 = 1600 before the discount, 1600 − 800 = 800 after it
   * (an immediate downgrade to a paid plan discounts that credit the same way: −1600 + 800). The
   * engine once credited −1600, refunding more than the customer paid for the whole month.
   */
  it("an immediate cancel credits the unused time net of the held plan's discount (−800, not −1600)", () => {
    const jan1 = "2025-01-01T00:00:00.000Z"
    const cat = catalog([{ id: "p", price: { amount: "31", interval: "month" } }, { id: "q" }], { discounts: [{ id: "HALF", percentOff: "50", duration: "forever" }] })
    const held = customer([subscription("p", jan1, { discounts: [{ discountId: "HALF", appliedAt: jan1 }] })])
    const p = preview(doc(cat, held, request("2025-01-16T00:00:00.000Z", "q", { planSchedule: "immediate" })))
    expect(p.scenario).toBe("cancel")
    expect(p.lines.map((l) => [l.kind, l.planId, l.amount, l.total])).toEqual([["credit", "p", -1600, -800]])
    expect(p.total).toBe(-800)
  })
})

describe("a switch between two versions of the same prices nets to zero line by line (docs/spec.md §6, §8.3, §8.8)", () => {
  /**
   * `test/properties/wholePreviews.test.ts` checks that a same-price version switch totals 0 ± 1, which also
   * holds when no line is produced at all. Here every priced part is switched (base, seats held,
   * prepaid storage, on their own intervals), each credit must meet a charge of the same feature
   * with the opposite amount (±1), and most cases must produce lines.
   */
  it("charge + credit of the same prices at the same instant cancel line by line (±1), with lines present", () => {
    const arb = fc.record({
      parts: planPartsArb,
      base: fc.boolean(),
      times: anchorAndAtArb,
      storageQuantity: fc.integer({ min: 0, max: 400 }),
      seatsUsed: fc.integer({ min: 0, max: 20 }),
      discount: fc.option(percentDiscountArb, { nil: undefined })
    })
    const shapeOf = (g: { parts: PlanParts; base: boolean }): PlanShape => ({ parts: g.parts, base: g.base, seats: true, storage: true, messages: false })
    let withLines = 0
    // a free plan's versions are both free: a switch between them is `new` (docs/spec.md §6 rule 6)
    fc.assert(fc.property(arb.filter((g) => !isFreeShape(shapeOf(g))), (g) => {
      const shape = shapeOf(g)
      const cat = catalog([planDoc("pro", shape, { version: 1 }), planDoc("pro", shape, { version: 2 })], {
        discounts: g.discount === undefined ? [] : [{ id: "PCT", percentOff: g.discount.percent, duration: "forever" }]
      })
      const held = customer([subscription("pro", iso(g.times.anchor), {
        version: 1,
        featureQuantities: [{ featureId: "storage", quantity: g.storageQuantity }],
        usage: [{ featureId: "seats", used: g.seatsUsed }],
        ...(g.discount === undefined ? {} : { discounts: [{ discountId: "PCT", appliedAt: iso(g.times.anchor) }] })
      })])
      const p = preview(doc(cat, held, request(iso(g.times.at), [{ planId: "pro", version: 2 }])))
      expect(p.scenario).toBe("upgrade") // a tie (docs/spec.md §6 rule 5)
      const credits = p.lines.filter((l) => l.kind === "credit")
      const charges = p.lines.filter((l) => l.kind === "charge")
      expect(credits.length + charges.length).toBe(p.lines.length)
      for (const credit of credits) {
        const charge = charges.find((c) => c.featureId === credit.featureId)
        // a line rounds to 0 and is dropped only when its exact amount is below half a minor unit
        expect(Math.abs(credit.amount + (charge?.amount ?? 0)), `${credit.featureId ?? "base"}`).toBeLessThanOrEqual(1)
        expect(Math.abs(credit.total + (charge?.total ?? 0)), `${credit.featureId ?? "base"} after discounts`).toBeLessThanOrEqual(1)
      }
      for (const charge of charges) expect(credits.some((c) => c.featureId === charge.featureId), `${charge.featureId ?? "base"} charged without a credit`).toBe(true)
      expect(Math.abs(p.total)).toBeLessThanOrEqual(1)
      if (credits.length > 0) withLines++
    }), RUNS)
    expect(withLines / RUNS.numRuns).toBeGreaterThanOrEqual(0.8)
  })
})
