/**
 * The planner: one pure function of `(catalog, customer state, request)` that returns the full
 * preview document of an attach (docs/spec.md §6–§10). It reads no clock, does no I/O and uses no
 * randomness: the same input gives the same output.
 *
 * @example
 * import { decodeAttachDocument, planAttach } from "attach-planner"
 * import * as Result from "effect/Result"
 * const input = decodeAttachDocument(document)
 * const preview = Result.isSuccess(input) ? planAttach(input.success) : input
 */
import * as Result from "effect/Result"
import type { AttachRequest, RequestedPlan } from "./AttachRequest.ts"
import { type FreeTrial, type Plan, findPlan } from "./Catalog.ts"
import * as Checkout from "./Checkout.ts"
import { type AppliedDiscount, type Customer, type Subscription, isCurrent } from "./Customer.ts"
import { type ActiveDiscount, applyDiscounts } from "./Discounts.ts"
import type { AttachInput } from "./Document.ts"
import {
  type AttachError, CurrencyMismatch, InvalidRequest, UnknownDiscount, UnknownFeature, UnknownPlan
} from "./Errors.ts"
import { addLength } from "./Interval.ts"
import { planActions } from "./planner/actions.ts"
import { customDerivation } from "./planner/internal/derivation.ts"
import { type DraftLine, sortLines } from "./planner/internal/draft.ts"
import { finalizeLines, sumLines } from "./planner/totals.ts"
import {
  type PriceContext, type Priced, heldOf, incomingCharges, outgoingArrears, outgoingCredits, quantitiesOf
} from "./planner/internal/lines.ts"
import { openLedger, recordLedger } from "./planner/internal/ledger.ts"
import { nextCycleOf } from "./planner/nextCycle.ts"
import { quantityChangeLines } from "./planner/internal/quantityChange.ts"
import {
  type Entry, billingKey, currentPeriodEnd, customerFingerprint, isTrialingAt, newSubscriptionId, patched, type SubscriptionIds, subscriptionIds
} from "./internal/working.ts"
import * as Money from "./Money.ts"
import { policyOf } from "./ProrationPolicy.ts"
import type { AttachPreview, Change, Scenario, Timing } from "./Preview.ts"
import { type PlanPrice, isFree, isOneOff, isRecurring, pricedIn } from "./Pricing.ts"
import { type Held, classify, isMainPlan, scopeOf } from "./Scenario.ts"
import { parseDecimal } from "./internal/schemaKit.ts"
import { documentInstants, InstantOutOfRange, iso, ms } from "./internal/instants.ts"

/** A failure raised inside the planner and returned, never thrown, by {@link planAttach}. */
class PlanFailure {
  constructor(readonly error: AttachError) {}
}
/**
 * What an exception of the planner itself becomes: an instant past year 9999 (a next cycle, a
 * trial end), or an input no document decodes to (a cycle handed to planAttach directly).
 */
const unplannable = (e: unknown): AttachError =>
  e instanceof InstantOutOfRange
    ? new InvalidRequest({ reason: "instant_out_of_range", message: `request: ${e.message}` })
    : new InvalidRequest({ reason: "input_out_of_range", message: `request: cannot be planned (${e instanceof RangeError ? "it is too large or nests too deep" : "a value could not be read"})` })

const fail = (error: AttachError): never => {
  throw new PlanFailure(error)
}

/** Everything the steps of one attach share. */
interface Ctx extends PriceContext {
  readonly request: AttachRequest
  readonly customer: Customer
  readonly at: number
}

/** What the steps accumulate. */
interface Acc {
  readonly entries: Array<Entry>
  readonly lines: Array<DraftLine>
  readonly changes: Array<Change>
  readonly touched: Array<string>
  /** Billing subscriptions of plans ended now (their credits are on today's invoice). */
  readonly ended: Array<string>
  readonly startedTrials: Array<{ readonly planId: string; readonly trial: FreeTrial }>
  /** Whether a new billing subscription starts. */
  startsBillingSubscription: boolean
  readonly newSubscriptionIds: Array<string>
  /** Built on the first new subscription: the ids taken. */
  subscriptionIds?: SubscriptionIds
  oneOff: boolean
  paidRecurring: boolean
  cardlessTrialOnly: boolean
  trialEndsAt: number | null
}

