/**
 * The objects of the local Stripe-compatible test server (test/stripe/fakeStripe.ts) and the
 * rules Stripe documents for them that the tests rely on:
 *
 * - an invoice's `subtotal` is the sum of its lines, `total` = subtotal minus its discounts
 *   (`total_discount_amounts`, which only renewals have: test/stripe/fakeDiscounts.ts); no tax; at finalization the customer's balance is applied: a credit (negative balance)
 *   reduces `amount_due` by min(credit, total), a debt (positive balance) adds to it, and a
 *   negative total is added to the customer's credit (`amount_due` 0); an invoice due 0 is paid
 *   when finalized; voiding gives the applied balance back;
 * - a subscription whose latest renewal invoice is open after a failed payment is `past_due`
 *   (active again once that invoice is paid);
 * - a subscription's current period runs from its start to its `billing_cycle_anchor` (or trial
 *   end), then one price interval after another from the anchor;
 * - test payment methods: `pm_card_visa` pays, `pm_card_chargeDeclined` is declined,
 *   `pm_card_authenticationRequired` needs 3-D Secure for every payment (off-session attempts
 *   fail with `authentication_required`; the hosted invoice page passes).
 *
 * @example const state = emptyFakeState(); state.now = 1_737_000_000
 */

/** A JSON object answered by the server. */
export type Json = Record<string, unknown>

export interface FakeCustomer extends Json {
  id: string; object: "customer"; balance: number; metadata: Record<string, string>; currency: string | null
  invoice_settings: { default_payment_method: string | null }; default_source: null; test_clock: string | null
}
export interface FakePaymentMethod extends Json { id: string; object: "payment_method"; type: "card"; customer: string | null; card: { brand: string; last4: string }; behavior: "pays" | "declines" | "3ds" }
export interface FakePrice extends Json {
  id: string; object: "price"; currency: string; unit_amount: number; lookup_key: string | null; product: string; active: true
  recurring: { interval: string; interval_count: number } | null; metadata: Record<string, string>; type: "recurring" | "one_time"
}
export interface FakeSubscriptionItem extends Json { id: string; object: "subscription_item"; price: FakePrice; quantity: number; current_period_start: number; current_period_end: number }
export interface FakeSubscription extends Json {
  id: string; object: "subscription"; customer: string; currency: string; status: string; metadata: Record<string, string>
  items: { object: "list"; data: Array<FakeSubscriptionItem> }; cancel_at_period_end: boolean; cancel_at: number | null; canceled_at: number | null
  schedule: string | null; trial_end: number | null; billing_cycle_anchor: number; start_date: number; collection_method: string; days_until_due: number | null
  discounts: Array<string>; latest_invoice: string | null
}
export interface FakePhase extends Json {
  start_date: number; end_date: number; items: Array<{ price: string; quantity: number }>; metadata: Record<string, string>
  /** The phase's `discounts` parameter as sent (absent: none), attached when the phase starts. */
  discounts: unknown
}
export interface FakeSchedule extends Json {
  id: string; object: "subscription_schedule"; subscription: string; customer: string; status: string; phases: Array<FakePhase>
  end_behavior: string; metadata: Record<string, string>; released_subscription: string | null; current_phase: { start_date: number; end_date: number } | null
}
export interface FakeInvoiceItem extends Json {
  id: string; object: "invoiceitem"; customer: string; currency: string; amount: number; description: string | null
  period: { start: number; end: number }; invoice: string | null; discountable: boolean; metadata: Record<string, string>
}
export interface FakeInvoice extends Json {
  id: string; object: "invoice"; customer: string; currency: string; status: string; collection_method: string; description: string | null
  metadata: Record<string, string>; lines: { object: "list"; data: Array<FakeInvoiceItem> }; subtotal: number; total: number
  amount_due: number; amount_paid: number; amount_remaining: number; starting_balance: number; ending_balance: number | null
  hosted_invoice_url: string | null; attempt_count: number; auto_advance: boolean; days_until_due: number | null
  total_discount_amounts: Array<{ amount: number; discount: string }>
}
export interface FakeCoupon extends Json {
  id: string; object: "coupon"; amount_off: number | null; percent_off: null; currency: string | null; duration: string; duration_in_months: number | null
  name: string | null; metadata: Record<string, string>; valid: true; times_redeemed: number
}
export interface FakeDiscount extends Json {
  id: string; object: "discount"; source: { type: "coupon"; coupon: FakeCoupon }; start: number; end: number | null; subscription: string | null; customer: string
}
export interface FakeSession extends Json {
  id: string; object: "checkout.session"; mode: string; customer: string; currency: string | null; status: string; url: string | null
  success_url: string; metadata: Record<string, string>; setup_intent: string | null
}
export interface FakeSetupIntent extends Json { id: string; object: "setup_intent"; customer: string; payment_method: string; status: "succeeded"; metadata: Record<string, string> }
export interface FakeEvent extends Json { id: string; object: "event"; type: string; created: number; data: { object: Json }; livemode: false; api_version: string }

