/**
 * The sandbox: a real in-memory payment provider, the embedded default implementation of the
 * {@link PaymentProvider} port. It keeps customers (a default payment method and a credit
 * balance), subscriptions with pending phases, invoices (draft / open / paid / void) with hosted
 * URLs, checkout sessions, charges, and an idempotency record per key: the same key returns the
 * first result and never charges twice. Its whole state is plain JSON (`state`, {@link decodeState}).
 *
 * Test payment methods: `pm_card_visa` succeeds, `pm_card_declined` and
 * `pm_card_insufficient_funds` decline, `pm_card_3ds` needs 3-D Secure (off-session charges fail
 * with `AuthenticationRequired`; paying on the hosted invoice page succeeds).
 *
 * The sandbox has a test clock per customer (`port.advanceTestClock`, see `TestClockPort`): it
 * runs the provider's side of time passing; `advanceClock` (src/timeline/clock.ts) drives it and
 * creates and charges the renewal invoices.
 *
 * @example
 * import * as Sandbox from "attach-planner/sandbox"
 * import { executeAttach } from "attach-planner"
 * const result = await Effect.runPromise(Effect.provide(executeAttach(plan, customer), Sandbox.layer()))
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { Catalog } from "./Catalog.ts"
import type { Customer } from "./Customer.ts"
import type { DecodeError } from "./Errors.ts"
import { billingView } from "./planner/internal/billingView.ts"
import { decodeError, schemaIssues } from "./internal/decodeIssues.ts"
import { findBy } from "./internal/rowIndex.ts"
import { customerFingerprint } from "./internal/working.ts"
import { advanceSubscriptions, setClock, setStatus } from "./internal/sandboxClock.ts"
import {
  AuthenticationRequired, CardDeclined, type CheckoutSession, CheckoutSessionSchema, LineSchema, makePort, PaymentMethodRequired,
  type PaymentPort, PaymentProvider, type PortOperation, type ProviderError, type ProviderInvoice, ProviderInvoiceSchema,
  ProviderItemSchema, ProviderRejected, type ProviderSubscription, ProviderSubscriptionSchema, ProviderUnavailable, type Request, type RequestOf, type ResultOf,
  type TestClockPort
} from "./Provider.ts"

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

const Collection = Schema.Literals(["charge_automatically", "send_invoice"])

const SandboxStateSchema = Schema.Struct({
  version: Schema.Literal(1),
  nextId: Schema.Int,
  customers: Schema.Array(Schema.Struct({ id: Schema.String, balance: Schema.Int, paymentMethod: Schema.NullOr(Schema.String) })),
  subscriptions: Schema.Array(Schema.Struct({
    ...ProviderSubscriptionSchema.fields,
    customerId: Schema.String,
    currency: Schema.String,
    billingAnchor: Schema.String,
    trialEndsAt: Schema.NullOr(Schema.String),
    collection: Collection,
    netTermsDays: Schema.NullOr(Schema.Int),
    canceledAt: Schema.NullOr(Schema.String)
  })),
  invoices: Schema.Array(Schema.Struct({
    ...ProviderInvoiceSchema.fields,
    customerId: Schema.String,
    description: Schema.String,
    lines: Schema.Array(LineSchema),
    creditApplied: Schema.Int,
    amountPaid: Schema.Int,
    collection: Collection,
    netTermsDays: Schema.NullOr(Schema.Int),
    attempts: Schema.Array(Schema.Struct({ paymentMethod: Schema.NullOr(Schema.String), outcome: Schema.String }))
  })),
  checkoutSessions: Schema.Array(Schema.Struct({
    ...CheckoutSessionSchema.fields,
    customerId: Schema.String,
    currency: Schema.String,
    mode: Schema.Literals(["subscription", "payment"]),
    items: Schema.Array(ProviderItemSchema),
    amountDue: Schema.Int,
    trialEndsAt: Schema.NullOr(Schema.String),
    successUrl: Schema.NullOr(Schema.String),
    params: Schema.Record(Schema.String, Schema.Unknown),
    paymentMethod: Schema.NullOr(Schema.String)
  })),
  charges: Schema.Array(Schema.Struct({
    id: Schema.String, customerId: Schema.String, invoiceId: Schema.String, amount: Schema.Int, currency: Schema.String, paymentMethod: Schema.String
  })),
  idempotency: Schema.Array(Schema.Struct({
    key: Schema.String,
    operation: Schema.String,
    request: Schema.String,
    response: Schema.Union([
      Schema.Struct({ kind: Schema.Literal("subscription"), subscription: ProviderSubscriptionSchema }),
      Schema.Struct({ kind: Schema.Literal("invoice"), invoice: ProviderInvoiceSchema }),
      Schema.Struct({ kind: Schema.Literal("session"), session: CheckoutSessionSchema })
    ])
  })),
  log: Schema.Array(Schema.Struct({ operation: Schema.String, idempotencyKey: Schema.String, outcome: Schema.Literals(["applied", "replayed", "failed"]) })),
  clocks: Schema.Array(Schema.Struct({ customerId: Schema.String, at: Schema.String }))
})

/**
 * The sandbox's whole state, as JSON.
 *
 * @example JSON.stringify(await Effect.runPromise(sandbox.state))
 */