/**
 * Plans an attach on a decoded document: the preview document, or a tagged error.
 *
 * @example
 * planAttach({ catalog, customer, request }) // Result<AttachPreview, AttachError>
 */
export const planAttach = (input: AttachInput): Result.Result<AttachPreview, AttachError> => {
  try {
    return Result.succeed(documentInstants(() => plan(input)))
  } catch (e) {
    return Result.fail(e instanceof PlanFailure ? e.error : unplannable(e))
  }
}

const plan = ({ catalog, customer, request }: AttachInput): AttachPreview => {
  if (request.customerId !== customer.id) {
    fail(new InvalidRequest({ reason: "customer_mismatch", message: `The request is for customer "${request.customerId}" but the document holds customer "${customer.id}"` }))
  }
  const currency = Money.normalizeCurrency(request.currency ?? customer.currency ?? catalog.defaultCurrency)
  const ctx: Ctx = {
    catalog, currency, request, customer, at: ms(request.at),
    policy: request.prorationPolicy === undefined ? undefined : policyOf(request.prorationPolicy),
    timeZone: customer.timeZone
  }
  const plans = request.plans.map((rp) => resolvePlan(ctx, rp))
  checkMultiPlan(ctx, plans)
  const acc: Acc = {
    entries: resolveEntries(ctx),
    lines: [],
    changes: [],
    touched: [],
    ended: [],
    startedTrials: [],
    startsBillingSubscription: false,
    newSubscriptionIds: [],
    oneOff: false,
    paidRecurring: false,
    cardlessTrialOnly: true,
    trialEndsAt: null
  }
  const hadPaidSubscription = acc.entries.some((e) => e.plan !== undefined && isCurrent(e.sub) && isRecurring(e.plan))
  const requestDiscounts = resolveRequestDiscounts(ctx)
  for (const { requested, plan } of plans) attachOne(ctx, acc, requested, plan)

  const immediate = acc.changes.some((c) => c.timing === "immediate")
  const computed = sortLines(acc.lines)
  const custom = request.customLineItems !== undefined && immediate ? customLines(ctx) : undefined
  const todayLines = custom ?? computed
  const touchedKey = acc.touched[0]
  // Today's invoice is that of the subscription the attach bills, or, when it bills none (a switch
  // to a free plan), that of the subscription it ends, whose discounts still apply to its credits.
  const discounts = activeDiscounts(ctx, acc, requestDiscounts, touchedKey ?? acc.ended[0])
  const todayDiscounted = applyDiscounts(todayLines, discounts, currency, catalog, { start: ctx.at, first: true, plans: plans.map((p) => p.plan.id) })
  const lines = finalizeLines(todayDiscounted, currency, catalog) ?? outOfRange()
  const totals = sumLines(todayDiscounted)
  const balance = BigInt(customer.creditBalance ?? 0)
  const creditApplied = totals.total > 0n ? (balance < totals.total ? balance : totals.total) : 0n
  const amountDue = totals.total > 0n ? totals.total - creditApplied : 0n
  const balanceAfter = balance - creditApplied + (totals.total < 0n ? -totals.total : 0n)

  recordDiscounts(ctx, acc, requestDiscounts)
  // Custom lines replace the computed invoice: what they paid for is not known, so nothing is recorded.
  if (custom === undefined) recordLedger(acc.entries, todayDiscounted, acc.newSubscriptionIds, ctx.at)
  const nextCycle = touchedKey === undefined
    ? null
    : nextCycleOf(ctx, acc.entries, touchedKey, discounts, todayLines.length === 0) ?? null
  const checkout = Checkout.decide({
    redirectMode: request.redirectMode ?? "if_required",
    invoiceMode: request.invoiceMode?.enabled === true,
    anyImmediate: immediate,
    hasPaymentMethod: customer.hasPaymentMethod === true,
    oneOff: acc.oneOff,
    paidRecurring: acc.paidRecurring,
    hadPaidSubscription,
    cardlessTrial: acc.paidRecurring && acc.cardlessTrialOnly,
    startsBillingSubscription: acc.startsBillingSubscription
  })
  const customerAfter = customerAfterOf(ctx, acc, balanceAfter)
  // Built once, in the document's key order; the actions and fingerprint fill their places last.
  const preview: { -readonly [K in keyof AttachPreview]: AttachPreview[K] } = {
    customerId: customer.id,
    currency,
    scenario: acc.changes[0]?.scenario ?? "active",
    changes: acc.changes,
    lines,
    subtotal: Number(totals.subtotal),
    discountTotal: Number(totals.discountTotal),
    total: Number(totals.total),
    creditApplied: Number(creditApplied),
    amountDue: Number(amountDue),
    trialEndsAt: acc.trialEndsAt === null ? null : iso(acc.trialEndsAt),
    nextCycle,
    checkout,
    customerAfter,
    actions: NO_ACTIONS,
    basedOn: ""
  }
  preview.actions = planActions(ctx, preview, { customerBefore: customer, entries: acc.entries })
  preview.basedOn = customerFingerprint(customer)
  return preview
}

