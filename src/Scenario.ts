/**
 * Scenarios (docs/spec.md §6): what attaching a plan means for a customer — new, upgrade, downgrade,
 * cancel, renew, active, scheduled or a prepaid quantity update — and the upgrade test.
 *
 * @example
 * import { Scenario } from "attach-planner"
 * Scenario.isUpgrade(pro, premium, "usd", catalog) // true: $50/month ≥ $20/month
 */
import type { Catalog, Plan } from "./Catalog.ts"
import type { Subscription } from "./Customer.ts"
import { isCurrent } from "./Customer.ts"
import type { Scenario } from "./Preview.ts"
import { allArrears, isFree, isOneOff, longestInterval, monthlyTotal } from "./Pricing.ts"
import * as Rational from "./Rational.ts"
import type { SubscriptionFacts } from "./internal/subscriptionFacts.ts"

/**
 * A subscription together with the catalog plan it holds.
 * @example classify(premium, null, held, () => false, "usd", catalog).current?.plan.id // "pro": sub_pro, with its decoded facts and its catalog plan
 */
export interface Held {
  readonly sub: Subscription
  /** The subscription decoded once: what the rules read of it. */
  readonly facts: SubscriptionFacts
  readonly plan: Plan
}

/**
 * `isUpgrade(current, next)`, the first rule that fires: free → paid is an upgrade; paid → free
 * a downgrade; all-arrears on both sides an upgrade; a strictly longer longest interval an
 * upgrade; otherwise compare monthly-normalised in-advance totals (ties are upgrades).
 *
 * @example isUpgrade(premium, pro, "usd", catalog) // false
 */
export const isUpgrade = (current: Plan, next: Plan, currency: string, catalog: Catalog): boolean => {
  const currentFree = isFree(current)
  const nextFree = isFree(next)
  if (currentFree && !nextFree) return true
  if (!currentFree && nextFree) return false
  if (allArrears(current) && allArrears(next)) return true
  if (Rational.compare(longestInterval(next), longestInterval(current)) > 0) return true
  return Rational.compare(monthlyTotal(current, currency, catalog), monthlyTotal(next, currency, catalog)) <= 0
}

/**
 * Whether a plan can be the main plan of a group: not an add-on, not one-off.
 * @example isMainPlan(findPlan(catalog, "credits")) // false: an add-on (examples/catalog.json)
 */
export const isMainPlan = (plan: Plan): boolean => !plan.addOn && !isOneOff(plan)

/**
 * The scope of a subscription: its entity, or `null` for the customer.
 * @example scopeOf({ ...sub, entityId: "team_a" }) // "team_a"
 */
export const scopeOf = (sub: Subscription): string | null => sub.entityId ?? null

/**
 * What the scenario rules found for one requested plan.
 * @example classify(premium, null, held, () => false, "usd", catalog) // { scenario: "upgrade", current: sub_pro's Held, scheduled: undefined }
 */
export interface Classification {
  readonly scenario: Scenario
  /** The current main plan of the group and scope, if any. */
  readonly current: Held | undefined
  /** The pending scheduled main plan of the group and scope, if any. */
  readonly scheduled: Held | undefined
}

/**
 * Applies the scenario rules of docs/spec.md §6 to one plan in one scope. `quantitiesDiffer` says
 * whether the request asks for other prepaid quantities than the current plan holds.
 *
 * @example classify(premium, null, held, () => false, "usd", catalog).scenario // "upgrade"
 */
export const classify = (
  plan: Plan,
  scope: string | null,
  held: ReadonlyArray<Held>,
  quantitiesDiffer: (current: Held) => boolean,
  currency: string,
  catalog: Catalog,
  subscriptionId?: string
): Classification => {
  // A request naming a held subscription of this plan changes that one (an add-on too) in place.
  const targeted = subscriptionId === undefined ? undefined
    : held.find((h) => h.facts.id === subscriptionId && h.plan.id === plan.id && h.facts.entityId === scope && isCurrent(h.facts))
  if (targeted !== undefined) return { scenario: heldScenario(targeted, quantitiesDiffer), current: targeted, scheduled: undefined }
  const inGroup = held.filter((h) => h.facts.entityId === scope && isMainPlan(h.plan) && h.plan.group === plan.group)
  const current = inGroup.find((h) => isCurrent(h.facts))
  const scheduled = inGroup.find((h) => h.facts.status === "scheduled")
  return { scenario: scenarioOf(plan, current, scheduled, quantitiesDiffer, currency, catalog), current, scheduled }
}

/** The scenario of attaching the plan a subscription already holds: renew, a quantity change, or nothing. */
const heldScenario = (current: Held, quantitiesDiffer: (current: Held) => boolean): Scenario =>
  current.facts.cancelAtPeriodEnd ? "renew" : quantitiesDiffer(current) ? "update_prepaid_quantity" : "active"

const scenarioOf = (
  plan: Plan, current: Held | undefined, scheduled: Held | undefined, quantitiesDiffer: (current: Held) => boolean, currency: string, catalog: Catalog
): Scenario => {
  if (isOneOff(plan) || plan.addOn || current === undefined) return "new"
  if (current.plan.id === plan.id && current.plan.version === plan.version) return heldScenario(current, quantitiesDiffer)
  if (scheduled !== undefined && scheduled.plan.id === plan.id && scheduled.plan.version === plan.version) return "scheduled"
  if (isFree(current.plan) && isFree(plan)) return "new"
  if (isUpgrade(current.plan, plan, currency, catalog)) return "upgrade"
  return isFree(plan) ? "cancel" : "downgrade"
}
