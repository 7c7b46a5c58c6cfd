/**
 * What one requested plan does, as a value: the change it makes, the lines it puts on today's
 * invoice and what starts with it. The later stages read these instead of flags set on the way.
 *
 * @example
 * const t: Transition = nothingStarts(change, "sub_pro", [])
 * t.starts // "nothing"
 */
import type { FreeTrial, Plan } from "../../Catalog.ts"
import { type EpochMs, epochMs } from "../../internal/instants.ts"
import type { Change, Scenario, Timing } from "../../Preview.ts"
import type { DraftLine } from "../draftLine.ts"
import type { Working } from "./subscriptions.ts"

/** A free trial started by a plan, and when it ends. */
export interface StartedTrial {
  readonly planId: string
  readonly trial: FreeTrial
  readonly endsAt: number
}

/** What starts now with a plan: nothing (a change of a held plan or one scheduled), a one-off purchase, a free plan, a paid recurring plan. */
export type Starts = "nothing" | "one_off" | "free" | "paid_recurring"

/**
 * What happens to one requested plan, its instant decoded; the preview's `Change` is written from it (`encode.ts`).
 * @example changeOf(pro, null, "new", "immediate", at, null).effectiveAt === at // true
 */
export interface PlannedChange extends Omit<Change, "effectiveAt"> {
  readonly effectiveAt: EpochMs
}

/** The change of one requested plan. */
export interface Transition {
  readonly change: PlannedChange
  /** Its lines on today's invoice, as they arise: usage and credits of what it replaces, then its charges (or a quantity change). */
  readonly lines: ReadonlyArray<DraftLine>
  /** The billing subscription whose invoice the change is on; none for a one-off or free plan started. */
  readonly billingKey: string | undefined
  /** The billing subscription of the plan it ended now (its credits are on today's invoice). */
  readonly endedKey: string | undefined
  /** The id of the subscription it created. */
  readonly created: string | undefined
  readonly trial: StartedTrial | undefined
  readonly starts: Starts
  /** A paid recurring plan starts a billing subscription of its own (it joins none). */
  readonly startsBillingSubscription: boolean
}

/** A transition and the subscriptions after it. */
export interface Step {
  readonly transition: Transition
  readonly working: Working
}

const NO_LINES: ReadonlyArray<DraftLine> = []

/**
 * The transition of a plan that starts nothing: a held plan kept, renewed or re-quantified, a
 * scheduled one confirmed, or a switch scheduled for the end of the period.
 *
 * @example nothingStarts(change, current.facts.billingKey, quantityLines).starts // "nothing"
 */
export const nothingStarts = (
  change: PlannedChange, billingKey: string, lines: ReadonlyArray<DraftLine> = NO_LINES, created: string | undefined = undefined
): Transition => ({
  change, lines, billingKey, endedKey: undefined, created, trial: undefined, starts: "nothing", startsBillingSubscription: false
})

/**
 * The change of one requested plan.
 *
 * @example changeOf(pro, null, "new", "immediate", at, null).scenario // "new"
 */
export const changeOf = (plan: Plan, scope: string | null, scenario: Scenario, timing: Timing, effectiveAt: number, replaces: string | null): PlannedChange =>
  ({ planId: plan.id, scenario, timing, replaces, entityId: scope, effectiveAt: epochMs(effectiveAt) })
