/**
 * The second stage of the planner: per requested plan, in the request's order, the scenario (new,
 * upgrade, downgrade, …), its timing, the subscription it joins, replaces or changes, and the
 * lines it puts on today's invoice. Each plan sees the subscriptions as the plans before it left
 * them.
 *
 * @example
 * const moved = transitionsOf(resolution)
 * Result.isSuccess(moved) && moved.success.transitions.map((t) => t.change.scenario) // ["upgrade"]
 */
import * as Result from "effect/Result"
import type { RequestedPlan } from "../AttachRequest.ts"
import type { Plan } from "../Catalog.ts"
import type { AttachError } from "../Errors.ts"
import { type Entry, isTrialingAt } from "../internal/working.ts"
import type { Scenario, Timing } from "../Preview.ts"
import { isFree } from "../Pricing.ts"
import { type Classification, type Held, classify, isMainPlan } from "../Scenario.ts"
import { quantityChangeLines } from "./internal/quantityChange.ts"
import { type Step, type Transition, changeOf, nothingStarts } from "./internal/step.ts"
import { type Working, currentSubscriptions, releaseSchedule, updated, withoutCancel } from "./internal/subscriptions.ts"
import { requestedQuantities, scheduleSwitch, startNow } from "./internal/switch.ts"
import { type PlanContext, type Resolution, scopeFor } from "./resolve.ts"

export type { StartedTrial, Starts, Transition } from "./internal/step.ts"

/**
 * The transitions of an attach and the customer's subscriptions after them (the customer's first, in order, then those created).
 * @example Result.map(transitionsOf(resolution), (t) => t.transitions.map((x) => x.change.scenario)) // Success(["new"])
 */
export interface Transitions {
  readonly transitions: ReadonlyArray<Transition>
  readonly entries: ReadonlyArray<Entry>
}

/**
 * The transitions of the requested plans, each applied to the subscriptions the previous ones
 * left; the first failure stops them.
 *
 * @example transitionsOf(resolution) // Success({ transitions: [{ change: { scenario: "new", … }, lines: [charge], … }], entries })
 */
export const transitionsOf = (resolved: Resolution): Result.Result<Transitions, AttachError> => {
  let working: Working = { entries: resolved.entries, ids: undefined }
  const transitions: Array<Transition> = []
  for (const { requested, plan } of resolved.plans) {
    const step = stepOf(resolved.ctx, working, transitions, requested, plan)
    if (Result.isFailure(step)) return Result.fail(step.failure)
    transitions.push(step.success.transition)
    working = step.success.working
  }
  return Result.succeed({ transitions, entries: working.entries })
}

const quantitiesDiffer = (requested: RequestedPlan) => (current: Held): boolean => {
  const have = current.facts.quantities
  return (requested.featureQuantities ?? []).some((q) => (have.get(q.featureId) ?? 0) !== q.quantity)
}

const baseTiming = (scenario: Scenario): Timing =>
  scenario === "downgrade" || scenario === "cancel" ? "end_of_cycle" : scenario === "active" || scenario === "scheduled" ? "none" : "immediate"

const timingFor = (ctx: PlanContext, scenario: Scenario): Timing => {
  const timing = baseTiming(scenario)
  if (ctx.request.plans.length > 1 && timing === "end_of_cycle") return "immediate"
  const override = ctx.request.planSchedule
  if (override === undefined || timing === "none" || scenario === "renew" || scenario === "update_prepaid_quantity") return timing
  return override
}

const stepOf = (
  ctx: PlanContext, working: Working, earlier: ReadonlyArray<Transition>, requested: RequestedPlan, plan: Plan
): Result.Result<Step, AttachError> => {
  const scope = scopeFor(ctx, requested)
  const c = classify(plan, scope, currentSubscriptions(working.entries), quantitiesDiffer(requested), ctx.currency, ctx.catalog, requested.subscriptionId)
  const kept = heldStep(ctx, working, requested, plan, scope, c)
  if (kept !== undefined) return Result.succeed(kept)
  const replaced = c.scenario === "new" && !(c.current !== undefined && isFree(c.current.plan) && isFree(plan) && isMainPlan(plan))
    ? undefined
    : c.current
  const released: Working = c.scheduled !== undefined && isMainPlan(plan)
    ? { entries: releaseSchedule(working.entries, c.scheduled, ctx.at), ids: working.ids }
    : working
  if (timingFor(ctx, c.scenario) === "end_of_cycle" && replaced !== undefined) {
    return Result.succeed(scheduleSwitch(ctx, released, requested, plan, replaced, scope, c.scenario))
  }
  return startNow(ctx, released, earlier, requested, plan, replaced, scope, c.scenario)
}

/** A plan the customer holds or has scheduled: kept, confirmed, renewed or re-quantified (undefined for the other scenarios). */
const heldStep = (ctx: PlanContext, working: Working, requested: RequestedPlan, plan: Plan, scope: string | null, c: Classification): Step | undefined => {
  const at = ctx.at
  switch (c.scenario) {
    case "active": {
      const current = c.current as Held
      return { transition: nothingStarts(changeOf(plan, scope, "active", "none", at, null), current.facts.billingKey), working }
    }
    case "scheduled": {
      const scheduled = c.scheduled as Held
      const change = changeOf(plan, scope, "scheduled", "none", scheduled.facts.startsAt ?? scheduled.facts.startedAt, null)
      return { transition: nothingStarts(change, scheduled.facts.billingKey), working }
    }
    case "renew": {
      const current = c.current as Held
      const renewed = updated(working.entries, current.sub, withoutCancel)
      const entries = c.scheduled === undefined ? renewed : releaseSchedule(renewed, c.scheduled, at)
      return { transition: nothingStarts(changeOf(plan, scope, "renew", "immediate", at, null), current.facts.billingKey), working: { entries, ids: working.ids } }
    }
    case "update_prepaid_quantity": {
      const current = c.current as Held
      const wanted = requestedQuantities(requested)
      // While trialing nothing was paid for the period: the new quantity simply renews at the trial end.
      const lines = isTrialingAt(current, at) ? [] : quantityChangeLines(ctx, current, wanted)
      const entries = updated(working.entries, current.sub, { quantities: mergeQuantities(current, wanted) })
      const change = changeOf(plan, scope, "update_prepaid_quantity", "immediate", at, null)
      return { transition: nothingStarts(change, current.facts.billingKey, lines), working: { entries, ids: working.ids } }
    }
    default:
      return undefined
  }
}

/** The subscription's prepaid quantities with the wanted ones set (a feature it holds keeps its place). */
const mergeQuantities = ({ facts }: Held, wanted: ReadonlyMap<string, number>): ReadonlyMap<string, number> => {
  const merged = new Map(facts.quantities)
  for (const [featureId, quantity] of wanted) merged.set(featureId, quantity)
  return merged
}
