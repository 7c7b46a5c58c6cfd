/**
 * The preview document (docs/spec.md §13): the full plan of an attach — scenario, lines, totals, next
 * cycle, checkout decision, provider actions and the customer's state afterwards. All money is in
 * integer minor units of `currency`; instants are ISO-8601 strings. {@link AttachPreviewSchema}
 * is its one definition: the types below are read from it, and its fields are in the order the
 * document prints them.
 *
 * @example
 * import type { AttachPreview } from "attach-planner"
 * const dueToday = (p: AttachPreview) => p.amountDue // 1549 = $15.49
 */
import * as Schema from "effect/Schema"
import { CustomerSchema } from "./Customer.ts"
import { LineDiscountSchema, LinePeriodSchema, LineSchema, type ProviderAction, ProviderActionSchema } from "./ProviderAction.ts"

/** Schema of the scenario of an attached plan (docs/spec.md §6). @example Schema.is(ScenarioSchema)("upgrade") // true */
export const ScenarioSchema = Schema.Literals(["new", "upgrade", "downgrade", "cancel", "renew", "active", "scheduled", "update_prepaid_quantity"])
/** The scenario of an attached plan (docs/spec.md §6). @example const s: Scenario = "upgrade" */
export type Scenario = typeof ScenarioSchema.Type

/** Schema of when a change takes effect. @example Schema.is(TimingSchema)("end_of_cycle") // true */
export const TimingSchema = Schema.Literals(["immediate", "end_of_cycle", "none"])
/** When a change takes effect. @example const t: Timing = "immediate" */
export type Timing = typeof TimingSchema.Type

/** A period `[start, end)` as ISO instants. @example const p: LinePeriod = { start: "2025-01-16T00:00:00.000Z", end: "2025-02-01T00:00:00.000Z" } */
export type LinePeriod = typeof LinePeriodSchema.Type

/** The part of one discount taken off one line. @example const d: LineDiscount = { discountId: "LAUNCH20", amount: 400 } */
export type LineDiscount = typeof LineDiscountSchema.Type

/** The fraction of a period a line was prorated by: `numerator / denominator` `unit`s, counted from `from` to `to`. @example const f: DerivationFraction = { numerator: 1382400000, denominator: 2678400000, unit: "millisecond", from: "2025-01-16T00:00:00.000Z", to: "2025-02-01T00:00:00.000Z" } */
export interface DerivationFraction {
  readonly numerator: number
  readonly denominator: number
  readonly unit: "millisecond" | "second" | "day"
  /** ISO instants, or `YYYY-MM-DD` days for the day clock (`to` the last day counted). */
  readonly from: string
  readonly to: string
}

/** One tier of a tiered price: its units, price per pack, flat fee and amount, in minor units (exact). @example const t: DerivationTier = { upTo: 500, units: 500, unitPrice: "1000", flatAmount: "0", amount: "5000" } */
export interface DerivationTier {
  readonly upTo: number | "inf"
  readonly units: number
  readonly unitPrice: string
  readonly flatAmount: string
  readonly amount: string
}

/** A discount taken off a line, with what it is. @example const d: LineDiscountDerivation = { discountId: "LAUNCH20", percentOff: "20", amount: 400 } */
export interface LineDiscountDerivation {
  readonly discountId: string
  readonly percentOff?: string
  readonly amountOff?: string
  readonly amount: number
}

/** A ledger entry a credit drew on: what was paid, credited before, open, and its unused share now (exact). @example const e: DerivationLedgerEntry = { from: "2025-01-01T00:00:00.000Z", to: "2025-02-01T00:00:00.000Z", amount: 1000, credited: 0, open: 1000, unused: "16000/31" } */
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
 * @example const d: LineDerivation = { exact: "-16000/31", roundingDelta: "-4/31", base: "-2000", policy: "exact", discounts: [] } // docs/proration.md §15, less its fraction and ledger
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

