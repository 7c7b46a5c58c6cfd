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
import { type Done, inverse, perform } from "./internal/performAction.ts"
import { customerFingerprint } from "./internal/fingerprint.ts"
import type { AttachPreview } from "./Preview.ts"
import {
  type PaymentFailure, type PaymentPort, PaymentProvider, type ProviderAction,
  ProviderActionSchema, type ProviderError, type ProviderInvoice, isPaymentFailure
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
