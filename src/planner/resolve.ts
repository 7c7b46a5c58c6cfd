/**
 * The first stage of the planner: the request read against the catalog and the customer. The
 * plans and versions it names, the currency of the invoice, the plans the customer holds and the
 * discounts the request names, or the first thing the catalog does not have.
 *
 * @example
 * const resolved = resolve({ catalog, customer, request })
 * Result.isSuccess(resolved) && resolved.success.plans[0]?.plan.id // "pro"
 */
import * as Result from "effect/Result"
import type { AttachRequest, RequestedPlan } from "../AttachRequest.ts"
import { type Plan, findPlan } from "../Catalog.ts"
import { type Customer, isCurrent, type Subscription } from "../Customer.ts"
import type { ActiveDiscount } from "../Discounts.ts"
import type { AttachInput } from "../Document.ts"
import { type DiscountApplied, type SubscriptionFacts, discountsApplied } from "../internal/subscriptionFacts.ts"
import { type AttachError, CurrencyMismatch, InvalidRequest, UnknownDiscount, UnknownFeature, UnknownPlan } from "../Errors.ts"
import { type EpochMs, ms } from "../internal/instants.ts"
import { requestKey } from "../internal/fingerprint.ts"
import { type Entry, entryOf } from "../internal/working.ts"
import * as Money from "../Money.ts"
import { isRecurring, pricedIn } from "../Pricing.ts"
import { policyOf } from "../ProrationPolicy.ts"
import { isMainPlan } from "../Scenario.ts"
import type { PriceContext } from "./internal/lines.ts"

/**
 * Everything the stages of one attach read: the documents, the currency, the instant, the pricing rules.
 * @example Result.map(resolve(input), ({ ctx }) => ctx.currency) // Success("usd"); ctx.at is the request's instant in epoch ms
 */
export interface PlanContext extends PriceContext {
  readonly request: AttachRequest
  readonly customer: Customer
  /** The request's instant, decoded once. */
  readonly at: EpochMs
  /** A hash of the whole request: the prefix of the idempotency keys of the plan's actions. */
  readonly requestKey: string
}

/**
 * A requested plan with the catalog plan (and version) it names.
 * @example Result.map(resolve(input), (r) => r.plans[0]?.plan.id) // Success("pro"): the requested plan with its catalog plan
 */
export interface ResolvedPlan {
  readonly requested: RequestedPlan
  readonly plan: Plan
}

/**
 * What the request means in the catalog's and the customer's terms.
 * @example Result.map(resolve(input), (r) => r.hadPaidSubscription) // Success(false) for a customer without a paid plan
 */
export interface Resolution {
  readonly ctx: PlanContext
  readonly plans: ReadonlyArray<ResolvedPlan>
  /** The customer's subscriptions in their order, each with the catalog plan it holds. */
  readonly entries: ReadonlyArray<Entry>
  /** The discounts the request names, newly applied now. */
  readonly requestDiscounts: ReadonlyArray<ActiveDiscount>
  /** Whether the customer already had a current paid recurring subscription. */
  readonly hadPaidSubscription: boolean
  /** The customer's fingerprint when decoding worked it out (else the preview's last step does). */
  readonly fingerprint: string | undefined
  /** The customer's own applied discounts, instants decoded. */
  readonly customerDiscounts: ReadonlyArray<DiscountApplied>
}

/**
 * Resolves a decoded document: the first failure found, in the order the request reads (the
 * customer, each plan, the plans together, the subscriptions held, the discounts).
 *
 * @example resolve({ catalog, customer, request: { ...request, plans: [{ planId: "gold" }] } }) // Failure UnknownPlan
 */
export const resolve = ({ catalog, customer, request, decodedCustomer, decodedRequest }: AttachInput): Result.Result<Resolution, AttachError> => {
  if (request.customerId !== customer.id) {
    return Result.fail(new InvalidRequest({ reason: "customer_mismatch", message: `The request is for customer "${request.customerId}" but the document holds customer "${customer.id}"` }))
  }
  const unit = Money.currencyUnit(request.currency ?? customer.currency ?? catalog.defaultCurrency)
  const currency = unit.code
  const known = decodedRequest !== undefined && decodedRequest.of === request ? decodedRequest : undefined
  const ctx: PlanContext = {
    catalog, currency, unit, request, customer, at: known?.at ?? ms(request.at), requestKey: known?.key ?? requestKey(request),
    policy: request.prorationPolicy === undefined ? undefined : policyOf(request.prorationPolicy),
    timeZone: customer.timeZone
  }
  const plans: Array<ResolvedPlan> = []
  for (const requested of request.plans) {
    const plan = findPlan(catalog, requested.planId, requested.version)
    if (plan === undefined) return Result.fail(unknownPlan(requested))
    const problem = planProblem(ctx, requested, plan)
    if (problem !== undefined) return Result.fail(problem)
    plans.push({ requested, plan })
  }
  const together = multiPlanProblem(ctx, plans)
  if (together !== undefined) return Result.fail(together)
  const decoded = decodedCustomer !== undefined && decodedCustomer.of === customer ? decodedCustomer : undefined
  const entries = entriesOf(ctx, decoded?.subscriptions)
  if (!Array.isArray(entries)) return Result.fail(entries)
  const requestDiscounts = requestDiscountsOf(ctx)
  if (!Array.isArray(requestDiscounts)) return Result.fail(requestDiscounts)
  const hadPaidSubscription = entries.some((e) => e.plan !== undefined && isCurrent(e.facts) && isRecurring(e.plan))
  const customerDiscounts = decoded?.discounts ?? discountsApplied(customer.discounts)
  return Result.succeed({ ctx, plans, entries, requestDiscounts, hadPaidSubscription, fingerprint: decoded?.fingerprint, customerDiscounts })
}

