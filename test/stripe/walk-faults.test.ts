/**
 * A provider outage at every call of the walk (test/stripe/walk.ts): for each request k the local
 * server fails it — "before" acting (a 500) or "after" (the connection drops, the answer is lost) —
 * and the host executes the same plan again. Each run must end like the clean one: the same
 * charges, the same invoices and the same customer state; nothing is charged twice.
 */
import { describe, expect, it } from "vitest"
import type { WalkRun } from "./walk.ts"
import { walk } from "./walk.ts"
import { WALK, walkCatalog } from "./walkCatalog.ts"

const summary = (run: WalkRun) => ({
  charges: run.fake.state.charges.map((c) => c.amount),
  invoices: [...run.fake.state.invoices.values()].map((i) => [i.status, i.total, i.amount_due]),
  subscriptions: [...run.fake.state.subscriptions.values()].map((s) => [s.status, s.metadata["ap_items"], s.cancel_at_period_end]),
  customer: run.customer,
  applied: run.steps.map((s) => s.final.applied)
})

describe("an outage at every Stripe call of the walk", () => {
  it("ends exactly like the clean walk, charging once", async () => {
    const clean = await walk(walkCatalog("usd"), WALK)
    const expected = summary(clean)
    const n = clean.fake.calls.length - 1 // the customer's creation is not part of the walk
    await clean.fake.close()
    expect(n).toBeGreaterThan(20)
    for (const when of ["before", "after"] as const) {
      for (let k = 0; k < n; k++) {
        const run = await walk(walkCatalog("usd"), WALK, { calls: [k], when })
        try {
          expect(summary(run), `${when} request ${k}`).toEqual(expected)
          // at most one retry of a plan (a lost answer to a read may be retried by the SDK's own connection handling)
          expect(run.steps.reduce((sum, s) => sum + s.failures, 0), `${when} request ${k}`).toBeLessThanOrEqual(1)
          if (when === "before") expect(run.steps.reduce((sum, s) => sum + s.failures, 0), `${when} request ${k}`).toBe(1)
        } finally {
          await run.fake.close()
        }
      }
    }
  }, 300_000)
})

describe("a declined card and a 3-D Secure card", () => {
  it("a declined upgrade is undone, then paid once with a new card", async () => {
    const steps = WALK.slice(0, 2).map((s, i) => (i === 1 ? {
      ...s, card: "pm_card_chargeDeclined",
      then: async (fake: WalkRun["fake"], _first: unknown, customer: string) => {
        const stripe = fake.client()
        const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer })
        await stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } })
      }
    } : s))
    const run = await walk(walkCatalog("usd"), steps)
    try {
      const upgrade = run.steps[1]
      expect(upgrade?.first.requiredAction?.code).toBe("payment_failed")
      expect(upgrade?.first.compensated.map((r) => r.type)).toEqual(["updateSubscription"])
      expect(upgrade?.final.applied).toBe(true)
      expect(upgrade?.invoice?.amount_due).toBe(upgrade?.plan.amountDue)
      expect(run.fake.state.charges.map((c) => c.amount)).toEqual([3000, 2532])
    } finally {
      await run.fake.close()
    }
  })

  it("a 3-D Secure upgrade sends the customer to the hosted invoice; paid there, the plan completes once", async () => {
    const steps = WALK.slice(0, 2).map((s, i) => (i === 1 ? {
      ...s, card: "pm_card_authenticationRequired",
      then: async (fake: WalkRun["fake"], first: { readonly invoice?: { readonly id: string } }) => {
        expect(fake.payHosted(first.invoice?.id ?? "")).toBe("paid")
      }
    } : s))
    const run = await walk(walkCatalog("usd"), steps)
    try {
      const upgrade = run.steps[1]
      expect(upgrade?.first.requiredAction?.code).toBe("3ds_required")
      expect(upgrade?.first.paymentUrl).toBe(upgrade?.invoice?.hosted_invoice_url)
      expect(upgrade?.final.applied).toBe(true)
      expect(run.fake.state.charges.map((c) => c.amount)).toEqual([3000, 2532])
    } finally {
      await run.fake.close()
    }
  })
})
