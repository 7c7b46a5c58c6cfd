/**
 * The preview document (docs/spec.md §13): the full plan of an attach — scenario, lines, totals, next
 * cycle, checkout decision, provider actions and the customer's state afterwards. All money is in
 * integer minor units of `currency`; instants are ISO-8601 strings.
 *
 * @example
 * import type { AttachPreview } from "attach-planner"
 * const dueToday = (p: AttachPreview) => p.amountDue // 1549 = $15.49
 */
import type { Customer } from "./Customer.ts"

/** The scenario of an attached plan (docs/spec.md §6). */
export type Scenario = "new" | "upgrade" | "downgrade" | "cancel" | "renew" | "active" | "scheduled" | "update_prepaid_quantity"

/** When a change takes effect. */
export type Timing = "immediate" | "end_of_cycle" | "none"

/** A period `[start, end)` as ISO instants. */
export interface LinePeriod {
  readonly start: string
  readonly end: string
}

/** The part of one discount taken off one line. */
export interface LineDiscount {
  readonly discountId: string
  readonly amount: number
}

/** One invoice line (docs/spec.md §8): `amount` before discounts, `total` after them. */
export interface Line {
  readonly kind: "charge" | "credit" | "arrears" | "custom"
  readonly planId: string | null
  readonly featureId: string | null
  readonly description: string
  readonly quantity: number
  readonly period: LinePeriod | null
  readonly amount: number
  readonly discounts: ReadonlyArray<LineDiscount>
  readonly total: number
}

/** What happens to one requested plan. */
export interface Change {
  readonly planId: string
  readonly scenario: Scenario
  readonly timing: Timing
  readonly replaces: string | null
  readonly entityId: string | null
  readonly effectiveAt: string
}

/** A consumable item billed in arrears at the next cycle. */
export interface UsageLine {
  readonly planId: string
  readonly featureId: string
  readonly overage?: number
}

/** The next invoice of the subscription the attach touched (docs/spec.md §9). */
export interface NextCycle {
  readonly startsAt: string
  readonly lines: ReadonlyArray<Line>
  readonly subtotal: number
  readonly discountTotal: number
  readonly total: number
  readonly usageLines: ReadonlyArray<UsageLine>
}

/** How the customer pays today (docs/spec.md §10). */
export type Checkout = "none" | "provider_checkout" | "confirm"

/** A provider-neutral action of the execution plan (docs/spec.md §11). */
export interface Action {
  readonly type: string
  readonly idempotencyKey: string
  readonly [field: string]: unknown
}

/** The preview document: the full plan of one attach. */
export interface AttachPreview {
  readonly customerId: string
  readonly currency: string
  readonly scenario: Scenario
  readonly changes: ReadonlyArray<Change>
  readonly lines: ReadonlyArray<Line>
  readonly subtotal: number
  readonly discountTotal: number
  readonly total: number
  readonly creditApplied: number
  readonly amountDue: number
  readonly trialEndsAt: string | null
  readonly nextCycle: NextCycle | null
  readonly checkout: Checkout
  readonly actions: ReadonlyArray<Action>
  readonly customerAfter: Customer
  /**
   * A fingerprint of the customer state this plan was computed from; executing the plan against
   * a customer whose fingerprint differs fails with `StalePlan`.
   */
  readonly basedOn: string
}
