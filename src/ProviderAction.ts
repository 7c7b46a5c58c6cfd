/**
 * The provider-neutral actions a plan lists (docs/spec.md §11) and the invoice lines they carry:
 * the vocabulary shared by the planner, which writes them, and the payment port, which carries
 * them out. Each action is described by a schema, so a plan's actions can be decoded and checked.
 *
 * @example
 * import { ProviderActionSchema } from "attach-planner"
 * import * as Schema from "effect/Schema"
 * Schema.decodeUnknownResult(Schema.Array(ProviderActionSchema))(preview.actions)
 */
import * as Schema from "effect/Schema"

/** Schema of a plan held on a provider subscription, with its prepaid quantities. @example Schema.decodeUnknownSync(ProviderItemSchema)(json) */
export const ProviderItemSchema = Schema.Struct({
  planId: Schema.String,
  version: Schema.NullOr(Schema.Number),
  entityId: Schema.NullOr(Schema.String),
  quantities: Schema.Array(Schema.Struct({ featureId: Schema.String, quantity: Schema.Number }))
})
/**
 * A plan held on a provider subscription. An adapter maps `planId`/`version` to its provider's
 * price(s) and `quantities` to item quantities.
 *
 * @example const item: ProviderItem = { planId: "pro", version: 1, entityId: null, quantities: [] }
 */
export type ProviderItem = typeof ProviderItemSchema.Type

/** Schema of a pending change of a subscription's items at an instant. @example Schema.decodeUnknownSync(PhaseSchema)(json) */
export const PhaseSchema = Schema.Struct({ at: Schema.String, items: Schema.Array(ProviderItemSchema) })
/**
 * A pending change (a schedule's next phase): from `at` on, the subscription holds `items`.
 *
 * @example const phase: Phase = { at: "2025-02-01T00:00:00.000Z", items: [proItem] }
 */
export type Phase = typeof PhaseSchema.Type

/** Schema of a line's period `[start, end)`, ISO instants. @example Schema.decodeUnknownSync(LinePeriodSchema)({ start: "2025-01-16T00:00:00.000Z", end: "2025-02-01T00:00:00.000Z" }) */
export const LinePeriodSchema = Schema.Struct({ start: Schema.String, end: Schema.String })

/** Schema of the part of one discount taken off one line. @example Schema.decodeUnknownSync(LineDiscountSchema)({ discountId: "LAUNCH20", amount: 400 }) */
export const LineDiscountSchema = Schema.Struct({ discountId: Schema.String, amount: Schema.Int })

const Exact = Schema.String
/** Schema of a line's `derivation` (docs/proration.md §15), as invoices keep it. @example Schema.decodeUnknownSync(LineDerivationSchema)(preview.lines[0].derivation) */
export const LineDerivationSchema = Schema.Struct({
  exact: Exact,
  roundingDelta: Exact,
  base: Exact,
  fraction: Schema.optionalKey(Schema.Struct({
    numerator: Schema.Number, denominator: Schema.Number, unit: Schema.Literals(["millisecond", "second", "day"]), from: Schema.String, to: Schema.String
  })),
  tiers: Schema.optionalKey(Schema.Array(Schema.Struct({
    upTo: Schema.Union([Schema.Number, Schema.Literal("inf")]), units: Schema.Number, unitPrice: Exact, flatAmount: Exact, amount: Exact
  }))),
  policy: Schema.optionalKey(Schema.String),
  discounts: Schema.Array(Schema.Struct({
    discountId: Schema.String, percentOff: Schema.optionalKey(Exact), amountOff: Schema.optionalKey(Exact), amount: Schema.Int
  })),
  ledger: Schema.optionalKey(Schema.Struct({
    entries: Schema.Array(Schema.Struct({ from: Schema.String, to: Schema.String, amount: Schema.Int, credited: Schema.Int, open: Schema.Int, unused: Exact })),
    unused: Exact, ratio: Exact, paidShare: Exact, open: Schema.Int
  })),
  usageToDate: Schema.optionalKey(Schema.Literal(true))
})

/**
 * Schema of an invoice line of the preview document (docs/spec.md §8), the one definition of a line:
 * `amount` before discounts, `total` after them, in minor units.
 *
 * @example Schema.decodeUnknownSync(LineSchema)(preview.lines[0])
 */
export const LineSchema = Schema.Struct({
  kind: Schema.Literals(["charge", "credit", "arrears", "custom"]),
  planId: Schema.NullOr(Schema.String),
  featureId: Schema.NullOr(Schema.String),
  description: Schema.String,
  quantity: Schema.Number,
  period: Schema.NullOr(LinePeriodSchema),
  amount: Schema.Int,
  discounts: Schema.Array(LineDiscountSchema),
  total: Schema.Int,
  derivation: Schema.optionalKey(LineDerivationSchema)
})

