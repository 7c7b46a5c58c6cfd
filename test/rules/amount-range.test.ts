/**
 * Amounts beyond what a document can state exactly (docs/spec.md, money): minor units are written
 * as JSON numbers, so every amount and every sum of a preview must be a safe integer
 * (≤ 9,007,199,254,740,991). An attach whose invoice would exceed it fails as a whole with
 * `amount_out_of_range`; nothing is half-written (no line list emptied under nonzero totals).
 *
 * The plans below cost $50,000,000,000,000.00 a month = 5,000,000,000,000,000 minor units, a safe
 * integer; two of them on one invoice make 10,000,000,000,000,000, which is not.
 */
import { describe, expect, it } from "vitest"
import { previewTimelineSync } from "../../src/timeline/preview.ts"
import { catalog, customer, doc, monthly, request, subscription } from "../support/build.ts"
import { failure, preview } from "../support/run.ts"

const HUGE = "50000000000000"
const JAN16 = "2025-01-16T00:00:00.000Z"
const trial = { freeTrial: { length: 14, unit: "day" } }
const huge = catalog([
  monthly("a", HUGE),
  monthly("b", HUGE, { addOn: true }),
  monthly("t", HUGE, trial),
  monthly("t2", HUGE, { addOn: true, ...trial }),
  monthly("small", "10", { addOn: true })
])

describe("amounts beyond a safe integer", () => {
  it("one plan at the limit's half is fine: 5,000,000,000,000,000 due now", () => {
    const p = preview(doc(huge, customer([]), request(JAN16, "a")))
    expect(p.amountDue).toBe(5_000_000_000_000_000)
    expect(p.nextCycle?.total).toBe(5_000_000_000_000_000)
  })

  it("two such lines today: each is exact, their sum is not → amount_out_of_range", () => {
    const e = failure(doc(huge, customer([]), request(JAN16, [{ planId: "a" }, { planId: "b" }])))
    expect(e).toMatchObject({ _tag: "InvalidRequest", reason: "amount_out_of_range" })
  })

  it("two trialing plans: nothing today, but the first renewal's sum is not exact → amount_out_of_range (not an empty line list)", () => {
    const e = failure(doc(huge, customer([]), request(JAN16, [{ planId: "t" }, { planId: "t2" }])))
    expect(e).toMatchObject({ _tag: "InvalidRequest", reason: "amount_out_of_range" })
  })

  it("the timeline stops with the same failure at a renewal it cannot write", () => {
    const JAN1 = "2025-01-01T00:00:00.000Z"
    const held = customer([subscription("a", JAN1), { ...subscription("b", JAN1), id: "sub_b_old" }])
    // The attach itself bills a new subscription of $10 only; the held pair renews Feb 1.
    const d = doc(huge, held, request(JAN16, "small", { newBillingSubscription: true }))
    expect(preview(d).amountDue).toBe(1000)
    const r = previewTimelineSync(d, { cycles: 2 })
    expect(r._tag).toBe("Failure")
    if (r._tag === "Failure") expect(r.failure).toMatchObject({ _tag: "InvalidRequest", reason: "amount_out_of_range" })
  })
})
