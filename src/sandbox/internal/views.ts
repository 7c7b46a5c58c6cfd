/**
 * What the provider shows of a sandbox row: the port's view of a subscription, an invoice and a
 * checkout session, without the sandbox's own bookkeeping.
 *
 * @example invoiceView(inv) // { id, status, currency, total, amountDue, hostedUrl }
 */
import type { CheckoutSession, ProviderInvoice, ProviderSubscription } from "../../Provider.ts"
import type { Invoice, Session, Subscription } from "./draft.ts"

/** @example subscriptionView(sub).status // "active" */
export const subscriptionView = (sub: Subscription): ProviderSubscription =>
  ({ id: sub.id, status: sub.status, items: sub.items, cancelAt: sub.cancelAt, phase: sub.phase })

/** @example invoiceView(inv).hostedUrl */
export const invoiceView = (inv: Invoice): ProviderInvoice =>
  ({ id: inv.id, status: inv.status, currency: inv.currency, total: inv.total, amountDue: inv.amountDue, hostedUrl: inv.hostedUrl })

/** @example sessionView(cs).url */
export const sessionView = (cs: Session): CheckoutSession => ({ id: cs.id, url: cs.url, status: cs.status })
