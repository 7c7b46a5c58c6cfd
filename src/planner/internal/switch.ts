/**
 * A plan that starts: now (its charges, the credits and usage of the plan it replaces, the
 * subscription it creates or joins) or at the end of the period of the plan it replaces.
 *
 * @example
 * const step = startNow(ctx, working, [], { planId: "pro" }, pro, undefined, null, "new")
 * Result.isSuccess(step) && step.success.transition.starts // "paid_recurring"
 */
import * as Result from "effect/Result"
import type { RequestedPlan } from "../../AttachRequest.ts"
import type { FreeTrial, Plan } from "../../Catalog.ts"
import { isCurrent } from "../../Customer.ts"
import { type AttachError, InvalidRequest } from "../../Errors.ts"
import { epochMs } from "../../internal/instants.ts"
import { type Entry, type Priced, currentPeriodEnd, isTrialingAt } from "../../internal/working.ts"
import { addLength } from "../../Interval.ts"
import type { Scenario } from "../../Preview.ts"
import { type PlanPrice, isFree, isOneOff, isRecurring } from "../../Pricing.ts"
import { type Held, isMainPlan } from "../../Scenario.ts"
import type { PlanContext } from "../resolve.ts"
import type { DraftLine } from "../draftLine.ts"
import { incomingCharges, outgoingArrears, outgoingCredits } from "./lines.ts"
import { type Starts, type Step, type Transition, changeOf, nothingStarts } from "./step.ts"
import { type Working, currentSubscriptions, endedNow, newSubscription, nextId, updated } from "./subscriptions.ts"

const NONE: ReadonlyMap<string, number> = new Map()

/** The quantities a request asks for, by feature. @example requestedQuantities({ planId: "team", featureQuantities: [{ featureId: "seats", quantity: 5 }] }).get("seats") // 5 */
export const requestedQuantities = (requested: RequestedPlan): Map<string, number> =>
  new Map((requested.featureQuantities ?? []).map((q) => [q.featureId, q.quantity]))

/** Quantities for an incoming plan: requested, else inherited from the replaced plan. */
const incomingQuantities = (plan: Plan, requested: RequestedPlan, replaced: Held | undefined): Map<string, number> => {
  const wanted = requestedQuantities(requested)
  if (replaced === undefined) return wanted
  const before = replaced.facts.quantities
  for (const item of plan.items) {
    if (wanted.has(item.featureId) || item.price?.billingMethod !== "prepaid") continue
    const had = before.get(item.featureId)
    if (had !== undefined) wanted.set(item.featureId, had)
  }
  return wanted
}

/** Non-consumable usage (seats held) carries into the incoming plan; consumable usage was billed. */
const carriedUsage = (replaced: Held, plan: Plan): Map<string, number> => {
  const held = replaced.facts.usage
  const out = new Map<string, number>()
  for (const item of plan.items) {
    const used = held.get(item.featureId)
    if (used !== undefined && !item.feature.consumable) out.set(item.featureId, used)
  }
  return out
}

/** The trial a plan starts: the request's or the plan's, unless the customer used one of the plan (before or earlier in this attach). */
const trialFor = (
  ctx: PlanContext, entries: ReadonlyArray<Entry>, earlier: ReadonlyArray<Transition>, plan: Plan, scenario: Scenario
): FreeTrial | undefined => {
  if (scenario === "downgrade" || scenario === "cancel" || !isRecurring(plan)) return undefined
  const trial = ctx.request.freeTrial === null ? undefined : ctx.request.freeTrial === undefined ? plan.freeTrial : {
    length: ctx.request.freeTrial.length,
    unit: ctx.request.freeTrial.unit,
    cardRequired: ctx.request.freeTrial.cardRequired !== false
  }
  if (trial === undefined) return undefined
  const used = (ctx.customer.trialsUsed ?? []).includes(plan.id) ||
    entries.some((e) => e.facts.planId === plan.id && e.facts.trialEndsAt !== undefined) ||
    earlier.some((t) => t.trial?.planId === plan.id)
  return used ? undefined : trial
}

/** The subscription a new recurring plan joins (docs/spec.md §7): same scope first, then main plans. */
const joinTarget = (entries: ReadonlyArray<Entry>, scope: string | null): Held | undefined => {
  let best: Held | undefined
  for (const h of currentSubscriptions(entries)) {
    if (isCurrent(h.facts) && isRecurring(h.plan) && (best === undefined || joinRank(h, scope) < joinRank(best, scope))) best = h
  }
  return best
}

const joinRank = (h: Held, scope: string | null): number => (h.facts.entityId === scope ? 0 : 2) + (isMainPlan(h.plan) ? 0 : 1)

/** The usage and unused time of the plan replaced now, as today's lines (none when it ends a trial: nothing was paid). */
const outgoingLines = (ctx: PlanContext, replaced: Held | undefined, endingTrial: boolean, noProration: boolean): Array<DraftLine> => {
  const lines: Array<DraftLine> = []
  if (replaced === undefined || endingTrial) return lines
  for (const line of outgoingArrears(replaced, replaced.plan, ctx.at, ctx)) lines.push(line)
  if (!noProration) for (const line of outgoingCredits(replaced, replaced.plan, ctx.at, ctx)) lines.push(line)
  return lines
}

