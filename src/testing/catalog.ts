/**
 * The catalog and the requests of the adapter contract (./contract.ts): two monthly plans in usd,
 * `basic` (10.00) and `pro` (20.00 with prepaid seats past one included, 5.00 a seat), and the
 * port requests the checks send, each with a key unique to the run.
 *
 * @example
 * import { contractCatalog } from "attach-planner/testing"
 * contractCatalog.plans.map((p) => p.id) // ["basic", "pro"]
 */
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"
import type { ProviderItem, Request } from "../Provider.ts"

/**
 * The contract's catalog, as a catalog document (the JSON a host decodes). An adapter under test
 * must be able to bill these plans (e.g. by creating their prices on demand).
 *
 * @example decodeCatalog(contractCatalog) // Result.succeed(catalog)
 */
export const contractCatalog = {
  defaultCurrency: "usd",
  features: [{ id: "seats", name: "Seats", type: "metered" }],
  plans: [
    { id: "basic", name: "Basic", price: { amount: "10", interval: "month" } },
    {
      id: "pro", name: "Pro", price: { amount: "20", interval: "month" },
      items: [{ featureId: "seats", included: 1, price: { amount: "5", interval: "month", billingMethod: "prepaid" } }]
    }
  ]
} as const

/** The decoded {@link contractCatalog} (it is valid by construction). */
export const decodedContractCatalog = (): Catalog => {
  const r = decodeCatalog(contractCatalog)
  if (Result.isFailure(r)) throw new Error(`the contract catalog does not decode: ${r.failure.message}`)
  return r.success
}

/** A provider item of the contract catalog: `pro` with `seats`, or `basic`. */
export const item = (planId: "basic" | "pro", seats?: number): ProviderItem =>
  ({ planId, version: 1, entityId: null, quantities: seats === undefined ? [] : [{ featureId: "seats", quantity: seats }] })

/** The request builders of one run; every key starts with `prefix`. */
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
