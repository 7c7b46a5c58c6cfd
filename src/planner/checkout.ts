/**
 * The eighth stage of the planner: whether the customer must pay through the provider's page,
 * from what the transitions start (docs/spec.md §10; the rule itself is `Checkout.decide`).
 *
 * @example
 * checkoutOf(resolution, moved.transitions, today.immediate) // "provider_checkout" (a paid plan, no card on file)
 */
import * as Checkout from "../Checkout.ts"
import type { Checkout as CheckoutDecision } from "../Preview.ts"
import type { Transition } from "./internal/step.ts"
import type { Resolution } from "./resolve.ts"

/**
 * The checkout of an attach whose changes are `transitions`; `immediate` when one takes effect now.
 *
 * @example checkoutOf(resolution, [], false) // "none"
 */
export const checkoutOf = (resolved: Resolution, transitions: ReadonlyArray<Transition>, immediate: boolean): CheckoutDecision => {
  let oneOff = false
  let paidRecurring = false
  let cardlessTrialOnly = true
  let startsBillingSubscription = false
  for (const t of transitions) {
    if (t.starts === "one_off") oneOff = true
    if (t.starts !== "paid_recurring") continue
    paidRecurring = true
    if (t.trial === undefined || t.trial.trial.cardRequired) cardlessTrialOnly = false
    if (t.startsBillingSubscription) startsBillingSubscription = true
  }
  const { request, customer } = resolved.ctx
  return Checkout.decide({
    redirectMode: request.redirectMode ?? "if_required",
    invoiceMode: request.invoiceMode?.enabled === true,
    anyImmediate: immediate,
    hasPaymentMethod: customer.hasPaymentMethod === true,
    oneOff,
    paidRecurring,
    hadPaidSubscription: resolved.hadPaidSubscription,
    cardlessTrial: paidRecurring && cardlessTrialOnly,
    startsBillingSubscription
  })
}
