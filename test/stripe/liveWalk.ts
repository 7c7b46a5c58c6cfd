/**
 * The walk of test/stripe/walkCatalog.ts against any Stripe API — a real account in test mode (a
 * test clock moves its time) or the local test server (its clock is set) — reading back each
 * Stripe invoice the plans made, to compare with the previews. The steps keep their spacing
 * (0, 10, 16, 18, 20 and 22 days: all within the first monthly period) from the clock's start.
 *
 * @example const run = await liveWalk(stripe, await testClock(stripe, "walk usd"), walkCatalog("usd"), WALK)
 */
import type Stripe from "stripe"
import type { Customer } from "../../src/Customer.ts"
import { type ExecuteResult, PaymentProviderError, executeAttachPromise } from "../../src/Execute.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import { makeStripePort } from "../../src/stripe/index.ts"
import { type Obj, customer, doc, request } from "../support/build.ts"
import { decoded, ok } from "../support/run.ts"
import { type Step, withUsage } from "./walk.ts"

/** The time of the walk's Stripe customer. */
export interface WalkClock {
  /** Epoch seconds the walk starts at. */
  readonly start: number
  /** What the customer is created with (its test clock). */
  readonly customerParams: Stripe.CustomerCreateParams
  readonly advanceTo: (seconds: number) => Promise<void>
  readonly close: () => Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A Stripe test clock frozen at the current minute; advancing waits (at most 3 minutes) until
 * Stripe has run everything that fell due. Closing deletes the clock and its customer.
 */
export const testClock = async (stripe: Stripe, name: string): Promise<WalkClock> => {
  const start = Math.floor(Date.now() / 60_000) * 60
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, name })
  return {
    start,
    customerParams: { test_clock: clock.id },
    advanceTo: async (t) => {
      if (t <= start) return
      await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: t })
      for (let i = 0; i < 90; i++) {
        const now = await stripe.testHelpers.testClocks.retrieve(clock.id)
        if (now.status === "ready" && now.frozen_time === t) return
        if (now.status === "internal_failure") throw new Error(`test clock ${clock.id} failed to advance`)
        await sleep(2000)
      }
      throw new Error(`test clock ${clock.id} still advancing after 3 minutes`)
    },
    close: async () => void (await stripe.testHelpers.testClocks.del(clock.id))
  }
}

/** What one step did: the plan, its execution, and the Stripe invoice it made (if any). */
export interface LiveStep {
  readonly name: string
  readonly plan: AttachPreview
  readonly result: ExecuteResult
  readonly invoice: Stripe.Invoice | null
}

const execute = async (plan: AttachPreview, customer: Customer, port: ReturnType<typeof makeStripePort>): Promise<ExecuteResult> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await executeAttachPromise(plan, customer, port)
    } catch (e) {
      if (!(e instanceof PaymentProviderError) || e.providerError._tag !== "ProviderUnavailable" || attempt >= 3) throw e
      await sleep(1000)
    }
  }
}

/** Walks the steps for a new Stripe customer with a card that pays, on `clock`. */
export const liveWalk = async (stripe: Stripe, clock: WalkClock, catalog: Obj, steps: ReadonlyArray<Step>): Promise<ReadonlyArray<LiveStep>> => {
  const stripeCustomer = (await stripe.customers.create({
    ...clock.customerParams, payment_method: "pm_card_visa", invoice_settings: { default_payment_method: "pm_card_visa" }
  })).id
  const port = makeStripePort({ stripe, catalog: decoded(catalog), createPrices: true, customerId: async () => stripeCustomer })
  const first = Date.parse(steps[0]?.at ?? "")
  let stored = customer([]) as unknown as Customer
  const out: Array<LiveStep> = []
  for (const step of steps) {
    const at = clock.start + (Date.parse(step.at) - first) / 1000
    await clock.advanceTo(at)
    const current = withUsage(stored, step.usage)
    const plan = ok(doc(catalog, current as unknown as Obj, request(new Date(at * 1000).toISOString(), step.plans, step.request ?? {})))
    const result = await execute(plan, current, port)
    if (result.applied) stored = result.customer
    const invoice = result.invoice === undefined ? null : await stripe.invoices.retrieve(result.invoice.id)
    out.push({ name: step.name, plan, result, invoice })
  }
  return out
}

/** Each step's [name, preview total, Stripe total, preview amount due, Stripe amount due] (null: no invoice). */
export const totals = (run: ReadonlyArray<LiveStep>) =>
  run.map((s) => [s.name, s.plan.total, s.invoice?.total ?? null, s.plan.amountDue, s.invoice?.amount_due ?? null] as const)

/**
 * Moves the clock two hours past the end of the walk's first period (Stripe finalizes a renewal's
 * draft an hour after making it) and answers the subscription's renewal invoice, waiting (at most
 * 3 minutes) until Stripe has tried to collect it.
 */
export const liveRenewal = async (stripe: Stripe, clock: WalkClock, run: ReadonlyArray<LiveStep>): Promise<Stripe.Invoice | undefined> => {
  const last = run.at(-1)
  const startsAt = last?.plan.nextCycle?.startsAt
  const subscription = last?.result.customer.subscriptions?.find((s) => s.providerSubscriptionId !== undefined)?.providerSubscriptionId
  if (startsAt === undefined || subscription === undefined) return undefined
  await clock.advanceTo(Date.parse(startsAt) / 1000 + 7200)
  for (let i = 0; i < 90; i++) {
    const found = (await stripe.invoices.list({ subscription, limit: 10 })).data.find((inv) => inv.billing_reason === "subscription_cycle")
    if (found !== undefined && found.status !== "draft") return found
    await sleep(2000)
  }
  return undefined
}

/**
 * The subscription's renewal invoices at the instants `startsAt` (epoch milliseconds; the
 * engine's expected renewals), in order: the clock moves two hours past each, and each is awaited
 * (at most 3 minutes) until Stripe has tried to collect it. Shorter when one does not come.
 */
export const liveRenewals = async (stripe: Stripe, clock: WalkClock, run: ReadonlyArray<LiveStep>, startsAt: ReadonlyArray<number>): Promise<Array<Stripe.Invoice>> => {
  const subscription = run.at(-1)?.result.customer.subscriptions?.find((s) => s.providerSubscriptionId !== undefined)?.providerSubscriptionId
  if (subscription === undefined) return []
  const out: Array<Stripe.Invoice> = []
  for (const t of startsAt) {
    await clock.advanceTo(t / 1000 + 7200)
    let found: Stripe.Invoice | undefined
    for (let i = 0; i < 90 && found === undefined; i++) {
      const cycles = (await stripe.invoices.list({ subscription, limit: 20 })).data.filter((inv) => inv.billing_reason === "subscription_cycle").reverse()
      const next = cycles[out.length]
      if (next !== undefined && next.status !== "draft") found = next
      else await sleep(2000)
    }
    if (found === undefined) return out
    out.push(found)
  }
  return out
}
