/**
 * The contract's invoice, checkout and error checks: invoices created as drafts or finalized with
 * the request's totals, paid once (by key and by state), refused once voided; a key reused with
 * other parameters; Checkout for a customer without a card; a declined card, 3-D Secure and no
 * card, each naming the invoice; outages before and after the provider acted, retried with the
 * same key; unknown ids.
 *
 * @example INVOICE_CHECKS.map(([name]) => name)
 */
import { item, requests } from "./requests.ts"
import { type Probe, type ProbeContext, eq, fails, holds, ok } from "./probe.ts"

const openInvoice = async (p: ProbeContext, card: "pays" | "declines" | "3ds" | null, amount = 2000) => {
  const customer = await p.subject.newCustomer(card)
  const reqs = requests(p.prefix, p.now)
  const r = reqs.invoice(customer, amount)
  const invoice = await ok(p, "createInvoice", p.subject.port.createInvoice(r))
  const pay = { idempotencyKey: reqs.key("payInvoice"), invoiceId: invoice?.id ?? "", amount, creditApplied: 0 }
  return { customer, reqs, r, invoice, pay }
}

const create: Probe = async (p) => {
  const customer = await p.subject.newCustomer("pays")
  const reqs = requests(p.prefix, p.now)
  const draft = await ok(p, "createInvoice (finalize: false)", p.subject.port.createInvoice(reqs.invoice(customer, 1500, false)))
  eq(p, "draft status", draft?.status, "draft")
  eq(p, "draft total", draft?.total, 1500)
  const r = reqs.invoice(customer, 2000)
  const open = await ok(p, "createInvoice (finalize: true)", p.subject.port.createInvoice(r))
  eq(p, "finalized", [open?.status, open?.currency, open?.total, open?.amountDue], ["open", "usd", 2000, 2000])
  eq(p, "the same key again answers the same invoice", (await ok(p, "createInvoice again", p.subject.port.createInvoice(r)))?.id, open?.id)
  eq(p, "retrieveInvoice", (await ok(p, "retrieveInvoice", p.subject.port.retrieveInvoice(open?.id ?? "")))?.total, 2000)
  eq(p, "charges", await p.subject.charges(customer), [])
}

const pay: Probe = async (p) => {
  const { customer, reqs, pay } = await openInvoice(p, "pays")
  eq(p, "payInvoice", (await ok(p, "payInvoice", p.subject.port.payInvoice(pay)))?.status, "paid")
  eq(p, "payInvoice again, same key", (await ok(p, "payInvoice again", p.subject.port.payInvoice(pay)))?.status, "paid")
  eq(p, "payInvoice again, new key", (await ok(p, "payInvoice with a new key", p.subject.port.payInvoice({ ...pay, idempotencyKey: reqs.key("payInvoice") })))?.status, "paid")
  eq(p, "charged once", await p.subject.charges(customer), [2000])
}

const voided: Probe = async (p) => {
  const { customer, invoice, pay } = await openInvoice(p, "pays")
  if (invoice === undefined) return
  await p.subject.voidInvoice(invoice.id)
  eq(p, "retrieveInvoice once voided", (await ok(p, "retrieveInvoice", p.subject.port.retrieveInvoice(invoice.id)))?.status, "void")
  await fails(p, "payInvoice of a void invoice", p.subject.port.payInvoice(pay), "ProviderRejected")
  eq(p, "charges", await p.subject.charges(customer), [])
}

const reused: Probe = async (p) => {
  const { r } = await openInvoice(p, "pays")
  const other = { ...r, lines: r.lines.map((l) => ({ ...l, amount: 2500, total: 2500 })), subtotal: 2500, total: 2500, amountDue: 2500 }
  eq(p, "code", (await fails(p, "createInvoice: the same key, other amounts", p.subject.port.createInvoice(other), "ProviderRejected"))?.code, "idempotency_key_reused")
}

const checkout: Probe = async (p) => {
  const customer = await p.subject.newCustomer(null)
  const reqs = requests(p.prefix, p.now)
  const r = reqs.checkout(customer)
  const session = await ok(p, "createCheckoutSession", p.subject.port.createCheckoutSession(r))
  eq(p, "session status", session?.status, "open")
  holds(p, "session url", typeof session?.url === "string" && session.url.length > 0, session?.url)
  eq(p, "the same key again answers the same session", (await ok(p, "createCheckoutSession again", p.subject.port.createCheckoutSession(r)))?.id, session?.id)
  if (session === undefined) return
  await p.subject.completeCheckout(session.id)
  eq(p, "retrieveCheckoutSession once completed", (await ok(p, "retrieveCheckoutSession", p.subject.port.retrieveCheckoutSession(session.id)))?.status, "complete")
  const invoice = await ok(p, "createInvoice after checkout", p.subject.port.createInvoice(reqs.invoice(customer, 1000)))
  const paid = await ok(p, "payInvoice with the card checkout saved", p.subject.port.payInvoice({ idempotencyKey: reqs.key("payInvoice"), invoiceId: invoice?.id ?? "", amount: 1000, creditApplied: 0 }))
  eq(p, "paid", paid?.status, "paid")
  eq(p, "charges", await p.subject.charges(customer), [1000])
}