const NO_ACTIONS: AttachPreview["actions"] = []

const outOfRange = (): never =>
  fail(new InvalidRequest({ reason: "amount_out_of_range", message: "An amount of this attach is too large to be represented exactly in minor units" }))

// ---------------------------------------------------------------------------------------------
// Resolution and validation
// ---------------------------------------------------------------------------------------------

interface Resolved {
  readonly requested: RequestedPlan
  readonly plan: Plan
}

const resolvePlan = (ctx: Ctx, requested: RequestedPlan): Resolved => {
  const plan = findPlan(ctx.catalog, requested.planId, requested.version)
  if (plan === undefined) {
    const which = requested.version === undefined ? `"${requested.planId}"` : `"${requested.planId}" version ${requested.version}`
    return fail(new UnknownPlan({
      planId: requested.planId,
      ...(requested.version === undefined ? {} : { version: requested.version }),
      message: `No plan ${which} in the catalog`
    }))
  }
  if (!pricedIn(plan, ctx.currency, ctx.catalog)) {
    fail(new CurrencyMismatch({ planId: plan.id, currency: ctx.currency, message: `Plan "${plan.id}" has no price in ${ctx.currency.toUpperCase()}` }))
  }
  for (const q of requested.featureQuantities ?? []) {
    if (!ctx.catalog.features.some((f) => f.id === q.featureId)) {
      fail(new UnknownFeature({ featureId: q.featureId, message: `No feature "${q.featureId}" in the catalog` }))
    }
    const item = plan.items.find((i) => i.featureId === q.featureId)
    if (item?.price === undefined) {
      fail(new InvalidRequest({ reason: "quantity_for_unpriced_feature", message: `Plan "${plan.id}" has no priced item for feature "${q.featureId}"` }))
    }
    const max = item?.price?.maxPurchase
    const included = item?.included ?? 0
    if (max !== undefined && included !== "unlimited" && q.quantity - included > max) {
      fail(new InvalidRequest({ reason: "quantity_above_max_purchase", message: `At most ${max} units of "${q.featureId}" above the ${included} included can be bought on plan "${plan.id}"; ${q.quantity - included} were requested` }))
    }
  }
  return { requested, plan }
}

const scopeFor = (ctx: Ctx, requested: RequestedPlan): string | null => requested.entityId ?? ctx.request.entityId ?? null

const checkMultiPlan = (ctx: Ctx, plans: ReadonlyArray<Resolved>): void => {
  if (plans.length < 2) return
  const seen = new Set<string>()
  for (const { requested, plan } of plans) {
    if (!isMainPlan(plan)) continue
    const key = `${plan.group}\u0000${scopeFor(ctx, requested) ?? ""}`
    if (seen.has(key)) {
      fail(new InvalidRequest({ reason: "two_main_plans_in_group", message: `Two main plans of group "${plan.group}" for the same ${scopeFor(ctx, requested) === null ? "customer" : `entity "${scopeFor(ctx, requested)}"`} in one request` }))
    }
    seen.add(key)
  }
  if (ctx.request.planSchedule === "end_of_cycle") {
    fail(new InvalidRequest({ reason: "multi_plan_must_be_immediate", message: "A request with several plans takes effect immediately; planSchedule end_of_cycle is not allowed" }))
  }
}

