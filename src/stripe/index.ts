/**
 * `attach-planner/stripe`: the payment port over the official `stripe` package (an optional peer
 * dependency), and a webhook handler that completes pending plans. See docs/adapters.md.
 *
 * @example
 * import Stripe from "stripe"
 * import { StripeProvider, makeStripeWebhookHandler, makeMemoryPendingPlans } from "attach-planner/stripe"
 * const port = StripeProvider.makeStripePort({ stripe: new Stripe(key), catalog, createPrices: true })
 */
export * as StripeProvider from "./provider.ts"
export { type StripeConfig, layer, makeStripePort } from "./provider.ts"
export { type PriceRef, type PriceSource, type PricedItem, lookupKeyOf, pricedItems } from "./prices.ts"
export { stripeCall, toProviderError } from "./errors.ts"
export {
  type PendingPlan, type PendingPlans, type RenewalFailure, type WebhookOptions, makeMemoryPendingPlans, makeStripeWebhookHandler, markRenewalFailed, planKey
} from "./webhooks.ts"
export { type RenewalCoupon, renewalCoupons } from "./renewalDiscounts.ts"
