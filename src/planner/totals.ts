/**
 * The fifth stage of the planner: the sums of today's invoice (each line already in whole minor
 * units, every amount checked to be one a document can state exactly), and the customer's credit
 * balance applied to what is due. The lines are written out by the last stage, `encode`.
 *
 * @example
 * const totals = todayTotals(ctx, discountedLines)
 * Result.isSuccess(totals) && totals.success.amountDue // 3000n
 */
import * as Result from "effect/Result"
import type { AttachError } from "../Errors.ts"
import type { PlanContext } from "./resolve.ts"
import type { DraftLine } from "./draftLine.ts"
import { type InvoiceSums, amountOutOfRange, invoiceSums, safeNumber } from "./internal/invoice.ts"

/**
 * Today's invoice: its discounted lines and its sums in exact minor units.
 * @example todayTotals(ctx, lines) // Success({ lines: [charge], total: 3000n, creditApplied: 0n, amountDue: 3000n, balanceAfter: 0n, … })
 */
export interface Totals extends InvoiceSums {
  /** The discounted lines, each amount a safe integer. */
  readonly lines: ReadonlyArray<DraftLine>
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
 * @example todayTotals(ctx, lines) // Success({ lines, total: 3000n, creditApplied: 0n, amountDue: 3000n, … })
 */
export const todayTotals = (
  ctx: PlanContext,
  discounted: ReadonlyArray<DraftLine>
): Result.Result<Totals, AttachError> => {
  const sums = invoiceSums(discounted)
  if (Result.isFailure(sums)) return Result.fail(sums.failure)
  const { subtotal, discountTotal, total } = sums.success
  const balance = BigInt(ctx.customer.creditBalance ?? 0)
  const creditApplied = total > 0n ? (balance < total ? balance : total) : 0n
  const amountDue = total > 0n ? total - creditApplied : 0n
  const balanceAfter = balance - creditApplied + (total < 0n ? -total : 0n)
  // The balance after is written into the customer's state: it must be exact too.
  if (safeNumber(balanceAfter) === undefined) return Result.fail(amountOutOfRange())
  // Field by field: a spread of the invoice here made the whole preview about 1.3× slower (profiled Dec 6).
  return Result.succeed({ lines: discounted, subtotal, discountTotal, total, creditApplied, amountDue, balanceAfter })
}
