/**
 * The fifth stage of the planner: each line of today's invoice rounded once to minor units and
 * written out, the sums, and the customer's credit balance applied to what is due.
 *
 * @example
 * const totals = todayTotals(ctx, discountedLines)
 * Result.isSuccess(totals) && totals.success.amountDue // 3000n
 */
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { type AttachError, InvalidRequest } from "../Errors.ts"
import type { Line } from "../Preview.ts"
import type { PlanContext } from "./resolve.ts"
import { finalDerivation } from "./internal/derivation.ts"
import { type DraftLine, lineTotal } from "./internal/draft.ts"
import { iso } from "../internal/instants.ts"

/** Turns draft lines into document lines; undefined when an amount exceeds a safe integer. */
export const finalizeLines = (lines: ReadonlyArray<DraftLine>, _currency: string, catalog?: Catalog): Array<Line> | undefined => {
  const out: Array<Line> = []
  for (const l of lines) {
    // A bigint beyond a safe integer converts to a double beyond it (rounding is monotonic).
    const amount = Number(l.amount)
    const total = Number(lineTotal(l))
    if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(total)) return undefined
    out.push({
      kind: l.kind,
      planId: l.planId,
      featureId: l.featureId,
      description: l.description,
      quantity: l.quantity,
      period: l.period === null ? null : { start: iso(l.period.start), end: iso(l.period.end) },
      amount,
      discounts: l.discounts.length === 0 ? [] : l.discounts.map((d) => ({ discountId: d.discountId, amount: Number(d.amount) })),
      total,
      derivation: finalDerivation(l.derivation, l.amount, l.discounts, catalog)
    })
  }
  return out
}

/** Subtotal (Σ amount), discount total (Σ discounts) and total (Σ line totals), exactly. */
export const sumLines = (lines: ReadonlyArray<DraftLine>): { subtotal: bigint; discountTotal: bigint; total: bigint } => {
  let subtotal = 0n
  let total = 0n
  for (const l of lines) {
    subtotal += l.amount
    total += lineTotal(l)
  }
  return { subtotal, discountTotal: subtotal - total, total }
}

/** Today's invoice as the document writes it, with its sums in exact minor units. */
export interface Totals {
  readonly lines: ReadonlyArray<Line>
  readonly subtotal: bigint
  readonly discountTotal: bigint
  readonly total: bigint
  /** What the credit balance pays of a positive total. */
  readonly creditApplied: bigint
  readonly amountDue: bigint
  /** The balance after: less what it paid, plus a negative total (a net credit). */
  readonly balanceAfter: bigint
}

/**
 * The totals of today's discounted lines for `customer`; a failure when an amount exceeds what
 * minor units can represent exactly.
 *
 * @example todayTotals(ctx, lines) // Success({ lines: [{ amount: 3000, … }], total: 3000n, creditApplied: 0n, amountDue: 3000n, … })
 */
export const todayTotals = (
  ctx: PlanContext,
  discounted: ReadonlyArray<DraftLine>
): Result.Result<Totals, AttachError> => {
  const lines = finalizeLines(discounted, ctx.currency, ctx.catalog)
  if (lines === undefined) {
    return Result.fail(new InvalidRequest({ reason: "amount_out_of_range", message: "An amount of this attach is too large to be represented exactly in minor units" }))
  }
  const { subtotal, discountTotal, total } = sumLines(discounted)
  const balance = BigInt(ctx.customer.creditBalance ?? 0)
  const creditApplied = total > 0n ? (balance < total ? balance : total) : 0n
  const amountDue = total > 0n ? total - creditApplied : 0n
  const balanceAfter = balance - creditApplied + (total < 0n ? -total : 0n)
  return Result.succeed({ lines, subtotal, discountTotal, total, creditApplied, amountDue, balanceAfter })
}
