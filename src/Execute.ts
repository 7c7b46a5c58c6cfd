/**
 * The executor (docs/spec.md §11): runs a plan's provider actions, in order, through the injected
 * {@link PaymentProvider} port, and returns the outcome with the customer's state to store.
 *
 * - The plan must have been computed from the customer state given (`basedOn`), else `StalePlan`.
 * - A declined or 3-D Secure payment undoes the subscription changes (compensating actions); the
 *   invoice stays open and `requiredAction` says why; the customer state is the one given.
 * - A provider failure half-way fails with `PaymentProviderError`, naming the actions that
 *   completed; executing the same plan again with the same customer state completes it without
 *   acting twice (every action carries its idempotency key).
 * - At a checkout or an invoice on net terms the executor stops and says what the customer must
 *   do; executing the same plan again once they have done it carries on.
 *
 * The host reads the customer's state from its store, executes, and writes `result.customer`
 * back — ideally only if the stored state still has the fingerprint the plan was based on.
 *
 * @example
 * const result = yield* executeAttach(preview, customer)   // needs PaymentProvider
 * yield* store.save(result.customer)
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { Customer } from "./Customer.ts"
import type { DecodeError } from "./Errors.ts"
import { decodeError, type Issue, schemaIssues } from "./internal/decodeIssues.ts"
import { customerFingerprint } from "./internal/working.ts"
import type { AttachPreview } from "./Preview.ts"
import {
  type CheckoutSession, type PaymentFailure, type PaymentPort, PaymentProvider, type ProviderAction,
  ProviderActionSchema, type ProviderError, type ProviderInvoice, type ProviderSubscription, type RenewalTerms, isPaymentFailure
} from "./Provider.ts"

/** Why the customer must act before the attach completes (docs/spec.md §11). @example { code: "3ds_required", reason: "The bank asks the customer to authenticate…" } */
export interface RequiredAction {
  readonly code: "payment_method_required" | "3ds_required" | "payment_failed" | "payment_processing"
  readonly reason: string
}

/** The invoice of an execution (money in minor units). @example result.invoice?.status // "paid" */
export type InvoiceSummary = ProviderInvoice

/** An action named by its type and key. @example { type: "payInvoice", idempotencyKey: "ap_…_2_payInvoice" } */
export interface ActionRef {
  readonly type: string
  readonly idempotencyKey: string
}

/**
 * The outcome of executing a plan (docs/spec.md §11). `customer` is the state to store: the plan's
 * `customerAfter` (with the provider's subscription ids) when `applied`, else the state given.
 *
 * @example result.applied ? save(result.customer) : redirect(result.paymentUrl)
 */
export interface ExecuteResult {
  readonly applied: boolean
  readonly invoice?: InvoiceSummary
  readonly paymentUrl: string | null
  readonly requiredAction?: RequiredAction
  readonly customer: Customer
  /** The actions that ran, in order; compensations have keys ending in `:undo`. */
  readonly completed: ReadonlyArray<ActionRef>
  /** The actions undone after a failed payment. */
  readonly compensated: ReadonlyArray<ActionRef>
}

/**
 * The plan was computed from another customer state than the one given: plan again.
 *
 * @example Effect.catchTag(executeAttach(plan, customer), "StalePlan", () => replan())
 */
export class StalePlan extends Data.TaggedError("StalePlan")<{
  readonly message: string
  readonly customerId: string
  readonly basedOn: string
  readonly current: string
}> {}

/**
 * The provider failed at `failed` (while undoing a failed payment when `compensating`); the
 * actions in `completed` took effect. Execute the same plan again with the same customer state
 * to complete it; nothing is done twice.
 *
 * @example Effect.retry(executeAttach(plan, customer), { while: (e) => e._tag === "PaymentProviderError" })
 */
export class PaymentProviderError extends Data.TaggedError("PaymentProviderError")<{
  readonly message: string
  readonly providerError: ProviderError
  readonly failed: ActionRef
  readonly completed: ReadonlyArray<ActionRef>
  readonly compensating: boolean
}> {}

/** Every error of {@link executeAttach}. @example Effect.catchTags(executeAttach(plan, customer), { StalePlan: replan }) */
export type ExecuteError = StalePlan | DecodeError | PaymentProviderError

// ---------------------------------------------------------------------------------------------

type Response =
  | { readonly kind: "session"; readonly session: CheckoutSession }
  | { readonly kind: "subscription"; readonly subscription: ProviderSubscription }
  | { readonly kind: "invoice"; readonly invoice: ProviderInvoice }