export type SandboxState = typeof SandboxStateSchema.Type

/** A draft of the state: its tables and their rows are writable; values inside rows are replaced, never changed. */
type Row<T> = T extends ReadonlyArray<infer E> ? { -readonly [P in keyof E]: E[P] } : never
type State = { -readonly [K in keyof SandboxState]: SandboxState[K] extends ReadonlyArray<unknown> ? Array<Row<SandboxState[K]>> : SandboxState[K] }
type Invoice = State["invoices"][number]
type Subscription = State["subscriptions"][number]
type Response = State["idempotency"][number]["response"]

/**
 * The state of a sandbox that has never been used.
 *
 * @example Sandbox.layer(emptyState)
 */
export const emptyState: SandboxState = {
  version: 1, nextId: 1, customers: [], subscriptions: [], invoices: [], checkoutSessions: [], charges: [], idempotency: [], log: [], clocks: []
}

/**
 * Decodes a sandbox state read from JSON; a {@link DecodeError} names the first bad field.
 *
 * @example decodeState(JSON.parse(text)) // Result<SandboxState, DecodeError>
 */
export const decodeState = (input: unknown): Result.Result<SandboxState, DecodeError> => {
  // states written before the test clock have no `clocks`
  const withClocks = typeof input === "object" && input !== null && !Array.isArray(input) && !("clocks" in input) ? { ...input, clocks: [] } : input
  const r = Schema.decodeUnknownResult(SandboxStateSchema)(withClocks, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(r)) return Result.succeed(r.success)
  const ifNone = { kind: "rule", path: ["sandbox"], message: "is not a sandbox state" } as const
  return Result.fail(decodeError(schemaIssues(r.failure.issue, ["sandbox"]), { ifNone, countOthers: false }))
}

// ---------------------------------------------------------------------------------------------
// The pure core: operations on a draft of the state
// ---------------------------------------------------------------------------------------------

const BASE_URL = "https://sandbox.attach-planner.invalid"
const TOKENS = ["pm_card_visa", "pm_card_declined", "pm_card_insufficient_funds", "pm_card_3ds"]

type Outcome<A> = Result.Result<A, ProviderError>

const rejected = (code: string, message: string): Outcome<never> => Result.fail(new ProviderRejected({ code, message }))

/**
 * The sandbox keeps the last 1,000–2,000 calls in its log and the last 100,000–200,000
 * idempotency records (a key older than that runs again, as an expired key does at a provider):
 * a long-running sandbox stays flat in memory and in time per call.
 */
const LOG_LIMIT = 1_000
const IDEMPOTENCY_LIMIT = 100_000

const BY_ID = (row: { readonly id: string }): string => row.id
const BY_KEY = (row: { readonly key: string }): string => row.key
const BY_URL = (row: { readonly url: string }): string => row.url

const newId = (s: State, prefix: string): string => `${prefix}_sbx_${String(s.nextId++).padStart(4, "0")}`

const customerOf = (s: State, id: string): State["customers"][number] => {
  const found = findBy(s.customers, BY_ID, id)
  if (found !== undefined) return found
  const created = { id, balance: 0, paymentMethod: null }
  s.customers.push(created)
  return created
}

