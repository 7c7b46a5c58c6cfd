/**
 * `billing.update` and `billing.preview_update` (autumn-js 1.x): change a plan the customer holds.
 *
 * - `feature_quantities`: a new prepaid quantity, planned as an attach of the same plan with the
 *   new quantities, so the catalog's `on_increase` / `on_decrease` proration applies.
 * - `cancel_action: "cancel_end_of_cycle"`: the plan ends at the end of its current period (a
 *   scheduled change after it is dropped); nothing is charged.
 * - `cancel_action: "cancel_immediately"`: the plan ends now; the unused part of what was paid
 *   for the current period (never more, see docs/proration.md) is credited to the customer's
 *   credit balance, where the next invoices draw on it. `proration_behavior: "none"` credits nothing.
 * - `cancel_action: "uncancel"`: a plan cancelling at the end of its period renews again.
 *
 * @example
 * Autumn.updateSubscription(options, { customer_id: "cus_1", plan_id: "seats", feature_quantities: [{ feature_id: "seats", quantity: 8 }] })
 * Autumn.updateSubscription(options, { customer_id: "cus_1", plan_id: "pro", cancel_action: "cancel_end_of_cycle" })
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { findPlan } from "../Catalog.ts"
import { type Customer, isCurrent, type Subscription } from "../Customer.ts"
import { executeAttach } from "../Execute.ts"
import { iso } from "../internal/instants.ts"
import { cancellationCredits } from "../planner/cancellationCredits.ts"
import type { Line } from "../Preview.ts"
import type { PaymentProvider } from "../Provider.ts"
import { scopeOf } from "../Scenario.ts"
import { AutumnApiError, customerNotFound, customerStateChanged, fromExecuteError, invalidInputs } from "./ApiError.ts"
import { type AutumnOptions, clockOf } from "./AutumnOptions.ts"
import { currentPeriodOf } from "./Customers.ts"
import { CustomerStore } from "./CustomerStore.ts"
import { runCall } from "./internal/runCall.ts"
import { stateChangePlan } from "./internal/stateChange.ts"
import { previewCall } from "./Operations.ts"
import { type AttachCall, decodeWith, rejectUnsupported, type RequestInput } from "./Requests.ts"
import { type AttachResponse, attachResponse, type PreviewResponse, previewResponse } from "./Responses.ts"

const opt = Schema.optionalKey
const Unsupported = opt(Schema.Unknown)

const UpdateBodySchema = Schema.Struct({
  customer_id: Schema.String,
  entity_id: opt(Schema.String),
  plan_id: opt(Schema.String),
  subscription_id: opt(Schema.String),
  feature_quantities: opt(Schema.Array(Schema.Struct({ feature_id: Schema.String, quantity: opt(Schema.Number), adjustable: opt(Schema.Boolean) }))),
  version: opt(Schema.Number),
  proration_behavior: opt(Schema.Literals(["prorate_immediately", "none"])),
  redirect_mode: opt(Schema.Literals(["always", "if_required", "never"])),
  discounts: opt(Schema.Array(Schema.Struct({ reward_id: opt(Schema.String), promotion_code: opt(Schema.String) }))),
  cancel_action: opt(Schema.Literals(["cancel_immediately", "cancel_end_of_cycle", "uncancel"])),
  refund_last_payment: opt(Schema.Literals(["prorated", "full"])),
  expand: opt(Schema.Array(Schema.String)),
  free_trial: Unsupported,
  customize: Unsupported,
  invoice_mode: Unsupported,
  custom_line_items: Unsupported,
  billing_cycle_anchor: Unsupported,
  no_billing_changes: Unsupported,
  subscription_params: Unsupported,
  recalculate_balances: Unsupported,
  carry_over_usages: Unsupported,
  license_quantities: Unsupported
})

type UpdateBody = typeof UpdateBodySchema.Type
type Intent = "update_quantity" | "cancel_immediately" | "cancel_end_of_cycle" | "uncancel"

/**
 * The body of `billing.preview_update`: a preview response and what the update does.
 * @example Effect.map(Autumn.previewUpdate(options, { customer_id: "cus_1", plan_id: "pro", cancel_action: "uncancel" }), (r) => r.intent) // succeeds with "uncancel"
 */
export type PreviewUpdateResponse = PreviewResponse & { readonly intent: Intent }

const UNSUPPORTED: ReadonlyArray<keyof UpdateBody> = [
  "free_trial", "customize", "invoice_mode", "custom_line_items", "billing_cycle_anchor", "no_billing_changes",
  "subscription_params", "recalculate_balances", "carry_over_usages", "license_quantities"
]

