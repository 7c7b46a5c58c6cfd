/** A plan joining a trialing subscription joins its trial (docs/decisions.md rule 24). */
import { describe, expect, it } from "vitest"
import { FEB1, JAN16, addOn, catalog, customer, doc, monthly, request, subscription } from "../support/build.ts"
import { ok } from "../support/run.ts"

const TRIAL_END = "2025-01-30T00:00:00.000Z"

describe("an add-on joining a trialing subscription", () => {
  const trialing = subscription("pro", TRIAL_END, { status: "trialing", trialEndsAt: TRIAL_END, startedAt: "2025-01-16T00:00:00.000Z" })
  const document = doc(catalog([monthly("pro", "20"), addOn("extra", "10")]), customer([trialing]), request(JAN16, "extra"))

  it("charges nothing today: the add-on's price starts at the trial end", () => {
    const p = ok(document)
    expect(p.lines).toEqual([])
    expect(p.total).toBe(0)
  })

  it("bills both plans in full at the trial end", () => {
    // Jan 30: pro 2000 + extra 1000, full periods on the trial-end anchor.
    expect(ok(document).nextCycle).toMatchObject({ startsAt: TRIAL_END, total: 3000 })
  })

  it("is charged prorated when the subscription is not trialing", () => {
    // Anchor Jan 1, at Jan 16: 1000 × 16/31 = 516.129… → 516.
    const p = ok(doc(catalog([monthly("pro", "20"), addOn("extra", "10")]), customer([subscription("pro", "2025-01-01T00:00:00.000Z")]), request(JAN16, "extra")))
    expect(p.total).toBe(516)
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 3000 })
  })
})