const subscriptionView = (sub: Subscription): ProviderSubscription =>
  ({ id: sub.id, status: sub.status, items: sub.items, cancelAt: sub.cancelAt, phase: sub.phase })
const invoiceView = (inv: Invoice): ProviderInvoice =>
  ({ id: inv.id, status: inv.status, currency: inv.currency, total: inv.total, amountDue: inv.amountDue, hostedUrl: inv.hostedUrl })
const sessionView = (cs: State["checkoutSessions"][number]): CheckoutSession => ({ id: cs.id, url: cs.url, status: cs.status })

interface Kind<A> {
  readonly wrap: (a: A) => Response
  readonly unwrap: (r: Response) => A | undefined
}
const SUBSCRIPTION: Kind<ProviderSubscription> = { wrap: (subscription) => ({ kind: "subscription", subscription }), unwrap: (r) => (r.kind === "subscription" ? r.subscription : undefined) }
const INVOICE: Kind<ProviderInvoice> = { wrap: (invoice) => ({ kind: "invoice", invoice }), unwrap: (r) => (r.kind === "invoice" ? r.invoice : undefined) }
const SESSION: Kind<CheckoutSession> = { wrap: (session) => ({ kind: "session", session }), unwrap: (r) => (r.kind === "session" ? r.session : undefined) }

/**
 * Runs `apply` once per idempotency key: a key seen before returns its first successful result
 * (or is rejected when it came with other parameters); a failed call is not recorded, so it may be
 * retried. A compensating call is not recorded either (it states its result in full) and frees
 * the key it undoes.
 */
const once = <A>(
  s: State, operation: string, kind: Kind<A>, request: { readonly idempotencyKey: string; readonly compensates?: string }, apply: () => Outcome<A>
): Outcome<A> => {
  const { idempotencyKey, ...rest } = request
  const fingerprint = customerFingerprint(rest)
  const record = findBy(s.idempotency, BY_KEY, idempotencyKey)
  if (record !== undefined) {
    const replayed = record.operation === operation && record.request === fingerprint ? kind.unwrap(record.response) : undefined
    if (replayed === undefined) return rejected("idempotency_key_reused", `The key ${idempotencyKey} was used for another request (${record.operation})`)
    logCall(s, { operation, idempotencyKey, outcome: "replayed" })
    return Result.succeed(replayed)
  }
  const result = apply()
  logCall(s, { operation, idempotencyKey, outcome: Result.isSuccess(result) ? "applied" : "failed" })
  if (Result.isSuccess(result)) {
    if (request.compensates === undefined) s.idempotency.push({ key: idempotencyKey, operation, request: fingerprint, response: kind.wrap(result.success) })
    else s.idempotency = s.idempotency.filter((r) => r.key !== request.compensates)
    if (s.idempotency.length > 2 * IDEMPOTENCY_LIMIT) s.idempotency = s.idempotency.slice(-IDEMPOTENCY_LIMIT)
  }
  return result
}

/** Appends to the call log, which keeps the last {@link LOG_LIMIT} calls (trimmed in batches). */
const logCall = (s: State, entry: State["log"][number]): void => {
  s.log.push(entry)
  if (s.log.length > 2 * LOG_LIMIT) s.log = s.log.slice(-LOG_LIMIT)
}

const liveSubscription = (s: State, id: string): Outcome<Subscription> => {
  const sub = findBy(s.subscriptions, BY_ID, id)
  if (sub === undefined) return rejected("resource_missing", `No subscription ${id}`)
  return sub.status === "canceled" ? rejected("subscription_canceled", `Subscription ${id} is canceled`) : Result.succeed(sub)
}

const onSubscription = (s: State, operation: string, request: Request<"updateSubscription" | "cancelSubscription" | "uncancelSubscription" | "scheduleChange" | "releaseSchedule">, change: (sub: Subscription) => Outcome<void>): Outcome<ProviderSubscription> =>
  once(s, operation, SUBSCRIPTION, request, () =>
    Result.flatMap(liveSubscription(s, request.subscriptionId), (sub) => Result.map(change(sub), () => subscriptionView(sub)))
  )