/** The whole state of the test server. */
export interface FakeState {
  now: number
  nextId: number
  customers: Map<string, FakeCustomer>
  paymentMethods: Map<string, FakePaymentMethod>
  prices: Map<string, FakePrice>
  subscriptions: Map<string, FakeSubscription>
  schedules: Map<string, FakeSchedule>
  invoiceItems: Map<string, FakeInvoiceItem>
  invoices: Map<string, FakeInvoice>
  sessions: Map<string, FakeSession>
  setupIntents: Map<string, FakeSetupIntent>
  coupons: Map<string, FakeCoupon>
  discounts: Map<string, FakeDiscount>
  events: Array<FakeEvent>
  /** Successful payments: invoice id and amount. */
  charges: Array<{ invoice: string; amount: number; currency: string }>
}

/** A fresh state whose clock is `now` (epoch seconds). @example emptyFakeState(1_737_000_000) */
export const emptyFakeState = (now = Math.floor(Date.now() / 1000)): FakeState => ({
  now, nextId: 1, customers: new Map(), paymentMethods: new Map(), prices: new Map(), subscriptions: new Map(), schedules: new Map(),
  invoiceItems: new Map(), invoices: new Map(), sessions: new Map(), setupIntents: new Map(), coupons: new Map(), discounts: new Map(), events: [], charges: []
})

/** A new id with Stripe's prefix. */
export const newId = (s: FakeState, prefix: string): string => `${prefix}_fake${String(s.nextId++).padStart(5, "0")}`

/** Records an event with a copy of the object as it is now. */
export const emit = (s: FakeState, type: string, object: Json): void => {
  s.events.push({ id: newId(s, "evt"), object: "event", type, created: s.now, data: { object: structuredClone(object) }, livemode: false, api_version: "2026-10-28.endive" })
}

const BEHAVIOR: Record<string, FakePaymentMethod["behavior"]> = {
  pm_card_visa: "pays", pm_card_chargeDeclined: "declines", pm_card_authenticationRequired: "3ds"
}

/** Attaches a test payment method (a token such as `pm_card_visa`) to a customer: a new payment method id. */
export const attachToken = (s: FakeState, token: string, customer: string): FakePaymentMethod | undefined => {
  const behavior = BEHAVIOR[token]
  if (behavior === undefined) return undefined
  const pm: FakePaymentMethod = { id: newId(s, "pm"), object: "payment_method", type: "card", customer, card: { brand: "visa", last4: token === "pm_card_visa" ? "4242" : "0341" }, behavior }
  s.paymentMethods.set(pm.id, pm)
  return pm
}

/** UTC calendar months added to epoch seconds, the day clamped to the month's end (Jan 31 + 1 month = Feb 28/29). */
export const addMonths = (t: number, months: number): number => {
  const d = new Date(t * 1000)
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months
  const year = Math.floor(total / 12)
  const month = total - year * 12
  const day = Math.min(d.getUTCDate(), new Date(Date.UTC(year, month + 1, 0)).getUTCDate())
  return Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000
}

/** Boundary k of a price interval from `anchor`. */
export const boundary = (anchor: number, recurring: { interval: string; interval_count: number }, k: number): number => {
  const n = recurring.interval_count * k
  if (recurring.interval === "month") return addMonths(anchor, n)
  if (recurring.interval === "year") return addMonths(anchor, 12 * n)
  return anchor + n * (recurring.interval === "week" ? 7 : 1) * 86_400
}

