/**
 * Collecting an invoice: finalizing a draft (open, or paid when nothing is due) and charging an
 * open invoice with a test payment method, recording each attempt.
 *
 * @example charge(s, inv, "pm_card_visa", false) // Outcome<ProviderInvoice>, the invoice paid
 */
import * as Result from "effect/Result"
import { AuthenticationRequired, CardDeclined, PaymentMethodRequired, type ProviderError, type ProviderInvoice } from "../../Provider.ts"
import type { Invoice, State } from "./draft.ts"
import type { Outcome } from "./outcome.ts"
import { BASE_URL, newId } from "./rows.ts"
import { invoiceView } from "./views.ts"

/**
 * Charges an open invoice with a payment method; `onSession` is the customer on the hosted page (3-D Secure passes).
 *
 * @example charge(s, inv, customerOf(s, inv.customerId).paymentMethod, false)
 */
export const charge = (s: State, inv: Invoice, paymentMethod: string | null, onSession: boolean): Outcome<ProviderInvoice> => {
  const fail = (outcome: string, error: ProviderError): Outcome<never> => {
    inv.attempts = [...inv.attempts, { paymentMethod, outcome }]
    return Result.fail(error)
  }
  if (paymentMethod === null) return fail("no_payment_method", new PaymentMethodRequired({ message: `Customer ${inv.customerId} has no payment method`, invoiceId: inv.id }))
  if (paymentMethod === "pm_card_declined" || paymentMethod === "pm_card_insufficient_funds") {
    const declineCode = paymentMethod === "pm_card_declined" ? "card_declined" : "insufficient_funds"
    return fail(declineCode, new CardDeclined({ message: `The card was declined (${declineCode})`, declineCode, invoiceId: inv.id }))
  }
  if (paymentMethod === "pm_card_3ds" && !onSession) {
    return fail("authentication_required", new AuthenticationRequired({ message: "The payment needs 3-D Secure authentication by the customer", invoiceId: inv.id }))
  }
  inv.attempts = [...inv.attempts, { paymentMethod, outcome: "succeeded" }]
  s.charges.push({ id: newId(s, "ch"), customerId: inv.customerId, invoiceId: inv.id, amount: inv.amountDue, currency: inv.currency, paymentMethod })
  inv.amountPaid = inv.amountDue
  inv.status = "paid"
  return Result.succeed(invoiceView(inv))
}

/** A draft invoice becomes open (paid when nothing is due) with its hosted page. @example if (inv.status === "draft") finalize(inv) */
export const finalize = (inv: Invoice): void => {
  inv.status = inv.amountDue === 0 ? "paid" : "open"
  inv.hostedUrl = `${BASE_URL}/invoices/${inv.id}`
}
