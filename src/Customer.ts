/**
 * Customer state (docs/spec.md §4): the subscriptions, balances and history the planner starts from,
 * and the state it returns in `customerAfter`. The same JSON shape is used on input and output.
 *
 * @example
 * import type { Customer } from "attach-planner"
 * const customer: Customer = { id: "cus_1", hasPaymentMethod: true, subscriptions: [] }
 */
import * as Schema from "effect/Schema"
import { TimeZoneSchema } from "./ProrationPolicy.ts"
import { Id, Instant, NonNegativeInt, NonNegativeNumber, PositiveInt, CurrencyCode, Quantity } from "./internal/schemaKit.ts"

/**
 * Schema of a discount applied to a customer or subscription: which one, and since when.
 * @example Schema.decodeUnknownResult(AppliedDiscountSchema)({ discountId: "LAUNCH20", appliedAt: "2025-01-01T00:00:00Z" })._tag // "Success"
 */
export const AppliedDiscountSchema = Schema.Struct({ discountId: Id, appliedAt: Instant })

const FeatureQuantity = Schema.Struct({ featureId: Id, quantity: Quantity })

/**
 * Schema of one credit drawn from a ledger entry: when, and how many minor units.
 * @example Schema.decodeUnknownResult(LedgerCreditSchema)({ at: "2025-01-16T00:00:00Z", amount: 1032 })._tag // "Success"
 */
export const LedgerCreditSchema = Schema.Struct({ at: Instant, amount: NonNegativeInt })

/**
 * Schema of one ledger entry: what the engine billed for one price of a subscription (`featureId`
 * null for the base price) for the span `[from, to)`, in minor units of the invoice currency net
 * of discounts, and the credits drawn from it since.
 *
 * @example Schema.decodeUnknownResult(BilledEntrySchema)({ featureId: null, from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z", amount: 2000 })._tag // "Success"
 */
export const BilledEntrySchema = Schema.Struct({
  featureId: Schema.NullOr(Id),
  from: Instant,
  to: Instant,
  amount: NonNegativeInt,
  credits: Schema.optionalKey(Schema.Array(LedgerCreditSchema))
})
const Usage = Schema.Struct({ featureId: Id, used: NonNegativeNumber })

/**
 * The statuses of a subscription (a canceled one is `expired`, or current with `cancelAtPeriodEnd`).
 * @example Schema.decodeUnknownResult(SubscriptionStatus)("canceled")._tag // "Failure"
 */
export const SubscriptionStatus = Schema.Literals(["active", "trialing", "past_due", "scheduled", "expired"])

/**
 * Schema of a subscription (one plan held by a customer or entity): its status, billing anchor, quantities, usage and ledger.
 * @example Schema.decodeUnknownResult(SubscriptionSchema)({ id: "sub_1", planId: "pro", status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z" })._tag // "Success"
 */
export const SubscriptionSchema = Schema.Struct({
  id: Id,
  planId: Id,
  version: Schema.optionalKey(PositiveInt),
  entityId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  status: SubscriptionStatus,
  billingAnchor: Instant,
  startedAt: Instant,
  startsAt: Schema.optionalKey(Instant),
  trialEndsAt: Schema.optionalKey(Instant),
  cancelAtPeriodEnd: Schema.optionalKey(Schema.Boolean),
  endsAt: Schema.optionalKey(Instant),
  featureQuantities: Schema.optionalKey(Schema.Array(FeatureQuantity)),
  usage: Schema.optionalKey(Schema.Array(Usage)),
  providerSubscriptionId: Schema.optionalKey(Schema.String),
  discounts: Schema.optionalKey(Schema.Array(AppliedDiscountSchema)),
  billed: Schema.optionalKey(Schema.Array(BilledEntrySchema))
})

/**
 * Schema of a customer's state (docs/spec.md §4): subscriptions, credit balance, payment method, trials used.
 * @example Schema.decodeUnknownResult(CustomerSchema)({ id: "cus_1", hasPaymentMethod: true, subscriptions: [] })._tag // "Success"
 */
export const CustomerSchema = Schema.Struct({
  id: Id,
  currency: Schema.optionalKey(CurrencyCode),
  hasPaymentMethod: Schema.optionalKey(Schema.Boolean),
  fingerprint: Schema.optionalKey(Schema.String),
  creditBalance: Schema.optionalKey(NonNegativeInt),
  trialsUsed: Schema.optionalKey(Schema.Array(Id)),
  subscriptions: Schema.optionalKey(Schema.Array(SubscriptionSchema)),
  discounts: Schema.optionalKey(Schema.Array(AppliedDiscountSchema)),
  /** The IANA time zone calendar-day proration policies count in (the `lago` preset); default UTC. */
  timeZone: Schema.optionalKey(TimeZoneSchema)
})

/**
 * A customer's state, as in documents.
 * @example const customer: Customer = { id: "cus_1", hasPaymentMethod: true, creditBalance: 500, subscriptions: [] }
 */
export type Customer = typeof CustomerSchema.Type
/**
 * A subscription, as in documents.
 * @example const sub: Subscription = { id: "sub_pro", planId: "pro", status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z" }
 */
export type Subscription = typeof SubscriptionSchema.Type
/**
 * One ledger entry of a subscription: what was billed for one price and span, and credited since.
 * @example const entry: BilledEntry = { featureId: null, from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z", amount: 2000, credits: [] }
 */
export type BilledEntry = typeof BilledEntrySchema.Type
/**
 * One credit drawn from a ledger entry, as in documents.
 * @example const credit: LedgerCredit = { at: "2025-01-16T00:00:00Z", amount: 1032 }
 */
export type LedgerCredit = typeof LedgerCreditSchema.Type
/**
 * A discount applied to a customer or a subscription, as in documents.
 * @example const applied: AppliedDiscount = { discountId: "LAUNCH20", appliedAt: "2025-01-01T00:00:00Z" }
 */
export type AppliedDiscount = typeof AppliedDiscountSchema.Type

/**
 * Whether a subscription is current (`active`, `trialing` or `past_due`).
 *
 * @example isCurrent({ status: "trialing" }) // true
 */
export const isCurrent = (sub: Pick<Subscription, "status">): boolean =>
  sub.status === "active" || sub.status === "trialing" || sub.status === "past_due"
