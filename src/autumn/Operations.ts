/**
 * The operations of the Autumn-compatible API, as Effects over the {@link CustomerStore} and the
 * `PaymentProvider` port: each takes the JSON body Autumn's clients send and returns the body
 * they expect, or an {@link AutumnApiError}. Previews only plan (`planAttach`), never call the
 * provider; attaches plan and execute (`executeAttach`) and store the customer's new state.
 *
 * A plan that stopped half-way — at a checkout the customer has not completed, at an unpaid
 * invoice, or at a provider failure — is kept as the customer's pending plan and executed again
 * (same plan, same idempotency keys, nothing done twice) before the customer's next attach or
 * checkout: a completed checkout then takes effect, a provider failure is completed. These
 * operations do not lock: the caller runs one at a time per customer (the fetch handler does).
 *
 * @example
 * const program = Autumn.attach(options, { customer_id: "cus_1", plan_id: "premium" })
 * const body = await Effect.runPromise(program.pipe(
 *   Effect.provideService(Autumn.CustomerStore, Autumn.makeMemoryStore()),
 *   Effect.provideService(PaymentProvider, Sandbox.make().port)))
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import type { Customer } from "../Customer.ts"
import { autumnMessage } from "../internal/decodeIssues.ts"
import { type ExecuteResult, executeAttach } from "../Execute.ts"
import { planAttach } from "../Planner.ts"
import type { AttachPreview } from "../Preview.ts"
import type { PaymentProvider } from "../Provider.ts"
import { AutumnApiError, customerNotFound, customerStateChanged, fromExecuteError, fromPlanError } from "./ApiError.ts"
import { type CustomerProfile, CustomerStore } from "./CustomerStore.ts"
import { decodeForPlanning } from "./internal/decodedCustomers.ts"
import { refuseHeldPlans } from "./internal/heldPlans.ts"
import { completeJournaled, ExecutionJournal } from "./internal/keyedExecution.ts"
import { type AttachCall, type CustomerData, decodeAttachBody, decodeCheckoutBody, decodeMultiAttachBody } from "./Requests.ts"
import { type AttachResponse, attachResponse, type CheckoutResponse, checkoutResponse, type PreviewResponse, previewResponse } from "./Responses.ts"

/**
 * What the operations need besides the two services.
 *
 * - `catalog`: the plans clients attach (`plan_id` / `product_id` are its plan ids).
 * - `now`: the clock, as an ISO instant (default: the system clock).
 * - `newCustomer`: the state of a customer created from `customer_data` (default: no payment
 *   method; `currency` and `fingerprint` taken from `customer_data`).
 * - `env`: the environment products and customers show (`"sandbox"` or `"live"`).
 * - `onCustomerCreated`: runs before a new customer is stored (e.g. gives it a test card in the
 *   sandbox, see `sandboxCustomers`); not run by previews.
 *
 * @example const options: AutumnOptions = { catalog, now: () => "2025-01-16T00:00:00Z" }
 */
export interface AutumnOptions {
  readonly catalog: Catalog
  /** The environment products and customers report (`env`); default `"sandbox"`. */
  readonly env?: "sandbox" | "live"
  readonly now?: () => string
  readonly newCustomer?: (customerId: string, data: CustomerData) => Customer
  readonly onCustomerCreated?: (customer: Customer, data: CustomerData) => Effect.Effect<void, AutumnApiError>
}

type Services = CustomerStore | PaymentProvider

/**
 * The default state of a customer created from `customer_data`.
 *
 * @example defaultNewCustomer("cus_1", { currency: "EUR" }) // { id: "cus_1", hasPaymentMethod: false, currency: "eur" }
 */
export const defaultNewCustomer = (customerId: string, data: CustomerData): Customer => ({
  id: customerId,
  hasPaymentMethod: false,
  ...(typeof data.currency === "string" ? { currency: data.currency.toLowerCase() } : {}),
  ...(typeof data.fingerprint === "string" ? { fingerprint: data.fingerprint } : {})
})

interface Found {
  readonly customer: Customer
  /** Set for a customer the store does not hold yet: what creating it stores beside its state. */
  readonly created: { readonly data: CustomerData; readonly profile: CustomerProfile } | undefined
}

/** The server's clock, as an ISO instant. @example clockOf({ catalog, now: () => "2025-01-16T00:00:00Z" }) // "2025-01-16T00:00:00Z" */
export const clockOf = (options: AutumnOptions): string => (options.now ?? (() => new Date().toISOString()))()