const Collection = Schema.Literals(["charge_automatically", "send_invoice"])
const Key = { idempotencyKey: Schema.String }
const Target = { subscriptionId: Schema.String, subscriptionIds: Schema.Array(Schema.String), compensates: Schema.optionalKey(Schema.String) }

const CreateCheckoutSession = Schema.Struct({
  type: Schema.Literal("createCheckoutSession"),
  customerId: Schema.String, currency: Schema.String, mode: Schema.Literals(["subscription", "payment"]),
  items: Schema.Array(ProviderItemSchema), lines: Schema.Array(LineSchema), amountDue: Schema.Int,
  trialEndsAt: Schema.NullOr(Schema.String), successUrl: Schema.NullOr(Schema.String),
  params: Schema.Record(Schema.String, Schema.Unknown), ...Key
})
const AwaitCheckout = Schema.Struct({ type: Schema.Literal("awaitCheckout"), session: Schema.String, ...Key })
const CreateSubscription = Schema.Struct({
  type: Schema.Literal("createSubscription"),
  customerId: Schema.String, currency: Schema.String, ref: Schema.String,
  planIds: Schema.Array(Schema.String), subscriptionIds: Schema.Array(Schema.String), items: Schema.Array(ProviderItemSchema),
  startsAt: Schema.String, billingAnchor: Schema.String, trialEndsAt: Schema.NullOr(Schema.String),
  collection: Collection, netTermsDays: Schema.NullOr(Schema.Int), ...Key
})
const UpdateSubscription = Schema.Struct({
  type: Schema.Literal("updateSubscription"), ...Target,
  items: Schema.Array(ProviderItemSchema), previousItems: Schema.Array(ProviderItemSchema), prorationBehavior: Schema.Literal("none"), ...Key
})
const CancelSubscription = Schema.Struct({ type: Schema.Literal("cancelSubscription"), ...Target, atPeriodEnd: Schema.Boolean, at: Schema.String, ...Key })
const UncancelSubscription = Schema.Struct({ type: Schema.Literal("uncancelSubscription"), ...Target, at: Schema.String, ...Key })
const ScheduleChange = Schema.Struct({ type: Schema.Literal("scheduleChange"), ...Target, at: Schema.String, items: Schema.Array(ProviderItemSchema), ...Key })
const ReleaseSchedule = Schema.Struct({ type: Schema.Literal("releaseSchedule"), ...Target, at: Schema.String, items: Schema.Array(ProviderItemSchema), ...Key })
const CreateInvoice = Schema.Struct({
  type: Schema.Literal("createInvoice"),
  customerId: Schema.String, currency: Schema.String, description: Schema.String, lines: Schema.Array(LineSchema),
  subtotal: Schema.Int, discountTotal: Schema.Int, total: Schema.Int, creditApplied: Schema.Int, amountDue: Schema.Int,
  collection: Collection, finalize: Schema.Boolean, netTermsDays: Schema.NullOr(Schema.Int), ...Key
})
const AwaitInvoicePaid = Schema.Struct({ type: Schema.Literal("awaitInvoicePaid"), invoice: Schema.String, ...Key })
const PayInvoice = Schema.Struct({ type: Schema.Literal("payInvoice"), invoice: Schema.String, amount: Schema.Int, creditApplied: Schema.Int, ...Key })

/**
 * Schema of one provider action. `awaitCheckout` and `awaitInvoicePaid` are the points where
 * execution waits for the customer (a checkout, an invoice paid on net terms); `session` and
 * `invoice` name the idempotency key of the action that created the session or invoice.
 *
 * @example Schema.decodeUnknownResult(Schema.Array(ProviderActionSchema))(preview.actions)
 */
export const ProviderActionSchema = Schema.Union([
  CreateCheckoutSession, AwaitCheckout, CreateSubscription, UpdateSubscription, CancelSubscription,
  UncancelSubscription, ScheduleChange, ReleaseSchedule, CreateInvoice, AwaitInvoicePaid, PayInvoice
])

/**
 * One provider-neutral action of a plan (docs/spec.md §11), discriminated by `type`.
 *
 * @example
 * const pay: ProviderAction = { type: "payInvoice", idempotencyKey: "ap_…_2_payInvoice", invoice: "ap_…_1_createInvoice", amount: 2049, creditApplied: 0 }
 */
export type ProviderAction = typeof ProviderActionSchema.Type
/** The action of one `type`. @example type Pay = ActionOf<"payInvoice"> */
export type ActionOf<T extends ProviderAction["type"]> = Extract<ProviderAction, { readonly type: T }>

