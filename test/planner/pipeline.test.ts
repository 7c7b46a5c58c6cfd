/**
 * The planner's stages one by one (src/planner/): each returns a value built from the values
 * before it and leaves them as they were; failures are values, not exceptions; the composed
 * pipeline answers as planAttach does.
 */
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { decodeAttachDocument, planAttach } from "../../src/index.ts"
import type { AttachInput } from "../../src/Document.ts"
import { epochMs } from "../../src/internal/instants.ts"
import { checkoutOf } from "../../src/planner/checkout.ts"
import { customerDocument, previewBody } from "../../src/planner/encode.ts"
import { todayDiscounts } from "../../src/planner/discounts.ts"
import { todayLines } from "../../src/planner/lines.ts"
import { plan } from "../../src/planner/plan.ts"
import { type Resolution, resolve } from "../../src/planner/resolve.ts"
import { type StateAfter, stateAfter } from "../../src/planner/stateAfter.ts"
import { type Totals, todayTotals } from "../../src/planner/totals.ts"
import { type Transitions, transitionsOf } from "../../src/planner/transitions.ts"
import { addOn, catalog, customer, doc, freePlan, JAN1, JAN16, monthly, type Obj, request, subscription } from "../support/build.ts"

const input = (document: Obj): AttachInput => {
  const r = decodeAttachDocument(document)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const resolved = (document: Obj): Resolution => {
  const r = resolve(input(document))
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const moved = (r: Resolution): Transitions => {
  const t = transitionsOf(r)
  if (Result.isFailure(t)) throw new Error(t.failure.message)
  return t.success
}

const plans = catalog([
  freePlan(),
  monthly("lite", "10"),
  monthly("pro", "20"),
  monthly("trialing", "30", { freeTrial: { length: 14, unit: "day", cardRequired: false } }),
  addOn("support", "5")
])
const upgrade = doc(plans, customer([subscription("lite", JAN1)]), request(JAN16, "pro"))

/** The stages up to the state after, each result kept. */
const upToStateAfter = (document: Obj): { r: Resolution; m: Transitions; totals: Totals; after: StateAfter } => {
  const r = resolved(document)
  const m = moved(r)
  const today = todayLines(r.ctx, m.transitions)
  if (Result.isFailure(today)) throw new Error(today.failure.message)
  const discounts = todayDiscounts(r, m, today.success)
  const totals = todayTotals(r.ctx, discounts.lines)
  if (Result.isFailure(totals)) throw new Error(totals.failure.message)
  return { r, m, totals: totals.success, after: stateAfter(r, m, today.success, discounts.lines, totals.success.balanceAfter) }
}

describe("resolve", () => {
  it("returns the first failure in the request's order as a value", () => {
    const r = resolve(input(doc(plans, customer([]), request(JAN16, [{ planId: "gold" }, { planId: "pro" }], { currency: "eur" }))))
    expect(Result.isFailure(r) && r.failure._tag).toBe("UnknownPlan")
    const currency = resolve(input(doc(plans, customer([]), request(JAN16, [{ planId: "pro" }, { planId: "gold" }], { currency: "eur" }))))
    expect(Result.isFailure(currency) && currency.failure._tag).toBe("CurrencyMismatch")
  })
})

describe("transitions", () => {
  it("an upgrade: one transition carrying its credit and charge, on the billing subscription of the plan it ends", () => {
    const r = resolved(upgrade)
    const { transitions, entries } = moved(r)
    expect(transitions).toHaveLength(1)
    const [t] = transitions
    expect(t?.change).toMatchObject({ planId: "pro", scenario: "upgrade", timing: "immediate", replaces: "lite" })
    expect(t?.lines.map((l) => l.kind)).toEqual(["credit", "charge"])
    expect(t?.starts).toBe("paid_recurring")
    expect(t?.startsBillingSubscription).toBe(false)
    expect(t?.endedKey).toBe("anchor:1735689600000")
    expect(t?.billingKey).toBe(t?.endedKey)
    expect(t?.created).toBe("sub_pro_20250116T000000Z")
    expect(entries.map((e) => [e.sub.planId, e.sub.status])).toEqual([["lite", "expired"], ["pro", "active"]])
  })

  it("leaves the resolution as it was: its entries and the customer's subscription objects", () => {
    const r = resolved(upgrade)
    const before = r.entries.slice()
    const snapshot = JSON.stringify(r.entries.map((e) => e.sub))
    const after = moved(r)
    expect(r.entries).toEqual(before)
    expect(r.entries.every((e, i) => e === before[i])).toBe(true)
    expect(JSON.stringify(r.entries.map((e) => e.sub))).toBe(snapshot)
    expect(after.entries[0]?.sub).not.toBe(r.entries[0]?.sub)
  })

  it("an add-on joins the held subscription; with a billing subscription of its own asked for, it starts one", () => {
    const held = customer([subscription("pro", JAN1)])
    const joins = moved(resolved(doc(plans, held, request(JAN16, "support")))).transitions
    expect(joins.map((t) => [t.change.scenario, t.starts, t.startsBillingSubscription])).toEqual([["new", "paid_recurring", false]])
    const own = moved(resolved(doc(plans, held, request(JAN16, "support", { newBillingSubscription: true })))).transitions
    expect(own.map((t) => [t.change.scenario, t.starts, t.startsBillingSubscription])).toEqual([["new", "paid_recurring", true]])
  })

  it("a failure of a later plan is returned, not thrown", () => {
    const t = transitionsOf(resolved(doc(plans, customer([subscription("free", JAN1)]), request(JAN16, "pro", { prorationBehavior: "none" }))))
    expect(Result.isFailure(t) && t.failure.message).toContain('prorationBehavior "none" would skip a charge')
  })
})

describe("checkout", () => {
  it("is read from what the transitions start", () => {
    const noCard = { hasPaymentMethod: false }
    const paid = resolved(doc(plans, customer([], noCard), request(JAN16, "pro")))
    expect(checkoutOf(paid, moved(paid).transitions, true)).toBe("provider_checkout")
    const cardless = resolved(doc(plans, customer([], noCard), request(JAN16, "trialing")))
    const trial = moved(cardless).transitions
    expect(trial[0]?.trial?.trial.cardRequired).toBe(false)
    expect(checkoutOf(cardless, trial, true)).toBe("none")
    expect(checkoutOf(paid, [], false)).toBe("none")
  })
})

describe("state after", () => {
  it("records today's invoice on copies: the transitions' subscriptions keep no ledger", () => {
    const { m, after } = upToStateAfter(upgrade)
    expect(m.entries[1]?.sub.billed).toBeUndefined()
    expect(after.entries[1]?.sub.billed).toEqual([{ featureId: null, from: JAN16, to: "2025-02-01T00:00:00.000Z", amount: 1032 }])
    expect(after.entries[1]?.priced?.sub).toBe(after.entries[1]?.sub)
  })
})

describe("encode", () => {
  it("prints the instants the stages hand over as values, and writes the fields in the document's order", () => {
    const { m, totals, after, r } = upToStateAfter(upgrade)
    expect(m.transitions[0]?.change.effectiveAt).toBe(Date.UTC(2025, 0, 16))
    const nextCycle = { startsAt: epochMs(Date.UTC(2025, 1, 1)), lines: [], sums: { subtotal: 0n, discountTotal: 0n, total: 0n }, usageLines: [] }
    const body = previewBody({ ctx: r.ctx, transitions: m.transitions, totals, trialEndsAt: Date.UTC(2025, 0, 30), nextCycle, checkout: "none", after })
    expect(Object.keys(body)).toEqual([
      "customerId", "currency", "scenario", "changes", "lines", "subtotal", "discountTotal", "total", "creditApplied", "amountDue",
      "trialEndsAt", "nextCycle", "checkout", "customerAfter"
    ])
    expect(body.changes[0]?.effectiveAt).toBe("2025-01-16T00:00:00.000Z")
    expect(body.trialEndsAt).toBe("2025-01-30T00:00:00.000Z")
    expect(body.nextCycle?.startsAt).toBe("2025-02-01T00:00:00.000Z")
    // Lite's credit for Jan 16–Feb 1 (16/31 of $10: 516) and Pro's charge (16/31 of $20: 1032)
    expect(body.lines.map((l) => [l.kind, l.total, l.period?.start])).toEqual([["credit", -516, JAN16], ["charge", 1032, JAN16]])
    expect(body.total).toBe(516)
  })
})

describe("encode: the customer after", () => {
  it("keeps the customer's own fields in order, writes a balance only when there is one, and drops ledger entries that ended", () => {
    const dec = { featureId: null, from: "2024-12-01T00:00:00Z", to: JAN1, amount: 1000 }
    const jan = { featureId: null, from: JAN1, to: "2025-02-01T00:00:00Z", amount: 1000 }
    const held = customer([subscription("lite", JAN1, { billed: [dec, jan] })], { timeZone: "UTC" })
    const r = resolved(doc(plans, held, request(JAN16, "lite")))
    const after = { entries: r.entries, balanceAfter: 0n, trialsUsed: [] }
    const written = customerDocument(r.ctx.customer, after, r.ctx.at)
    expect(Object.keys(written)).toEqual([...Object.keys(r.ctx.customer).filter((k) => k !== "subscriptions"), "subscriptions"])
    expect(written.subscriptions?.[0]?.billed).toEqual([jan])
    expect(Object.hasOwn(written, "creditBalance")).toBe(false)
    expect(customerDocument(r.ctx.customer, { ...after, balanceAfter: 250n, trialsUsed: ["pro"] }, r.ctx.at)).toMatchObject({ creditBalance: 250, trialsUsed: ["pro"] })
  })
})

describe("plan", () => {
  it("answers as planAttach does, and refuses without throwing", () => {
    expect(JSON.stringify(plan(input(upgrade)))).toBe(JSON.stringify(planAttach(input(upgrade))))
    const refused = plan(input(doc(plans, customer([]), request(JAN16, "gold"))))
    expect(Result.isFailure(refused) && refused.failure._tag).toBe("UnknownPlan")
  })
})
