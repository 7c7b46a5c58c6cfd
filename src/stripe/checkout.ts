/**
 * Checkout on Stripe: a customer without a card is sent to a Checkout Session in `setup` mode —
 * it saves a card and charges nothing, since the plan's own invoice charges the amount the
 * preview shows once the card is there. When the session is complete, the card it saved becomes
 * the customer's default payment method (`invoice_settings.default_payment_method`).
 *
 * @example const ops = checkoutOps(ctx); const session = await ops.createCheckoutSession(request)
 */
import type Stripe from "stripe"
import type { CheckoutSession, Request } from "../Provider.ts"
import { stripeCall } from "./errors.ts"
import { type StripeContext, idOf } from "./context.ts"

const view = (s: Stripe.Checkout.Session): CheckoutSession => ({ id: s.id, url: s.url ?? "", status: s.status === "complete" ? "complete" : "open" })

/** Makes the card a completed session saved the customer's default, once. */
const adoptCard = async (ctx: StripeContext, s: Stripe.Checkout.Session): Promise<void> => {
  const intent = s.setup_intent
  const method = intent === null || typeof intent === "string" ? null : intent.payment_method
  if (method === null || s.customer === null) return
  const customer = await stripeCall(() => ctx.stripe.customers.retrieve(idOf(s.customer ?? "")), null)
  if ("deleted" in customer && customer.deleted === true) return
  if (customer.invoice_settings.default_payment_method !== null && idOf(customer.invoice_settings.default_payment_method) === idOf(method)) return
  await stripeCall(() => ctx.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: idOf(method) } }, { idempotencyKey: `ap_default_card_${s.id}` }), null)
}

/**
 * The checkout operations over Stripe.
 *
 * @example const ops = checkoutOps(ctx); (await ops.retrieveCheckoutSession("cs_1")).status
 */
export const checkoutOps = (ctx: StripeContext) => ({
  createCheckoutSession: async (r: Request<"createCheckoutSession">): Promise<CheckoutSession> => {
    const customer = await ctx.customerOf(r.customerId)
    // `params` is the host's pass-through (checkoutSessionParams), sent as given.
    const extra = r.params as Partial<Stripe.Checkout.SessionCreateParams>
    const s = await stripeCall(() => ctx.stripe.checkout.sessions.create({
      mode: "setup", customer, currency: r.currency, success_url: r.successUrl ?? ctx.successUrl,
      metadata: { ap_key: r.idempotencyKey, ap_amount_due: String(r.amountDue) },
      setup_intent_data: { metadata: { ap_key: r.idempotencyKey } },
      ...extra
    }, { idempotencyKey: r.idempotencyKey }), null)
    return view(s)
  },
  retrieveCheckoutSession: async (id: string): Promise<CheckoutSession> => {
    const s = await stripeCall(() => ctx.stripe.checkout.sessions.retrieve(id, { expand: ["setup_intent"] }), null)
    if (s.status === "complete") await adoptCard(ctx, s)
    return view(s)
  }
})