const resolveEntries = (ctx: Ctx): Array<Entry> =>
  (ctx.customer.subscriptions ?? []).map((sub) => {
    const plan = findPlan(ctx.catalog, sub.planId, sub.version)
    if (plan === undefined && sub.status !== "expired") {
      fail(new UnknownPlan({ planId: sub.planId, ...(sub.version === undefined ? {} : { version: sub.version }), message: `Subscription "${sub.id}" holds plan "${sub.planId}"${sub.version === undefined ? "" : ` version ${sub.version}`}, which is not in the catalog` }))
    }
    return { sub, plan }
  })

const resolveRequestDiscounts = (ctx: Ctx): Array<ActiveDiscount> =>
  (ctx.request.discounts ?? []).map((ref) => {
    const discount = "discountId" in ref ? ctx.catalog.discountsById.get(ref.discountId) : ctx.catalog.discountsByCode.get(ref.promotionCode)
    if (discount === undefined) {
      return fail("discountId" in ref
        ? new UnknownDiscount({ discountId: ref.discountId, message: `No discount "${ref.discountId}" in the catalog` })
        : new UnknownDiscount({ promotionCode: ref.promotionCode, message: `No discount has the promotion code "${ref.promotionCode}"` }))
    }
    if (discount.amountOff !== undefined && ctx.currency !== ctx.catalog.defaultCurrency) {
      fail(new CurrencyMismatch({ planId: discount.appliesTo?.[0] ?? "", currency: ctx.currency, message: `Discount "${discount.id}" is an amount in ${ctx.catalog.defaultCurrency.toUpperCase()} and cannot apply to an invoice in ${ctx.currency.toUpperCase()}` }))
    }
    return { discount, appliedAt: ctx.at, newlyApplied: true }
  })

// ---------------------------------------------------------------------------------------------
// One requested plan
// ---------------------------------------------------------------------------------------------

const held = (acc: Acc): Array<Held> => {
  const out: Array<Held> = []
  for (const e of acc.entries) if (e.plan !== undefined && e.sub.status !== "expired") out.push({ sub: e.sub, plan: e.plan })
  return out
}

const requestedQuantities = (requested: RequestedPlan): Map<string, number> =>
  new Map((requested.featureQuantities ?? []).map((q) => [q.featureId, q.quantity]))

const quantitiesDiffer = (requested: RequestedPlan) => (current: Held): boolean => {
  const have = quantitiesOf(current.sub)
  return (requested.featureQuantities ?? []).some((q) => (have.get(q.featureId) ?? 0) !== q.quantity)
}

const baseTiming = (scenario: Scenario): Timing =>
  scenario === "downgrade" || scenario === "cancel" ? "end_of_cycle" : scenario === "active" || scenario === "scheduled" ? "none" : "immediate"

const timingFor = (ctx: Ctx, scenario: Scenario): Timing => {
  const timing = baseTiming(scenario)
  if (ctx.request.plans.length > 1 && timing === "end_of_cycle") return "immediate"
  const override = ctx.request.planSchedule
  if (override === undefined || timing === "none" || scenario === "renew" || scenario === "update_prepaid_quantity") return timing
  return override
}

/** Records the change of one requested plan (module-level, not a closure per attach). */
const recordChange = (acc: Acc, plan: Plan, scope: string | null, scenario: Scenario, timing: Timing, effectiveAt: number, replaces: string | null): void => {
  acc.changes.push({ planId: plan.id, scenario, timing, replaces, entityId: scope, effectiveAt: iso(effectiveAt) })
}

