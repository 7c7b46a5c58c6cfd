/**
 * The port requests of the contract's checks, over the contract catalog, each with a key unique
 * to the run.
 *
 * @example const reqs = requests("apc_1", now); reqs.invoice("cus_1", 2000)
 */
import type { ProviderItem, Request } from "../../Provider.ts"

/** A provider item of the contract catalog: `pro` with `seats`, or `basic`. @example item("pro", 3) */
export const item = (planId: "basic" | "pro", seats?: number): ProviderItem =>
  ({ planId, version: 1, entityId: null, quantities: seats === undefined ? [] : [{ featureId: "seats", quantity: seats }] })

/** The request builders of one run; every key starts with `prefix`. @example requests("apc_1", now).subscription("cus_1", [item("basic")]) */
export const requests = (prefix: string, now: string) => {
  let n = 0
  const key = (what: string): string => `${prefix}_${++n}_${what}`
  return {
    key,
    subscription: (customerId: string, items: ReadonlyArray<ProviderItem>, trialEndsAt: string | null = null): Request<"createSubscription"> => ({
      idempotencyKey: key("createSubscription"), customerId, currency: "usd", ref: key("ref"), planIds: items.map((i) => i.planId),
      subscriptionIds: items.map((_, i) => `${prefix}_s${n}_${i}`), items, startsAt: now, billingAnchor: now, trialEndsAt,
      collection: "charge_automatically", netTermsDays: null
    }),
    invoice: (customerId: string, amount: number, finalize = true): Request<"createInvoice"> => ({
      idempotencyKey: key("createInvoice"), customerId, currency: "usd", description: "Contract check", collection: "charge_automatically",
      lines: [{
        kind: "charge", planId: "basic", featureId: null, description: "Basic", quantity: 1, period: null, amount, discounts: [], total: amount
      }],
      subtotal: amount, discountTotal: 0, total: amount, creditApplied: 0, amountDue: amount, finalize, netTermsDays: null
    }),
    checkout: (customerId: string): Request<"createCheckoutSession"> => ({
      idempotencyKey: key("createCheckoutSession"), customerId, currency: "usd", mode: "subscription", items: [item("basic")], lines: [],
      amountDue: 1000, trialEndsAt: null, successUrl: "https://example.invalid/done", params: {}
    })
  }
}
