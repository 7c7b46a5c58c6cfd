/**
 * One row of a pricing table: what attaching one plan now would do for one customer, read off
 * the preview of that single attach, and the call to action a pricing page shows for it. The
 * rules are in docs/pricing-table.md.
 *
 * @example
 * import { entryOf } from "attach-planner"
 * // entryOf(plan, planAttach(input), held) → { planId: "premium", action: "upgrade", amountDueToday: 1549, … }
 */
import * as Result from "effect/Result"
import type { FreeTrial, Plan } from "../Catalog.ts"
import type { Subscription } from "../Customer.ts"
import type { AttachError } from "../Errors.ts"
import type { Interval } from "../Interval.ts"
import type { AttachPreview, Checkout, Scenario, Timing } from "../Preview.ts"
import { isFree, isOneOff, planPrices, recurringInterval } from "../Pricing.ts"

/**
 * The button a pricing page shows for a plan.
 * @example const cta: CallToAction = "trial"
 */
export type CallToAction = "current" | "upgrade" | "downgrade" | "trial" | "buy" | "renew" | "scheduled" | "unavailable"

/**
 * What kind of plan a row is.
 * @example const kind: PlanKind = "one_off"
 */
export type PlanKind = "free" | "recurring" | "one_off"

/**
 * Why a plan cannot be attached now: the tagged error its preview ends with.
 * @example const reason: UnavailableReason = { _tag: "CurrencyMismatch", message: 'Plan "pro" has no price in EUR' }
 */
export interface UnavailableReason {
  readonly _tag: AttachError["_tag"]
  readonly message: string
}

/**
 * What the plan costs after today: its lines on the next invoice of the subscription it joins.
 * @example const recurring: RecurringAmount = { amount: 2000, currency: "usd", interval: { unit: "month", count: 1 }, usageBased: false }
 */
export interface RecurringAmount {
  /** Minor units of the table's currency, after discounts; usage billed in arrears is not in it. */
  readonly amount: number
  readonly currency: string
  /** The plan's billing interval: its base price's, else its first recurring item's. */
  readonly interval: Interval | null
  /** Whether the plan also bills usage in arrears at that invoice. */
  readonly usageBased: boolean
}

/**
 * The customer's own instance of a plan (same id, any version) in the table's scope.
 * @example const held: HeldPlan = { version: 1, status: "active", canceling: false, trialing: false }
 */
export interface HeldPlan {
  readonly version: number
  readonly status: Subscription["status"]
  readonly canceling: boolean
  readonly trialing: boolean
}

/**
 * One row of the pricing table.
 * @example entryOf(premium, planAttach(input), null) // { planId: "premium", kind: "recurring", action: "upgrade", reason: null, … }
 */
export interface PricingTableEntry {
  readonly planId: string
  readonly version: number
  readonly name: string
  readonly group: string
  readonly addOn: boolean
  readonly kind: PlanKind
  readonly action: CallToAction
  /** Set exactly when `action` is `unavailable`. */
  readonly reason: UnavailableReason | null
  readonly scenario: Scenario | null
  readonly timing: Timing | null
  readonly effectiveAt: string | null
  readonly replaces: string | null
  /** The plan's free trial in the catalog, available or not. */
  readonly trial: FreeTrial | null
  /** Whether attaching now starts that trial. */
  readonly trialAvailable: boolean
  readonly trialEndsAt: string | null
  /** Minor units charged today (after the customer's credit balance). */
  readonly amountDueToday: number | null
  readonly recurring: RecurringAmount | null
  /** When the next invoice of the subscription the plan joins is due. */
  readonly nextCycleAt: string | null
  readonly checkout: Checkout | null
  /** Whether the customer must go through the provider's checkout (`checkout` is `provider_checkout`). */
  readonly checkoutRequired: boolean | null
  readonly held: HeldPlan | null
}

const kindOf = (plan: Plan): PlanKind => (isFree(plan) ? "free" : isOneOff(plan) ? "one_off" : "recurring")

/**
 * The billing interval a pricing page prints after the amount: the base price's, else the first
 * recurring item price's; `null` for a free or one-off plan.
 *
 * @example billingInterval(pro) // { unit: "month", count: 1 }
 */