const itemsKey = (items: ReadonlyArray<unknown>): string => customerFingerprint(items)

const ok: Outcome<void> = Result.succeed(undefined)

/** Charges an open invoice with a payment method; `onSession` is the customer on the hosted page (3-D Secure passes). */
const charge = (s: State, inv: Invoice, paymentMethod: string | null, onSession: boolean): Outcome<ProviderInvoice> => {
  const fail = (outcome: string, error: ProviderError): Outcome<never> => {
    inv.attempts = [...inv.attempts, { paymentMethod, outcome }]
    return Result.fail(error)
  }
  if (paymentMethod === null) return fail("no_payment_method", new PaymentMethodRequired({ message: `Customer ${inv.customerId} has no payment method`, invoiceId: inv.id }))
  if (paymentMethod === "pm_card_declined" || paymentMethod === "pm_card_insufficient_funds") {
    const declineCode = paymentMethod === "pm_card_declined" ? "card_declined" : "insufficient_funds"
    return fail(declineCode, new CardDeclined({ message: `The card was declined (${declineCode})`, declineCode, invoiceId: inv.id }))
  }
  if (paymentMethod === "pm_card_3ds" && !onSession) {
    return fail("authentication_required", new AuthenticationRequired({ message: "The payment needs 3-D Secure authentication by the customer", invoiceId: inv.id }))
  }
  inv.attempts = [...inv.attempts, { paymentMethod, outcome: "succeeded" }]
  s.charges.push({ id: newId(s, "ch"), customerId: inv.customerId, invoiceId: inv.id, amount: inv.amountDue, currency: inv.currency, paymentMethod })
  inv.amountPaid = inv.amountDue
  inv.status = "paid"
  return Result.succeed(invoiceView(inv))
}

const finalize = (inv: Invoice): void => {
  inv.status = inv.amountDue === 0 ? "paid" : "open"
  inv.hostedUrl = `${BASE_URL}/invoices/${inv.id}`
}

const findInvoice = (s: State, id: string): Outcome<Invoice> => {
  const inv = findBy(s.invoices, BY_ID, id)
  return inv === undefined ? rejected("resource_missing", `No invoice ${id}`) : Result.succeed(inv)
}

const findSession = (s: State, idOrUrl: string): Outcome<State["checkoutSessions"][number]> => {
  const cs = findBy(s.checkoutSessions, BY_ID, idOrUrl) ?? findBy(s.checkoutSessions, BY_URL, idOrUrl)
  return cs === undefined ? rejected("resource_missing", `No checkout session ${idOrUrl}`) : Result.succeed(cs)
}