const attachOne = (ctx: Ctx, acc: Acc, requested: RequestedPlan, plan: Plan): void => {
  const scope = scopeFor(ctx, requested)
  const c = classify(plan, scope, held(acc), quantitiesDiffer(requested), ctx.currency, ctx.catalog, requested.subscriptionId)
  switch (c.scenario) {
    case "active": {
      const current = c.current as Held
      acc.touched.push(billingKey(current.sub))
      return recordChange(acc, plan, scope, "active", "none", ctx.at, null)
    }
    case "scheduled": {
      const scheduled = c.scheduled as Held
      acc.touched.push(billingKey(scheduled.sub))
      return recordChange(acc, plan, scope, "scheduled", "none", ms(scheduled.sub.startsAt ?? scheduled.sub.startedAt), null)
    }
    case "renew": {
      const current = c.current as Held
      updateEntry(acc, current.sub, withoutCancel)
      if (c.scheduled !== undefined) releaseSchedule(ctx, acc, c.scheduled.sub)
      acc.touched.push(billingKey(current.sub))
      return recordChange(acc, plan, scope, "renew", "immediate", ctx.at, null)
    }
    case "update_prepaid_quantity": {
      const current = c.current as Held
      // While trialing nothing was paid for the period: the new quantity simply renews at the trial end.
      if (!isTrialingAt(current.sub, ctx.at)) {
        acc.lines.push(...quantityChangeLines(ctx, current, requestedQuantities(requested)))
      }
      updateEntry(acc, current.sub, (sub) => patched(sub, { featureQuantities: mergeQuantities(sub, requestedQuantities(requested)) }))
      acc.touched.push(billingKey(current.sub))
      return recordChange(acc, plan, scope, "update_prepaid_quantity", "immediate", ctx.at, null)
    }
    default:
      break
  }
  const timing = timingFor(ctx, c.scenario)
  const replaced = c.scenario === "new" && !(c.current !== undefined && isFree(c.current.plan) && isFree(plan) && isMainPlan(plan))
    ? undefined
    : c.current
  if (c.scheduled !== undefined && isMainPlan(plan)) releaseSchedule(ctx, acc, c.scheduled.sub)
  if (timing === "end_of_cycle" && replaced !== undefined) {
    scheduleSwitch(ctx, acc, requested, plan, replaced, scope)
    return recordChange(acc, plan, scope, c.scenario, "end_of_cycle", currentPeriodEnd(replaced.sub, replaced.plan, ctx.at), replaced.plan.id)
  }
  startNow(ctx, acc, requested, plan, replaced, scope, c.scenario)
  recordChange(acc, plan, scope, c.scenario, "immediate", ctx.at, replaced?.plan.id ?? null)
}

const CANCEL: ReadonlyArray<keyof Subscription> = ["cancelAtPeriodEnd", "endsAt"]
const withoutCancel = (sub: Subscription): Subscription => patched(sub, {}, CANCEL)

/** Updates a subscription of the working state, found by id (earlier steps may have replaced its object). */
const updateEntry = (acc: Acc, which: Subscription, update: (current: Subscription) => Subscription): void => {
  const entry = acc.entries.find((e) => e.sub.id === which.id && e.sub.planId === which.planId)
  if (entry !== undefined) entry.sub = update(entry.sub)
}

const releaseSchedule = (ctx: Ctx, acc: Acc, scheduled: Subscription): void => {
  updateEntry(acc, scheduled, (sub) => patched(sub, { status: "expired", endsAt: iso(ctx.at) }))
  // The plan it was to replace no longer cancels at period end because of it.
  for (const e of acc.entries) {
    if (e.sub.cancelAtPeriodEnd === true && e.sub.endsAt !== undefined && scheduled.startsAt !== undefined && ms(e.sub.endsAt) === ms(scheduled.startsAt) && scopeOf(e.sub) === scopeOf(scheduled) && isCurrent(e.sub)) {
      e.sub = withoutCancel(e.sub)
    }
  }
}

const mergeQuantities = (sub: Subscription, wanted: ReadonlyMap<string, number>): Array<{ featureId: string; quantity: number }> => {
  const merged = quantitiesOf(sub)
  for (const [featureId, quantity] of wanted) merged.set(featureId, quantity)
  return [...merged].map(([featureId, quantity]) => ({ featureId, quantity }))
}

/** Quantities for an incoming plan: requested, else inherited from the replaced plan. */
const incomingQuantities = (plan: Plan, requested: RequestedPlan, replaced: Held | undefined): Map<string, number> => {
  const wanted = requestedQuantities(requested)
  if (replaced === undefined) return wanted
  const before = quantitiesOf(replaced.sub)
  for (const item of plan.items) {
    if (wanted.has(item.featureId) || item.price?.billingMethod !== "prepaid") continue
    const had = before.get(item.featureId)
    if (had !== undefined) wanted.set(item.featureId, had)
  }
  return wanted
}