const declined: Probe = async (p) => {
  const { customer, invoice, pay } = await openInvoice(p, "declines")
  eq(p, "invoiceId", (await fails(p, "payInvoice with a declined card", p.subject.port.payInvoice(pay), "CardDeclined"))?.invoiceId, invoice?.id)
  eq(p, "the invoice stays open", (await ok(p, "retrieveInvoice", p.subject.port.retrieveInvoice(invoice?.id ?? "")))?.status, "open")
  eq(p, "charges", await p.subject.charges(customer), [])
}

const threeDs: Probe = async (p) => {
  const { customer, invoice, pay } = await openInvoice(p, "3ds")
  eq(p, "invoiceId", (await fails(p, "payInvoice with a 3-D Secure card", p.subject.port.payInvoice(pay), "AuthenticationRequired"))?.invoiceId, invoice?.id)
  const now = await ok(p, "retrieveInvoice", p.subject.port.retrieveInvoice(invoice?.id ?? ""))
  eq(p, "the invoice stays open", now?.status, "open")
  holds(p, "the hosted invoice page, where the customer authenticates", typeof now?.hostedUrl === "string" && now.hostedUrl.length > 0, now?.hostedUrl)
  eq(p, "charges", await p.subject.charges(customer), [])
}

const noCard: Probe = async (p) => {
  const { invoice, pay } = await openInvoice(p, null)
  eq(p, "invoiceId", (await fails(p, "payInvoice without a card", p.subject.port.payInvoice(pay), "PaymentMethodRequired"))?.invoiceId, invoice?.id)
}

const outage = (when: "before" | "after"): Probe => async (p) => {
  const customer = await p.subject.newCustomer("pays")
  const reqs = requests(p.prefix, p.now)
  const r = reqs.invoice(customer, 2000)
  await p.subject.failNextWrite(when)
  await fails(p, `createInvoice, the provider failing ${when} it acted`, p.subject.port.createInvoice(r), "ProviderUnavailable")
  const invoice = await ok(p, "createInvoice retried with the same key", p.subject.port.createInvoice(r))
  eq(p, "the retried invoice", [invoice?.status, invoice?.total], ["open", 2000])
  const pay = { idempotencyKey: reqs.key("payInvoice"), invoiceId: invoice?.id ?? "", amount: 2000, creditApplied: 0 }
  await p.subject.failNextWrite(when)
  await fails(p, `payInvoice, the provider failing ${when} it acted`, p.subject.port.payInvoice(pay), "ProviderUnavailable")
  eq(p, "payInvoice retried", (await ok(p, "payInvoice retried with the same key", p.subject.port.payInvoice(pay)))?.status, "paid")
  eq(p, "charged once", await p.subject.charges(customer), [2000])
  const sub = reqs.subscription(customer, [item("basic")])
  await p.subject.failNextWrite(when)
  await fails(p, `createSubscription, the provider failing ${when} it acted`, p.subject.port.createSubscription(sub), "ProviderUnavailable")
  await ok(p, "createSubscription retried with the same key", p.subject.port.createSubscription(sub))
  eq(p, "one subscription", await p.subject.subscriptions(customer), 1)
}

const unknown: Probe = async (p) => {
  await fails(p, "retrieveInvoice of an unknown id", p.subject.port.retrieveInvoice(`in_${p.prefix}_missing`), "ProviderRejected")
  const pay = { idempotencyKey: `${p.prefix}_pay_missing`, invoiceId: `in_${p.prefix}_missing`, amount: 100, creditApplied: 0 }
  await fails(p, "payInvoice of an unknown id", p.subject.port.payInvoice(pay), "ProviderRejected")
}

/** The invoice, checkout and error checks, by name. @example INVOICE_CHECKS[0]?.[0] */
export const INVOICE_CHECKS: ReadonlyArray<readonly [string, Probe]> = [
  ["createInvoice makes a draft (finalize: false) or an open invoice with the request's totals; the same key twice makes one", create],
  ["payInvoice charges the amount due once: the same key again, or another key on a paid invoice, charges nothing", pay],
  ["a voided invoice reads void and payInvoice refuses it (ProviderRejected)", voided],
  ["a key reused with other parameters is ProviderRejected (idempotency_key_reused)", reused],
  ["createCheckoutSession for a customer without a card: open, with a URL; completed, its card pays", checkout],
  ["a declined card is CardDeclined naming the invoice, which stays open and uncharged", declined],
  ["a card needing 3-D Secure is AuthenticationRequired naming the invoice, whose hosted page is given", threeDs],
  ["no card is PaymentMethodRequired naming the invoice", noCard],
  ["an outage before the provider acts is ProviderUnavailable; the retry with the same key acts once", outage("before")],
  ["an outage after the provider acted (the answer lost) is ProviderUnavailable; the retry with the same key acts once", outage("after")],
  ["an unknown invoice is ProviderRejected", unknown]
]