/**
 * The profile `customer_data` gives a new customer, created at `at` (ISO).
 *
 * @example profileFromData({ name: "Ada" }, "2025-01-01T00:00:00Z") // { name: "Ada", email: null, fingerprint: null, metadata: {}, createdAt: 1735689600000 }
 */
export const profileFromData = (data: CustomerData, at: string): CustomerProfile => ({
  name: data.name ?? null,
  email: data.email ?? null,
  fingerprint: data.fingerprint ?? null,
  metadata: data.metadata ?? {},
  createdAt: Date.parse(at)
})

/**
 * The stored customer, or — as Autumn does for an unknown `customer_id` — the new customer the
 * call creates (not stored yet: `created` set), from `customer_data` when the call sends it.
 */
const findCustomer = (options: AutumnOptions, call: AttachCall): Effect.Effect<Found, AutumnApiError, CustomerStore> =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const stored = yield* store.get(call.customerId)
    if (stored !== undefined) return { customer: stored, created: undefined }
    const data = call.customerData ?? {}
    return { customer: newCustomerOf(options, call), created: { data, profile: profileFromData(data, clockOf(options)) } }
  })

/** The customer a call creates when the store does not hold it (from `customer_data`). */
const newCustomerOf = (options: AutumnOptions, call: AttachCall): Customer =>
  (options.newCustomer ?? defaultNewCustomer)(call.customerId, call.customerData ?? {})

/** Plans the call for the customer at the server's clock; errors in Autumn's terms. */
const planFor = (options: AutumnOptions, customer: Customer, call: AttachCall): Result.Result<AttachPreview, AutumnApiError> => {
  const input = decodeForPlanning(options.catalog, customer, { ...call.request, at: clockOf(options) })
  if (Result.isFailure(input)) {
    return Result.fail(new AutumnApiError({ status: 400, code: "invalid_inputs", message: autumnMessage(input.failure) }))
  }
  return Result.mapError(planAttach(input.success), fromPlanError)
}

interface Resumed {
  readonly customer: Customer
  readonly result: ExecuteResult | undefined
  /** The pending plan that ran, when there was one. */
  readonly plan?: AttachPreview
  /** Whether a customer the store did not hold was stored by it. */
  readonly stored?: boolean
}

/**
 * Executes the customer's pending plan again, if there is one: its result is stored when it
 * took effect; when the customer still has not acted it is kept if `keepWaiting` (a webhook that
 * came early), else dropped (the request at hand replaces it); a provider failure keeps it and
 * fails (503: retry later). A plan is pending from before its first provider call (the
 * execution journal), so one cut off half-way — the process killed between two calls — is
 * completed here with the same idempotency keys, never charged twice. `created` is set for a
 * customer the store does not hold yet (its first attach was cut off): it is created now.
 */
const resumeFor = (customer: Customer, keepWaiting: boolean, created?: Found["created"]): Effect.Effect<Resumed, AutumnApiError, Services> =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const pending = yield* store.getPending(customer.id)
    if (pending === undefined) return { customer, result: undefined }
    const outcome = yield* Effect.result(executeAttach(pending, customer))
    if (Result.isFailure(outcome) && outcome.failure._tag === "PaymentProviderError") return yield* fromExecuteError(outcome.failure)
    if (keepWaiting && Result.isSuccess(outcome) && !outcome.success.applied) return { customer, result: outcome.success, plan: pending }
    if (Result.isFailure(outcome)) {
      yield* store.setPending(customer.id, undefined)
      return { customer, result: undefined }
    }
    if (created !== undefined) yield* storeCreated(outcome.success.customer, created)
    else if (outcome.success.applied) yield* store.put(outcome.success.customer).pipe(Effect.mapError((e) => customerStateChanged(e.message)))
    yield* store.setPending(customer.id, undefined)
    return { customer: outcome.success.applied ? outcome.success.customer : customer, result: outcome.success, plan: pending, stored: created !== undefined }
  })


export interface Run {
  readonly customer: Customer
  readonly plan: AttachPreview
  readonly result: ExecuteResult | undefined
}

/** How a call runs: whether its plan is executed, and whether a plan already held is refused. */
export interface RunMode {
  readonly shouldExecute: (plan: AttachPreview) => boolean
  readonly refuseHeld: boolean
}

/** Whether a pending plan attached the plans this call asks for (a retry of the same attach). */
const sameCall = (plan: AttachPreview, call: AttachCall): boolean => {
  const wanted = call.request.plans.map((p) => p.planId).sort().join(",")
  const attached = plan.changes.map((c) => c.planId).sort().join(",")
  return wanted === attached
}

