/**
 * The invoice, invoice item and Checkout endpoints of the local Stripe-compatible test server.
 *
 * @example BILLING_ROUTES.length // 9
 */
import { type FakeInvoice, type FakeInvoiceItem, type FakeSession, draftInvoice } from "./fakeObjects.ts"
import { FakeError, type Route, chargeInvoice, emit, finalizeInvoice, invalid, meta, need, newId, num, obj, str } from "./fakeRoutes.ts"

const draft = (inv: FakeInvoice): FakeInvoice => {
  if (inv.status !== "draft") throw invalid(`Invoice ${inv.id} is ${inv.status}, not a draft`, "invoice_not_editable")
  return inv
}

const cardError = (code: string, invoice: string): FakeError =>
  new FakeError(402, { type: "card_error", code, decline_code: code === "card_declined" ? "generic_decline" : code, message: code === "card_declined" ? "Your card was declined." : "This payment requires authentication.", invoice })

/** The endpoints. */
export const BILLING_ROUTES: Array<Route> = [
  { method: "POST", path: /^\/v1\/invoiceitems$/, file: "InvoiceItems", iface: "InvoiceItemCreateParams", handle: ({ s, params }) => {
    const c = need(s.customers, str(params["customer"]), "customer")
    const invoiceId = str(params["invoice"])
    const inv = invoiceId === undefined ? undefined : draft(need(s.invoices, invoiceId, "invoice"))
    const currency = str(params["currency"]) ?? inv?.currency ?? "usd"
    if (inv !== undefined && (inv.customer !== c.id || inv.currency !== currency)) throw invalid(`Invoice ${inv.id} is another customer's or in another currency`)
    const amount = num(params["amount"])
    if (amount === undefined || !Number.isInteger(amount)) throw invalid("amount must be an integer in the currency's minor unit", "parameter_missing")
    const p = obj(params["period"])
    const item: FakeInvoiceItem = {
      id: newId(s, "ii"), object: "invoiceitem", customer: c.id, currency, amount, description: str(params["description"]) ?? null,
      period: { start: num(p["start"]) ?? s.now, end: num(p["end"]) ?? s.now }, invoice: inv?.id ?? null,
      discountable: params["discountable"] !== "false", metadata: meta({}, params["metadata"])
    }
    if (item.period.end < item.period.start) throw invalid("period.end must not be before period.start")
    s.invoiceItems.set(item.id, item)
    if (inv !== undefined) {
      inv.lines.data.push(item)
      inv.subtotal = inv.total = inv.amount_due = inv.amount_remaining = inv.lines.data.reduce((sum, l) => sum + l.amount, 0)
    }
    return item
  } },
  { method: "POST", path: /^\/v1\/invoices$/, file: "Invoices", iface: "InvoiceCreateParams", handle: ({ s, params }) => {
    const c = need(s.customers, str(params["customer"]), "customer")
    const currency = str(params["currency"])
    if (currency === undefined) throw invalid("currency is required here", "parameter_missing")
    const inv = draftInvoice(s, c.id, currency, {
      collection_method: str(params["collection_method"]) ?? "charge_automatically", description: str(params["description"]) ?? null,
      metadata: meta({}, params["metadata"]), auto_advance: params["auto_advance"] === "true", days_until_due: num(params["days_until_due"]) ?? null
    })
    if (str(params["pending_invoice_items_behavior"]) === "include") {
      for (const item of s.invoiceItems.values()) if (item.invoice === null && item.customer === c.id && item.currency === currency) {
        item.invoice = inv.id
        inv.lines.data.push(item)
      }
    }
    s.invoices.set(inv.id, inv)
    emit(s, "invoice.created", inv)
    return inv
  } },
  { method: "GET", path: /^\/v1\/invoices$/, file: "Invoices", iface: "InvoiceListParams", handle: ({ s, params }) => {
    const data = [...s.invoices.values()].reverse().filter((i) =>
      (str(params["customer"]) === undefined || i.customer === str(params["customer"])) && (str(params["subscription"]) === undefined || i["subscription"] === str(params["subscription"])))
    return { object: "list", data: data.slice(0, num(params["limit"]) ?? 10), has_more: data.length > (num(params["limit"]) ?? 10), url: "/v1/invoices" }
  } },
  { method: "GET", path: /^\/v1\/invoices\/([^/]+)$/, file: "Invoices", iface: "InvoiceRetrieveParams", handle: ({ s, args }) => need(s.invoices, args[0], "invoice") },
  { method: "POST", path: /^\/v1\/invoices\/([^/]+)\/finalize$/, file: "Invoices", iface: "InvoiceFinalizeInvoiceParams", handle: ({ s, args, base }) => {
    const inv = draft(need(s.invoices, args[0], "invoice"))
    finalizeInvoice(s, inv, base)
    return inv
  } },
  { method: "POST", path: /^\/v1\/invoices\/([^/]+)\/send$/, file: "Invoices", iface: "InvoiceSendInvoiceParams", handle: ({ s, args }) => {
    const inv = need(s.invoices, args[0], "invoice")
    if (inv.collection_method !== "send_invoice") throw invalid("Only send_invoice invoices can be sent")
    emit(s, "invoice.sent", inv)
    return inv
  } },
  { method: "POST", path: /^\/v1\/invoices\/([^/]+)\/pay$/, file: "Invoices", iface: "InvoicePayParams", handle: ({ s, args, params }) => {
    const inv = need(s.invoices, args[0], "invoice")
    if (inv.status === "paid") throw invalid("Invoice is already paid", "invoice_already_paid")
    if (inv.status !== "open") throw invalid(`Invoice ${inv.id} is ${inv.status}`, "invoice_not_open")
    const customer = need(s.customers, inv.customer, "customer")
    const pm = s.paymentMethods.get(str(params["payment_method"]) ?? customer.invoice_settings.default_payment_method ?? "")
    const outcome = chargeInvoice(s, inv, pm, false)
    if (outcome === "no_payment_method") throw invalid("This customer has no attached payment source or default payment method.", "invoice_no_customer_payment_method")
    if (outcome !== "paid") throw cardError(outcome === "declined" ? "card_declined" : "authentication_required", inv.id)
    return inv
  } },
  { method: "POST", path: /^\/v1\/invoices\/([^/]+)\/void$/, file: "Invoices", iface: "InvoiceVoidInvoiceParams", handle: ({ s, args }) => {
    const inv = need(s.invoices, args[0], "invoice")
    if (inv.status !== "open") throw invalid(`Only open invoices can be voided; ${inv.id} is ${inv.status}`)
    const customer = s.customers.get(inv.customer)
    if (customer !== undefined) customer.balance += inv.starting_balance - (inv.ending_balance ?? inv.starting_balance)
    inv.status = "void"
    emit(s, "invoice.voided", inv)
    return inv
  } },
  { method: "POST", path: /^\/v1\/checkout\/sessions$/, file: "Checkout/Sessions", iface: "Checkout.SessionCreateParams", handle: ({ s, params, base }) => {
    const c = need(s.customers, str(params["customer"]), "customer")
    const mode = str(params["mode"])
    if (mode === undefined) throw invalid("mode is required", "parameter_missing")
    if (mode === "setup" && str(params["currency"]) === undefined) throw invalid("currency is required in setup mode", "parameter_missing")
    const success = str(params["success_url"])
    if (success === undefined) throw invalid("success_url is required", "parameter_missing")
    const id = newId(s, "cs_test")
    const session: FakeSession = {
      id, object: "checkout.session", mode, customer: c.id, currency: str(params["currency"]) ?? null, status: "open", url: `${base}/c/${id}`,
      success_url: success, metadata: meta({}, params["metadata"]), setup_intent: null
    }
    s.sessions.set(id, session)
    return session
  } },
  { method: "GET", path: /^\/v1\/checkout\/sessions\/([^/]+)$/, file: "Checkout/Sessions", iface: "Checkout.SessionRetrieveParams", handle: ({ s, args }) => need(s.sessions, args[0], "checkout session") }
]
