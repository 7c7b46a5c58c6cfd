/**
 * The Stripe adapter, driven through the official SDK against the local Stripe-compatible test
 * server (test/stripe/fakeStripe.ts): one customer walks new → upgrade with usage → seats up →
 * seats down → scheduled downgrade → cancel, and every Stripe invoice equals its preview to the
 * minor unit (total = preview total, amount due = preview amountDue, one invoice item per line
 * with the line's total).
 */
import { afterEach, describe, expect, it } from "vitest"
import type { WalkRun } from "./walk.ts"
import { walk } from "./walk.ts"
import { WALK, walkCatalog } from "./walkCatalog.ts"

const runs: Array<WalkRun> = []
afterEach(async () => {
  for (const r of runs.splice(0)) await r.fake.close()
})

const checkInvoices = (run: WalkRun): void => {
  for (const s of run.steps) {
    expect(s.final.applied, s.name).toBe(true)
    if (!s.plan.actions.some((a) => a.type === "createInvoice")) {
      expect(s.invoice, s.name).toBeUndefined()
      continue
    }
    expect(s.invoice?.total, s.name).toBe(s.plan.total)
    expect(s.invoice?.amount_due, s.name).toBe(s.plan.amountDue)
    expect(s.invoice?.lines.data.map((l) => l.amount), s.name).toEqual(s.plan.lines.map((l) => l.total))
  }
}

describe("a walk through the Stripe adapter on the local server", () => {
  it.each(["usd", "jpy", "kwd"] as const)("%s: every Stripe invoice equals its preview; Stripe holds what the host stores", async (currency) => {
    const run = await walk(walkCatalog(currency), WALK)
    runs.push(run)
    checkInvoices(run)
    expect(run.steps.map((s) => s.plan.actions.map((a) => a.type).join(","))).toEqual([
      "createSubscription,createInvoice,payInvoice", "updateSubscription,createInvoice,payInvoice", "updateSubscription,createInvoice,payInvoice",
      "updateSubscription,createInvoice", "scheduleChange", "releaseSchedule,cancelSubscription"
    ])
    // The credit of the seats-down step went to Stripe's customer balance, as the host's state says.
    const balance = [...run.fake.state.customers.values()][0]?.balance
    expect(-(balance ?? 0)).toBe(run.customer.creditBalance ?? 0)
    const [sub] = [...run.fake.state.subscriptions.values()]
    expect(sub?.cancel_at_period_end).toBe(true)
    expect(sub?.schedule).toBeNull()
  })

  it("usd: the upgrade with usage is charged 25.32", async () => {
    // Jan 26 in the period Jan 16 – Feb 16 (31 days): 21/31 left, each line rounded once.
    // credit pro 20 × 21/31 = 13.548 → −1355, seats (3−1) × 5 = 10 × 21/31 = 6.774 → −677;
    // premium 50 × 21/31 = 33.871 → 3387, seats 10 × 21/31 → 677; messages (150−100) × 0.10 → 500.
    // 3387 + 677 − 1355 − 677 + 500 = 2532
    const run = await walk(walkCatalog("usd"), WALK)
    runs.push(run)
    expect(run.steps[1]?.invoice?.amount_due).toBe(2532)
    expect(run.fake.state.charges.map((c) => c.amount)).toEqual([3000, 2532, 484])
  })
})
