/**
 * Scenario properties (issue #5; docs/spec.md §6) over generated plans, customers and instants:
 * - attaching the plan the customer holds (same plan, same version, same quantities) is
 *   `active`: no lines, no actions, nothing changes;
 * - an upgrade's reverse is a downgrade (`cancel` when it goes to a free plan), except where the
 *   SPEC's `isUpgrade` makes both directions upgrades: both plans all-arrears (rule 3), equal
 *   monthly totals at the same longest interval (the rule 5 tie), or a longer interval on a plan
 *   that is not dearer per month (rule 4 one way, rule 5 the other). Those cases are generated on
 *   purpose and must be upgrades both ways, and every scenario must match an exact oracle of
 *   `isUpgrade` (`test/support/arbitraries.ts`).
 * Runs use a fixed seed; fast-check prints it with the shrunk counterexample on a failure.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Scenario } from "../../src/Preview.ts"
import {
  type PlanParts, type PlanShape, type UpgradeVerdict, anchorAndAtArb, compareFractions, isFreeShape, isUpgradeOracle, monthlyTotal,
  planDoc, planPartsArb, planShapeArb, recurringIntervalArb, tenThousandthsArb, zeroed
} from "../support/arbitraries.ts"
import { DAY, type Obj, catalog, customer, doc, iso, request, subscription } from "../support/build.ts"
import { preview } from "../support/run.ts"

const RUNS = { seed: 42, numRuns: 200 } as const

const statusArb = fc.constantFrom("active", "trialing", "past_due")
/** Plans of another group and an add-on, held alongside: the scenario must ignore them. */
const bystandersArb = fc.record({ otherGroup: fc.boolean(), addOn: fc.boolean() })
const BYSTANDER_PLANS: ReadonlyArray<Obj> = [
  { id: "support", group: "support", price: { amount: "5", interval: "month" } },
  { id: "extra", addOn: true, price: { amount: "3", interval: "month" } }
]
const bystanders = (b: { otherGroup: boolean; addOn: boolean }, anchor: string): Array<Obj> => [
  ...(b.otherGroup ? [subscription("support", anchor)] : []),
  ...(b.addOn ? [subscription("extra", anchor)] : [])
]

// ---------------------------------------------------------------------------------------------
// Attaching the current plan (docs/spec.md §6 rule 4)
// ---------------------------------------------------------------------------------------------

const currentPlanArb = fc.record({
  /** up to three versions of `pro`; the customer holds one of them */
  versions: fc.array(planShapeArb, { minLength: 1, maxLength: 3 }),
  heldIndex: fc.nat(),
  explicitVersion: fc.boolean(),
  group: fc.constantFrom("", "main"),
  status: statusArb,
  entityId: fc.option(fc.constantFrom("ws_1", "ws_2"), { nil: undefined }),
  storageQuantity: fc.integer({ min: 0, max: 500 }),
  requestQuantity: fc.boolean(),
  seatsUsed: fc.integer({ min: 0, max: 20 }),
  times: anchorAndAtArb,
  bystanders: bystandersArb
})

describe("attaching the current plan is `active` (docs/spec.md §6 rule 4)", () => {
  it("same plan, same version, same quantities → active: no lines, no actions, customer unchanged", () => {
    let withQuantities = 0
    fc.assert(fc.property(currentPlanArb, (g) => {
      const heldIndex = g.heldIndex % g.versions.length
      const held = g.versions[heldIndex] as PlanShape
      const version = heldIndex + 1
      const cat = catalog([...g.versions.map((s, i) => planDoc("pro", s, { version: i + 1, group: g.group })), ...BYSTANDER_PLANS])
      const anchor = iso(g.times.anchor)
      const subscriptions = [
        subscription("pro", anchor, {
          version,
          status: g.status,
          ...(g.status === "trialing" ? { trialEndsAt: iso(g.times.at + DAY) } : {}),
          ...(g.entityId === undefined ? {} : { entityId: g.entityId }),
          ...(held.storage ? { featureQuantities: [{ featureId: "storage", quantity: g.storageQuantity }] } : {}),
          usage: [{ featureId: "seats", used: g.seatsUsed }]
        }),
        ...bystanders(g.bystanders, anchor)
      ]
      // the request names the version unless it is the highest (the default), and repeats the
      // held quantities when asked to (only a priced feature may be given a quantity)
      const askQuantity = g.requestQuantity && held.storage
      if (askQuantity) withQuantities++
      const requested = {
        planId: "pro",
        ...(g.explicitVersion || version !== g.versions.length ? { version } : {}),
        ...(askQuantity ? { featureQuantities: [{ featureId: "storage", quantity: g.storageQuantity }] } : {})
      }
      const c = customer(subscriptions)
      const p = preview(doc(cat, c, request(iso(g.times.at), [requested], g.entityId === undefined ? {} : { entityId: g.entityId })))
      expect(p.scenario).toBe("active")
      expect(p.changes.map((ch) => [ch.scenario, ch.timing])).toEqual([["active", "none"]])
      expect(p.lines).toEqual([])
      expect(p.actions).toEqual([])
      expect([p.total, p.amountDue, p.creditApplied]).toEqual([0, 0, 0])
      expect(p.checkout).toBe("none")
      expect(p.customerAfter).toEqual(c)
    }), RUNS)
    expect(withQuantities).toBeGreaterThan(20)
  })
})

