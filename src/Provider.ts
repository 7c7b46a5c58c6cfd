/**
 * The payment port (docs/spec.md §11): the provider-neutral actions a plan lists, and the
 * {@link PaymentProvider} service that carries them out. A host application provides the port as
 * a `Layer` — the embedded sandbox (`Sandbox.layer()`), or an adapter for a real provider (see
 * docs/adapters.md).
 *
 * Every operation takes the action's fields (references to earlier results resolved to provider
 * ids) including its `idempotencyKey`, and fails only with a tagged {@link ProviderError}.
 *
 * @example
 * import { PaymentProvider } from "attach-planner"
 * import * as Layer from "effect/Layer"
 * const MyProvider = Layer.succeed(PaymentProvider, myAdapter) // myAdapter: PaymentPort
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { AppliedDiscount } from "./Customer.ts"
import type { NextCycle } from "./Preview.ts"
import { PhaseSchema, ProviderItemSchema, type ActionOf, type ProviderAction } from "./ProviderAction.ts"

export { ProviderItemSchema, PhaseSchema, LinePeriodSchema, LineDiscountSchema, LineDerivationSchema, LineSchema, ProviderActionSchema, type ProviderItem, type Phase, type ProviderAction, type ActionOf } from "./ProviderAction.ts"

// ---------------------------------------------------------------------------------------------
// Requests and responses of the port
// ---------------------------------------------------------------------------------------------

/**
 * What the plan expects a subscription to renew at, for a provider that bills renewals itself:
 * the plan's `nextCycle` (the preview's own object), the billing anchor of that subscription, and
 * the discounts in force for it with when they were applied (the customer's and the
 * subscription's, from the plan's `customerAfter`). The executor adds it, outside the preview
 * document, to the subscription operations of the subscription `nextCycle` bills; compensations
 * and direct calls carry none.
 *
 * @example request.renewal?.nextCycle.total // 4050
 */
export interface RenewalTerms {
  readonly nextCycle: NextCycle
  readonly billingAnchor: string
  readonly discounts: ReadonlyArray<AppliedDiscount>
}

/** What an operation receives: its action without `type` (subscription operations may also carry {@link RenewalTerms}). @example type R = Request<"createInvoice"> */
export type Request<T extends ProviderAction["type"]> = Omit<ActionOf<T>, "type"> & { readonly renewal?: RenewalTerms }
/** `payInvoice` receives the provider's invoice id in place of the key that created it. @example const r: PayInvoiceRequest = { idempotencyKey: "k", invoiceId: "in_1", amount: 2049, creditApplied: 0 } */
export type PayInvoiceRequest = Omit<ActionOf<"payInvoice">, "type" | "invoice"> & { readonly invoiceId: string }

/** Schema of a checkout session. @example Schema.decodeUnknownSync(CheckoutSessionSchema)(json) */
export const CheckoutSessionSchema = Schema.Struct({ id: Schema.String, url: Schema.String, status: Schema.Literals(["open", "complete"]) })
/** A checkout session; `url` is where the customer goes. @example session.status === "complete" */
export type CheckoutSession = typeof CheckoutSessionSchema.Type

/** Schema of a provider subscription as the port reports it. @example Schema.decodeUnknownSync(ProviderSubscriptionSchema)(json) */
export const ProviderSubscriptionSchema = Schema.Struct({
  id: Schema.String,
  status: Schema.Literals(["active", "trialing", "past_due", "canceled"]),
  items: Schema.Array(ProviderItemSchema),
  cancelAt: Schema.NullOr(Schema.String),
  phase: Schema.NullOr(PhaseSchema)
})
/** A provider subscription as the port reports it. @example sub.cancelAt // null */
export type ProviderSubscription = typeof ProviderSubscriptionSchema.Type

/** Schema of a provider invoice as the port reports it. @example Schema.decodeUnknownSync(ProviderInvoiceSchema)(json) */
export const ProviderInvoiceSchema = Schema.Struct({
  id: Schema.String,
  status: Schema.Literals(["draft", "open", "paid", "void"]),
  currency: Schema.String,
  total: Schema.Int,
  amountDue: Schema.Int,
  hostedUrl: Schema.NullOr(Schema.String)
})
/** A provider invoice as the port reports it (money in minor units). @example invoice.status === "paid" */
export type ProviderInvoice = typeof ProviderInvoiceSchema.Type

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The card was declined. @example new CardDeclined({ message: "Your card was declined", declineCode: "card_declined", invoiceId: "in_1" }) */
export class CardDeclined extends Data.TaggedError("CardDeclined")<{
  readonly message: string
  readonly declineCode: string
  readonly invoiceId: string | null
}> {}

/** The payment needs the customer to authenticate (3-D Secure). @example new AuthenticationRequired({ message: "…", invoiceId: "in_1" }) */
export class AuthenticationRequired extends Data.TaggedError("AuthenticationRequired")<{
  readonly message: string
  readonly invoiceId: string | null
}> {}