const core: { readonly [K in PortOperation]: (s: State, request: RequestOf<K>) => Outcome<ResultOf<K>> } = {
  createCheckoutSession: (s, r) =>
    once(s, "createCheckoutSession", SESSION, r, () => {
      customerOf(s, r.customerId)
      const id = newId(s, "cs")
      const cs = {
        id, url: `${BASE_URL}/checkout/${id}`, status: "open" as const, customerId: r.customerId, currency: r.currency, mode: r.mode,
        items: r.items, amountDue: r.amountDue, trialEndsAt: r.trialEndsAt, successUrl: r.successUrl, params: r.params, paymentMethod: null
      }
      s.checkoutSessions.push(cs)
      return Result.succeed(sessionView(cs))
    }),
  retrieveCheckoutSession: (s, id) => Result.map(findSession(s, id), sessionView),
  createSubscription: (s, r) =>
    once(s, "createSubscription", SUBSCRIPTION, r, () => {
      customerOf(s, r.customerId)
      const sub: Subscription = {
        id: newId(s, "sub"), status: r.trialEndsAt === null ? "active" : "trialing", items: r.items, cancelAt: null, phase: null,
        customerId: r.customerId, currency: r.currency, billingAnchor: r.billingAnchor, trialEndsAt: r.trialEndsAt,
        collection: r.collection, netTermsDays: r.netTermsDays, canceledAt: null
      }
      s.subscriptions.push(sub)
      return Result.succeed(subscriptionView(sub))
    }),
  updateSubscription: (s, r) =>
    onSubscription(s, "updateSubscription", r, (sub) => {
      const now = itemsKey(sub.items)
      if (now !== itemsKey(r.previousItems) && now !== itemsKey(r.items)) {
        return rejected("state_mismatch", `Subscription ${sub.id} does not hold the items this change starts from`)
      }
      sub.items = r.items
      return ok
    }),
  cancelSubscription: (s, r) => {
    const found = findBy(s.subscriptions, BY_ID, r.subscriptionId)
    const done = found?.status === "canceled" ? found : undefined
    if (!r.atPeriodEnd && done !== undefined) return Result.succeed(subscriptionView(done))
    return onSubscription(s, "cancelSubscription", r, (sub) => {
      if (r.atPeriodEnd) sub.cancelAt = r.at
      else {
        sub.status = "canceled"
        sub.canceledAt = r.at
        sub.phase = null
      }
      return ok
    })
  },
  uncancelSubscription: (s, r) =>
    onSubscription(s, "uncancelSubscription", r, (sub) => {
      sub.cancelAt = null
      return ok
    }),
  scheduleChange: (s, r) =>
    onSubscription(s, "scheduleChange", r, (sub) => {
      const phase = { at: r.at, items: r.items }
      if (sub.phase !== null && customerFingerprint(sub.phase) !== customerFingerprint(phase)) {
        return rejected("schedule_exists", `Subscription ${sub.id} already has a pending change at ${sub.phase.at}; release it first`)
      }
      sub.phase = phase
      return ok
    }),
  releaseSchedule: (s, r) =>
    onSubscription(s, "releaseSchedule", r, (sub) => {
      sub.phase = null
      return ok
    }),
  createInvoice: (s, r) =>
    once(s, "createInvoice", INVOICE, r, () => {
      const customer = customerOf(s, r.customerId)
      const applied = r.total > 0 ? r.creditApplied : 0
      if (applied < 0 || applied > customer.balance || r.amountDue !== Math.max(0, r.total - applied)) {
        return rejected("amount_mismatch", `Invoice of ${r.total} with ${r.creditApplied} credit applied cannot be due ${r.amountDue} (balance ${customer.balance})`)
      }
      customer.balance += r.total < 0 ? -r.total : -applied
      const inv: Invoice = {
        id: newId(s, "in"), status: "draft", currency: r.currency, total: r.total, amountDue: r.amountDue, hostedUrl: null,
        customerId: r.customerId, description: r.description, lines: r.lines, creditApplied: applied, amountPaid: 0,
        collection: r.collection, netTermsDays: r.netTermsDays, attempts: []
      }
      if (r.finalize) finalize(inv)
      s.invoices.push(inv)
      return Result.succeed(invoiceView(inv))
    }),
  payInvoice: (s, r) =>
    once(s, "payInvoice", INVOICE, r, () => Result.flatMap(findInvoice(s, r.invoiceId), (inv) => {
      if (inv.status === "paid") return Result.succeed(invoiceView(inv))
      if (inv.status !== "open") return rejected("invoice_not_open", `Invoice ${inv.id} is ${inv.status}`)
      if (r.amount !== inv.amountDue) return rejected("amount_mismatch", `Invoice ${inv.id} is due ${inv.amountDue}, not ${r.amount}`)
      return charge(s, inv, customerOf(s, inv.customerId).paymentMethod, false)
    })),
  retrieveInvoice: (s, id) => Result.map(findInvoice(s, id), invoiceView)
}

/** Creates the provider side of a customer's existing state (for a customer the sandbox has not seen). */
const seed = (s: State, customer: Customer, catalog: Catalog): Outcome<void> => {
  if (s.customers.some((c) => c.id === customer.id)) return ok
  s.customers.push({ id: customer.id, balance: customer.creditBalance ?? 0, paymentMethod: customer.hasPaymentMethod === true ? "pm_card_visa" : null })
  for (const b of billingView(customer, catalog)) {
    if (b.items.length === 0 || s.subscriptions.some((x) => x.id === b.providerId)) continue
    s.subscriptions.push({
      id: b.providerId, status: b.trialEndsAt === null ? "active" : "trialing", items: b.items, cancelAt: b.cancelAt,
      phase: b.phase, customerId: customer.id,
      currency: customer.currency ?? catalog.defaultCurrency, billingAnchor: b.billingAnchor, trialEndsAt: b.trialEndsAt,
      collection: "charge_automatically", netTermsDays: null, canceledAt: null
    })
  }
  return ok
}