/** Stores a customer the call created, in the state the call left it. */
const storeCreated = (customer: Customer, created: NonNullable<Found["created"]>): Effect.Effect<void, AutumnApiError, CustomerStore> =>
  Effect.flatMap(CustomerStore, (store) => store.create(customer, created.profile)).pipe(
    Effect.mapError((e) => new AutumnApiError({ status: 409, code: "customer_already_exists", message: e.message })),
    Effect.asVoid
  )

/**
 * Plans the call and, when `mode.shouldExecute(plan)`, executes it and stores the outcome. A
 * customer the call creates is stored only when the call succeeds — in the state the execution
 * left it (a paid attach, or one waiting at a checkout or an unpaid invoice); an error stores
 * nothing, so a failed attach leaves no customer behind.
 */
export const runCall = (options: AutumnOptions, call: AttachCall, mode: RunMode): Effect.Effect<Run, AutumnApiError, Services> =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const journal = Option.getOrUndefined(yield* Effect.serviceOption(ExecutionJournal))
    // A retry of a keyed request cut off mid-execution: that plan, completed, is the answer.
    if (journal?.previous !== undefined && journal.previous.customer.id === call.customerId) return yield* completeJournaled(journal.previous)
    const found = yield* findCustomer(options, call)
    const resumed = yield* resumeFor(found.customer, false, found.created)
    const customer = resumed.customer
    if (mode.refuseHeld) {
      // A retry of an attach whose pending plan just completed answers with that plan's outcome.
      if (resumed.plan !== undefined && resumed.result?.applied === true && sameCall(resumed.plan, call)) {
        return { customer, plan: resumed.plan, result: resumed.result }
      }
      yield* refuseHeldPlans(options.catalog, customer, call.request)
    }
    const plan = yield* Effect.fromResult(planFor(options, customer, call))
    const created = resumed.stored === true ? undefined : found.created
    if (!mode.shouldExecute(plan)) {
      if (created !== undefined) yield* storeCreated(customer, created)
      return { customer, plan, result: undefined }
    }
    if (created !== undefined && options.onCustomerCreated !== undefined) yield* options.onCustomerCreated(customer, created.data)
    // Journaled before the first provider call: a cut-off execution is completed by the next
    // request, and by the retry with the same key with the answer the first attempt would give.
    if (journal !== undefined) yield* journal.record({ plan, customer, created })
    yield* store.setPending(customer.id, plan)
    const outcome = yield* Effect.result(executeAttach(plan, customer))
    if (Result.isFailure(outcome)) {
      // A provider failure half-way keeps the plan, so that the next request completes it first.
      if (outcome.failure._tag !== "PaymentProviderError") yield* store.setPending(customer.id, undefined)
      return yield* fromExecuteError(outcome.failure)
    }
    const result = outcome.success
    if (created !== undefined) yield* storeCreated(result.customer, created)
    else yield* store.put(result.customer, { ifFingerprint: plan.basedOn }).pipe(Effect.mapError((e) => customerStateChanged(e.message)))
    if (result.applied || result.requiredAction === undefined) yield* store.setPending(customer.id, undefined)
    return { customer, plan, result }
  })

/**
 * The preview of a call for the customer the store holds (`undefined`: the new customer the call
 * would create, not stored): a plain function — a preview plans and writes nothing, so it needs
 * neither port, and the handler runs it without the Effect runtime.
 *
 * @example previewOf(options, stored, call) // Result<PreviewResponse, AutumnApiError>
 */
export const previewOf = (options: AutumnOptions, stored: Customer | undefined, call: AttachCall): Result.Result<PreviewResponse, AutumnApiError> => {
  const customer = stored ?? newCustomerOf(options, call)
  return Result.map(planFor(options, customer, call), (plan) => previewResponse(options.catalog, customer, call.request, plan))
}

/**
 * The preview of a call as an Effect over the customer store.
 *
 * @example previewCall(options, call) // Effect<PreviewResponse, AutumnApiError, CustomerStore>
 */
export const previewCall = (options: AutumnOptions, call: AttachCall): Effect.Effect<PreviewResponse, AutumnApiError, CustomerStore> =>
  Effect.flatMap(CustomerStore, (store) => Effect.flatMap(store.get(call.customerId), (stored) => Effect.fromResult(previewOf(options, stored, call))))

const execute = (options: AutumnOptions, call: AttachCall): Effect.Effect<AttachResponse, AutumnApiError, Services> =>
  Effect.flatMap(runCall(options, call, { shouldExecute: () => true, refuseHeld: true }), ({ result }) =>
    result === undefined ? Effect.die("an executed run has a result") : Effect.succeed(attachResponse(call.customerId, call.entityId, result)))