/** One invoice line (docs/spec.md §8): `amount` before discounts, `total` after them. @example preview.lines[0]?.total // 2581 */
export type Line = typeof LineSchema.Type

/** Schema of what happens to one requested plan. @example Schema.decodeUnknownSync(ChangeSchema)(preview.changes[0]) */
export const ChangeSchema = Schema.Struct({
  planId: Schema.String,
  scenario: ScenarioSchema,
  timing: TimingSchema,
  replaces: Schema.NullOr(Schema.String),
  entityId: Schema.NullOr(Schema.String),
  effectiveAt: Schema.String
})
/** What happens to one requested plan. @example preview.changes[0]?.replaces // "pro" */
export type Change = typeof ChangeSchema.Type

/** Schema of a consumable item billed in arrears at the next cycle. @example Schema.decodeUnknownSync(UsageLineSchema)({ planId: "pro", featureId: "messages" }) */
export const UsageLineSchema = Schema.Struct({
  planId: Schema.String,
  featureId: Schema.String,
  overage: Schema.optionalKey(Schema.Number)
})
/** A consumable item billed in arrears at the next cycle. @example const u: UsageLine = { planId: "pro", featureId: "messages" } */
export type UsageLine = typeof UsageLineSchema.Type

/** Schema of the next invoice of the subscription the attach touched (docs/spec.md §9). @example Schema.decodeUnknownSync(NextCycleSchema)(preview.nextCycle) */
export const NextCycleSchema = Schema.Struct({
  startsAt: Schema.String,
  lines: Schema.Array(LineSchema),
  subtotal: Schema.Int,
  discountTotal: Schema.Int,
  total: Schema.Int,
  usageLines: Schema.Array(UsageLineSchema)
})
/** The next invoice of the subscription the attach touched (docs/spec.md §9). @example preview.nextCycle?.total // 5000 */
export type NextCycle = typeof NextCycleSchema.Type

/** Schema of how the customer pays today (docs/spec.md §10). @example Schema.is(CheckoutSchema)("confirm") // true */
export const CheckoutSchema = Schema.Literals(["none", "provider_checkout", "confirm"])
/** How the customer pays today (docs/spec.md §10). @example const c: Checkout = "none" */
export type Checkout = typeof CheckoutSchema.Type

/** A provider-neutral action of the execution plan (docs/spec.md §11): one of `ProviderActionSchema`'s. @example preview.actions[0]?.type // "updateSubscription" */
export type Action = ProviderAction

/**
 * Schema of the preview document: the full plan of one attach. Decoding a preview the planner
 * wrote, with `onExcessProperty: "error"`, succeeds; encoding it back gives the same document.
 *
 * @example
 * import { AttachPreviewSchema, previewDocument } from "attach-planner"
 * import * as Schema from "effect/Schema"
 * const preview = previewDocument(document)
 * "error" in preview || Schema.decodeUnknownSync(AttachPreviewSchema)(preview, { onExcessProperty: "error" })
 */
export const AttachPreviewSchema = Schema.Struct({
  customerId: Schema.String,
  currency: Schema.String,
  scenario: ScenarioSchema,
  changes: Schema.Array(ChangeSchema),
  lines: Schema.Array(LineSchema),
  subtotal: Schema.Int,
  discountTotal: Schema.Int,
  total: Schema.Int,
  creditApplied: Schema.Int,
  amountDue: Schema.Int,
  trialEndsAt: Schema.NullOr(Schema.String),
  nextCycle: Schema.NullOr(NextCycleSchema),
  checkout: CheckoutSchema,
  customerAfter: CustomerSchema,
  actions: Schema.Array(ProviderActionSchema),
  /**
   * A fingerprint of the customer state this plan was computed from; executing the plan against
   * a customer whose fingerprint differs fails with `StalePlan`.
   */
  basedOn: Schema.String
})

/** The preview document: the full plan of one attach. @example const due = (p: AttachPreview) => p.amountDue */
export type AttachPreview = typeof AttachPreviewSchema.Type
