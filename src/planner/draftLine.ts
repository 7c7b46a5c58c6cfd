/**
 * A line of an invoice while the planner builds it, before it is written out as a preview line:
 * what the stages produce and the discounts take from, and what the adapters that reuse the
 * engine's discounts (the Stripe renewals) hand it.
 *
 * @example lineTotal({ kind: "charge", planId: "pro", featureId: null, description: "Pro", quantity: 1, period: null, amount: minor(2000n), discounts: [] }) // 2000n
 */
import { type Minor, minor } from "../Money.ts"
import type { Period } from "../Interval.ts"
import type { DraftDerivation } from "./internal/derivation.ts"
import type { LedgerBasis } from "./internal/ledger.ts"

/**
 * Where a line's amount came from, beyond its visible fields: the ledger it feeds or draws on.
 * @example const basis: LineBasis = { subscriptionId: "sub_pro" } // a charge that sub_pro's ledger records
 */
export interface LineBasis {
  /** For a charge: the subscription whose ledger records it. */
  readonly subscriptionId?: string
  /** For a credit drawn on the ledger: the entries it draws on (it takes no discounts then). */
  readonly ledger?: LedgerBasis
}

/**
 * A line while the plan is built: money in minor units ({@link Minor}), instants in ms.
 * @example const charge: DraftLine = { kind: "charge", planId: "pro", featureId: null, description: "Pro", quantity: 1, period: null, amount: minor(2000n), discounts: [] }
 */
export interface DraftLine {
  readonly kind: "charge" | "credit" | "arrears" | "custom"
  readonly planId: string | null
  readonly featureId: string | null
  readonly description: string
  readonly quantity: number
  readonly period: Period | null
  readonly amount: Minor
  readonly discounts: ReadonlyArray<{ readonly discountId: string; readonly amount: Minor }>
  /** For a credit: the start of the billing period it refunds. */
  readonly creditedFrom?: number | undefined
  readonly basis?: LineBasis | undefined
  readonly derivation?: DraftDerivation | undefined
}

/**
 * A draft line with every field, in one order, an absent one undefined: the planner builds each
 * of its lines here, so that all of them have one shape and the stages that read lines of every
 * kind (discounts, totals, the encoder) read them in one way.
 *
 * @example draftLine({ kind: "charge", planId: "pro", featureId: null, description: "Pro", quantity: 1, period: null, amount: minor(2000n), discounts: [] }).basis // undefined
 */
export const draftLine = (l: DraftLine): DraftLine => lineWith(l, l.discounts, l.basis)

/**
 * A line with its basis set.
 *
 * @example withBasis(charge, { subscriptionId: "sub_pro" }).basis // { subscriptionId: "sub_pro" }
 */
export const withBasis = (l: DraftLine, basis: LineBasis): DraftLine => lineWith(l, l.discounts, basis)

/**
 * A line with the discounts it took appended (a literal of every field, not a spread).
 *
 * @example withDiscounts(charge, [{ discountId: "launch", amount: minor(400n) }]).discounts.length // 1
 */
export const withDiscounts = (l: DraftLine, taken: DraftLine["discounts"]): DraftLine =>
  lineWith(l, l.discounts.length === 0 ? taken : [...l.discounts, ...taken], l.basis)

// The one literal every line is built from: the same keys in the same order for every kind.
const lineWith = (
  l: DraftLine,
  discounts: DraftLine["discounts"],
  basis: LineBasis | undefined
): DraftLine => ({
  kind: l.kind,
  planId: l.planId,
  featureId: l.featureId,
  description: l.description,
  quantity: l.quantity,
  period: l.period,
  amount: l.amount,
  discounts,
  creditedFrom: l.creditedFrom,
  basis,
  derivation: l.derivation
})

const ORDER: Record<DraftLine["kind"], number> = { arrears: 0, credit: 1, charge: 2, custom: 3 }

/** Arrears first, then credits, then charges, then custom lines; stable within a kind. @example sortLines([charge, credit]) // [credit, charge] */
export const sortLines = (lines: ReadonlyArray<DraftLine>): Array<DraftLine> => {
  let sorted = true
  for (let i = 1; i < lines.length && sorted; i++) sorted = ORDER[(lines[i - 1] as DraftLine).kind] <= ORDER[(lines[i] as DraftLine).kind]
  if (sorted) return lines.slice()
  return lines.map((line, i) => ({ line, i })).sort((a, b) => ORDER[a.line.kind] - ORDER[b.line.kind] || a.i - b.i).map((x) => x.line)
}

/** A line's amount net of its discounts. @example lineTotal(line) // 1600n for 2000n less a 400n discount */
export const lineTotal = (line: DraftLine): Minor => {
  let total: bigint = line.amount
  for (const d of line.discounts) total -= d.amount
  return minor(total)
}
