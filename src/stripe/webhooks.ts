/**
 * Stripe webhooks: a fetch handler `(Request) => Promise<Response>` that verifies Stripe's
 * signature through the SDK (a bad signature is 400 and nothing runs) and completes the host's
 * pending plans — executions that stopped at a checkout, an invoice on net terms, or a payment
 * that needed the customer — by executing the same plan again when Stripe says the customer acted
 * (`checkout.session.completed`, `invoice.paid`). A renewal Stripe could not charge is reported
 * with the subscription's status on Stripe (`past_due`), which {@link markRenewalFailed} stores.
 *
 * Exactly once: a plan is settled by its store's compare-and-set, so a duplicate or concurrent
 * delivery executes (idempotently) but never settles twice; an event id seen before is answered
 * without work. Out of order: an event only names the plan — the execution reads Stripe's current
 * state — so a late `invoice.payment_failed` after `invoice.paid`, or a `checkout.session.completed`
 * after the plan completed, changes nothing.
 *
 * @example
 * import { makeStripeWebhookHandler, makeMemoryPendingPlans } from "attach-planner/stripe"
 * const pending = makeMemoryPendingPlans()
 * const handler = makeStripeWebhookHandler({ stripe, webhookSecret, port, pending, onApplied: (p, r) => store.save(r.customer) })
 */
import type Stripe from "stripe"
import type { Customer } from "../Customer.ts"
import { type ExecuteResult, executeAttachPromise } from "../Execute.ts"
import type { AttachPreview } from "../Preview.ts"
import type { PaymentPort } from "../Provider.ts"

/** A plan waiting for the customer, with the customer state it was planned from. @example { plan, customer } */
export interface PendingPlan {
  readonly plan: AttachPreview
  readonly customer: Customer
}

/**
 * Where the host keeps pending plans (a table in production; {@link makeMemoryPendingPlans} in
 * memory). `settle` must be a compare-and-set: true for the first caller only.
 *
 * @example const pending: PendingPlans = makeMemoryPendingPlans()
 */
export interface PendingPlans {
  readonly add: (pending: PendingPlan) => Promise<void>
  /** The pending plan one of whose actions has this idempotency key. */
  readonly find: (actionKey: string) => Promise<PendingPlan | undefined>
  /** Removes the plan; true when this call removed it. */
  readonly settle: (pending: PendingPlan) => Promise<boolean>
  /** Whether an event id was handled before. */
  readonly seen: (eventId: string) => Promise<boolean>
  readonly remember: (eventId: string) => Promise<void>
}

/** The identity of a plan: its first action's key (each key names the plan's whole request). @example planKey(plan) */
export const planKey = (plan: AttachPreview): string => plan.actions[0]?.idempotencyKey ?? plan.basedOn

/**
 * Pending plans in memory, for one process.
 *
 * @example const pending = makeMemoryPendingPlans(); await pending.add({ plan, customer })
 */
export const makeMemoryPendingPlans = (): PendingPlans => {
  const plans = new Map<string, PendingPlan>()
  const events = new Set<string>()
  return {
    add: async (p) => void plans.set(planKey(p.plan), p),
    find: async (key) => [...plans.values()].find((p) => p.plan.actions.some((a) => a.idempotencyKey === key)),
    settle: async (p) => plans.delete(planKey(p.plan)),
    seen: async (id) => events.has(id),
    remember: async (id) => void events.add(id)
  }
}

/**
 * The handler's configuration: the client (for signature checks), the endpoint's signing secret,
 * the Stripe port plans are executed through, the pending plans, and what to do when a plan is
 * applied (store `result.customer`) or a subscription changed on Stripe's side.
 *
 * @example const options: WebhookOptions = { stripe, webhookSecret: "whsec_…", port, pending, onApplied: async () => {} }
 */
export interface WebhookOptions {
  readonly stripe: Stripe
  readonly webhookSecret: string
  readonly port: PaymentPort
  readonly pending: PendingPlans
  readonly onApplied: (pending: PendingPlan, result: ExecuteResult) => Promise<void>
  readonly onPaymentFailed?: (pending: PendingPlan, event: Stripe.Event) => Promise<void>
  /**
   * A renewal Stripe billed was not paid (`invoice.payment_failed` or
   * `invoice.payment_action_required` on a `subscription_cycle` invoice): the subscription as
   * Stripe holds it now (`past_due` after a declined renewal). Store it with {@link markRenewalFailed}.
   */
  readonly onRenewalFailed?: (failure: RenewalFailure, event: Stripe.Event) => Promise<void>
  readonly onSubscriptionChanged?: (subscription: Stripe.Subscription, event: Stripe.Event) => Promise<void>
  /**
   * For a host that keeps pending plans itself (e.g. the Autumn handler's `resume`): called with
   * the Stripe customer when a checkout completed or an invoice was paid; true when a plan took
   * effect. A rejection is a 500, so Stripe delivers the event again.
   */
  readonly onCustomerActed?: (stripeCustomerId: string, event: Stripe.Event) => Promise<boolean>
}

/**
 * A renewal that was not paid: Stripe's subscription and customer, the open invoice (its hosted
 * page is where the customer pays it), and the status the subscription has now on Stripe.
 *
 * @example { subscriptionId: "sub_1", customerId: "cus_1", invoiceId: "in_1", amountDue: 2000, hostedUrl: "https://invoice.stripe.com/…", status: "past_due" }
 */
