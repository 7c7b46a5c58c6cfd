/**
 * Every draft line and derivation the stages build has one shape: all its fields, in one order
 * (an absent one undefined). The constructors in draftLine.ts and derivation.ts are where that
 * order is written; this checks that no stage builds a line or a derivation another way.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { decodeAttachDocument } from "../../src/index.ts"
import { type DraftLine, draftLine, withBasis, withDiscounts } from "../../src/planner/draftLine.ts"
import { draftDerivation } from "../../src/planner/internal/derivation.ts"
import { todayDiscounts } from "../../src/planner/discounts.ts"
import { todayLines } from "../../src/planner/lines.ts"
import { nextCycleAfter } from "../../src/planner/nextCycle.ts"
import { firstBillingKey } from "../../src/planner/discounts.ts"
import { resolve } from "../../src/planner/resolve.ts"
import { stateAfter } from "../../src/planner/stateAfter.ts"
import { todayTotals } from "../../src/planner/totals.ts"
import { transitionsOf } from "../../src/planner/transitions.ts"
import { minor } from "../../src/Money.ts"
import * as Rational from "../../src/Rational.ts"
import { plannedDocumentArb } from "../support/arbitraries.ts"
import type { Obj } from "../support/build.ts"

const LINE_KEYS = ["kind", "planId", "featureId", "description", "quantity", "period", "amount", "discounts", "creditedFrom", "basis", "derivation"]
const DERIVATION_KEYS = ["base", "exact", "fraction", "policy", "tiers", "ledger", "usageToDate"]

const charge: DraftLine = { kind: "charge", planId: "pro", featureId: null, description: "Pro", quantity: 1, period: null, amount: minor(2000n), discounts: [] }

/** Today's lines (before and after discounts) and the next cycle's of a document, or none when a stage refuses it. */
const linesOf = (document: Obj): ReadonlyArray<DraftLine> => {
  const input = decodeAttachDocument(document)
  if (Result.isFailure(input)) return []
  const r = resolve(input.success)
  if (Result.isFailure(r)) return []
  const moved = transitionsOf(r.success)
  if (Result.isFailure(moved)) return []
  const today = todayLines(r.success.ctx, moved.success.transitions)
  if (Result.isFailure(today)) return []
  const discounts = todayDiscounts(r.success, moved.success, today.success)
  const totals = todayTotals(r.success.ctx, discounts.lines)
  if (Result.isFailure(totals)) return [...today.success.lines, ...discounts.lines]
  const after = stateAfter(r.success, moved.success, today.success, discounts.lines, totals.success.balanceAfter)
  const key = firstBillingKey(moved.success.transitions, "billingKey")
  const next = nextCycleAfter(r.success.ctx, after.entries, key, discounts.active, today.success.lines.length === 0)
  const later = Result.isSuccess(next) && next.success !== null ? next.success.lines : []
  return [...today.success.lines, ...discounts.lines, ...later]
}

describe("one shape for every draft line and derivation", () => {
  it("the constructors write every field in the one order", () => {
    const derivation = draftDerivation({ base: Rational.fromInt(2000), exact: Rational.fromInt(2000) })
    expect(Object.keys(derivation)).toEqual(DERIVATION_KEYS)
    for (const line of [draftLine(charge), withBasis(charge, { subscriptionId: "sub_pro" }), withDiscounts(charge, [{ discountId: "launch", amount: minor(400n) }])]) {
      expect(Object.keys(line)).toEqual(LINE_KEYS)
    }
    expect(withDiscounts(withDiscounts(charge, [{ discountId: "a", amount: minor(1n) }]), [{ discountId: "b", amount: minor(2n) }]).discounts.map((d) => d.discountId)).toEqual(["a", "b"])
  })

  it("every line the stages build, today's and the next cycle's, has them", () => {
    let seen = 0
    fc.assert(fc.property(plannedDocumentArb, (document) => {
      for (const line of linesOf(document)) {
        seen++
        expect(Object.keys(line)).toEqual(LINE_KEYS)
        expect(line.derivation === undefined ? DERIVATION_KEYS : Object.keys(line.derivation)).toEqual(DERIVATION_KEYS)
      }
    }), { numRuns: 300 })
    // The documents must give lines, or the property says nothing.
    expect(seen).toBeGreaterThan(100)
  })
})