const trialFor = (ctx: Ctx, acc: Acc, plan: Plan, scenario: Scenario): FreeTrial | undefined => {
  if (scenario === "downgrade" || scenario === "cancel" || !isRecurring(plan)) return undefined
  const trial = ctx.request.freeTrial === null ? undefined : ctx.request.freeTrial === undefined ? plan.freeTrial : {
    length: ctx.request.freeTrial.length,
    unit: ctx.request.freeTrial.unit,
    cardRequired: ctx.request.freeTrial.cardRequired !== false
  }
  if (trial === undefined) return undefined
  const used = (ctx.customer.trialsUsed ?? []).includes(plan.id) ||
    acc.entries.some((e) => e.sub.planId === plan.id && e.sub.trialEndsAt !== undefined) ||
    acc.startedTrials.some((t) => t.planId === plan.id)
  return used ? undefined : trial
}

/** The subscription a new recurring plan joins (docs/spec.md §7): same scope first, then main plans. */
const joinTarget = (acc: Acc, scope: string | null): Held | undefined => {
  let best: Held | undefined
  for (const h of held(acc)) {
    if (isCurrent(h.sub) && isRecurring(h.plan) && (best === undefined || joinRank(h, scope) < joinRank(best, scope))) best = h
  }
  return best
}

const joinRank = (h: Held, scope: string | null): number => (scopeOf(h.sub) === scope ? 0 : 2) + (isMainPlan(h.plan) ? 0 : 1)

const startNow = (
  ctx: Ctx, acc: Acc, requested: RequestedPlan, plan: Plan, replaced: Held | undefined, scope: string | null, scenario: Scenario
): void => {
  const at = ctx.at
  const oneOff = isOneOff(plan)
  const trial = oneOff ? undefined : trialFor(ctx, acc, plan, scenario)
  const endingTrial = replaced !== undefined && isTrialingAt(replaced.sub, at)
  const target = oneOff || trial !== undefined || endingTrial || ctx.request.billingCycleAnchor === "now" || ctx.request.newBillingSubscription === true
    ? undefined
    : joinTarget(acc, scope)
  const noProration = ctx.request.prorationBehavior === "none" && !oneOff && (replaced !== undefined || target !== undefined)
  if (noProration && (replaced !== undefined && isFree(replaced.plan) && !isFree(plan) || endingTrial)) {
    fail(new InvalidRequest({ reason: "proration_none_would_skip_charge", message: `prorationBehavior "none" would skip a charge that cannot be deferred (${endingTrial ? "ending a trial" : "moving from a free to a paid plan"})` }))
  }
  if (replaced !== undefined) {
    if (!endingTrial) acc.lines.push(...outgoingArrears(replaced.sub, replaced.plan, at, ctx))
    if (!endingTrial && !noProration) acc.lines.push(...outgoingCredits(replaced.sub, replaced.plan, at, ctx))
  }
  const anchor = trial !== undefined ? addLength(at, trial.length, trial.unit) : target !== undefined ? ms(target.sub.billingAnchor) : at
  const quantities = incomingQuantities(plan, requested, replaced)
  const carried = replaced === undefined ? new Map<string, number>() : carriedUsage(replaced, plan)
  // A plan joining a trialing subscription joins its trial: its recurring prices start at the trial end.
  const joinsTrial = target !== undefined && isTrialingAt(target.sub, at)
  const priced = new Map<PlanPrice, Priced>()
  const charges = noProration ? [] : incomingCharges(plan, quantities, carried, anchor, at, ctx, { recurring: trial === undefined && !joinsTrial, priced })
  if (replaced !== undefined) {
    updateEntry(acc, replaced.sub, (sub) => patched(sub, { status: "expired", endsAt: iso(at) }, CANCEL))
    acc.ended.push(billingKey(replaced.sub))
  }
  const sub = newSubscription(ctx, acc, plan, scope, {
    status: trial !== undefined ? "trialing" : "active",
    anchor,
    startedAt: at,
    quantities,
    carried,
    providerSubscriptionId: target?.sub.providerSubscriptionId,
    discounts: replaced?.sub.discounts,
    priced
  })
  // Today's charges are fresh lines of this attach: the new subscription's id is set on them, not on copies.
  const basis = { subscriptionId: sub.id }
  for (const line of charges) {
    if (line.period !== null) (line as { basis?: DraftLine["basis"] }).basis = basis
    acc.lines.push(line)
  }
  if (trial !== undefined) {
    acc.startedTrials.push({ planId: plan.id, trial })
    acc.trialEndsAt = anchor
  }
  if (oneOff) {
    acc.oneOff = true
    return
  }
  if (isFree(plan)) return
  acc.paidRecurring = true
  if (trial === undefined || trial.cardRequired) acc.cardlessTrialOnly = false
  const key = billingKey(sub)
  if (target === undefined) acc.startsBillingSubscription = true
  acc.touched.push(key)
}

