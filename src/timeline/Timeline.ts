/**
 * The timeline document: every invoice an attach leads to, in time order, and every event in
 * between (a trial ending, a scheduled change taking effect, a cancellation at period end, a
 * repeating discount running out, an allowance resetting, credit consumed, an anchor reset).
 * Money is in integer minor units of `currency`; instants are ISO-8601 strings.
 *
 * @example
 * import type { Timeline } from "attach-planner"
 * const renewals = (t: Timeline) => t.invoices.filter((i) => i.kind === "renewal").length
 */
import * as Data from "effect/Data"
import type { Line, UsageLine } from "../Preview.ts"

/**
 * One invoice of the timeline. `invoices[0]` is the attach's immediate invoice (the preview's
 * lines and totals), later ones are renewals computed exactly as a preview's `nextCycle`.
 * `collection` is `charge_automatically` when the customer's card is charged, `checkout` when a
 * trial ends without a card and the invoice is sent for the customer to pay.
 *
 * @example invoice.total - invoice.creditApplied === invoice.amountDue // for a positive total
 */
export interface TimelineInvoice {
  readonly at: string
  readonly kind: "attach" | "renewal"
  readonly currency: string
  readonly entityId: string | null
  /** The billing subscription: the provider's id when known, else `anchor:<epoch ms>`; null for the attach. */
  readonly billingSubscription: string | null
  readonly lines: ReadonlyArray<Line>
  readonly subtotal: number
  readonly discountTotal: number
  readonly total: number
  readonly creditApplied: number
  readonly amountDue: number
  readonly usageLines: ReadonlyArray<UsageLine>
  readonly collection: "charge_automatically" | "checkout"
}

/** Fields every event carries. */
interface EventBase {
  readonly at: string
  readonly entityId: string | null
}

/**
 * One event of the timeline, discriminated by `type`.
 *
 * @example { at: "2025-01-15T00:00:00.000Z", type: "trial_ended", subscriptionId: "sub_pro_…", planId: "pro", entityId: null, outcome: "canceled" }
 */
export type TimelineEvent =
  | (EventBase & { readonly type: "trial_ended"; readonly subscriptionId: string; readonly planId: string; readonly outcome: "charged" | "canceled" | "checkout" })
  | (EventBase & { readonly type: "phase_started"; readonly subscriptionId: string; readonly planId: string; readonly replaces: string | null })
  | (EventBase & { readonly type: "subscription_canceled"; readonly subscriptionId: string; readonly planId: string })
  | (EventBase & { readonly type: "discount_expired"; readonly discountId: string; readonly subscriptionId: string | null })
  | (EventBase & { readonly type: "allowance_reset"; readonly subscriptionId: string; readonly planId: string; readonly featureId: string; readonly included: number })
  | (EventBase & { readonly type: "credit_applied"; readonly amount: number; readonly balanceAfter: number })
  | (EventBase & { readonly type: "anchor_reset"; readonly subscriptionId: string; readonly planId: string; readonly billingAnchor: string })

/**
 * What a trial ending without a card does: `cancel` ends the subscription at the trial end (no
 * invoice); `checkout` sends the first invoice for the customer to pay and leaves the
 * subscription `past_due` until then.
 *
 * @example const choice: TrialEndWithoutCard = "checkout"
 */
export type TrialEndWithoutCard = "cancel" | "checkout"

/**
 * Options of a timeline: `cycles` later invoices of every billing subscription (1–120), only the
 * subscriptions of `entityId` when given, and what a trial ending without a card does.
 *
 * @example previewTimelineSync(document, { cycles: 12 })
 */
export interface TimelineOptions {
  readonly cycles: number
  readonly entityId?: string
  readonly trialEndWithoutCard?: TrialEndWithoutCard
}

/**
 * The timeline of an attach: invoices in time order (`invoices[0]` the immediate one), events in
 * time order, and the customer's state at the last instant the timeline reached.
 *
 * @example timeline.invoices[1]?.lines // the preview's nextCycle lines
 */
export interface Timeline {
  readonly customerId: string
  readonly currency: string
  readonly cycles: number
  readonly entityId: string | null
  readonly invoices: ReadonlyArray<TimelineInvoice>
  readonly events: ReadonlyArray<TimelineEvent>
  /** The instant the timeline stops at: its last invoice or event. */
  readonly until: string
}

/**
 * An option of a timeline or a clock is out of range; `path` names it.
 *
 * @example new TimelineOptionError({ path: "options.cycles", message: "options.cycles: expected an integer from 1 to 120, got 0" })
 */
export class TimelineOptionError extends Data.TaggedError("TimelineOptionError")<{
  readonly message: string
  readonly path: string
}> {}

/**
 * The most cycles a timeline computes per billing subscription.
 * @example checkTimelineOptions({ cycles: MAX_CYCLES + 1 })?.message // "options.cycles: expected an integer from 1 to 120, got 121"
 */
export const MAX_CYCLES = 120

/**
 * Checks the options of a timeline: `cycles` an integer from 1 to {@link MAX_CYCLES}.
 *
 * @example checkTimelineOptions({ cycles: 0 }) // TimelineOptionError at options.cycles
 */
export const checkTimelineOptions = (options: TimelineOptions): TimelineOptionError | undefined => {
  const c = options.cycles
  if (!Number.isInteger(c) || c < 1 || c > MAX_CYCLES) {
    return new TimelineOptionError({ path: "options.cycles", message: `options.cycles: expected an integer from 1 to ${MAX_CYCLES}, got ${JSON.stringify(c)}` })
  }
  const w = options.trialEndWithoutCard
  if (w !== undefined && w !== "cancel" && w !== "checkout") {
    return new TimelineOptionError({ path: "options.trialEndWithoutCard", message: `options.trialEndWithoutCard: expected "cancel" or "checkout", got ${JSON.stringify(w)}` })
  }
  return undefined
}
