/**
 * The checkout decision (docs/spec.md §10): whether the customer must go through the provider's
 * checkout, confirm a payment, or nothing.
 *
 * @example
 * import { Checkout } from "attach-planner"
 * Checkout.decide({ redirectMode: "if_required", invoiceMode: false, anyImmediate: true, hasPaymentMethod: false,
 *   oneOff: false, paidRecurring: true, hadPaidSubscription: false, cardlessTrial: false, startsBillingSubscription: true })
 * // "provider_checkout"
 */
import type { Checkout } from "./Preview.ts"

/**
 * The facts of an attach that decide its checkout.
 * @example
 * const facts: CheckoutFacts = { redirectMode: "if_required", invoiceMode: false, anyImmediate: true, hasPaymentMethod: false, oneOff: false,
 *   paidRecurring: true, hadPaidSubscription: false, cardlessTrial: false, startsBillingSubscription: true } // decide(facts): "provider_checkout"
 */
export interface CheckoutFacts {
  readonly redirectMode: "always" | "if_required" | "never"
  readonly invoiceMode: boolean
  /** Whether any change takes effect now (a change starting in the future needs no payment now). */
  readonly anyImmediate: boolean
  readonly hasPaymentMethod: boolean
  /** A one-off plan is attached now. */
  readonly oneOff: boolean
  /** A paid recurring plan starts now (new or upgrade). */
  readonly paidRecurring: boolean
  /** The customer already had a current paid recurring subscription. */
  readonly hadPaidSubscription: boolean
  /** Every paid recurring plan starting now starts a trial that needs no card. */
  readonly cardlessTrial: boolean
  /** The attach starts a new billing subscription (rather than changing one). */
  readonly startsBillingSubscription: boolean
}

/**
 * Decides the checkout of an attach.
 *
 * @example decide({ ...facts, redirectMode: "never" }) // "none"
 */
export const decide = (f: CheckoutFacts): Checkout => {
  if (f.redirectMode === "never" || f.invoiceMode || !f.anyImmediate) return "none"
  if (!f.hasPaymentMethod && f.oneOff) return "provider_checkout"
  if (!f.hasPaymentMethod && !f.hadPaidSubscription && f.paidRecurring && !f.cardlessTrial) return "provider_checkout"
  if (f.redirectMode === "always") return f.oneOff || f.startsBillingSubscription ? "provider_checkout" : "confirm"
  return "none"
}