type Wait = { readonly kind: "wait"; readonly requiredAction: RequiredAction; readonly paymentUrl: string | null; readonly invoice?: ProviderInvoice }
interface Done {
  readonly action: ProviderAction
  readonly response: Response
}

const refOf = (a: { readonly type: string; readonly idempotencyKey: string }): ActionRef => ({ type: a.type, idempotencyKey: a.idempotencyKey })

const decodeActions = (actions: ReadonlyArray<unknown>): Result.Result<ReadonlyArray<ProviderAction>, DecodeError> => {
  const r = Schema.decodeUnknownResult(Schema.Array(ProviderActionSchema))(actions, { errors: "all" })
  const issues: Array<Issue> = Result.isSuccess(r) ? [] : schemaIssues(r.failure.issue, ["actions"])
  if (Result.isSuccess(r)) {
    r.success.forEach((a, i) => {
      const ref = a.type === "awaitCheckout" ? [a.session, "createCheckoutSession"] : a.type === "awaitInvoicePaid" || a.type === "payInvoice" ? [a.invoice, "createInvoice"] : undefined
      if (ref !== undefined && !r.success.slice(0, i).some((b) => b.idempotencyKey === ref[0] && b.type === ref[1])) {
        issues.push({ kind: "rule", path: ["actions", i], message: `refers to ${ref[0]}, which is not an earlier ${ref[1]} action` })
      }
    })
  }
  return Result.isSuccess(r) && issues.length === 0
    ? Result.succeed(r.success)
    : Result.fail(decodeError(issues, { ifNone: { kind: "rule", path: ["actions"], message: "invalid" }, countOthers: false }))
}

const responseTo = (done: ReadonlyArray<Done>, key: string): Response | undefined =>
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

