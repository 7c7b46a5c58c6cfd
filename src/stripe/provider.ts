/**
 * The Stripe payment provider: the port over a `Stripe` client, as plain values
 * ({@link makeStripePort}) or as a Layer ({@link layer}).
 *
 * @example
 * import Stripe from "stripe"
 * import { StripeProvider } from "attach-planner/stripe"
 * const layer = StripeProvider.layer({ stripe: new Stripe(process.env.STRIPE_SECRET_KEY ?? ""), catalog, createPrices: true })
 */
import type Stripe from "stripe"
import * as Layer from "effect/Layer"
import type { Catalog } from "../Catalog.ts"
import { type PaymentPort, PaymentProvider, fromPromises } from "../Provider.ts"
import { checkoutOps } from "./checkout.ts"
import type { StripeContext } from "./context.ts"
import { invoiceOps } from "./invoices.ts"
import { type PriceSource, priceResolver } from "./prices.ts"
import { subscriptionOps } from "./subscriptions.ts"

/**
 * What the host gives the adapter.
 *
 * - `stripe`: the client (`new Stripe(secretKey)`).
 * - `catalog`: the decoded catalog the plans come from (intervals, prepaid allowances, amounts).
 * - `prices`: a map from lookup keys (`ap_pro@1_usd`) to price ids, or a lookup function;
 *   prices not found there are looked up in Stripe by lookup key.
 * - `createPrices`: create a missing price from the catalog, with its lookup key (default false).
 * - `customerId`: the Stripe customer of one of the host's customer ids (default: the same id).
 * - `successUrl`: where Checkout returns when the request names no `successUrl`.
 *
 * @example const config: StripeConfig = { stripe, catalog, prices: { "ap_pro@1_usd": "price_123" } }
 */
export interface StripeConfig {
  readonly stripe: Stripe
  readonly catalog: Catalog
  readonly prices?: PriceSource
  readonly createPrices?: boolean
  readonly customerId?: (customerId: string) => Promise<string>
  readonly successUrl?: string
}

/**
 * The payment port over Stripe.
 *
 * @example const port = makeStripePort({ stripe, catalog, createPrices: true }); await executeAttachPromise(plan, customer, port)
 */
export const makeStripePort = (config: StripeConfig): PaymentPort => {
  const ctx: StripeContext = {
    stripe: config.stripe,
    catalog: config.catalog,
    priceOf: priceResolver(config.stripe, config.catalog, config.prices ?? {}, config.createPrices ?? false),
    customerOf: config.customerId ?? ((id) => Promise.resolve(id)),
    successUrl: config.successUrl ?? "https://example.invalid/checkout/done"
  }
  return fromPromises({ ...checkoutOps(ctx), ...subscriptionOps(ctx), ...invoiceOps(ctx) })
}

/**
 * The {@link PaymentProvider} layer over Stripe.
 *
 * @example Effect.provide(executeAttach(plan, customer), layer({ stripe, catalog, createPrices: true }))
 */
export const layer = (config: StripeConfig): Layer.Layer<PaymentProvider> => Layer.sync(PaymentProvider, () => makeStripePort(config))