const decodeUpdateBody = (json: unknown): Result.Result<UpdateBody, AutumnApiError> =>
  Result.flatMap(decodeWith(UpdateBodySchema, json), (b) => {
    const unsupported = rejectUnsupported(UNSUPPORTED.map((k) => [k, b[k]] as const))
      ?? (b.refund_last_payment === "full" ? invalidInputs("refund_last_payment", `"full" is not supported by this server: an immediate cancellation credits the unused part of what was paid`) : undefined)
    if (unsupported !== undefined) return Result.fail(unsupported)
    if (b.cancel_action !== undefined && b.feature_quantities !== undefined) return Result.fail(invalidInputs("cancel_action", "cannot be sent with feature_quantities: send one of them"))
    if (b.cancel_action === undefined && (b.feature_quantities ?? []).every((q) => q.quantity === undefined)) {
      return Result.fail(invalidInputs("feature_quantities", "is required: send feature_quantities or cancel_action (nothing to update)"))
    }
    return Result.succeed(b)
  })

/** The subscription the update targets: by `subscription_id`, by `plan_id`, or the only plan held in the scope. */
const targetOf = (customer: Customer, b: UpdateBody): Result.Result<Subscription, AutumnApiError> => {
  const scope = b.entity_id ?? null
  const held = (customer.subscriptions ?? []).filter((s) => isCurrent(s) && scopeOf(s) === scope)
  const found = b.subscription_id !== undefined ? held.find((s) => s.id === b.subscription_id || s.providerSubscriptionId === b.subscription_id)
    : b.plan_id !== undefined ? held.find((s) => s.planId === b.plan_id)
    : held.length === 1 ? held[0] : undefined
  if (found !== undefined) return Result.succeed(found)
  if (b.subscription_id === undefined && b.plan_id === undefined && held.length > 1) return Result.fail(invalidInputs("plan_id", `is required: the customer holds ${held.length} plans`))
  const what = b.subscription_id ?? b.plan_id ?? "a plan"
  return Result.fail(new AutumnApiError({ status: 404, code: "plan_not_attached", message: `Customer ${customer.id} holds no active ${what}${scope === null ? "" : ` for entity ${scope}`}` }))
}

/** The attach call that plans a quantity change or an uncancel: the same plan, attached again. */
const reattachCall = (b: UpdateBody, sub: Subscription): AttachCall => {
  const quantities = (b.feature_quantities ?? []).flatMap((q) => (q.quantity === undefined ? [] : [{ featureId: q.feature_id, quantity: q.quantity }]))
  const discounts = (b.discounts ?? []).map((d) => (d.reward_id !== undefined ? { discountId: d.reward_id } : { promotionCode: d.promotion_code ?? "" }))
  const request: RequestInput = {
    customerId: b.customer_id,
    plans: [{ planId: sub.planId, subscriptionId: sub.id, ...(sub.version === undefined ? {} : { version: sub.version }), ...(quantities.length === 0 ? {} : { featureQuantities: quantities }) }],
    ...(b.entity_id === undefined ? {} : { entityId: b.entity_id }),
    ...(b.proration_behavior === undefined ? {} : { prorationBehavior: b.proration_behavior }),
    ...(b.redirect_mode === undefined ? {} : { redirectMode: b.redirect_mode }),
    ...(discounts.length === 0 ? {} : { discounts })
  }
  return { customerId: b.customer_id, entityId: b.entity_id, customerData: undefined, request }
}

const withoutCancel = (s: Subscription): Subscription => {
  const { cancelAtPeriodEnd: _c, endsAt: _e, ...rest } = s
  return rest
}

/** The refund of an immediate cancellation: credits for the unused time of what was paid. */
const refundLines = (options: AutumnOptions, sub: Subscription, currency: string, at: number): Array<Line> => {
  const plan = findPlan(options.catalog, sub.planId, sub.version)
  if (plan === undefined) return []
  return cancellationCredits(sub, plan, at, options.catalog, currency).map((d) => {
    const amount = Number(d.amount)
    return {
      kind: "credit", planId: d.planId, featureId: d.featureId, description: d.description, quantity: d.quantity,
      period: d.period === null ? null : { start: iso(d.period.start), end: iso(d.period.end) }, amount, discounts: [], total: amount
    }
  })
}