const unknownPlan = (requested: RequestedPlan): AttachError => {
  const which = requested.version === undefined ? `"${requested.planId}"` : `"${requested.planId}" version ${requested.version}`
  return new UnknownPlan({
    planId: requested.planId,
    ...(requested.version === undefined ? {} : { version: requested.version }),
    message: `No plan ${which} in the catalog`
  })
}

/** What is wrong with a requested plan found in the catalog: its currency, then each quantity in turn. */
const planProblem = (ctx: PlanContext, requested: RequestedPlan, plan: Plan): AttachError | undefined => {
  if (!pricedIn(plan, ctx.currency)) {
    return new CurrencyMismatch({ planId: plan.id, currency: ctx.currency, message: `Plan "${plan.id}" has no price in ${ctx.currency.toUpperCase()}` })
  }
  for (const q of requested.featureQuantities ?? []) {
    if (!ctx.catalog.features.some((f) => f.id === q.featureId)) {
      return new UnknownFeature({ featureId: q.featureId, message: `No feature "${q.featureId}" in the catalog` })
    }
    const item = plan.items.find((i) => i.featureId === q.featureId)
    if (item?.price === undefined) {
      return new InvalidRequest({ reason: "quantity_for_unpriced_feature", message: `Plan "${plan.id}" has no priced item for feature "${q.featureId}"` })
    }
    const max = item.price.maxPurchase
    const included = item.included
    if (max !== undefined && included !== "unlimited" && q.quantity - included > max) {
      return new InvalidRequest({ reason: "quantity_above_max_purchase", message: `At most ${max} units of "${q.featureId}" above the ${included} included can be bought on plan "${plan.id}"; ${q.quantity - included} were requested` })
    }
  }
  return undefined
}

/** The scope a requested plan is attached in: its entity, the request's, or the customer (`null`). @example scopeFor(ctx, { planId: "seats", entityId: "ent_1" }) // "ent_1" */
export const scopeFor = (ctx: PlanContext, requested: RequestedPlan): string | null => requested.entityId ?? ctx.request.entityId ?? null

const multiPlanProblem = (ctx: PlanContext, plans: ReadonlyArray<ResolvedPlan>): AttachError | undefined => {
  if (plans.length < 2) return undefined
  const seen = new Set<string>()
  for (const { requested, plan } of plans) {
    if (!isMainPlan(plan)) continue
    const scope = scopeFor(ctx, requested)
    const key = `${plan.group}\u0000${scope ?? ""}`
    if (seen.has(key)) {
      return new InvalidRequest({ reason: "two_main_plans_in_group", message: `Two main plans of group "${plan.group}" for the same ${scope === null ? "customer" : `entity "${scope}"`} in one request` })
    }
    seen.add(key)
  }
  if (ctx.request.planSchedule === "end_of_cycle") {
    return new InvalidRequest({ reason: "multi_plan_must_be_immediate", message: "A request with several plans takes effect immediately; planSchedule end_of_cycle is not allowed" })
  }
  return undefined
}

/** The customer's subscriptions with their plans, or the first whose plan the catalog lacks (an expired one may). */
const entriesOf = (ctx: PlanContext, facts: ReadonlyArray<SubscriptionFacts> | undefined): Array<Entry> | AttachError => {
  const out: Array<Entry> = []
  const subs = ctx.customer.subscriptions ?? []
  for (let i = 0; i < subs.length; i++) {
    const sub = subs[i] as Subscription
    const plan = findPlan(ctx.catalog, sub.planId, sub.version)
    if (plan === undefined && sub.status !== "expired") {
      return new UnknownPlan({ planId: sub.planId, ...(sub.version === undefined ? {} : { version: sub.version }), message: `Subscription "${sub.id}" holds plan "${sub.planId}"${sub.version === undefined ? "" : ` version ${sub.version}`}, which is not in the catalog` })
    }
    out.push(facts === undefined ? entryOf(sub, plan) : { sub, facts: facts[i] as SubscriptionFacts, plan })
  }
  return out
}

const requestDiscountsOf = (ctx: PlanContext): Array<ActiveDiscount> | AttachError => {
  const out: Array<ActiveDiscount> = []
  for (const ref of ctx.request.discounts ?? []) {
    const discount = "discountId" in ref ? ctx.catalog.discountsById.get(ref.discountId) : ctx.catalog.discountsByCode.get(ref.promotionCode)
    if (discount === undefined) {
      return "discountId" in ref
        ? new UnknownDiscount({ discountId: ref.discountId, message: `No discount "${ref.discountId}" in the catalog` })
        : new UnknownDiscount({ promotionCode: ref.promotionCode, message: `No discount has the promotion code "${ref.promotionCode}"` })
    }
    if (discount.amountOff !== undefined && ctx.currency !== ctx.catalog.defaultCurrency) {
      return new CurrencyMismatch({ discountId: discount.id, currency: ctx.currency, message: `Discount "${discount.id}" is an amount in ${ctx.catalog.defaultCurrency.toUpperCase()} and cannot apply to an invoice in ${ctx.currency.toUpperCase()}` })
    }
    out.push({ discount, appliedAt: ctx.at, newlyApplied: true })
  }
  return out
}