// ---------------------------------------------------------------------------------------------
// The Effect shell
// ---------------------------------------------------------------------------------------------

/** The sandbox's own operations, beside the port: its state, and what a customer does in a browser. @example yield* sandbox.payInvoiceHosted(result.invoice.id, "pm_card_visa") */
export interface SandboxOps {
  /** The payment port over this sandbox (the sandbox's own port also has its test clock, see {@link make}). */
  readonly port: PaymentPort
  /** The whole state, as JSON. */
  readonly state: Effect.Effect<SandboxState>
  /** Creates a customer the sandbox has not seen from its stored state: balance, a card (`pm_card_visa`) when `hasPaymentMethod`, and its paid subscriptions. */
  readonly seedCustomer: (customer: Customer, catalog: Catalog) => Effect.Effect<void>
  /** Makes a test payment method the customer's default. */
  readonly attachPaymentMethod: (customerId: string, token: string) => Effect.Effect<void, ProviderRejected>
  /** The customer completes a checkout session (by id or URL) with a test card, which becomes their default. */
  readonly completeCheckout: (session: string, token: string) => Effect.Effect<CheckoutSession, ProviderError>
  /** The customer pays an open invoice on its hosted page (3-D Secure passes there), with `token` or their default card. */
  readonly payInvoiceHosted: (invoiceId: string, token?: string) => Effect.Effect<ProviderInvoice, ProviderError>
  /** Finalizes a draft invoice: it becomes open (or paid when nothing is due). */
  readonly finalizeInvoice: (invoiceId: string) => Effect.Effect<ProviderInvoice, ProviderRejected>
  /** Voids a draft or open invoice (e.g. one left open by a failed payment that will not be retried); the credit it applied returns to the balance. */
  readonly voidInvoice: (invoiceId: string) => Effect.Effect<ProviderInvoice, ProviderRejected>
}

/**
 * The sandbox service (its state and the customer's side); {@link layer} provides it together
 * with the {@link PaymentProvider} port over the same state.
 *
 * @example const sandbox = yield* Sandbox; const state = yield* sandbox.state
 */
export class Sandbox extends Context.Service<Sandbox, SandboxOps>()("attach-planner/Sandbox") {}

const validToken = (token: string): Outcome<string> =>
  TOKENS.includes(token) ? Result.succeed(token) : rejected("unknown_test_token", `Unknown test payment method ${token}; use one of ${TOKENS.join(", ")}`)

/**
 * A sandbox over `initial` (default: empty), as plain values: the port and the sandbox's own
 * operations. Each call makes an independent sandbox; its port has the sandbox's test clock
 * (`TestClockPort`).
 *
 * @example const sandbox = Sandbox.make(); await executeAttachPromise(plan, customer, sandbox.port)
 */
