/**
 * Carrying out one provider action through the port, and the action that undoes it: the steps of
 * the executor (`Execute.ts`), private to it.
 */
import * as Effect from "effect/Effect"
import type { RequiredAction } from "../Execute.ts"
import type { AttachPreview } from "../Preview.ts"
import type {
  CheckoutSession, PaymentPort, ProviderAction, ProviderError, ProviderInvoice, ProviderSubscription, RenewalTerms
} from "../Provider.ts"

/**
 * What the provider answered a completed action: the checkout session, the subscription or the invoice.
 *
 * @example const r: Response = { kind: "subscription", subscription } // after createSubscription
 */
export type Response =
  | { readonly kind: "session"; readonly session: CheckoutSession }
  | { readonly kind: "subscription"; readonly subscription: ProviderSubscription }
  | { readonly kind: "invoice"; readonly invoice: ProviderInvoice }
/**
 * An action that cannot complete until the customer acts (checkout, 3-D Secure, an unpaid invoice):
 * what they must do and where.
 *
 * @example const w: Wait = { kind: "wait", paymentUrl: session.url, requiredAction: { code: "payment_method_required", reason: "…" } }
 */
export type Wait = { readonly kind: "wait"; readonly requiredAction: RequiredAction; readonly paymentUrl: string | null; readonly invoice?: ProviderInvoice }
/**
 * An action carried out and what the provider answered: the journal the later actions and the
 * compensations read.
 *
 * @example const d: Done = { action: createSubscription, response: { kind: "subscription", subscription } }
 */
export interface Done {
  readonly action: ProviderAction
  readonly response: Response
}

/**
 * The answer to the completed action with idempotency key `key`, undefined when none completed.
 *
 * @example responseTo(done, "ap_…_0_createCheckoutSession")?.kind // "session"
 */
export const responseTo = (done: ReadonlyArray<Done>, key: string): Response | undefined =>
  done.find((d) => d.action.idempotencyKey === key)?.response

const invoiceOf = (done: ReadonlyArray<Done>, key: string): Effect.Effect<ProviderInvoice> => {
  const r = responseTo(done, key)
  return r?.kind === "invoice" ? Effect.succeed(r.invoice) : Effect.die(`no invoice created by ${key}`)
}

const waitFor = (invoice: ProviderInvoice): Wait => ({
  kind: "wait",
  invoice,
  paymentUrl: invoice.hostedUrl,
  requiredAction: {
    code: "payment_processing",
    reason: invoice.status === "draft"
      ? "The invoice is a draft: finalize and send it. The plan takes effect once it is paid; then execute this plan again."
      : "The invoice was sent. The plan takes effect once it is paid; then execute this plan again."
  }
})

type SubscriptionAction = Extract<ProviderAction, { readonly subscriptionIds: ReadonlyArray<string> }>

/**
 * The renewal the plan expects of the subscription an action changes — its `nextCycle`, when that
 * bills one of the action's plans — for providers that bill renewals themselves (docs/adapters.md §8).
 */
const renewalOf = (plan: AttachPreview, action: SubscriptionAction): RenewalTerms | undefined => {
  const next = plan.nextCycle
  if (next === null || ("compensates" in action && action.compensates !== undefined)) return undefined
  const billed = new Set(next.lines.flatMap((l) => (l.kind === "charge" && l.planId !== null ? [l.planId] : [])))
  // The action names the plan instances of its billing subscription as they are after the attach.
  const named = (plan.customerAfter.subscriptions ?? []).filter((s) => action.subscriptionIds.includes(s.id))
  const anchor = named.find((s) => billed.has(s.planId))?.billingAnchor
  if (anchor === undefined) return undefined
  const discounts = [...(plan.customerAfter.discounts ?? []), ...named.flatMap((s) => s.discounts ?? [])]
  return { nextCycle: next, billingAnchor: anchor, discounts: discounts.filter((d, i) => discounts.findIndex((e) => e.discountId === d.discountId) === i) }
}

const withRenewal = <A extends SubscriptionAction>(plan: AttachPreview | undefined, action: A): Omit<A, "type"> & { readonly renewal?: RenewalTerms } => {
  const { type: _, ...request } = action
  const renewal = plan === undefined ? undefined : renewalOf(plan, action)
  return renewal === undefined ? request : { ...request, renewal }
}

