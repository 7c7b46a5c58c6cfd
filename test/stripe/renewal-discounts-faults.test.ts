/**
 * A provider outage at every Stripe call of a walk with recurring discounts — a new premium with a
 * forever 33% and a 2-month amount off, the seats up (the coupons replaced), a downgrade at the
 * period's end (the phase's coupons) — failing "before" acting or "after" (the answer lost), the
 * host executing the same plan again; and the same with the seats change declined first (its
 * coupons undone by the compensation) and then paid: every run ends like the clean one — the same charges, the
 * same coupons on the subscription, and the same three renewals — so no coupon is attached twice.
 */
import { describe, expect, it } from "vitest"
import type { Obj } from "../support/build.ts"
import { advanceClock } from "./fakeRenewals.ts"
import { type Step, type WalkRun, walk } from "./walk.ts"
import { walkCatalog } from "./walkCatalog.ts"

const catalog: Obj = {
  ...walkCatalog("usd"),
  discounts: [{ id: "THIRD", percentOff: "33", duration: "forever" }, { id: "TWO_MONTHS", amountOff: "7.5", duration: { months: 2 } }]
}
const seats = (planId: string, quantity: number) => [{ planId, featureQuantities: [{ featureId: "seats", quantity }] }]
const STEPS: ReadonlyArray<Step> = [
  { name: "new", at: "2025-01-16T00:00:00.000Z", plans: seats("premium", 3), request: { discounts: [{ discountId: "THIRD" }, { discountId: "TWO_MONTHS" }] } },
  { name: "seats up", at: "2025-01-20T00:00:00.000Z", plans: seats("premium", 9) },
  { name: "scheduled downgrade", at: "2025-02-05T00:00:00.000Z", plans: seats("lite", 2) }
]

const summary = (run: WalkRun) => {
  const s = run.fake.state
  const before = {
    charges: s.charges.map((c) => c.amount),
    subscriptions: [...s.subscriptions.values()].map((sub) => [sub.status, sub.metadata["ap_items"], sub.metadata["ap_discounts"], sub.discounts.map((id) => s.discounts.get(id)?.source.coupon.id)]),
    phases: [...s.schedules.values()].filter((x) => x.status === "active").map((x) => x.phases.map((p) => JSON.stringify(p.discounts ?? null))),
    customer: run.customer,
    applied: run.steps.map((x) => x.final.applied)
  }
  advanceClock(s, Date.parse("2025-04-16T01:00:00.000Z") / 1000, run.fake.base)
  const renewals = [...s.invoices.values()].filter((i) => i["billing_reason"] === "subscription_cycle").map((i) => [i.subtotal, i.total, i.status])
  return { ...before, phases: before.phases.map((p) => p.map((d) => d.replace(/di_fake\d+/g, "di"))), renewals }
}

const retried = async <A>(f: () => Promise<A>): Promise<A> => {
  try {
    return await f()
  } catch {
    return f()
  }
}

/** The seats change declined first (undone with its coupons), then paid with another card: the same plan executed again. */
const DECLINED: ReadonlyArray<Step> = [
  STEPS[0] as Step,
  {
    ...(STEPS[1] as Step), card: "pm_card_chargeDeclined",
    // The customer's own calls retry too: the outage may fall on them.
    then: async (fake, _first, customer) => {
      const stripe = fake.client()
      const pm = await retried(() => stripe.paymentMethods.attach("pm_card_visa", { customer }))
      await retried(() => stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } }))
    }
  }
]

describe("an outage at every Stripe call of a walk with renewal coupons", () => {
  it.each([{ name: "new, seats up, scheduled downgrade", steps: STEPS }, { name: "new, seats up declined then paid", steps: DECLINED }])("$name: ends exactly like the clean walk — the same coupons and renewals, charging once", async ({ steps }) => {
    const clean = await walk(catalog, steps)
    const n = clean.fake.calls.length - 1
    const expected = summary(clean)
    await clean.fake.close()
    expect(expected.renewals).toHaveLength(3)
    expect(expected.renewals.map((r) => r[0] !== r[1])).toEqual([true, true, true])
    let skipped = 0
    for (const when of ["before", "after"] as const) {
      for (let k = 0; k < n; k++) {
        // An outage on the test's own calls (giving the customer a card) is not the adapter's: those requests are skipped.
        const run = await walk(catalog, steps, { calls: [k], when }).catch((e: unknown) => {
          if (e instanceof Error && e.message.startsWith("Injected outage")) return undefined
          throw e
        })
        if (run === undefined) {
          skipped++
          continue
        }
        try {
          expect(summary(run), `${when} request ${k}`).toEqual(expected)
        } finally {
          await run.fake.close()
        }
      }
    }
    expect(skipped).toBeLessThanOrEqual(steps === DECLINED ? 4 : 0)
  }, 300_000)
})