export const billingInterval = (plan: Plan): Interval | null => {
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval !== undefined) return interval
  }
  return null
}

/**
 * The call to action for a preview, the first rule that fires: a failed preview is
 * `unavailable`; `active` is `current`; `scheduled` and `renew` are themselves; a preview that
 * starts a trial is `trial`; `upgrade` is `upgrade`; `downgrade` and `cancel` are `downgrade`;
 * `new` is `buy`.
 *
 * @example callToAction(preview) // "upgrade"
 */
export const callToAction = (preview: AttachPreview): CallToAction => {
  switch (preview.scenario) {
    case "active":
    case "update_prepaid_quantity":
      return "current"
    case "scheduled":
    case "renew":
      return preview.scenario
    default:
      break
  }
  if (preview.trialEndsAt !== null) return "trial"
  switch (preview.scenario) {
    case "upgrade":
      return "upgrade"
    case "downgrade":
    case "cancel":
      return "downgrade"
    default:
      return "buy"
  }
}

/** The plan's lines on the next invoice, or null when it has none there. */
const recurringOf = (plan: Plan, preview: AttachPreview): RecurringAmount | null => {
  const next = preview.nextCycle
  if (next === null) return null
  let amount = 0
  let lines = 0
  for (const line of next.lines) {
    if (line.planId !== plan.id) continue
    amount += line.total
    lines++
  }
  const usageBased = next.usageLines.some((u) => u.planId === plan.id)
  if (lines === 0 && !usageBased) return null
  return { amount, currency: preview.currency, interval: billingInterval(plan), usageBased }
}

/** The fields a row reads off the preview (or its failure). */
type Outcome = Omit<PricingTableEntry, "planId" | "version" | "name" | "group" | "addOn" | "kind" | "trial" | "held">

const UNAVAILABLE: Omit<Outcome, "reason"> = {
  action: "unavailable",
  scenario: null,
  timing: null,
  effectiveAt: null,
  replaces: null,
  trialAvailable: false,
  trialEndsAt: null,
  amountDueToday: null,
  recurring: null,
  nextCycleAt: null,
  checkout: null,
  checkoutRequired: null
}

const outcomeOf = (plan: Plan, preview: AttachPreview): Outcome => {
  const change = preview.changes[0]
  return {
    action: callToAction(preview),
    reason: null,
    scenario: preview.scenario,
    timing: change?.timing ?? null,
    effectiveAt: change?.effectiveAt ?? null,
    replaces: change?.replaces ?? null,
    trialAvailable: preview.trialEndsAt !== null,
    trialEndsAt: preview.trialEndsAt,
    amountDueToday: preview.amountDue,
    recurring: recurringOf(plan, preview),
    nextCycleAt: preview.nextCycle?.startsAt ?? null,
    checkout: preview.checkout,
    checkoutRequired: preview.checkout === "provider_checkout"
  }
}

/**
 * The row of one plan from the result of previewing its attach alone.
 *
 * @example entryOf(premium, planAttach(input), null).action // "upgrade"
 */
export const entryOf = (plan: Plan, result: Result.Result<AttachPreview, AttachError>, held: HeldPlan | null): PricingTableEntry => {
  const o = Result.isSuccess(result)
    ? outcomeOf(plan, result.success)
    : { ...UNAVAILABLE, reason: { _tag: result.failure._tag, message: result.failure.message } }
  // Built in the document's key order.
  return {
    planId: plan.id,
    version: plan.version,
    name: plan.name,
    group: plan.group,
    addOn: plan.addOn,
    kind: kindOf(plan),
    action: o.action,
    reason: o.reason,
    scenario: o.scenario,
    timing: o.timing,
    effectiveAt: o.effectiveAt,
    replaces: o.replaces,
    trial: plan.freeTrial ?? null,
    trialAvailable: o.trialAvailable,
    trialEndsAt: o.trialEndsAt,
    amountDueToday: o.amountDueToday,
    recurring: o.recurring,
    nextCycleAt: o.nextCycleAt,
    checkout: o.checkout,
    checkoutRequired: o.checkoutRequired,
    held
  }
}