export interface RenewalFailure {
  readonly subscriptionId: string
  readonly customerId: string
  readonly invoiceId: string
  readonly amountDue: number
  readonly hostedUrl: string | null
  readonly status: "active" | "trialing" | "past_due" | "canceled"
}

/**
 * The customer state after a renewal failure: the plans held on that Stripe subscription take
 * its status (`past_due`), so the next plan for the customer starts from what Stripe holds.
 *
 * @example store.save(markRenewalFailed(customer, failure))
 */
export const markRenewalFailed = (customer: Customer, failure: RenewalFailure): Customer => ({
  ...customer,
  ...(customer.subscriptions === undefined ? {} : {
    subscriptions: customer.subscriptions.map((s) =>
      s.providerSubscriptionId === failure.subscriptionId && (s.status === "active" || s.status === "past_due") && failure.status === "past_due" ? { ...s, status: "past_due" as const } : s)
  })
})

const idOf = (x: string | { readonly id: string }): string => (typeof x === "string" ? x : x.id)

/** The failure of a renewal invoice, read with the subscription's status on Stripe now; undefined for other invoices. */
const renewalFailure = async (o: WebhookOptions, invoice: Stripe.Invoice): Promise<RenewalFailure | undefined> => {
  const parent = invoice.parent?.subscription_details?.subscription ?? null
  if (invoice.billing_reason !== "subscription_cycle" || parent === null || invoice.customer === null) return undefined
  const sub = await o.stripe.subscriptions.retrieve(idOf(parent))
  const status = sub.status === "trialing" ? "trialing" : sub.status === "past_due" || sub.status === "unpaid" ? "past_due"
    : sub.status === "canceled" || sub.status === "incomplete_expired" ? "canceled" : "active"
  return { subscriptionId: sub.id, customerId: idOf(invoice.customer), invoiceId: invoice.id ?? "", amountDue: invoice.amount_due, hostedUrl: invoice.hosted_invoice_url ?? null, status }
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })

/** The key of the plan action that made the event's object (`metadata.ap_key`), if any. */
const actionKeyOf = (event: Stripe.Event): string | undefined => {
  const object = event.data.object as { readonly metadata?: Record<string, string> | null }
  return object.metadata?.["ap_key"] ?? undefined
}

const complete = async (o: WebhookOptions, key: string): Promise<boolean> => {
  const pending = await o.pending.find(key)
  if (pending === undefined) return false
  const result = await executeAttachPromise(pending.plan, pending.customer, o.port)
  if (!result.applied) return false
  if (!(await o.pending.settle(pending))) return false
  await o.onApplied(pending, result)
  return true
}

const dispatch = async (o: WebhookOptions, event: Stripe.Event): Promise<boolean> => {
  const key = actionKeyOf(event)
  switch (event.type) {
    case "checkout.session.completed":
    case "invoice.paid": {
      const done = key === undefined ? false : await complete(o, key)
      const customer = event.data.object.customer
      if (o.onCustomerActed === undefined || customer === null) return done
      return (await o.onCustomerActed(typeof customer === "string" ? customer : customer.id, event)) || done
    }
    case "invoice.payment_failed":
    case "invoice.payment_action_required": {
      const pending = key === undefined ? undefined : await o.pending.find(key)
      if (pending !== undefined) await o.onPaymentFailed?.(pending, event)
      const renewal = key === undefined && o.onRenewalFailed !== undefined ? await renewalFailure(o, event.data.object) : undefined
      if (renewal !== undefined) await o.onRenewalFailed?.(renewal, event)
      return false
    }
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      await o.onSubscriptionChanged?.(event.data.object, event)
      return false
    default:
      return false
  }
}

/**
 * The webhook endpoint: 400 on a missing or bad signature (nothing runs), 200 when handled (or
 * seen before), 500 when completing a plan failed (Stripe delivers the event again).
 *
 * @example server.on("/webhooks/stripe", makeStripeWebhookHandler({ stripe, webhookSecret, port, pending, onApplied }))
 */
export const makeStripeWebhookHandler = (o: WebhookOptions): ((request: Request) => Promise<Response>) => async (request) => {
  if (request.method !== "POST") return json(405, { error: "POST only" })
  const signature = request.headers.get("stripe-signature")
  const body = await request.text()
  let event: Stripe.Event
  try {
    if (signature === null) throw new Error("no Stripe-Signature header")
    event = await o.stripe.webhooks.constructEventAsync(body, signature, o.webhookSecret)
  } catch (e) {
    return json(400, { error: `Webhook signature verification failed: ${e instanceof Error ? e.message : String(e)}` })
  }
  if (await o.pending.seen(event.id)) return json(200, { received: true, duplicate: true })
  try {
    const applied = await dispatch(o, event)
    await o.pending.remember(event.id)
    return json(200, { received: true, applied })
  } catch (e) {
    const tag = typeof e === "object" && e !== null && "_tag" in e ? String(e._tag) : "Error"
    return json(500, { error: `${tag}: ${e instanceof Error ? e.message : String(e)}` })
  }
}
