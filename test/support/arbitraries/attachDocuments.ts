/**
 * Whole valid customer, request and attach documents (docs/spec.md §4–§5), using every optional
 * field.
 *
 * @example
 * fc.sample(attachDocumentArb, 1) // e.g. [{ catalog: {…}, customer: { id: "計画", … }, request: { customerId: "計画", … } }]
 */
import fc from "fast-check"
import type { Obj } from "../build.ts"
import { decimalDocArb } from "./amounts.ts"
import { catalogDocArb } from "./catalogDocuments.ts"
import { instantDocArb } from "./instants.ts"
import { currencyArb, idArb, textArb } from "./internal/documentFields.ts"
import { defined, opt } from "./internal/optional.ts"

const appliedDiscountArb = fc.record({ discountId: idArb, appliedAt: instantDocArb })
const quantitiesArb = fc.array(fc.record({ featureId: idArb, quantity: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(1_000_000)) }), { maxLength: 2 })

const subscriptionDocArb: fc.Arbitrary<Obj> = fc.record({
  id: idArb,
  planId: idArb,
  version: opt(fc.integer({ min: 1, max: 3 })),
  entityId: opt(fc.option(idArb, { nil: null })),
  status: fc.constantFrom("active", "trialing", "past_due", "scheduled", "expired"),
  billingAnchor: instantDocArb,
  startedAt: instantDocArb,
  startsAt: opt(instantDocArb),
  trialEndsAt: opt(instantDocArb),
  cancelAtPeriodEnd: opt(fc.boolean()),
  endsAt: opt(instantDocArb),
  featureQuantities: opt(quantitiesArb),
  usage: opt(fc.array(fc.record({ featureId: idArb, used: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 2 })),
  providerSubscriptionId: opt(idArb),
  discounts: opt(fc.array(appliedDiscountArb, { maxLength: 2 }))
}).map(defined)

/** A valid customer document (docs/spec.md §4). */
export const customerDocArb = (id: string): fc.Arbitrary<Obj> => fc.record({
  currency: opt(currencyArb),
  hasPaymentMethod: opt(fc.boolean()),
  fingerprint: opt(textArb),
  creditBalance: opt(fc.integer({ min: 0, max: 1_000_000 })),
  trialsUsed: opt(fc.array(idArb, { maxLength: 2 })),
  subscriptions: opt(fc.array(subscriptionDocArb, { maxLength: 3 })),
  discounts: opt(fc.array(appliedDiscountArb, { maxLength: 2 }))
}).map((c) => defined({ id, ...c }))

const paramsArb: fc.Arbitrary<Obj> = fc.dictionary(
  fc.string({ maxLength: 6 }),
  fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.record({ nested: fc.string({ maxLength: 4 }) })),
  { maxKeys: 3 }
)

/** A valid request document (docs/spec.md §5), every option at random. */
export const requestDocArb = (customerId: string): fc.Arbitrary<Obj> => fc.record({
  at: instantDocArb,
  plans: fc.array(fc.record({ planId: idArb, version: opt(fc.integer({ min: 1, max: 3 })), entityId: opt(idArb), featureQuantities: opt(quantitiesArb) }).map(defined), { minLength: 1, maxLength: 3 }),
  entityId: opt(idArb),
  currency: opt(currencyArb),
  freeTrial: opt(fc.option(fc.record({ length: fc.integer({ min: 1, max: 30 }), unit: fc.constantFrom("day", "month", "year"), cardRequired: opt(fc.boolean()) }).map(defined), { nil: null })),
  discounts: opt(fc.array(fc.oneof(fc.record({ discountId: idArb }), fc.record({ promotionCode: idArb })), { maxLength: 2 })),
  prorationBehavior: opt(fc.constantFrom("prorate_immediately", "none")),
  planSchedule: opt(fc.constantFrom("immediate", "end_of_cycle")),
  billingCycleAnchor: opt(fc.constant("now")),
  redirectMode: opt(fc.constantFrom("always", "if_required", "never")),
  invoiceMode: opt(fc.record({ enabled: fc.constant(true), finalize: opt(fc.boolean()), enablePlanImmediately: opt(fc.boolean()), netTermsDays: opt(fc.integer({ min: 0, max: 90 })) }).map(defined)),
  newBillingSubscription: opt(fc.boolean()),
  customLineItems: opt(fc.array(fc.record({ amount: fc.oneof(decimalDocArb, fc.constant("-3.5")), description: textArb }), { maxLength: 2 })),
  successUrl: opt(fc.constant("https://example.com/done?x=1")),
  checkoutSessionParams: opt(paramsArb)
}).map((r) => defined({ customerId, ...r }))

/** A valid attach document `{ catalog, customer, request }`. */
export const attachDocumentArb: fc.Arbitrary<Obj> = fc.tuple(catalogDocArb, idArb).chain(([catalogDoc, customerId]) =>
  fc.record({ customer: customerDocArb(customerId), request: requestDocArb(customerId) }).map(({ customer, request }) => ({ catalog: catalogDoc, customer, request })))