export const make = (initial: SandboxState = emptyState): SandboxOps & { readonly port: PaymentPort & TestClockPort } => {
  // Operations change the state in place (a failed one keeps what it recorded, e.g. a declined
  // attempt); what they return is copied, so a caller never holds a row a later operation changes.
  // Copying the result rather than the whole state keeps each call independent of the state's size.
  const current = structuredClone(initial) as State
  const run = <A, E>(f: (s: State) => Result.Result<A, E>): Effect.Effect<A, E> =>
    Effect.suspend(() => {
      const result = f(current)
      return Result.isSuccess(result) ? Effect.succeed(structuredClone(result.success)) : Effect.fromResult(result)
    })
  const port: PaymentPort & TestClockPort = {
    ...makePort((name) => (request) => run((s) => core[name](s, request))),
    advanceTestClock: (r) => run((s) => advanceSubscriptions(s, r.customerId, r.to)),
    testClockOf: (customerId) => run((s) => Result.succeed(s.clocks.find((c) => c.customerId === customerId)?.at ?? null)),
    setTestClock: (r) => run((s) => setClock(s, r.customerId, r.at)),
    setSubscriptionStatus: (r) => run((s) => setStatus(s, r.subscriptionId, r.status))
  }
  return {
    port,
    state: Effect.sync(() => structuredClone(current) as SandboxState),
    seedCustomer: (customer, catalog) => Effect.asVoid(Effect.orDie(run((s) => seed(s, customer, catalog)))),
    attachPaymentMethod: (customerId, token) =>
      run((s): Result.Result<void, ProviderRejected> => {
        if (!TOKENS.includes(token)) return Result.fail(new ProviderRejected({ code: "unknown_test_token", message: `Unknown test payment method ${token}; use one of ${TOKENS.join(", ")}` }))
        customerOf(s, customerId).paymentMethod = token
        return Result.succeed(undefined)
      }),
    completeCheckout: (session, token) =>
      run((s) => Result.flatMap(Result.flatMap(validToken(token), () => findSession(s, session)), (cs) => {
        if (cs.status === "complete") return Result.succeed(sessionView(cs))
        if (token === "pm_card_declined" || token === "pm_card_insufficient_funds") {
          return Result.fail(new CardDeclined({ message: "The card was declined at checkout", declineCode: token === "pm_card_declined" ? "card_declined" : "insufficient_funds", invoiceId: null }))
        }
        cs.status = "complete"
        cs.paymentMethod = token
        customerOf(s, cs.customerId).paymentMethod = token
        return Result.succeed(sessionView(cs))
      })),
    payInvoiceHosted: (invoiceId, token) =>
      run((s) => Result.flatMap(findInvoice(s, invoiceId), (inv) => {
        if (inv.status === "paid") return Result.succeed(invoiceView(inv))
        if (inv.status !== "open") return rejected("invoice_not_open", `Invoice ${inv.id} is ${inv.status}`)
        const pm = token === undefined ? customerOf(s, inv.customerId).paymentMethod : token
        return Result.flatMap(pm === null ? Result.succeed(null) : validToken(pm), (valid) => charge(s, inv, valid, true))
      })),
    finalizeInvoice: (invoiceId) =>
      run((s): Result.Result<ProviderInvoice, ProviderRejected> => {
        const inv = findBy(s.invoices, BY_ID, invoiceId)
        if (inv === undefined) return Result.fail(new ProviderRejected({ code: "resource_missing", message: `No invoice ${invoiceId}` }))
        if (inv.status === "draft") finalize(inv)
        return Result.succeed(invoiceView(inv))
      }),
    voidInvoice: (invoiceId) =>
      run((s): Result.Result<ProviderInvoice, ProviderRejected> => {
        const inv = findBy(s.invoices, BY_ID, invoiceId)
        if (inv === undefined) return Result.fail(new ProviderRejected({ code: "resource_missing", message: `No invoice ${invoiceId}` }))
        if (inv.status === "paid") return Result.fail(new ProviderRejected({ code: "invoice_paid", message: `Invoice ${invoiceId} is paid` }))
        if (inv.status !== "void") {
          customerOf(s, inv.customerId).balance += inv.creditApplied
          inv.status = "void"
        }
        return Result.succeed(invoiceView(inv))
      })
  }
}

/**
 * The embedded default: a Layer providing the {@link PaymentProvider} port over a fresh sandbox
 * (from `initial`, default empty) and the {@link Sandbox} service over the same state.
 *
 * @example Effect.provide(executeAttach(plan, customer), Sandbox.layer())
 */
export const layer = (initial: SandboxState = emptyState): Layer.Layer<PaymentProvider | Sandbox> =>
  layerWith((port) => port, initial)

/**
 * Like {@link layer}, with the port passed through `wrap` (e.g. `withFaults` of `attach-planner/testing`); the
 * {@link Sandbox} service sees the same state.
 *
 * @example Sandbox.layerWith((port) => withFaults(port, { calls: [1], when: "after" }))
 */
export const layerWith = (wrap: (port: PaymentPort) => PaymentPort, initial: SandboxState = emptyState): Layer.Layer<PaymentProvider | Sandbox> =>
  Layer.provideMerge(
    Layer.effect(PaymentProvider, Effect.map(Effect.service(Sandbox), (sandbox) => wrap(sandbox.port))),
    Layer.sync(Sandbox, () => make(initial))
  )