/**
 * Carries out one action (`plan` given for forward actions: the renewal they lead to); `wait` when the customer must act first.
 *
 * @example const r = yield* perform(port, action, done, plan) // { kind: "subscription", subscription } or { kind: "wait", … }
 */
export const perform = (port: PaymentPort, action: ProviderAction, done: ReadonlyArray<Done>, plan?: AttachPreview): Effect.Effect<Response | Wait, ProviderError> => {
  const subscription = (e: Effect.Effect<ProviderSubscription, ProviderError>) => Effect.map(e, (s): Response => ({ kind: "subscription", subscription: s }))
  const invoice = (e: Effect.Effect<ProviderInvoice, ProviderError>) => Effect.map(e, (i): Response => ({ kind: "invoice", invoice: i }))
  switch (action.type) {
    case "createCheckoutSession": {
      const { type: _, ...request } = action
      return Effect.map(port.createCheckoutSession(request), (session): Response => ({ kind: "session", session }))
    }
    case "awaitCheckout": {
      const created = responseTo(done, action.session)
      if (created?.kind !== "session") return Effect.die(`no checkout session created by ${action.session}`)
      return Effect.map(port.retrieveCheckoutSession(created.session.id), (session): Response | Wait =>
        session.status === "complete"
          ? { kind: "session", session }
          : { kind: "wait", paymentUrl: session.url, requiredAction: { code: "payment_method_required", reason: "The customer completes the provider's checkout at paymentUrl; then execute this plan again." } })
    }
    case "createSubscription":
      return subscription(port.createSubscription(withRenewal(plan, action)))
    case "updateSubscription":
      return subscription(port.updateSubscription(withRenewal(plan, action)))
    case "cancelSubscription": {
      const { type: _, ...request } = action
      return subscription(port.cancelSubscription(request))
    }
    case "uncancelSubscription":
      return subscription(port.uncancelSubscription(withRenewal(plan, action)))
    case "scheduleChange":
      return subscription(port.scheduleChange(withRenewal(plan, action)))
    case "releaseSchedule":
      return subscription(port.releaseSchedule(withRenewal(plan, action)))
    case "createInvoice": {
      const { type: _, ...request } = action
      return invoice(port.createInvoice(request))
    }
    case "awaitInvoicePaid":
      return Effect.flatMap(invoiceOf(done, action.invoice), (created) =>
        Effect.map(port.retrieveInvoice(created.id), (now): Response | Wait => (now.status === "paid" ? { kind: "invoice", invoice: now } : waitFor(now))))
    case "payInvoice":
      return Effect.flatMap(invoiceOf(done, action.invoice), (created) =>
        invoice(port.payInvoice({ idempotencyKey: action.idempotencyKey, invoiceId: created.id, amount: action.amount, creditApplied: action.creditApplied })))
  }
}

/**
 * The action that undoes a completed one, or undefined when there is nothing to undo.
 *
 * @example inverse({ action: scheduleChange, response })?.type // "releaseSchedule"
 */
export const inverse = ({ action, response }: Done): ProviderAction | undefined => {
  const undo = { idempotencyKey: `${action.idempotencyKey}:undo`, compensates: action.idempotencyKey }
  switch (action.type) {
    case "createSubscription":
      return response.kind !== "subscription" ? undefined : {
        type: "cancelSubscription", ...undo, subscriptionId: response.subscription.id, subscriptionIds: action.subscriptionIds, atPeriodEnd: false, at: action.startsAt
      }
    case "updateSubscription":
      return { ...action, ...undo, items: action.previousItems, previousItems: action.items }
    case "cancelSubscription":
      return action.atPeriodEnd ? { type: "uncancelSubscription", ...undo, subscriptionId: action.subscriptionId, subscriptionIds: action.subscriptionIds, at: action.at } : undefined
    case "uncancelSubscription":
      return { type: "cancelSubscription", ...undo, subscriptionId: action.subscriptionId, subscriptionIds: action.subscriptionIds, atPeriodEnd: true, at: action.at }
    case "scheduleChange":
      return { ...action, ...undo, type: "releaseSchedule" }
    case "releaseSchedule":
      return { ...action, ...undo, type: "scheduleChange" }
    default:
      return undefined
  }
}