// ---------------------------------------------------------------------------------------------
// An upgrade's reverse (docs/spec.md §6 rule 7 and isUpgrade)
// ---------------------------------------------------------------------------------------------

/** Why a pair of plans is generated: at random, or built to hit a case of `isUpgrade` on purpose. */
type PairKind = "random" | "tie" | "arrears-only" | "longer-not-dearer" | "to-free"

interface Pair {
  readonly kind: PairKind
  readonly a: PlanShape
  readonly b: PlanShape
}

const always = (parts: PlanParts, has: Partial<Omit<PlanShape, "parts">>): PlanShape =>
  ({ parts, base: false, seats: false, storage: false, messages: false, ...has })

/**
 * Rule 5 ties: B keeps A's monthly total at the same longest interval — the same prices with
 * other allowances, pack sizes and arrears price (all ignored by rule 5), or with `shift` ten-
 * thousandths moved from the seat price to the base price on the same interval.
 */
const tieArb: fc.Arbitrary<Pair> = fc.record({
  a: planShapeArb,
  other: planPartsArb,
  shift: fc.nat(),
  sameInterval: fc.boolean()
}).filter(({ a }) => compareFractions(monthlyTotal(a), [0n, 1n]) > 0).map(({ a: a0, other, shift, sameInterval }) => {
  const a: PlanShape = sameInterval && a0.base && a0.seats
    ? { ...a0, parts: { ...a0.parts, seats: { ...a0.parts.seats, interval: a0.parts.base.interval } } }
    : a0
  const moved = sameInterval && a.base && a.seats ? shift % (a.parts.seats.amount + 1) : 0
  const p = a.parts
  const parts: PlanParts = {
    base: { ...p.base, amount: p.base.amount + moved },
    seats: { ...p.seats, amount: p.seats.amount - moved, included: other.seats.included },
    storage: { ...p.storage, included: other.storage.included, pack: other.storage.pack },
    messages: other.messages
  }
  return { kind: "tie", a, b: { ...a, parts } }
})

/** Rule 3: every price on both sides is billed in arrears (non-zero, so neither plan is free). */
const arrearsOnlyArb: fc.Arbitrary<Pair> = fc.tuple(planPartsArb, planPartsArb, fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }))
  .map(([pa, pb, ma, mb]) => ({
    kind: "arrears-only",
    a: always({ ...pa, messages: { ...pa.messages, amount: ma } }, { messages: true }),
    b: always({ ...pb, messages: { ...pb.messages, amount: mb } }, { messages: true })
  }))

/**
 * Rule 4 one way, rule 5 the other: B's only price has a strictly longer interval than A's and
 * costs at most A's per month (B's amount = A's monthly rate × B's months × ratio ≤ 1).
 */
const longerNotDearerArb: fc.Arbitrary<Pair> = fc.record({
  parts: planPartsArb,
  monthlyAmount: fc.integer({ min: 1, max: 1_000_000 }),
  months: fc.constantFrom(1, 2, 3),
  longer: fc.constantFrom(3, 6, 12, 24, 36),
  permille: fc.integer({ min: 0, max: 1000 })
}).filter((g) => g.longer > g.months).map(({ parts, monthlyAmount, months, longer, permille }) => {
  const a = always({ ...parts, base: { amount: monthlyAmount * months, interval: { unit: "month", count: months } } }, { base: true })
  const yearly = longer % 12 === 0
  const bAmount = Math.max(1, Math.floor((monthlyAmount * longer * permille) / 1000))
  const b = always({ ...parts, base: { amount: bAmount, interval: yearly ? { unit: "year", count: longer / 12 } : { unit: "month", count: longer } } }, { base: true })
  return { kind: "longer-not-dearer", a, b }
})

/** A paid plan and a free one (rules 1 and 2: upgrade one way, `cancel` the other). */
const toFreeArb: fc.Arbitrary<Pair> = fc.tuple(planShapeArb, planShapeArb, tenThousandthsArb.filter((n) => n > 0), recurringIntervalArb)
  .map(([a, free, amount, interval]) => ({
    kind: "to-free",
    a: { ...a, base: true, parts: { ...a.parts, base: { amount, interval } } },
    b: zeroed(free)
  }))