/** The customer has no payment method to charge. @example new PaymentMethodRequired({ message: "…", invoiceId: "in_1" }) */
export class PaymentMethodRequired extends Data.TaggedError("PaymentMethodRequired")<{
  readonly message: string
  readonly invoiceId: string | null
}> {}

/** The provider could not be reached or failed; the same call may be retried with the same key. @example new ProviderUnavailable({ message: "timeout" }) */
export class ProviderUnavailable extends Data.TaggedError("ProviderUnavailable")<{
  readonly message: string
}> {}

/** The provider refused the request (bad id, key reused with other parameters, …); `code` is stable. @example new ProviderRejected({ message: "…", code: "resource_missing" }) */
export class ProviderRejected extends Data.TaggedError("ProviderRejected")<{
  readonly message: string
  readonly code: string
}> {}

/** A failed payment: the customer must act. @example isPaymentFailure(e) */
export type PaymentFailure = CardDeclined | AuthenticationRequired | PaymentMethodRequired

/** Every failure of the port. @example const e: ProviderError = new ProviderUnavailable({ message: "timeout" }) */
export type ProviderError = PaymentFailure | ProviderUnavailable | ProviderRejected

/**
 * Whether a port failure is a failed payment (rather than a provider failure).
 *
 * @example isPaymentFailure(new CardDeclined({ message: "", declineCode: "card_declined", invoiceId: null })) // true
 */
export const isPaymentFailure = (e: ProviderError): e is PaymentFailure =>
  e._tag === "CardDeclined" || e._tag === "AuthenticationRequired" || e._tag === "PaymentMethodRequired"

// ---------------------------------------------------------------------------------------------
// The port
// ---------------------------------------------------------------------------------------------

/** One operation of the port: a request in, a result or a tagged {@link ProviderError} out. @example const op: Op<string, ProviderInvoice> = (id) => Effect.fail(new ProviderRejected({ code: "resource_missing", message: id })) */
export type Op<R, A> = (request: R) => Effect.Effect<A, ProviderError>

/** What each operation of the port receives and answers: the single list the port's type and helpers are built from. */
interface Operations {
  readonly createCheckoutSession: readonly [Request<"createCheckoutSession">, CheckoutSession]
  readonly retrieveCheckoutSession: readonly [string, CheckoutSession]
  readonly createSubscription: readonly [Request<"createSubscription">, ProviderSubscription]
  readonly updateSubscription: readonly [Request<"updateSubscription">, ProviderSubscription]
  readonly cancelSubscription: readonly [Request<"cancelSubscription">, ProviderSubscription]
  readonly uncancelSubscription: readonly [Request<"uncancelSubscription">, ProviderSubscription]
  readonly scheduleChange: readonly [Request<"scheduleChange">, ProviderSubscription]
  readonly releaseSchedule: readonly [Request<"releaseSchedule">, ProviderSubscription]
  readonly createInvoice: readonly [Request<"createInvoice">, ProviderInvoice]
  readonly payInvoice: readonly [PayInvoiceRequest, ProviderInvoice]
  readonly retrieveInvoice: readonly [string, ProviderInvoice]
}

/** The name of an operation of the port. @example const name: PortOperation = "createInvoice" */
export type PortOperation = keyof Operations
/** What operation `K` receives. @example type R = RequestOf<"payInvoice"> // PayInvoiceRequest */
export type RequestOf<K extends PortOperation> = Operations[K][0]
/** What operation `K` answers. @example type A = ResultOf<"createInvoice"> // ProviderInvoice */
export type ResultOf<K extends PortOperation> = Operations[K][1]

/**
 * The operations of a payment provider, one per action type (plus two reads the executor uses at
 * the `await…` actions). Contract (docs/adapters.md): the same `idempotencyKey` returns the first
 * successful result and never acts twice; a call that failed may be retried with its key; a
 * compensating call (`compensates` set) restores a state stated in full and frees the key it names.
 *
 * @example
 * const port: PaymentPort = { createSubscription: (r) => Effect.succeed({ id: "sub_1", status: "active", items: r.items, cancelAt: null, phase: null }), … }
 */
export type PaymentPort = { readonly [K in PortOperation]: Op<RequestOf<K>, ResultOf<K>> }

const OPERATIONS: { readonly [K in PortOperation]: K } = {
  createCheckoutSession: "createCheckoutSession", retrieveCheckoutSession: "retrieveCheckoutSession",
  createSubscription: "createSubscription", updateSubscription: "updateSubscription", cancelSubscription: "cancelSubscription",
  uncancelSubscription: "uncancelSubscription", scheduleChange: "scheduleChange", releaseSchedule: "releaseSchedule",
  createInvoice: "createInvoice", payInvoice: "payInvoice", retrieveInvoice: "retrieveInvoice"
}

/**
 * The names of the port's operations, in a stable order.
 *
 * @example portOperations.length // 11
 */