/** Non-consumable usage (seats held) carries into the incoming plan; consumable usage was billed. */
const carriedUsage = (replaced: Held, plan: Plan): Map<string, number> => {
  const held = heldOf(replaced.sub)
  const out = new Map<string, number>()
  for (const item of plan.items) {
    const used = held.get(item.featureId)
    if (used !== undefined && !item.feature.consumable) out.set(item.featureId, used)
  }
  return out
}

interface NewSub {
  readonly status: Subscription["status"]
  readonly anchor: number
  readonly startedAt: number
  readonly startsAt?: number
  readonly quantities: ReadonlyMap<string, number>
  readonly carried: ReadonlyMap<string, number>
  readonly providerSubscriptionId: string | undefined
  /** Discounts of the replaced subscription, which stay with the plan that replaces it. */
  readonly discounts?: Subscription["discounts"] | undefined
  /** What today's charges priced for it, by price (for its next cycle). */
  readonly priced?: ReadonlyMap<PlanPrice, Priced>
}

const newSubscription = (ctx: Ctx, acc: Acc, plan: Plan, scope: string | null, s: NewSub): Subscription => {
  acc.subscriptionIds ??= subscriptionIds(acc.entries.map((e) => e.sub.id))
  const id = newSubscriptionId(plan.id, s.startsAt ?? ctx.at, acc.subscriptionIds)
  // Built field by field in the document's key order (conditional spreads are slow).
  const sub: Record<string, unknown> = { id, planId: plan.id, version: plan.version }
  if (scope !== null) sub["entityId"] = scope
  sub["status"] = s.status
  sub["billingAnchor"] = iso(s.anchor)
  sub["startedAt"] = iso(s.startedAt)
  if (s.startsAt !== undefined) sub["startsAt"] = iso(s.startsAt)
  if (s.status === "trialing") sub["trialEndsAt"] = iso(s.anchor)
  if (s.quantities.size > 0) sub["featureQuantities"] = pairs(s.quantities, (featureId, quantity) => ({ featureId, quantity }))
  if (s.carried.size > 0) sub["usage"] = pairs(s.carried, (featureId, used) => ({ featureId, used }))
  if (s.providerSubscriptionId !== undefined) sub["providerSubscriptionId"] = s.providerSubscriptionId
  if (s.discounts !== undefined && s.discounts.length > 0) sub["discounts"] = s.discounts
  const created = sub as unknown as Subscription
  acc.entries.push(s.priced === undefined || s.priced.size === 0 ? { sub: created, plan } : { sub: created, plan, priced: { sub: created, byPrice: s.priced } })
  acc.newSubscriptionIds.push(id)
  return sub as unknown as Subscription
}

const pairs = <A>(map: ReadonlyMap<string, number>, f: (featureId: string, n: number) => A): Array<A> => {
  const out: Array<A> = []
  for (const [featureId, n] of map) out.push(f(featureId, n))
  return out
}

const scheduleSwitch = (ctx: Ctx, acc: Acc, requested: RequestedPlan, plan: Plan, replaced: Held, scope: string | null): void => {
  const effectiveAt = currentPeriodEnd(replaced.sub, replaced.plan, ctx.at)
  updateEntry(acc, replaced.sub, (sub) => patched(sub, { cancelAtPeriodEnd: true, endsAt: iso(effectiveAt) }))
  const sub = newSubscription(ctx, acc, plan, scope, {
    status: "scheduled",
    anchor: ms(replaced.sub.billingAnchor),
    startedAt: effectiveAt,
    startsAt: effectiveAt,
    quantities: incomingQuantities(plan, requested, replaced),
    carried: carriedUsage(replaced, plan),
    providerSubscriptionId: replaced.sub.providerSubscriptionId,
    discounts: replaced.sub.discounts
  })
  acc.touched.push(billingKey(sub))
}