const pairArb: fc.Arbitrary<Pair> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(planShapeArb, planShapeArb).map(([a, b]): Pair => ({ kind: "random", a, b })) },
  { weight: 2, arbitrary: tieArb },
  { weight: 1, arbitrary: arrearsOnlyArb },
  { weight: 1, arbitrary: longerNotDearerArb },
  { weight: 1, arbitrary: toFreeArb }
)

/** The scenario docs/spec.md §6 rules 6 and 7 give for attaching `next` over `current`. */
const expectedScenario = (current: PlanShape, next: PlanShape, verdict: UpgradeVerdict): Scenario => {
  if (isFreeShape(current) && isFreeShape(next)) return "new"
  if (verdict.upgrade) return "upgrade"
  return isFreeShape(next) ? "cancel" : "downgrade"
}

const reverseArb = fc.record({
  pair: pairArb,
  swap: fc.boolean(),
  /** the two plans are versions 1 and 2 of one plan id (decisions.md rule 2) */
  versions: fc.boolean(),
  group: fc.constantFrom("", "main"),
  status: statusArb,
  times: anchorAndAtArb,
  bystanders: bystandersArb
})

describe("an upgrade's reverse is a downgrade, except in the SPEC's tie cases (docs/spec.md §6)", () => {
  it("scenarios both ways match isUpgrade; both ways upgrade exactly in the tie cases", () => {
    const seen: Record<string, number> = {}
    fc.assert(fc.property(reverseArb, (g) => {
      const [a, b] = g.swap ? [g.pair.b, g.pair.a] : [g.pair.a, g.pair.b]
      const ref = g.versions
        ? { a: { planId: "pro", version: 1 }, b: { planId: "pro", version: 2 } }
        : { a: { planId: "alpha" }, b: { planId: "beta" } }
      const cat = catalog([
        planDoc(ref.a.planId, a, { group: g.group, ...(g.versions ? { version: 1 } : {}) }),
        planDoc(ref.b.planId, b, { group: g.group, ...(g.versions ? { version: 2 } : {}) }),
        ...BYSTANDER_PLANS
      ])
      const anchor = iso(g.times.anchor)
      const holding = (r: { planId: string; version?: number }): Obj => customer([
        subscription(r.planId, anchor, { ...(r.version === undefined ? {} : { version: r.version }), status: g.status }),
        ...bystanders(g.bystanders, anchor)
      ])
      const scenarioOf = (from: typeof ref.a, to: typeof ref.a): Scenario =>
        preview(doc(cat, holding(from), request(iso(g.times.at), [to]))).scenario
      const forward = scenarioOf(ref.a, ref.b)
      const backward = scenarioOf(ref.b, ref.a)
      const vf = isUpgradeOracle(a, b)
      const vb = isUpgradeOracle(b, a)
      expect(forward, `forward: isUpgrade rule ${vf.rule}`).toBe(expectedScenario(a, b, vf))
      expect(backward, `backward: isUpgrade rule ${vb.rule}`).toBe(expectedScenario(b, a, vb))

      // the tie cases of docs/spec.md §6, stated on their own (not through the oracle)
      const paid = !isFreeShape(a) && !isFreeShape(b)
      const ta = monthlyTotal(a)
      const tb = monthlyTotal(b)
      const bothArrears = vf.rule === 3
      const equalTie = vf.rule === 5 && vb.rule === 5 && compareFractions(ta, tb) === 0
      const longerNotDearer = (vf.rule === 4 && compareFractions(tb, ta) <= 0) || (vb.rule === 4 && compareFractions(ta, tb) <= 0)
      const tie = paid && (bothArrears || equalTie || longerNotDearer)
      if (forward === "upgrade") {
        expect(backward, "the reverse of an upgrade").toBe(tie ? "upgrade" : isFreeShape(a) ? "cancel" : "downgrade")
      }
      if (backward === "upgrade") {
        expect(forward, "the reverse of an upgrade").toBe(tie ? "upgrade" : isFreeShape(b) ? "cancel" : "downgrade")
      }
      if (g.pair.kind !== "random") expect(forward === "upgrade" && backward === "upgrade").toBe(g.pair.kind !== "to-free")
      const key = `${g.pair.kind}:${forward}/${backward}`
      seen[key] = (seen[key] ?? 0) + 1
    }), RUNS)
    // every kind of case is exercised, random pairs mostly without a tie
    const count = (prefix: string): number => Object.entries(seen).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0)
    for (const k of ["tie:", "arrears-only:", "longer-not-dearer:", "to-free:"]) expect(count(k), `${k} ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(10)
    expect(count("random:upgrade/downgrade") + count("random:downgrade/upgrade"), JSON.stringify(seen)).toBeGreaterThanOrEqual(20)
    expect(count("random:upgrade/cancel") + count("random:cancel/upgrade"), JSON.stringify(seen)).toBeGreaterThanOrEqual(3)
  })
})
