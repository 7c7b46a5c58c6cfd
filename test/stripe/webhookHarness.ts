/**
 * A host on the local Stripe-compatible test server, for the webhook tests: the Stripe port, the
 * pending plans, the webhook handler (with what it applied, what failed and which subscriptions
 * changed recorded), and a customer attaching `pro` (20.00 a month) who stops at a checkout, a
 * declined card or a 3-D Secure card. `deliver` signs an event as Stripe does and posts it.
 *
 * @example const h = await startHost(); const { plan } = await h.attach(null); await h.deliver(h.event("invoice.paid"))
 */
import type Stripe from "stripe"
import * as Result from "effect/Result"
import type { Customer } from "../../src/Customer.ts"
import { decodeAttachDocument } from "../../src/Document.ts"
import { type ExecuteResult, executeAttachPromise } from "../../src/Execute.ts"
import { planAttach } from "../../src/Planner.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import { type PendingPlan, makeMemoryPendingPlans, makeStripePort, makeStripeWebhookHandler } from "../../src/stripe/index.ts"
import { customer, doc, request } from "../support/build.ts"
import { decoded } from "../support/run.ts"
import type { FakeEvent } from "./fakeObjects.ts"
import { type FakeStripe, startFakeStripe } from "./fakeStripe.ts"
import { walkCatalog } from "./walkCatalog.ts"

/** The endpoint's signing secret in these tests. */
export const WEBHOOK_SECRET = "whsec_test_attach_planner"
/** The instant of the attach (the server's clock). */
export const AT = "2025-01-16T00:00:00.000Z"

/** One attach executed up to where the customer must act. */
export interface Attached {
  readonly customerId: string
  readonly plan: AttachPreview
  readonly customer: Customer
  readonly first: ExecuteResult
}

/** The host. */
export interface Host {
  readonly fake: FakeStripe
  readonly stripe: Stripe
  readonly applied: Array<{ readonly pending: PendingPlan; readonly result: ExecuteResult }>
  readonly failed: Array<string>
  readonly changed: Array<string>
  readonly handler: (request: Request) => Promise<Response>
  /** A customer with this test card (or none) attaches pro; the plan waits in the pending plans. */
  readonly attach: (card: string | null) => Promise<Attached>
  /** The newest event of a type the server emitted. */
  readonly event: (type: string) => FakeEvent
  /** Posts an event signed with `secret` (default: the endpoint's). */
  readonly deliver: (event: unknown, secret?: string) => Promise<{ status: number; body: Record<string, unknown> }>
}

/** The customer document: a Stripe customer's id as the host's id. */
const planFor = (customerId: string, hasPaymentMethod: boolean) => {
  const input = decodeAttachDocument(doc(walkCatalog("usd"), customer([], { id: customerId, hasPaymentMethod }), request(AT, "pro", { customerId })))
  if (Result.isFailure(input)) throw new Error(input.failure.message)
  const plan = planAttach(input.success)
  if (Result.isFailure(plan)) throw new Error(plan.failure.message)
  return { plan: plan.success, customer: input.success.customer }
}

/** Starts the server and the host. */
export const startHost = async (): Promise<Host> => {
  const fake = await startFakeStripe(Date.parse(AT) / 1000)
  const stripe = fake.client()
  const port = makeStripePort({ stripe, catalog: decoded(walkCatalog("usd")), createPrices: true, successUrl: "http://127.0.0.1/done" })
  const pending = makeMemoryPendingPlans()
  const applied: Host["applied"] = []
  const failed: Array<string> = []
  const changed: Array<string> = []
  const handler = makeStripeWebhookHandler({
    stripe, webhookSecret: WEBHOOK_SECRET, port, pending,
    onApplied: async (p, result) => void applied.push({ pending: p, result }),
    onPaymentFailed: async (_p, event) => void failed.push(event.type),
    onSubscriptionChanged: async (sub, event) => void changed.push(`${event.type} ${sub.id}`)
  })
  const attach = async (card: string | null): Promise<Attached> => {
    const customerId = (await stripe.customers.create(card === null ? {} : { payment_method: card, invoice_settings: { default_payment_method: card } })).id
    const { plan, customer } = planFor(customerId, card !== null)
    const first = await executeAttachPromise(plan, customer, port)
    if (!first.applied) await pending.add({ plan, customer })
    return { customerId, plan, customer, first }
  }
  const event = (type: string): FakeEvent => {
    const found = [...fake.state.events].reverse().find((e) => e.type === type)
    if (found === undefined) throw new Error(`the server emitted no ${type}`)
    return found
  }
  const deliver = async (e: unknown, secret = WEBHOOK_SECRET) => {
    const payload = JSON.stringify(e)
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret })
    const response = await handler(new Request("http://127.0.0.1/webhooks/stripe", { method: "POST", headers: { "stripe-signature": signature, "content-type": "application/json" }, body: payload }))
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  return { fake, stripe, applied, failed, changed, handler, attach, event, deliver }
}
