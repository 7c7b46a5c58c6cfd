/**
 * Renewals on the local Stripe-compatible test server: moving its clock forward runs what Stripe
 * runs at each period boundary a subscription passes, in order — a cancellation at period end
 * ends it; a schedule's phase starting there sets the subscription's items, discounts and the phase's
 * metadata (a schedule whose last phase ended is released); then the renewal invoice bills the
 * items at their prices for the new period (with the customer's pending invoice items), less the
 * subscription's discounts in force (test/stripe/fakeDiscounts.ts), is finalized (the customer's
 * balance applied) and charged to the default card off-session; a declined charge leaves the
 * subscription `past_due`.
 *
 * @example advanceClock(fake.state, Date.parse("2025-02-16T01:00:00Z") / 1000, fake.base)
 */
import {
  type FakeInvoiceItem, type FakeState, type FakeSubscription, chargeInvoice, currentPeriod, draftInvoice, emit, finalizeInvoice, newId, refresh
} from "./fakeObjects.ts"
import { discountRenewal, setDiscounts } from "./fakeDiscounts.ts"

const applySchedule = (s: FakeState, sub: FakeSubscription, at: number): void => {
  const schedule = sub.schedule === null ? undefined : s.schedules.get(sub.schedule)
  if (schedule === undefined || schedule.status !== "active") return
  const next = schedule.phases.find((p) => p.start_date === at)
  if (next !== undefined) {
    sub.items.data = next.items.map((i) => {
      const price = s.prices.get(i.price)
      if (price === undefined) throw new Error(`schedule ${schedule.id} names no price ${i.price}`)
      return { id: newId(s, "si"), object: "subscription_item" as const, price, quantity: i.quantity, current_period_start: 0, current_period_end: 0 }
    })
    sub.metadata = { ...sub.metadata, ...next.metadata }
    // A phase that names no discounts inherits the customer's (none here): the subscription's are replaced either way.
    setDiscounts(s, sub, next.discounts ?? "")
    schedule.current_phase = { start_date: next.start_date, end_date: next.end_date }
  } else if (schedule.phases.at(-1)?.end_date === at && schedule.end_behavior === "release") {
    schedule.status = "released"
    schedule.released_subscription = sub.id
    schedule.current_phase = null
    sub.schedule = null
  }
}

const renew = (s: FakeState, sub: FakeSubscription, base: string): void => {
  const period = currentPeriod(s, refresh(s, sub))
  const inv = draftInvoice(s, sub.customer, sub.currency, {
    collection_method: sub.collection_method, subscription: sub.id, billing_reason: "subscription_cycle", auto_advance: true,
    parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: {} } }
  })
  const lines: Array<FakeInvoiceItem> = sub.items.data.map((i) => ({
    id: newId(s, "il"), object: "invoiceitem", customer: sub.customer, currency: sub.currency, amount: i.price.unit_amount * i.quantity,
    description: `${i.quantity} × ${i.price.id}`, period: { start: period.start, end: period.end }, invoice: inv.id, discountable: true, metadata: {}
  }))
  for (const item of s.invoiceItems.values()) {
    if (item.invoice !== null || item.customer !== sub.customer || item.currency !== sub.currency) continue
    item.invoice = inv.id
    lines.push(item)
  }
  inv.lines.data = lines
  discountRenewal(s, sub, inv)
  s.invoices.set(inv.id, inv)
  sub.latest_invoice = inv.id
  emit(s, "invoice.created", inv)
  finalizeInvoice(s, inv, base)
  if (inv.status !== "open" || sub.collection_method !== "charge_automatically") return
  const customer = s.customers.get(sub.customer)
  chargeInvoice(s, inv, s.paymentMethods.get(customer?.invoice_settings.default_payment_method ?? ""), false)
  refresh(s, sub)
}

/** Moves the server's clock to `to` (epoch seconds), running every boundary passed on the way. */
export const advanceClock = (s: FakeState, to: number, base: string): void => {
  const from = s.now
  for (const sub of s.subscriptions.values()) {
    s.now = from
    for (let n = 0; n < 120 && sub.status !== "canceled"; n++) {
      const end = currentPeriod(s, refresh(s, sub)).end
      if (end > to) break
      s.now = end
      if (sub.cancel_at_period_end) {
        sub.status = "canceled"
        sub.canceled_at = end
        emit(s, "customer.subscription.deleted", sub)
        break
      }
      applySchedule(s, sub, end)
      renew(s, sub, base)
      emit(s, "customer.subscription.updated", refresh(s, sub))
    }
  }
  s.now = Math.max(from, to)
}
