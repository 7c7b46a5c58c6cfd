/**
 * The sandbox's own operations beside the port, on a draft of its state: seeding a customer it
 * has not seen, and what a customer does in a browser (a card, a checkout, a hosted invoice
 * page) or the provider's dashboard does to an invoice (finalize, void).
 *
 * @example payInvoiceHosted(draft, "in_sbx_0001", "pm_card_3ds") // Outcome<ProviderInvoice>, 3-D Secure passes
 */
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import type { Customer } from "../Customer.ts"
import { findBy } from "../internal/rowIndex.ts"
import { billingView } from "../internal/billingView.ts"
import { CardDeclined, type CheckoutSession, type ProviderInvoice, ProviderRejected } from "../Provider.ts"
import { charge, finalize } from "./internal/charging.ts"
import type { State } from "./internal/draft.ts"
import { ok, type Outcome, rejected } from "./internal/outcome.ts"
import { BY_ID, customerOf, findInvoice, findSession } from "./internal/rows.ts"
import { isTestToken, unknownToken, validToken } from "./internal/testTokens.ts"
import { invoiceView, sessionView } from "./internal/views.ts"

/**
 * Creates the provider side of a customer's existing state (for a customer the sandbox has not seen).
 *
 * @example seed(draft, { id: "cus_1", hasPaymentMethod: true }, catalog)
 */
export const seed = (s: State, customer: Customer, catalog: Catalog): Outcome<void> => {
  if (s.customers.some((c) => c.id === customer.id)) return ok
  s.customers.push({ id: customer.id, balance: customer.creditBalance ?? 0, paymentMethod: customer.hasPaymentMethod === true ? "pm_card_visa" : null })
  for (const b of billingView(customer, catalog)) {
    if (b.items.length === 0 || s.subscriptions.some((x) => x.id === b.providerId)) continue
    s.subscriptions.push({
      id: b.providerId, status: b.trialEndsAt === null ? "active" : "trialing", items: b.items, cancelAt: b.cancelAt,
      phase: b.phase, customerId: customer.id,
      currency: customer.currency ?? catalog.defaultCurrency, billingAnchor: b.billingAnchor, trialEndsAt: b.trialEndsAt,
      collection: "charge_automatically", netTermsDays: null, canceledAt: null
    })
  }
  return ok
}

/** Makes a test payment method the customer's default. @example attachPaymentMethod(draft, "cus_1", "pm_card_visa") */
export const attachPaymentMethod = (s: State, customerId: string, token: string): Result.Result<void, ProviderRejected> => {
  if (!isTestToken(token)) return Result.fail(unknownToken(token))
  customerOf(s, customerId).paymentMethod = token
  return Result.succeed(undefined)
}

/** The customer completes a checkout session (by id or URL) with a test card, which becomes their default. @example completeCheckout(draft, session.url, "pm_card_visa") */
export const completeCheckout = (s: State, session: string, token: string): Outcome<CheckoutSession> =>
  Result.flatMap(Result.flatMap(validToken(token), () => findSession(s, session)), (cs) => {
    if (cs.status === "complete") return Result.succeed(sessionView(cs))
    if (token === "pm_card_declined" || token === "pm_card_insufficient_funds") {
      return Result.fail(new CardDeclined({ message: "The card was declined at checkout", declineCode: token === "pm_card_declined" ? "card_declined" : "insufficient_funds", invoiceId: null }))
    }
    cs.status = "complete"
    cs.paymentMethod = token
    customerOf(s, cs.customerId).paymentMethod = token
    return Result.succeed(sessionView(cs))
  })

/** The customer pays an open invoice on its hosted page (3-D Secure passes there), with `token` or their default card. @example payInvoiceHosted(draft, "in_sbx_0001", undefined) */
export const payInvoiceHosted = (s: State, invoiceId: string, token: string | undefined): Outcome<ProviderInvoice> =>
  Result.flatMap(findInvoice(s, invoiceId), (inv) => {
    if (inv.status === "paid") return Result.succeed(invoiceView(inv))
    if (inv.status !== "open") return rejected("invoice_not_open", `Invoice ${inv.id} is ${inv.status}`)
    const pm = token === undefined ? customerOf(s, inv.customerId).paymentMethod : token
    return Result.flatMap(pm === null ? Result.succeed(null) : validToken(pm), (valid) => charge(s, inv, valid, true))
  })

/** Finalizes a draft invoice: it becomes open (or paid when nothing is due). @example finalizeInvoice(draft, "in_sbx_0001") */
export const finalizeInvoice = (s: State, invoiceId: string): Result.Result<ProviderInvoice, ProviderRejected> => {
  const inv = findBy(s.invoices, BY_ID, invoiceId)
  if (inv === undefined) return Result.fail(new ProviderRejected({ code: "resource_missing", message: `No invoice ${invoiceId}` }))
  if (inv.status === "draft") finalize(inv)
  return Result.succeed(invoiceView(inv))
}

/** Voids a draft or open invoice; the credit it applied returns to the balance. @example voidInvoice(draft, "in_sbx_0001") */
export const voidInvoice = (s: State, invoiceId: string): Result.Result<ProviderInvoice, ProviderRejected> => {
  const inv = findBy(s.invoices, BY_ID, invoiceId)
  if (inv === undefined) return Result.fail(new ProviderRejected({ code: "resource_missing", message: `No invoice ${invoiceId}` }))
  if (inv.status === "paid") return Result.fail(new ProviderRejected({ code: "invoice_paid", message: `Invoice ${invoiceId} is paid` }))
  if (inv.status !== "void") {
    customerOf(s, inv.customerId).balance += inv.creditApplied
    inv.status = "void"
  }
  return Result.succeed(invoiceView(inv))
}
