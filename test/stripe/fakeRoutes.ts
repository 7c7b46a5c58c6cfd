/**
 * The endpoints of the local Stripe-compatible test server, each with the SDK's parameter
 * interface it is checked against (test/stripe/sdkParams.ts) and its handler over the state of
 * test/stripe/fakeObjects.ts. Form values arrive as strings and are read with `num`/`bool`.
 *
 * @example ROUTES.find((r) => r.method === "POST" && r.path.test("/v1/invoices"))
 */
import {
  type FakeInvoice, type FakeInvoiceItem, type FakePrice, type FakeSchedule, type FakeState, type FakeSubscription, type FakeSubscriptionItem,
  type Json, attachToken, boundary, chargeInvoice, currentPeriod, emit, finalizeInvoice, newId, refresh
} from "./fakeObjects.ts"
import { expandDiscounts, setDiscounts } from "./fakeDiscounts.ts"

/** A Stripe error answer. */
export class FakeError extends Error {
  constructor(readonly status: number, readonly body: Json) {
    super(String(body["message"]))
  }
}
const invalid = (message: string, code = "parameter_invalid", extra: Json = {}): FakeError => new FakeError(400, { type: "invalid_request_error", code, message, ...extra })
const missing = (what: string, id: string): FakeError => new FakeError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}: '${id}'` })

type P = Record<string, unknown>
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === "string" && v !== "" ? Number(v) : undefined)
const bool = (v: unknown): boolean | undefined => (v === "true" ? true : v === "false" ? false : undefined)
const obj = (v: unknown): P => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as P) : {})
const list = (v: unknown): Array<P> => (Array.isArray(v) ? v.map(obj) : [])
const meta = (current: Record<string, string>, v: unknown): Record<string, string> => {
  const out = { ...current }
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === "string") { if (x === "") delete out[k]; else out[k] = x }
  return out
}
const need = <A>(map: Map<string, A>, id: string | undefined, what: string): A => {
  const found = id === undefined ? undefined : map.get(id)
  if (found === undefined) throw missing(what, id ?? "")
  return found
}

/** What a handler sees. */
export interface Call { readonly s: FakeState; readonly params: P; readonly args: ReadonlyArray<string>; readonly base: string }
/** One endpoint. */
export interface Route { readonly method: string; readonly path: RegExp; readonly file: string; readonly iface: string; readonly handle: (c: Call) => Json }

const expanded = (s: FakeState, o: Json, expand: unknown): Json => {
  let out: Json = { ...o }
  for (const field of Array.isArray(expand) ? (expand as Array<unknown>) : []) {
    if (typeof field !== "string") continue
    if (field === "discounts") out = expandDiscounts(s, out)
    const id = out[field]
    if (typeof id === "string") out[field] = s.schedules.get(id) ?? s.setupIntents.get(id) ?? id
  }
  return out
}

const priceOf = (s: FakeState, id: unknown, currency: string): FakePrice => {
  const price = need(s.prices, str(id), "price")
  if (price.currency !== currency) throw invalid(`Price ${price.id} is in ${price.currency}, not ${currency}`)
  return price
}

const subItem = (s: FakeState, sub: FakeSubscription, p: P): FakeSubscriptionItem => ({
  id: newId(s, "si"), object: "subscription_item", price: priceOf(s, p["price"], sub.currency), quantity: num(p["quantity"]) ?? 1, current_period_start: 0, current_period_end: 0
})

const customers: Array<Route> = [
  { method: "POST", path: /^\/v1\/customers$/, file: "Customers", iface: "CustomerCreateParams", handle: ({ s, params }) => {
    const c = { id: newId(s, "cus"), object: "customer" as const, balance: num(params["balance"]) ?? 0, metadata: meta({}, params["metadata"]), currency: null, invoice_settings: { default_payment_method: null as string | null }, default_source: null, test_clock: str(params["test_clock"]) ?? null }
    s.customers.set(c.id, c)
    const token = str(params["payment_method"])
    const pm = token === undefined ? undefined : attachToken(s, token, c.id)
    if (token !== undefined && pm === undefined) throw invalid(`No such PaymentMethod: '${token}'`, "resource_missing")
    if (str(obj(params["invoice_settings"])["default_payment_method"]) !== undefined) c.invoice_settings.default_payment_method = pm?.id ?? null
    return c
  } },
  { method: "GET", path: /^\/v1\/customers\/([^/]+)$/, file: "Customers", iface: "CustomerRetrieveParams", handle: ({ s, args }) => need(s.customers, args[0], "customer") },
  { method: "POST", path: /^\/v1\/customers\/([^/]+)$/, file: "Customers", iface: "CustomerUpdateParams", handle: ({ s, args, params }) => {
    const c = need(s.customers, args[0], "customer")
    const pm = str(obj(params["invoice_settings"])["default_payment_method"])
    if (pm !== undefined) {
      if (s.paymentMethods.get(pm)?.customer !== c.id) throw invalid(`The payment method ${pm} is not attached to ${c.id}`, "resource_missing")
      c.invoice_settings.default_payment_method = pm
    }
    c.balance = num(params["balance"]) ?? c.balance
    c.metadata = meta(c.metadata, params["metadata"])
    return c
  } },
  { method: "POST", path: /^\/v1\/payment_methods\/([^/]+)\/attach$/, file: "PaymentMethods", iface: "PaymentMethodAttachParams", handle: ({ s, args, params }) => {
    const c = need(s.customers, str(params["customer"]), "customer")
    const pm = attachToken(s, args[0] ?? "", c.id)
    if (pm === undefined) throw missing("PaymentMethod", args[0] ?? "")
    return pm
  } },
  { method: "GET", path: /^\/v1\/prices$/, file: "Prices", iface: "PriceListParams", handle: ({ s, params }) => {
    const keys = Array.isArray(params["lookup_keys"]) ? (params["lookup_keys"] as Array<unknown>) : []
    const data = [...s.prices.values()].filter((p) => keys.length === 0 || keys.includes(p.lookup_key))
    return { object: "list", data: data.slice(0, num(params["limit"]) ?? 10), has_more: false, url: "/v1/prices" }
  } },
  { method: "POST", path: /^\/v1\/prices$/, file: "Prices", iface: "PriceCreateParams", handle: ({ s, params }) => {
    const key = str(params["lookup_key"]) ?? null
    if (key !== null && [...s.prices.values()].some((p) => p.lookup_key === key)) throw invalid(`A price with lookup_key ${key} already exists`)
    const rec = obj(params["recurring"])
    const interval = str(rec["interval"])
    const price: FakePrice = {
      id: newId(s, "price"), object: "price", currency: str(params["currency"]) ?? "usd", unit_amount: num(params["unit_amount"]) ?? 0, lookup_key: key,
      product: str(params["product"]) ?? newId(s, "prod"), active: true, metadata: meta({}, params["metadata"]),
      recurring: interval === undefined ? null : { interval, interval_count: num(rec["interval_count"]) ?? 1 }, type: interval === undefined ? "one_time" : "recurring"
    }
    s.prices.set(price.id, price)
    return price
  } },
  { method: "GET", path: /^\/v1\/events$/, file: "Events", iface: "EventListParams", handle: ({ s }) => ({ object: "list", data: [...s.events].reverse(), has_more: false, url: "/v1/events" }) }
]

const subscriptions: Array<Route> = [
  { method: "POST", path: /^\/v1\/subscriptions$/, file: "Subscriptions", iface: "SubscriptionCreateParams", handle: ({ s, params }) => {
    const c = need(s.customers, str(params["customer"]), "customer")
    const trialEnd = num(params["trial_end"]) ?? null
    const anchor = num(params["billing_cycle_anchor"]) ?? trialEnd ?? s.now
    if (anchor < s.now || (trialEnd !== null && trialEnd <= s.now)) throw invalid("billing_cycle_anchor and trial_end must be in the future")
    const sub: FakeSubscription = {
      id: newId(s, "sub"), object: "subscription", customer: c.id, currency: str(params["currency"]) ?? "usd", status: "active", metadata: meta({}, params["metadata"]),
      items: { object: "list", data: [] }, cancel_at_period_end: false, cancel_at: null, canceled_at: null, schedule: null, trial_end: trialEnd,
      billing_cycle_anchor: anchor, start_date: s.now, collection_method: str(params["collection_method"]) ?? "charge_automatically", days_until_due: num(params["days_until_due"]) ?? null,
      discounts: [], latest_invoice: null
    }
    setDiscounts(s, sub, params["discounts"])
    if (str(params["proration_behavior"]) !== "none" || (anchor === s.now && trialEnd === null)) throw invalid("The test server bills no first period: send proration_behavior none and a future anchor or trial end")
    sub.items.data = list(params["items"]).map((p) => subItem(s, sub, p))
    if (sub.items.data.length === 0) throw invalid("A subscription needs at least one item", "parameter_missing")
    s.subscriptions.set(sub.id, refresh(s, sub))
    emit(s, "customer.subscription.created", sub)
    return sub
  } },
  { method: "GET", path: /^\/v1\/subscriptions\/([^/]+)$/, file: "Subscriptions", iface: "SubscriptionRetrieveParams", handle: ({ s, args }) => refresh(s, need(s.subscriptions, args[0], "subscription")) },
  { method: "POST", path: /^\/v1\/subscriptions\/([^/]+)$/, file: "Subscriptions", iface: "SubscriptionUpdateParams", handle: ({ s, args, params }) => {
    const sub = refresh(s, need(s.subscriptions, args[0], "subscription"))
    if (sub.status === "canceled") throw invalid(`Subscription ${sub.id} is canceled`)
    if (params["items"] !== undefined && str(params["proration_behavior"]) !== "none") throw invalid("The test server does not prorate: send proration_behavior none")
    for (const p of list(params["items"])) {
      const id = str(p["id"])
      const item = id === undefined ? undefined : sub.items.data.find((i) => i.id === id)
      if (id !== undefined && item === undefined) throw missing("subscription item", id)
      if (item === undefined) sub.items.data.push(subItem(s, sub, p))
      else if (bool(p["deleted"]) === true) sub.items.data = sub.items.data.filter((i) => i !== item)
      else {
        if (p["price"] !== undefined) item.price = priceOf(s, p["price"], sub.currency)
        item.quantity = num(p["quantity"]) ?? item.quantity
      }
    }
    const cancel = bool(params["cancel_at_period_end"])
    if (cancel !== undefined) {
      if (sub.schedule !== null) throw invalid("The subscription is managed by a schedule: cancel_at_period_end cannot be changed")
      sub.cancel_at_period_end = cancel
      sub.cancel_at = null
    }
    setDiscounts(s, sub, params["discounts"])
    sub.metadata = meta(sub.metadata, params["metadata"])
    emit(s, "customer.subscription.updated", refresh(s, sub))
    return sub
  } },
  { method: "DELETE", path: /^\/v1\/subscriptions\/([^/]+)$/, file: "Subscriptions", iface: "SubscriptionCancelParams", handle: ({ s, args }) => {
    const sub = need(s.subscriptions, args[0], "subscription")
    if (sub.status === "canceled") throw invalid(`Subscription ${sub.id} is already canceled`)
    sub.status = "canceled"
    sub.canceled_at = s.now
    const schedule = sub.schedule === null ? undefined : s.schedules.get(sub.schedule)
    if (schedule !== undefined) schedule.status = "canceled"
    emit(s, "customer.subscription.deleted", sub)
    return sub
  } }
]

const schedules: Array<Route> = [
  { method: "POST", path: /^\/v1\/subscription_schedules$/, file: "SubscriptionSchedules", iface: "SubscriptionScheduleCreateParams", handle: ({ s, params }) => {
    const sub = refresh(s, need(s.subscriptions, str(params["from_subscription"]), "subscription"))
    if (sub.schedule !== null) throw invalid(`Subscription ${sub.id} already has a schedule`)
    const p = currentPeriod(s, sub)
    const schedule: FakeSchedule = {
      id: newId(s, "sub_sched"), object: "subscription_schedule", subscription: sub.id, customer: sub.customer, status: "active", end_behavior: "release",
      phases: [{ start_date: p.start, end_date: p.end, items: sub.items.data.map((i) => ({ price: i.price.id, quantity: i.quantity })), metadata: {}, discounts: sub.discounts.map((discount) => ({ discount })) }],
      metadata: {}, released_subscription: null, current_phase: { start_date: p.start, end_date: p.end }
    }
    s.schedules.set(schedule.id, schedule)
    sub.schedule = schedule.id
    return schedule
  } },
  { method: "POST", path: /^\/v1\/subscription_schedules\/([^/]+)$/, file: "SubscriptionSchedules", iface: "SubscriptionScheduleUpdateParams", handle: ({ s, args, params }) => {
    const schedule = need(s.schedules, args[0], "subscription schedule")
    if (schedule.status !== "active") throw invalid(`Schedule ${schedule.id} is ${schedule.status}`)
    const sub = need(s.subscriptions, schedule.subscription, "subscription")
    if (params["phases"] !== undefined) {
      const phases = list(params["phases"])
      if (num(phases[0]?.["start_date"]) !== schedule.phases[0]?.start_date) throw invalid("The current phase's start_date cannot change")
      let start = schedule.phases[0]?.start_date ?? s.now
      schedule.phases = phases.map((p) => {
        const d = obj(p["duration"])
        const end = num(p["end_date"]) ?? boundary(start, { interval: str(d["interval"]) ?? "month", interval_count: num(d["interval_count"]) ?? 1 }, 1)
        if (end <= start) throw invalid("A phase must end after it starts")
        const items = list(p["items"]).map((i) => ({ price: priceOf(s, i["price"], sub.currency).id, quantity: num(i["quantity"]) ?? 1 }))
        const phase = { start_date: start, end_date: end, items, metadata: meta({}, p["metadata"]), discounts: p["discounts"] }
        start = end
        return phase
      })
      // The current phase's discounts are the subscription's now.
      setDiscounts(s, sub, schedule.phases[0]?.discounts)
    }
    schedule.end_behavior = str(params["end_behavior"]) ?? schedule.end_behavior
    schedule.metadata = meta(schedule.metadata, params["metadata"])
    return schedule
  } },
  { method: "POST", path: /^\/v1\/subscription_schedules\/([^/]+)\/release$/, file: "SubscriptionSchedules", iface: "SubscriptionScheduleReleaseParams", handle: ({ s, args }) => {
    const schedule = need(s.schedules, args[0], "subscription schedule")
    if (schedule.status !== "active") throw invalid(`Schedule ${schedule.id} is ${schedule.status}`)
    schedule.status = "released"
    schedule.released_subscription = schedule.subscription
    const sub = s.subscriptions.get(schedule.subscription)
    if (sub !== undefined) sub.schedule = null
    return schedule
  } },
  { method: "GET", path: /^\/v1\/subscription_schedules\/([^/]+)$/, file: "SubscriptionSchedules", iface: "SubscriptionScheduleRetrieveParams", handle: ({ s, args }) => need(s.schedules, args[0], "subscription schedule") }
]

export { bool, customers, expanded, invalid, list, meta, missing, need, num, obj, schedules, str, subscriptions }
export type { FakeInvoice, FakeInvoiceItem }
export { chargeInvoice, emit, finalizeInvoice, newId }
