/**
 * The invoice operations of the port on Stripe. The plan's invoice is a Stripe invoice created
 * without pending items (`pending_invoice_items_behavior: "exclude"`, `auto_advance: false`) and
 * one invoice item per preview line, with the line's exact amount (after its discounts, which
 * are not `discountable` again) and period: Stripe's `total` is the preview's total by
 * construction, and its `amount_due` the preview's `amountDue` once Stripe applies the customer's
 * credit balance — which the adapter checks equals the plan's `creditApplied` before finalizing.
 *
 * @example const ops = invoiceOps(ctx); const invoice = await ops.createInvoice(request)
 */
import type Stripe from "stripe"
import { PaymentMethodRequired, type PayInvoiceRequest, type ProviderInvoice, ProviderRejected, type Request } from "../Provider.ts"
import { stripeCall } from "./errors.ts"
import { type StripeContext, idOf, seconds } from "./context.ts"

/** The port's view of a Stripe invoice (`uncollectible` reads as `open`). @example invoiceView(invoice).amountDue */
export const invoiceView = (inv: Stripe.Invoice): ProviderInvoice => ({
  id: inv.id,
  status: inv.status === "draft" ? "draft" : inv.status === "paid" ? "paid" : inv.status === "void" ? "void" : "open",
  currency: inv.currency,
  total: inv.total,
  amountDue: inv.amount_due,
  hostedUrl: inv.hosted_invoice_url ?? null
})

const retrieve = (ctx: StripeContext, id: string): Promise<Stripe.Invoice> => stripeCall(() => ctx.stripe.invoices.retrieve(id), id)

/** Refuses to finalize when Stripe would apply another credit than the plan's `creditApplied`. */
const checkCredit = async (ctx: StripeContext, customer: string, r: Request<"createInvoice">): Promise<void> => {
  const c = await stripeCall(() => ctx.stripe.customers.retrieve(customer), null)
  const credit = "deleted" in c && c.deleted === true ? 0 : Math.max(0, -c.balance)
  const applies = r.total > 0 ? Math.min(credit, r.total) : 0
  if (applies !== r.creditApplied) {
    throw new ProviderRejected({
      code: "amount_mismatch",
      message: `Stripe would apply ${applies} of the customer's credit balance (${credit}) to this invoice, the plan applies ${r.creditApplied}: keep the customer's credit balance in step with Stripe's`
    })
  }
}

const addLines = async (ctx: StripeContext, customer: string, invoice: string, r: Request<"createInvoice">): Promise<void> => {
  for (const [i, line] of r.lines.entries()) {
    await stripeCall(() => ctx.stripe.invoiceItems.create({
      customer, invoice, currency: r.currency, amount: line.total, description: line.description, discountable: false,
      ...(line.period === null ? {} : { period: { start: seconds(line.period.start), end: seconds(line.period.end) } }),
      metadata: { ap_kind: line.kind, ap_plan: line.planId ?? "", ap_feature: line.featureId ?? "" }
    }, { idempotencyKey: `${r.idempotencyKey}:line:${i}` }), null)
  }
}

const finalize = async (ctx: StripeContext, inv: Stripe.Invoice, r: Request<"createInvoice">): Promise<Stripe.Invoice> => {
  const done = await stripeCall(() => ctx.stripe.invoices.finalizeInvoice(inv.id, { auto_advance: false }, { idempotencyKey: `${r.idempotencyKey}:finalize` }), inv.id)
  if (r.collection !== "send_invoice" || done.status !== "open") return done
  return stripeCall(() => ctx.stripe.invoices.sendInvoice(inv.id, {}, { idempotencyKey: `${r.idempotencyKey}:send` }), inv.id)
}

/**
 * The invoice operations over Stripe.
 *
 * @example const ops = invoiceOps(ctx); await ops.payInvoice({ idempotencyKey: "k", invoiceId: "in_1", amount: 2049, creditApplied: 0 })
 */
export const invoiceOps = (ctx: StripeContext) => ({
  createInvoice: async (r: Request<"createInvoice">): Promise<ProviderInvoice> => {
    const customer = await ctx.customerOf(r.customerId)
    const created = await stripeCall(() => ctx.stripe.invoices.create({
      customer, currency: r.currency, description: r.description, collection_method: r.collection,
      ...(r.collection === "send_invoice" ? { days_until_due: r.netTermsDays ?? 30 } : {}),
      auto_advance: false, pending_invoice_items_behavior: "exclude",
      metadata: { ap_key: r.idempotencyKey, ap_total: String(r.total), ap_amount_due: String(r.amountDue) }
    }, { idempotencyKey: r.idempotencyKey }), null)
    // A replayed key answers the invoice as first created: read what it is now.
    let inv = await retrieve(ctx, created.id)
    if (inv.status === "draft") {
      await addLines(ctx, customer, inv.id, r)
      if (r.finalize) {
        await checkCredit(ctx, customer, r)
        inv = await finalize(ctx, inv, r)
      } else inv = await retrieve(ctx, inv.id)
    }
    if (inv.total !== r.total || (inv.status !== "draft" && inv.amount_due !== r.amountDue)) {
      throw new ProviderRejected({ code: "amount_mismatch", message: `Stripe invoice ${inv.id} totals ${inv.total}, due ${inv.amount_due}; the plan says ${r.total}, due ${r.amountDue}` })
    }
    return invoiceView(inv)
  },
  payInvoice: async (r: PayInvoiceRequest): Promise<ProviderInvoice> => {
    const inv = await retrieve(ctx, r.invoiceId)
    if (inv.status === "paid") return invoiceView(inv)
    if (inv.status !== "open") throw new ProviderRejected({ code: "invoice_not_open", message: `Invoice ${inv.id} is ${inv.status}` })
    if (r.amount !== inv.amount_due) throw new ProviderRejected({ code: "amount_mismatch", message: `Invoice ${inv.id} is due ${inv.amount_due}, not ${r.amount}` })
    const customer = await stripeCall(() => ctx.stripe.customers.retrieve(idOf(inv.customer ?? "")), inv.id)
    const method = "deleted" in customer && customer.deleted === true ? null : customer.invoice_settings.default_payment_method ?? customer.default_source
    if (method === null) throw new PaymentMethodRequired({ message: `Customer ${customer.id} has no default payment method`, invoiceId: inv.id })
    // Each attempt has its own key: a declined attempt must not answer the next one.
    const paid = await stripeCall(() => ctx.stripe.invoices.pay(inv.id, { off_session: true }, { idempotencyKey: `${r.idempotencyKey}:${inv.attempt_count}` }), inv.id)
    return invoiceView(paid)
  },
  retrieveInvoice: async (id: string): Promise<ProviderInvoice> => invoiceView(await retrieve(ctx, id))
})
