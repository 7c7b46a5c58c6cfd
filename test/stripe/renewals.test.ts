/**
 * Renewals, which Stripe bills itself: the local server's clock moves past the period's end
 * (test/stripe/fakeRenewals.ts runs what Stripe runs there) and the renewal invoice must equal the
 * last plan's `nextCycle` to the minor unit — the subscription holds exactly what the plan says
 * it renews at. A scheduled downgrade renews into the lower plan (the schedule's phase), after
 * which the adapter reads the phase as done and can cancel at period end; the cancellation ends
 * the subscription at the next boundary without a renewal. A declined renewal leaves the
 * subscription `past_due` (the port reads it so, the webhook reports it and the host's state takes
 * it) until the customer pays the renewal on its hosted page.
 */
import { afterEach, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { type RenewalFailure, makeMemoryPendingPlans, makeStripePort, makeStripeWebhookHandler, markRenewalFailed } from "../../src/stripe/index.ts"
import { decoded } from "../support/run.ts"
import type { FakeInvoice } from "./fakeObjects.ts"
import { advanceClock } from "./fakeRenewals.ts"
import { type WalkRun, walk } from "./walk.ts"
import { type WalkCurrency, walkCatalog } from "./walkCatalog.ts"

const seats = (planId: string, quantity: number) => [{ planId, featureQuantities: [{ featureId: "seats", quantity }] }]
const NEW = { name: "new", at: "2025-01-16T00:00:00.000Z", plans: seats("premium", 3) }
const UP = { name: "seats up", at: "2025-01-26T00:00:00.000Z", plans: seats("premium", 5) }
const DOWN = { name: "scheduled downgrade", at: "2025-02-05T00:00:00.000Z", plans: seats("lite", 2) }
const FEB16 = Date.parse("2025-02-16T01:00:00.000Z") / 1000
const MAR16 = Date.parse("2025-03-16T01:00:00.000Z") / 1000

const runs: Array<WalkRun> = []
afterEach(async () => {
  for (const r of runs.splice(0)) await r.fake.close()
})

const renewals = (run: WalkRun): Array<FakeInvoice> => [...run.fake.state.invoices.values()].filter((i) => i["billing_reason"] === "subscription_cycle")

describe("renewals on the local server equal the plan's next cycle", () => {
  it("usd: premium with 5 seats renews at 50.00 + 4 × 5.00 = 70.00, charged", async () => {
    const run = await walk(walkCatalog("usd"), [NEW, UP])
    runs.push(run)
    advanceClock(run.fake.state, FEB16, run.fake.base)
    const [renewal] = renewals(run)
    expect(run.steps[1]?.plan.nextCycle?.total).toBe(7000)
    expect([renewal?.total, renewal?.status]).toEqual([7000, "paid"])
    expect(renewal?.lines.data.map((l) => l.amount)).toEqual(run.steps[1]?.plan.nextCycle?.lines.map((l) => l.total))
    expect(run.fake.state.charges.at(-1)?.amount).toBe(7000)
  })

  it.each(["usd", "jpy", "kwd"] as const)("%s: a scheduled downgrade renews into lite at its next cycle; then cancel at period end ends it", async (currency: WalkCurrency) => {
    const catalog = walkCatalog(currency)
    const run = await walk(catalog, [NEW, UP, DOWN])
    runs.push(run)
    const down = run.steps[2]?.plan
    expect(down?.actions.map((a) => a.type)).toEqual(["scheduleChange"])
    advanceClock(run.fake.state, FEB16, run.fake.base)
    const [renewal] = renewals(run)
    expect(renewal?.total).toBe(down?.nextCycle?.total)
    expect(renewal?.lines.data.map((l) => l.amount)).toEqual(down?.nextCycle?.lines.map((l) => l.total))
    if (currency === "usd") expect(renewal?.total).toBe(1500) // lite 10.00 + 1 seat past the one included × 5.00

    const subscriptionId = run.customer.subscriptions?.find((s) => s.providerSubscriptionId !== undefined)?.providerSubscriptionId ?? ""
    const port = makeStripePort({ stripe: run.fake.client(), catalog: decoded(catalog), createPrices: true })
    const cancel = await Effect.runPromise(port.cancelSubscription({
      idempotencyKey: "renewals_cancel", subscriptionId, subscriptionIds: [], atPeriodEnd: true, at: "2025-03-16T00:00:00.000Z"
    }))
    expect(cancel.items).toEqual([{ planId: "lite", version: 1, entityId: null, quantities: [{ featureId: "seats", quantity: 2 }] }])
    expect([cancel.phase, cancel.cancelAt]).toEqual([null, "2025-03-16T00:00:00.000Z"])
    advanceClock(run.fake.state, MAR16, run.fake.base)
    expect(renewals(run)).toHaveLength(1)
    expect(run.fake.state.subscriptions.get(subscriptionId)?.status).toBe("canceled")
  })
})

describe("renewals on the local server: a declined renewal", () => {
  it("usd: a declined renewal leaves the subscription past_due; the webhook reports it and the host's state takes it; paid, it is active again", async () => {
    const run = await walk(walkCatalog("usd"), [NEW])
    runs.push(run)
    const stripe = run.fake.client()
    const customer = [...run.fake.state.customers.values()][0]
    const declining = await stripe.paymentMethods.attach("pm_card_chargeDeclined", { customer: customer?.id ?? "" })
    await stripe.customers.update(customer?.id ?? "", { invoice_settings: { default_payment_method: declining.id } })
    advanceClock(run.fake.state, FEB16, run.fake.base)
    const [renewal] = renewals(run)
    // premium 50.00 with 2 seat packs past the one included × 5.00
    expect([renewal?.total, renewal?.status, renewal?.attempt_count]).toEqual([6000, "open", 1])
    expect(run.steps[0]?.plan.nextCycle?.total).toBe(6000)
    const subscriptionId = run.customer.subscriptions?.[0]?.providerSubscriptionId ?? ""
    expect(run.fake.state.subscriptions.get(subscriptionId)?.status).toBe("past_due")

    const port = makeStripePort({ stripe, catalog: decoded(walkCatalog("usd")), createPrices: true })
    const read = await Effect.runPromise(port.uncancelSubscription({ idempotencyKey: "renewals_read", subscriptionId, subscriptionIds: [], at: "2025-03-16T00:00:00.000Z" }))
    expect(read.status).toBe("past_due")

    const reported: Array<RenewalFailure> = []
    const handler = makeStripeWebhookHandler({
      stripe, webhookSecret: "whsec_renewals", port, pending: makeMemoryPendingPlans(), onApplied: async () => {},
      onRenewalFailed: async (failure) => void reported.push(failure)
    })
    const event = [...run.fake.state.events].reverse().find((e) => e.type === "invoice.payment_failed")
    const payload = JSON.stringify(event)
    const response = await handler(new Request("http://127.0.0.1/webhooks/stripe", {
      method: "POST", headers: { "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_renewals" }) }, body: payload
    }))
    expect(response.status).toBe(200)
    expect(reported).toEqual([{ subscriptionId, customerId: customer?.id, invoiceId: renewal?.id, amountDue: 6000, hostedUrl: renewal?.hosted_invoice_url, status: "past_due" }])
    const [failure] = reported
    if (failure === undefined) throw new Error("no renewal failure reported")
    const stored = markRenewalFailed(run.customer, failure)
    expect(stored.subscriptions?.map((s) => s.status)).toEqual(["past_due"])

    expect(run.fake.payHosted(renewal?.id ?? "", "pm_card_visa")).toBe("paid")
    const paid = await Effect.runPromise(port.uncancelSubscription({ idempotencyKey: "renewals_read_2", subscriptionId, subscriptionIds: [], at: "2025-03-16T00:00:00.000Z" }))
    expect(paid.status).toBe("active")
  })
})