/** The subscription's current period at the server's clock. */
export const currentPeriod = (s: FakeState, sub: FakeSubscription): { start: number; end: number } => {
  if (sub.trial_end !== null && s.now < sub.trial_end) return { start: sub.start_date, end: sub.trial_end }
  if (s.now < sub.billing_cycle_anchor) return { start: sub.start_date, end: sub.billing_cycle_anchor }
  const recurring = sub.items.data[0]?.price.recurring ?? { interval: "month", interval_count: 1 }
  let k = 0
  while (boundary(sub.billing_cycle_anchor, recurring, k + 1) <= s.now && k < 10_000) k++
  return { start: boundary(sub.billing_cycle_anchor, recurring, k), end: boundary(sub.billing_cycle_anchor, recurring, k + 1) }
}

/** Refreshes the periods and status a subscription shows at the server's clock. */
export const refresh = (s: FakeState, sub: FakeSubscription): FakeSubscription => {
  if (sub.status === "canceled") return sub
  const p = currentPeriod(s, sub)
  for (const item of sub.items.data) {
    item.current_period_start = p.start
    item.current_period_end = p.end
  }
  // A renewal whose payment failed leaves the subscription past_due until that invoice is paid (or voided).
  const latest = sub.latest_invoice === null ? undefined : s.invoices.get(sub.latest_invoice)
  const unpaid = latest?.["billing_reason"] === "subscription_cycle" && latest.status === "open" && latest.attempt_count > 0
  sub.status = sub.trial_end !== null && s.now < sub.trial_end ? "trialing" : unpaid ? "past_due" : "active"
  if (sub.cancel_at_period_end) sub.cancel_at = p.end
  return sub
}

/** A new draft invoice of a customer (not yet in the state). */
export const draftInvoice = (s: FakeState, customer: string, currency: string, fields: Partial<FakeInvoice> = {}): FakeInvoice => ({
  id: newId(s, "in"), object: "invoice", customer, currency, status: "draft", collection_method: "charge_automatically",
  description: null, metadata: {}, lines: { object: "list", data: [] }, subtotal: 0, total: 0,
  amount_due: 0, amount_paid: 0, amount_remaining: 0, starting_balance: 0, ending_balance: null, hosted_invoice_url: null, attempt_count: 0,
  auto_advance: false, days_until_due: null, total_discount_amounts: [], ...fields
})

/** Finalizes a draft invoice as Stripe documents: totals, the customer's balance, paid when nothing is due. */
export const finalizeInvoice = (s: FakeState, inv: FakeInvoice, hostedBase: string): void => {
  const customer = s.customers.get(inv.customer)
  const balance = customer?.balance ?? 0
  inv.subtotal = inv.lines.data.reduce((sum, l) => sum + l.amount, 0)
  inv.total = inv.subtotal - inv.total_discount_amounts.reduce((sum, d) => sum + d.amount, 0)
  inv.starting_balance = balance
  const due = inv.total + balance
  inv.amount_due = Math.max(0, due)
  inv.ending_balance = Math.min(0, due)
  if (customer !== undefined) customer.balance = inv.ending_balance
  inv.amount_remaining = inv.amount_due
  inv.status = inv.amount_due === 0 ? "paid" : "open"
  inv.hosted_invoice_url = `${hostedBase}/i/${inv.id}`
  emit(s, "invoice.finalized", inv)
  if (inv.status === "paid") emit(s, "invoice.paid", inv)
}

/** The outcome of charging an open invoice with a payment method. */
export type ChargeOutcome = "paid" | "declined" | "authentication_required" | "no_payment_method"

/** Charges an open invoice; `onSession` is the customer on the hosted page (3-D Secure passes). */
export const chargeInvoice = (s: FakeState, inv: FakeInvoice, pm: FakePaymentMethod | undefined, onSession: boolean): ChargeOutcome => {
  if (pm === undefined) return "no_payment_method"
  inv.attempt_count++
  if (pm.behavior === "declines" || (pm.behavior === "3ds" && !onSession)) {
    emit(s, pm.behavior === "declines" ? "invoice.payment_failed" : "invoice.payment_action_required", inv)
    return pm.behavior === "declines" ? "declined" : "authentication_required"
  }
  s.charges.push({ invoice: inv.id, amount: inv.amount_due, currency: inv.currency })
  inv.amount_paid = inv.amount_due
  inv.amount_remaining = 0
  inv.status = "paid"
  emit(s, "invoice.paid", inv)
  return "paid"
}