/**
 * `POST /v1/billing.attach`: attaches one plan and executes it.
 *
 * @example Autumn.attach(options, { customer_id: "cus_1", plan_id: "premium" }) // Effect<AttachResponse, AutumnApiError, …>
 */
export const attach = (options: AutumnOptions, body: unknown): Effect.Effect<AttachResponse, AutumnApiError, Services> =>
  Effect.flatMap(Effect.fromResult(decodeAttachBody(body)), (call) => execute(options, call))

/**
 * `POST /v1/billing.multi_attach`: attaches several plans at once (e.g. a plan and an add-on).
 *
 * @example Autumn.multiAttach(options, { customer_id: "cus_1", plans: [{ plan_id: "pro" }, { plan_id: "seats" }] })
 */
export const multiAttach = (options: AutumnOptions, body: unknown): Effect.Effect<AttachResponse, AutumnApiError, Services> =>
  Effect.flatMap(Effect.fromResult(decodeMultiAttachBody(body)), (call) => execute(options, call))

/**
 * `POST /v1/billing.preview_attach`: what `billing.attach` would do; no provider call, nothing stored.
 *
 * @example Autumn.previewAttach(options, { customer_id: "cus_1", plan_id: "premium" }) // Effect<PreviewResponse, …>
 */
export const previewAttach = (options: AutumnOptions, body: unknown): Effect.Effect<PreviewResponse, AutumnApiError, CustomerStore> =>
  Effect.flatMap(Effect.fromResult(decodeAttachBody(body)), (call) => previewCall(options, call))

/**
 * `POST /v1/billing.preview_multi_attach`: what `billing.multi_attach` would do.
 *
 * @example Autumn.previewMultiAttach(options, { customer_id: "cus_1", plans: [{ plan_id: "pro" }] })
 */
export const previewMultiAttach = (options: AutumnOptions, body: unknown): Effect.Effect<PreviewResponse, AutumnApiError, CustomerStore> =>
  Effect.flatMap(Effect.fromResult(decodeMultiAttachBody(body)), (call) => previewCall(options, call))

/**
 * The body decoder of each preview operation: the handler decodes such a request with it, reads
 * the customer and plans with {@link previewOf}, without running the operation's Effect.
 *
 * @example PREVIEW_DECODERS.get(previewAttach)?.({ customer_id: "cus_1", plan_id: "pro" }) // Result<AttachCall, AutumnApiError>
 */
export const PREVIEW_DECODERS: ReadonlyMap<unknown, (body: unknown) => Result.Result<AttachCall, AutumnApiError>> = new Map<unknown, (body: unknown) => Result.Result<AttachCall, AutumnApiError>>([
  [previewAttach, decodeAttachBody],
  [previewMultiAttach, decodeMultiAttachBody]
])

/**
 * `POST /v1/checkout` (legacy): when the customer must pay through the provider's checkout (no
 * card, a card-required trial, `force_checkout`), the plan is executed up to the checkout
 * session and `url` is where the customer goes; once they complete it, the plan takes effect at
 * their next attach or checkout. Otherwise nothing is executed: the response previews what an
 * attach will charge (Autumn's clients then confirm with an attach).
 *
 * @example Autumn.checkout(options, { customer_id: "cus_1", product_id: "pro", customer_data: { name: "Ada" } })
 */
export const checkout = (options: AutumnOptions, body: unknown): Effect.Effect<CheckoutResponse, AutumnApiError, Services> =>
  Effect.gen(function* () {
    const call = yield* Effect.fromResult(decodeCheckoutBody(body, options.catalog))
    const { plan, result } = yield* runCall(options, call, { shouldExecute: (p) => p.checkout === "provider_checkout", refuseHeld: false })
    return checkoutResponse(options.catalog, call.request, plan, result?.paymentUrl ?? null, options.env ?? "sandbox")
  })

/**
 * Executes the customer's pending plan again now — what a provider's webhook calls when the
 * customer completed a checkout or paid an invoice (attaches and checkouts do it first anyway).
 * Answers like an attach; without a pending plan, `payment_url: null` and no invoice. A plan
 * whose customer still has not acted stays pending (its `required_action` is in the answer).
 *
 * @example Autumn.resume("cus_1") // after the sandbox's completeCheckout; needs CustomerStore and PaymentProvider
 */
export const resume = (customerId: string): Effect.Effect<AttachResponse, AutumnApiError, Services> =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const customer = yield* store.get(customerId)
    if (customer === undefined) return yield* customerNotFound(customerId)
    const { result } = yield* resumeFor(customer, true)
    return result === undefined ? { customer_id: customerId, payment_url: null } : attachResponse(customerId, undefined, result)
  })
