/**
 * One customer walked through the Stripe adapter against the local test server: each step plans
 * an attach from the customer state the host stores (with the usage it recorded), executes it
 * through the adapter (`makeStripePort` over the official SDK), retrying the same plan after a
 * provider failure as a host does, and records the plan beside the Stripe invoice it made.
 *
 * @example const run = await walk(STEPS); run.steps.map((s) => [s.plan.amountDue, s.invoice?.amount_due])
 */
import type { Customer } from "../../src/Customer.ts"
import { type ExecuteResult, PaymentProviderError, executeAttachPromise } from "../../src/Execute.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import type { PaymentPort } from "../../src/Provider.ts"
import { makeStripePort } from "../../src/stripe/index.ts"
import { type Obj, customer, doc, request } from "../support/build.ts"
import { decoded, ok } from "../support/run.ts"
import type { FakeInvoice } from "./fakeObjects.ts"
import { type FakeStripe, startFakeStripe } from "./fakeStripe.ts"

/** One step of the walk: the request at `at`, usage recorded before it, and the card the customer has then. */
export interface Step {
  readonly name: string
  readonly at: string
  readonly plans: string | ReadonlyArray<Obj>
  readonly usage?: { readonly planId: string; readonly used: number }
  readonly card?: string
  /** More of the request (e.g. `discounts`). */
  readonly request?: Obj
  /** What the customer does when the execution stops (pay on the hosted page, add a card). */
  readonly then?: (fake: FakeStripe, first: ExecuteResult, stripeCustomer: string) => Promise<void>
}

/** What a step did. */
export interface StepRun {
  readonly name: string
  readonly plan: AttachPreview
  readonly first: ExecuteResult
  readonly final: ExecuteResult
  readonly invoice: FakeInvoice | undefined
  readonly failures: number
}

/** The whole walk. */
export interface WalkRun {
  readonly fake: FakeStripe
  readonly steps: ReadonlyArray<StepRun>
  readonly customer: Customer
}

/** The customer state with the usage a step recorded on its active plan. */
export const withUsage = (c: Customer, usage: Step["usage"]): Customer =>
  usage === undefined ? c : {
    ...c,
    subscriptions: (c.subscriptions ?? []).map((s) => (s.planId === usage.planId && s.status === "active" ? { ...s, usage: [{ featureId: "messages", used: usage.used }] } : s))
  }

const execute = async (plan: AttachPreview, customer: Customer, port: PaymentPort, failures: { n: number }): Promise<ExecuteResult> => {
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      return await executeAttachPromise(plan, customer, port)
    } catch (e) {
      if (!(e instanceof PaymentProviderError)) throw e
      failures.n++
    }
  }
  throw new Error("still failing after 6 attempts")
}

/** The Stripe invoice a step's execution made (by the plan's createInvoice key). */
const invoiceOf = (fake: FakeStripe, plan: AttachPreview): FakeInvoice | undefined => {
  const key = plan.actions.find((a) => a.type === "createInvoice")?.idempotencyKey
  return [...fake.state.invoices.values()].find((i) => i.metadata["ap_key"] === key)
}

/**
 * Walks the steps for customer `cus_1` from an empty state in `catalog` (a document), the server's
 * clock at each step's instant; `faults` are set on the server before the walk.
 */
export const walk = async (catalog: Obj, steps: ReadonlyArray<Step>, faults?: FakeStripe["faults"]): Promise<WalkRun> => {
  const fake = await startFakeStripe(Date.parse(steps[0]?.at ?? "2025-01-01T00:00:00Z") / 1000)
  const stripe = fake.client()
  const stripeCustomer = (await stripe.customers.create({ payment_method: "pm_card_visa", invoice_settings: { default_payment_method: "pm_card_visa" } })).id
  const port = makeStripePort({ stripe, catalog: decoded(catalog), createPrices: true, customerId: async () => stripeCustomer, successUrl: "http://127.0.0.1/done" })
  if (faults !== undefined) fake.faults = { calls: faults.calls.map((k) => k + fake.calls.length), when: faults.when }
  let stored = customer([]) as unknown as Customer
  const runs: Array<StepRun> = []
  for (const step of steps) {
    fake.state.now = Date.parse(step.at) / 1000
    if (step.card !== undefined) {
      const pm = fake.state.paymentMethods.get((await stripe.paymentMethods.attach(step.card, { customer: stripeCustomer })).id)
      fake.state.customers.get(stripeCustomer)!.invoice_settings.default_payment_method = pm?.id ?? null
    }
    const current = withUsage(stored, step.usage)
    const plan = ok(doc(catalog, current as unknown as Obj, request(step.at, step.plans, step.request ?? {})))
    const failures = { n: 0 }
    const first = await execute(plan, current, port, failures)
    let final = first
    if (step.then !== undefined && !first.applied) {
      await step.then(fake, first, stripeCustomer)
      final = await execute(plan, current, port, failures)
    }
    if (final.applied) stored = final.customer
    runs.push({ name: step.name, plan, first, final, invoice: invoiceOf(fake, plan), failures: failures.n })
  }
  return { fake, steps: runs, customer: stored }
}
