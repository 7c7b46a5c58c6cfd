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

/** The fraction of a period a line was prorated by: `numerator / denominator` `unit`s, counted from `from` to `to`. */
export interface DerivationFraction {
  readonly numerator: number
  readonly denominator: number
  readonly unit: "millisecond" | "second" | "day"
  /** ISO instants, or `YYYY-MM-DD` days for the day clock (`to` the last day counted). */
  readonly from: string
  readonly to: string
}

/** One tier of a tiered price: its units, price per pack, flat fee and amount, in minor units (exact). */
export interface DerivationTier {
  readonly upTo: number | "inf"
  readonly units: number
  readonly unitPrice: string
  readonly flatAmount: string
  readonly amount: string
}

/** A discount taken off a line, with what it is. */
export interface LineDiscountDerivation {
  readonly discountId: string
  readonly percentOff?: string
  readonly amountOff?: string
  readonly amount: number
}

/** A ledger entry a credit drew on: what was paid, credited before, open, and its unused share now (exact). */
export interface DerivationLedgerEntry {
  readonly from: string
  readonly to: string
  readonly amount: number
  readonly credited: number
  readonly open: number
  readonly unused: string
}

/**
 * How a line's amount came about (docs/proration.md §15). Exact values are decimal strings, or
 * `numerator/denominator` in lowest terms when they have no finite decimal. From it alone:
 * `exact = base × fraction` (or `base`), for a ledger credit `exact = −min(−base × fraction,
 * ledger.paidShare, ledger.open)`; `amount = round(exact)`, half away from zero;
 * `total = amount − Σ discounts`.
 */
export interface LineDerivation {
  /** The unrounded amount in minor units. */
  readonly exact: string
  /** `exact − amount`. */
  readonly roundingDelta: string
  /** The full-period amount in minor units, signed as the line. */
  readonly base: string
  readonly fraction?: DerivationFraction
  readonly tiers?: ReadonlyArray<DerivationTier>
  /** The proration policy that fired (a preset name or `custom`). */
  readonly policy?: string
  readonly discounts: ReadonlyArray<LineDiscountDerivation>
  readonly ledger?: {
    readonly entries: ReadonlyArray<DerivationLedgerEntry>
    readonly unused: string
    /** The share of the unused paid value a prepaid decrease may take (1 otherwise). */
    readonly ratio: string
    /** `unused × ratio`. */
    readonly paidShare: string
    readonly open: number
  }
  /** Arrears of the usage recorded so far (next cycle): it may still grow. */
  readonly usageToDate?: true
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
  /** How the amount came about (always written by the planner). */
  readonly derivation?: LineDerivation
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