/**
 * Plans `plan` to start now, replacing `replaced` if any; a failure when `prorationBehavior:
 * "none"` would skip a charge.
 *
 * @example startNow(ctx, working, [], { planId: "premium" }, premium, currentPro, null, "upgrade") // Success({ transition: { lines: [credit, charge], … }, working })
 */
export const startNow = (
  ctx: PlanContext, working: Working, earlier: ReadonlyArray<Transition>, requested: RequestedPlan, plan: Plan,
  replaced: Held | undefined, scope: string | null, scenario: Scenario
): Result.Result<Step, AttachError> => {
  const at = ctx.at
  const oneOff = isOneOff(plan)
  const trial = oneOff ? undefined : trialFor(ctx, working.entries, earlier, plan, scenario)
  const endingTrial = replaced !== undefined && isTrialingAt(replaced, at)
  const target = oneOff || trial !== undefined || endingTrial || ctx.request.billingCycleAnchor === "now" || ctx.request.newBillingSubscription === true
    ? undefined
    : joinTarget(working.entries, scope)
  const noProration = ctx.request.prorationBehavior === "none" && !oneOff && (replaced !== undefined || target !== undefined)
  if (noProration && (replaced !== undefined && isFree(replaced.plan) && !isFree(plan) || endingTrial)) {
    return Result.fail(new InvalidRequest({ reason: "proration_none_would_skip_charge", message: `prorationBehavior "none" would skip a charge that cannot be deferred (${endingTrial ? "ending a trial" : "moving from a free to a paid plan"})` }))
  }
  const lines = outgoingLines(ctx, replaced, endingTrial, noProration)
  const anchor = trial !== undefined ? addLength(at, trial.length, trial.unit) : target !== undefined ? target.facts.billingAnchor : at
  const quantities = incomingQuantities(plan, requested, replaced)
  const carried = replaced === undefined ? NONE : carriedUsage(replaced, plan)
  // A plan joining a trialing subscription joins its trial: its recurring prices start at the trial end.
  const joinsTrial = target !== undefined && isTrialingAt(target, at)
  const { id, ids } = nextId(working, plan.id, at)
  const priced = new Map<PlanPrice, Priced>()
  if (!noProration) {
    const charges = incomingCharges(plan, quantities, carried, anchor, at, ctx, { recurring: trial === undefined && !joinsTrial, priced, basis: { subscriptionId: id } })
    for (const line of charges) lines.push(line)
  }
  const entries = replaced === undefined ? working.entries : endedNow(working.entries, replaced.sub, at)
  const entry = newSubscription(id, plan, scope, {
    status: trial !== undefined ? "trialing" : "active",
    anchor,
    startedAt: at,
    quantities,
    carried,
    providerSubscriptionId: target?.facts.providerSubscriptionId,
    discounts: replaced?.facts.discounts,
    priced
  })
  const starts: Starts = oneOff ? "one_off" : isFree(plan) ? "free" : "paid_recurring"
  const transition: Transition = {
    change: changeOf(plan, scope, scenario, "immediate", at, replaced?.plan.id ?? null),
    lines,
    billingKey: starts === "paid_recurring" ? entry.facts.billingKey : undefined,
    endedKey: replaced === undefined ? undefined : replaced.facts.billingKey,
    created: id,
    trial: trial === undefined ? undefined : { planId: plan.id, trial, endsAt: anchor },
    starts,
    startsBillingSubscription: starts === "paid_recurring" && target === undefined
  }
  return Result.succeed({ transition, working: { entries: [...entries, entry], ids } })
}

/**
 * Plans the switch from `replaced` to `plan` at the end of the current period: the replaced plan
 * cancels then, the new one is scheduled.
 *
 * @example scheduleSwitch(ctx, working, { planId: "basic" }, basic, currentPro, null, "downgrade").transition.change.timing // "end_of_cycle"
 */
export const scheduleSwitch = (
  ctx: PlanContext, working: Working, requested: RequestedPlan, plan: Plan, replaced: Held, scope: string | null, scenario: Scenario
): Step => {
  const effectiveAt = currentPeriodEnd(replaced, replaced.plan, ctx.at)
  const entries = updated(working.entries, replaced.sub, { cancelAtPeriodEnd: true, endsAt: epochMs(effectiveAt) })
  const quantities = incomingQuantities(plan, requested, replaced)
  const carried = carriedUsage(replaced, plan)
  const { id, ids } = nextId({ entries, ids: working.ids }, plan.id, effectiveAt)
  const entry = newSubscription(id, plan, scope, {
    status: "scheduled",
    anchor: replaced.facts.billingAnchor,
    startedAt: effectiveAt,
    startsAt: effectiveAt,
    quantities,
    carried,
    providerSubscriptionId: replaced.facts.providerSubscriptionId,
    discounts: replaced.facts.discounts
  })
  const change = changeOf(plan, scope, scenario, "end_of_cycle", effectiveAt, replaced.plan.id)
  return { transition: nothingStarts(change, entry.facts.billingKey, undefined, id), working: { entries: [...entries, entry], ids } }
}