// ---------------------------------------------------------------------------------------------
// Discounts, custom lines, customer after
// ---------------------------------------------------------------------------------------------

const activeDiscounts = (ctx: Ctx, acc: Acc, fromRequest: ReadonlyArray<ActiveDiscount>, invoiceKey: string | undefined): Array<ActiveDiscount> => {
  const out: Array<ActiveDiscount> = []
  addApplied(ctx, out, ctx.customer.discounts)
  if (invoiceKey !== undefined) {
    for (const e of acc.entries) if (e.sub.discounts !== undefined && billingKey(e.sub) === invoiceKey) addApplied(ctx, out, e.sub.discounts)
  }
  for (const d of fromRequest) if (!out.some((o) => o.discount.id === d.discount.id)) out.push(d)
  return out
}

const addApplied = (ctx: Ctx, out: Array<ActiveDiscount>, applied: ReadonlyArray<AppliedDiscount> | undefined): void => {
  for (const a of applied ?? []) {
    const discount = ctx.catalog.discountsById.get(a.discountId)
    if (discount !== undefined) out.push({ discount, appliedAt: ms(a.appliedAt), newlyApplied: false })
  }
}

const recordDiscounts = (ctx: Ctx, acc: Acc, fromRequest: ReadonlyArray<ActiveDiscount>): void => {
  if (fromRequest.length === 0) return
  const applied = fromRequest.map((d) => ({ discountId: d.discount.id, appliedAt: iso(ctx.at) }))
  const created = new Set(acc.newSubscriptionIds)
  for (const e of acc.entries) {
    if (!created.has(e.sub.id)) continue
    const have = e.sub.discounts ?? []
    // A subscription this attach created is a fresh object of the planner: setting the field in
    // place gives the key order of a spread (in place when present, else last).
    ;(e.sub as { discounts?: Subscription["discounts"] }).discounts = [...have, ...applied.filter((a) => !have.some((h) => h.discountId === a.discountId))]
  }
}

const customLines = (ctx: Ctx): Array<DraftLine> =>
  (ctx.request.customLineItems ?? []).map((item, i) => {
    const amount = parseDecimal(item.amount)
    if (amount === undefined) {
      return fail(new InvalidRequest({ reason: "invalid_custom_line", message: `request.customLineItems[${i}].amount: expected a decimal, got ${JSON.stringify(item.amount)}` }))
    }
    return {
      kind: "custom" as const,
      planId: null,
      featureId: null,
      description: item.description,
      quantity: 1,
      period: null,
      amount: Money.toMinor(amount, ctx.currency),
      discounts: [],
      derivation: customDerivation(amount, ctx.currency)
    }
  })

/** A subscription without the ledger entries that ended by `at` (and without an emptied ledger). */
const withOpenLedger = (sub: Subscription, at: number): Subscription => {
  if (sub.billed === undefined) return sub
  const open = openLedger(sub.billed, at)
  if (open.length === sub.billed.length) return sub
  return open.length === 0 ? patched(sub, {}, ["billed"]) : patched(sub, { billed: open })
}

const customerAfterOf = (ctx: Ctx, acc: Acc, balanceAfter: bigint): Customer => {
  const before = ctx.customer
  // The customer's own fields in their order, then the three this attach may change.
  const after: Record<string, unknown> = {}
  for (const key of Object.keys(before)) {
    if (key !== "subscriptions" && key !== "creditBalance" && key !== "trialsUsed") after[key] = before[key as keyof Customer]
  }
  if (!(balanceAfter === 0n && before.creditBalance === undefined)) after["creditBalance"] = Number(balanceAfter)
  const trialsUsed = before.trialsUsed === undefined ? [] : before.trialsUsed.slice()
  for (const t of acc.startedTrials) if (!trialsUsed.includes(t.planId)) trialsUsed.push(t.planId)
  if (trialsUsed.length > 0) after["trialsUsed"] = trialsUsed
  const subscriptions: Array<Subscription> = []
  for (const e of acc.entries) subscriptions.push(withOpenLedger(e.sub, ctx.at))
  after["subscriptions"] = subscriptions
  return after as Customer
}