/** Carries out one action (`plan` given for forward actions: the renewal they lead to); `wait` when the customer must act first. */
const perform = (port: PaymentPort, action: ProviderAction, done: ReadonlyArray<Done>, plan?: AttachPreview): Effect.Effect<Response | Wait, ProviderError> => {
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

/** The action that undoes a completed one, or undefined when there is nothing to undo. */
const inverse = ({ action, response }: Done): ProviderAction | undefined => {
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

const requiredActionFor = (e: PaymentFailure): RequiredAction => {
  const undone = "The subscription change was undone and the invoice stays open"
  switch (e._tag) {
    case "CardDeclined":
      return { code: "payment_failed", reason: `The card was declined (${e.declineCode}). ${undone}: the customer pays it at paymentUrl, or adds another card; then execute this plan again.` }
    case "AuthenticationRequired":
      return { code: "3ds_required", reason: `The bank asks the customer to authenticate the payment (3-D Secure). ${undone}: the customer pays it at paymentUrl; then execute this plan again.` }
    case "PaymentMethodRequired":
      return { code: "payment_method_required", reason: `The customer has no payment method. ${undone}: the customer pays it at paymentUrl, or adds a card; then execute this plan again.` }
  }
}

const lastInvoice = (done: ReadonlyArray<Done>): ProviderInvoice | undefined =>
  done.reduce<ProviderInvoice | undefined>((found, d) => (d.response.kind === "invoice" ? d.response.invoice : found), undefined)

/** The plan's state after, with the provider's ids of the subscriptions it created or changed. */
const customerAfter = (plan: AttachPreview, done: ReadonlyArray<Done>): Customer => {
  const providerIds = new Map<string, string>()
  for (const { action, response } of done) {
    if (action.type === "createSubscription" && response.kind === "subscription") for (const id of action.subscriptionIds) providerIds.set(id, response.subscription.id)
    else if ("subscriptionId" in action) for (const id of action.subscriptionIds) providerIds.set(id, action.subscriptionId)
  }
  const checkedOut = done.some((d) => d.action.type === "awaitCheckout")
  const after = plan.customerAfter
  return {
    ...after,
    ...(checkedOut ? { hasPaymentMethod: true } : {}),
    ...(after.subscriptions === undefined ? {} : {
      subscriptions: after.subscriptions.map((s) => {
        const id = providerIds.get(s.id)
        return s.providerSubscriptionId !== undefined || id === undefined ? s : { ...s, providerSubscriptionId: id }
      })
    })
  }
}

const refsOf = (done: ReadonlyArray<Done>): Array<ActionRef> => done.map((d) => refOf(d.action))

const providerFailure = (e: ProviderError, at: ProviderAction, compensating: boolean, completed: ReadonlyArray<ActionRef>): PaymentProviderError =>
  new PaymentProviderError({
    message: `${at.type} failed (${e._tag}: ${e.message})${compensating ? " while undoing a failed payment" : ""}; ${completed.length} action(s) completed. ${
      e._tag === "ProviderRejected" ? "The provider refused the request: fix the cause, then" : "Keep the customer state as it was and"
    } execute the same plan again to complete it.`,
    providerError: e, failed: refOf(at), completed, compensating
  })

/** After a failed payment: undo what can be undone, newest first; the invoice stays open. */
const rollBack = (port: PaymentPort, done: ReadonlyArray<Done>, e: PaymentFailure, current: Customer): Effect.Effect<ExecuteResult, PaymentProviderError> =>
  Effect.gen(function* () {
    const completed = refsOf(done)
    const compensated: Array<ActionRef> = []
    for (const d of [...done].reverse()) {
      const undo = inverse(d)
      if (undo === undefined) continue
      const r = yield* Effect.result(perform(port, undo, done))
      if (Result.isFailure(r)) return yield* providerFailure(r.failure, undo, true, completed)
      completed.push(refOf(undo))
      compensated.push(refOf(d.action))
    }
    const invoice = lastInvoice(done)
    return {
      applied: false, ...(invoice === undefined ? {} : { invoice }), paymentUrl: invoice?.hostedUrl ?? null,
      requiredAction: requiredActionFor(e), customer: current, completed, compensated
    }
  })

/**
 * Executes a plan (a preview document) for the customer state it was computed from, through the
 * {@link PaymentProvider} port. Fails with `StalePlan` when `current` is not the state the plan
 * was based on, `DecodeError` when the plan's actions are malformed, `PaymentProviderError` when
 * the provider failed half-way (execute the same plan again to complete it).
 *
 * @example
 * const preview = yield* previewAttach({ catalog, customer, request })
 * const result = yield* executeAttach(preview, customer)
 * if (result.requiredAction) console.log(result.requiredAction.code, result.paymentUrl)
 */
export const executeAttach = (plan: AttachPreview, current: Customer): Effect.Effect<ExecuteResult, ExecuteError, PaymentProvider> =>
  Effect.gen(function* () {
    const fingerprint = customerFingerprint(current)
    if (current.id !== plan.customerId || fingerprint !== plan.basedOn) {
      return yield* new StalePlan({
        message: `The plan for customer ${plan.customerId} was computed from another state of the customer than the one given (${current.id}); plan again`,
        customerId: plan.customerId, basedOn: plan.basedOn, current: fingerprint
      })
    }
    const actions = yield* Effect.fromResult(decodeActions(plan.actions))
    const port = yield* PaymentProvider
    const done: Array<Done> = []
    for (const action of actions) {
      const outcome = yield* Effect.result(perform(port, action, done, plan))
      if (Result.isFailure(outcome)) {
        const e = outcome.failure
        if (action.type === "payInvoice" && isPaymentFailure(e)) return yield* rollBack(port, done, e, current)
        return yield* providerFailure(e, action, false, refsOf(done))
      }
      if (outcome.success.kind === "wait") {
        const { kind: _, ...waiting } = outcome.success
        return { applied: false, ...waiting, customer: current, completed: refsOf(done), compensated: [] }
      }
      done.push({ action, response: outcome.success })
    }
    const invoice = lastInvoice(done)
    return {
      applied: true, ...(invoice === undefined ? {} : { invoice }), paymentUrl: invoice?.status === "open" ? invoice.hostedUrl : null,
      customer: customerAfter(plan, done), completed: refsOf(done), compensated: []
    }
  })

/**
 * The Promise form of {@link executeAttach} for callers who do not use Effect: `provider` is the
 * port implementation (`Sandbox.make().port`, or `fromPromises({...})`). Resolves with the result;
 * rejects with the tagged error (`StalePlan`, `DecodeError`, `PaymentProviderError`).
 *
 * @example
 * const sandbox = Sandbox.make()
 * const result = await executeAttachPromise(preview, customer, sandbox.port)
 */
export const executeAttachPromise = (plan: AttachPreview, current: Customer, provider: PaymentPort): Promise<ExecuteResult> =>
  Effect.runPromise(Effect.result(Effect.provideService(executeAttach(plan, current), PaymentProvider, provider))).then((r) =>
    Result.isSuccess(r) ? r.success : Promise.reject(r.failure))