export const portOperations: ReadonlyArray<PortOperation> = Object.values(OPERATIONS)

/**
 * The operations that only read (the executor's two look-ups at the `await…` actions); every
 * other one writes.
 *
 * @example isReadOperation("retrieveInvoice") // true
 */
export const isReadOperation = (name: PortOperation): boolean => name === "retrieveCheckoutSession" || name === "retrieveInvoice"

/**
 * Builds a port one operation at a time: `operation(name)` for every name. The one place that
 * lists the port's operations, so that a wrapper or an adapter never lists them by hand.
 *
 * @example
 * const logged = makePort((name) => (request) => Effect.flatMap(Effect.log(name), () => inner[name](request)))
 */
export const makePort = (operation: <K extends PortOperation>(name: K) => Op<RequestOf<K>, ResultOf<K>>): PaymentPort => {
  const port: Partial<Record<PortOperation, unknown>> = {}
  for (const name of portOperations) port[name] = operation(name)
  // Every name of the mapped type was just set to `operation(name)`, whose type is the port's at that name.
  return port as PaymentPort
}

/**
 * A port whose every operation is `wrap(name, operation)`: the same requests and results, with
 * something around each call (a delay, a log, injected faults).
 *
 * @example
 * const slow = mapPort(port, (_name, op) => (r) => Effect.flatMap(Effect.sleep("2 millis"), () => op(r)))
 */
export const mapPort = (port: PaymentPort, wrap: <R, A>(name: PortOperation, operation: Op<R, A>) => Op<R, A>): PaymentPort =>
  makePort((name) => wrap(name, port[name]))

/**
 * The payment provider service. Provide it with a `Layer` (`Sandbox.layer()` for the embedded
 * sandbox, or `Layer.succeed(PaymentProvider, adapter)`).
 *
 * @example
 * const program = Effect.gen(function* () { const provider = yield* PaymentProvider; return yield* provider.retrieveInvoice("in_1") })
 */
export class PaymentProvider extends Context.Service<PaymentProvider, PaymentPort>()("attach-planner/PaymentProvider") {}

/**
 * A provider's test clock (the sandbox has one; Stripe's test clocks are the same idea): the
 * provider's own side of time passing for a customer. `advanceTestClock` makes pending phases
 * take effect, trials end and cancellations at period end happen up to `to` (idempotent: the same
 * `to` again changes nothing); `testClockOf` is the instant last committed with `setTestClock`
 * (null before the first); `setSubscriptionStatus` marks a subscription `past_due` after a failed
 * renewal (or `active` again). Renewal invoices are not the provider's to compute: the clock
 * creates and charges them through the port.
 *
 * @example if (hasTestClock(port)) yield* port.advanceTestClock({ customerId: "cus_1", to: "2025-02-01T00:00:00.000Z" })
 */
export interface TestClockPort {
  readonly advanceTestClock: Op<{ readonly customerId: string; readonly to: string }, ReadonlyArray<ProviderSubscription>>
  readonly testClockOf: Op<string, string | null>
  readonly setTestClock: Op<{ readonly customerId: string; readonly at: string }, void>
  readonly setSubscriptionStatus: Op<{ readonly subscriptionId: string; readonly status: "active" | "past_due" }, ProviderSubscription>
}

/**
 * Whether a port also has a {@link TestClockPort}.
 *
 * @example hasTestClock(Sandbox.make().port) // true
 */
export const hasTestClock = (port: PaymentPort): port is PaymentPort & TestClockPort =>
  typeof (port as Partial<TestClockPort>).advanceTestClock === "function" && typeof (port as Partial<TestClockPort>).setSubscriptionStatus === "function"

/** The port written with Promises, for adapters that do not use Effect. @example const p: Partial<PromisePort> = { retrieveInvoice: async (id) => lookUp(id) } */
export type PromisePort = { readonly [K in PortOperation]: (request: RequestOf<K>) => Promise<ResultOf<K>> }

const toProviderError = (cause: unknown): ProviderError =>
  cause instanceof CardDeclined || cause instanceof AuthenticationRequired || cause instanceof PaymentMethodRequired ||
    cause instanceof ProviderUnavailable || cause instanceof ProviderRejected
    ? cause
    : new ProviderUnavailable({ message: cause instanceof Error ? cause.message : String(cause) })

const lift = <R, A>(f: (request: R) => Promise<A>): Op<R, A> => (request) =>
  Effect.tryPromise({ try: () => f(request), catch: toProviderError })

/**
 * Builds the port from Promise-returning functions. A rejection with one of the port's tagged
 * errors passes through; any other rejection becomes {@link ProviderUnavailable} (retryable).
 *
 * @example
 * const MyProvider = Layer.succeed(PaymentProvider, fromPromises({ createInvoice: async (r) => …, … }))
 */
export const fromPromises = (p: PromisePort): PaymentPort => makePort((name) => lift(p[name]))