/** The customer after a cancellation of `sub` (and of what was scheduled after it in its scope). */
const cancelled = (options: AutumnOptions, customer: Customer, sub: Subscription, action: "cancel_immediately" | "cancel_end_of_cycle", b: UpdateBody) => {
  const atIso = clockOf(options)
  const at = Date.parse(atIso)
  const currency = customer.currency ?? options.catalog.defaultCurrency
  const end = currentPeriodOf(options, sub, at).end
  if (action === "cancel_end_of_cycle" && end === null) return Result.fail(invalidInputs("cancel_action", `${sub.planId} has no billing period to end: use cancel_immediately`))
  const after: Subscription = action === "cancel_immediately" ? { ...withoutCancel(sub), status: "expired", endsAt: atIso } : { ...sub, cancelAtPeriodEnd: true, endsAt: iso(end ?? at) }
  const lines = action === "cancel_immediately" && b.proration_behavior !== "none" ? refundLines(options, sub, currency, at) : []
  const refund = -lines.reduce((sum, l) => sum + l.total, 0)
  const subscriptions = (customer.subscriptions ?? []).flatMap((s) =>
    s.id === sub.id ? [after] : s.status === "scheduled" && scopeOf(s) === scopeOf(sub) ? [] : [s])
  const customerAfter: Customer = { ...customer, subscriptions, ...(refund === 0 ? {} : { creditBalance: (customer.creditBalance ?? 0) + refund }) }
  const plan = stateChangePlan(options.catalog, { customer, customerAfter, planId: sub.planId, key: `${sub.id}:${action}`, at: atIso, currency, lines })
  const expiresAt = action === "cancel_immediately" ? at : end ?? at
  return Result.succeed({ plan, outgoing: { plan_id: sub.planId, feature_quantities: [], effective_at: null, canceled_at: at, expires_at: expiresAt } })
}

const intentOf = (b: UpdateBody): Intent => b.cancel_action ?? "update_quantity"

interface Target {
  readonly body: UpdateBody
  readonly customer: Customer
  readonly sub: Subscription
}

const targetFor = (body: unknown): Effect.Effect<Target, AutumnApiError, CustomerStore> =>
  Effect.gen(function* () {
    const b = yield* Effect.fromResult(decodeUpdateBody(body))
    const customer = yield* Effect.flatMap(CustomerStore, (store) => store.get(b.customer_id))
    if (customer === undefined) return yield* customerNotFound(b.customer_id)
    const sub = yield* Effect.fromResult(targetOf(customer, b))
    if (b.cancel_action === "uncancel" && sub.cancelAtPeriodEnd !== true) return yield* invalidInputs("cancel_action", `${sub.planId} is not cancelling: nothing to uncancel`)
    return { body: b, customer, sub }
  })

/**
 * `POST /v1/billing.preview_update`: what `billing.update` would do; nothing runs, nothing is stored.
 *
 * @example Autumn.previewUpdate(options, { customer_id: "cus_1", plan_id: "seats", feature_quantities: [{ feature_id: "seats", quantity: 8 }] }) // { intent: "update_quantity", total: 9.68, … }
 */
export const previewUpdate = (options: AutumnOptions, body: unknown): Effect.Effect<PreviewUpdateResponse, AutumnApiError, CustomerStore> =>
  Effect.gen(function* () {
    const { body: b, customer, sub } = yield* targetFor(body)
    const intent = intentOf(b)
    if (b.cancel_action === undefined || b.cancel_action === "uncancel") return { ...(yield* previewCall(options, reattachCall(b, sub))), intent }
    const { plan, outgoing } = yield* Effect.fromResult(cancelled(options, customer, sub, b.cancel_action, b))
    const response = previewResponse(options.catalog, customer, reattachCall(b, sub).request, plan)
    return { ...response, outgoing: [outgoing], intent }
  })

/**
 * `POST /v1/billing.update`: changes the plan and executes the change through the payment provider.
 *
 * @example Autumn.updateSubscription(options, { customer_id: "cus_1", plan_id: "pro", cancel_action: "uncancel" })
 */
export const updateSubscription = (options: AutumnOptions, body: unknown): Effect.Effect<AttachResponse, AutumnApiError, CustomerStore | PaymentProvider> =>
  Effect.gen(function* () {
    const { body: b, customer, sub } = yield* targetFor(body)
    if (b.cancel_action === undefined || b.cancel_action === "uncancel") {
      const { result } = yield* runCall(options, reattachCall(b, sub), { shouldExecute: () => true, refuseHeld: false })
      return result === undefined ? yield* Effect.die("an executed run has a result") : attachResponse(b.customer_id, b.entity_id, result)
    }
    const { plan } = yield* Effect.fromResult(cancelled(options, customer, sub, b.cancel_action, b))
    const outcome = yield* Effect.result(executeAttach(plan, customer))
    if (Result.isFailure(outcome)) return yield* fromExecuteError(outcome.failure)
    const store = yield* CustomerStore
    yield* store.put(outcome.success.customer, { ifFingerprint: plan.basedOn }).pipe(Effect.mapError((e) => customerStateChanged(e.message)))
    return attachResponse(b.customer_id, b.entity_id, outcome.success)
  })
