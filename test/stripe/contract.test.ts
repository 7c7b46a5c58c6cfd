/**
 * The adapter contract (attach-planner/testing) against the Stripe adapter, through the official
 * SDK, over the local Stripe-compatible test server: every check passes. Outages are the
 * server's own (a 500 before acting, or a dropped connection after acting).
 */
import { describe, expect, it } from "vitest"
import { makeStripePort } from "../../src/stripe/index.ts"
import { type ContractCard, type ContractSetup, contractChecks } from "../../src/testing/index.ts"
import { startFakeStripe } from "./fakeStripe.ts"

const TOKENS: Record<ContractCard, string> = { pays: "pm_card_visa", declines: "pm_card_chargeDeclined", "3ds": "pm_card_authenticationRequired" }

const stripeSetup: ContractSetup = async (catalog) => {
  const fake = await startFakeStripe()
  const stripe = fake.client()
  return {
    port: makeStripePort({ stripe, catalog, createPrices: true }),
    now: new Date(fake.state.now * 1000).toISOString(),
    newCustomer: async (card) =>
      (await stripe.customers.create(card === null ? {} : { payment_method: TOKENS[card], invoice_settings: { default_payment_method: TOKENS[card] } })).id,
    completeCheckout: async (session) => fake.completeCheckout(session, "pm_card_visa"),
    voidInvoice: async (invoice) => void (await stripe.invoices.voidInvoice(invoice)),
    charges: async (customer) => fake.state.charges.filter((c) => fake.state.invoices.get(c.invoice)?.customer === customer).map((c) => c.amount),
    subscriptions: async (customer) => [...fake.state.subscriptions.values()].filter((s) => s.customer === customer && s.status !== "canceled").length,
    failNextWrite: async (when) => void (fake.nextWrite = when),
    close: fake.close
  }
}

describe("the adapter contract against the Stripe adapter on the local server", () => {
  for (const check of contractChecks(stripeSetup)) {
    it(check.name, async () => {
      const result = await check.run()
      expect(result.failures).toEqual([])
    })
  }
})
