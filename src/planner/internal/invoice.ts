/**
 * An invoice as the document writes it: draft lines in minor units turned into document numbers,
 * with their sums, refused as a whole when any amount or sum is beyond a safe integer (a preview
 * never states a number it cannot state exactly).
 */
import * as Result from "effect/Result"
import type { Catalog } from "../../Catalog.ts"
import { InvalidRequest } from "../../Errors.ts"
import type { Line } from "../../Preview.ts"
import { iso } from "../../internal/instants.ts"
import { finalDerivation } from "./derivation.ts"
import { type DraftLine, lineTotal } from "../draftLine.ts"

/** The lines of an invoice with its sums: subtotal (Σ amount), discount total (Σ discounts), total (Σ line totals). */
export interface WrittenInvoice {
  readonly lines: ReadonlyArray<Line>
  readonly subtotal: bigint
  readonly discountTotal: bigint
  readonly total: bigint
}

/** The failure of an attach whose amounts minor units in a document cannot hold exactly. */
export const amountOutOfRange = (): InvalidRequest =>
  new InvalidRequest({ reason: "amount_out_of_range", message: "An amount of this attach is too large to be represented exactly in minor units" })

/** A bigint as a document number, undefined beyond a safe integer. */
export const safeNumber = (n: bigint): number | undefined => {
  // A bigint beyond a safe integer converts to a double beyond it (rounding is monotonic).
  const x = Number(n)
  return Number.isSafeInteger(x) ? x : undefined
}

const writtenLine = (l: DraftLine, amount: number, total: number, catalog: Catalog | undefined): Line => ({
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

/**
 * Draft lines written out with their sums; `amount_out_of_range` when a line's amount or total, or
 * a sum, exceeds a safe integer.
 *
 * @example Result.map(writtenInvoice(lines, catalog), (i) => i.total) // Success(3000n)
 */
export const writtenInvoice = (drafts: ReadonlyArray<DraftLine>, catalog?: Catalog): Result.Result<WrittenInvoice, InvalidRequest> => {
  const lines: Array<Line> = []
  let subtotal = 0n
  let total = 0n
  for (const l of drafts) {
    const lineSum = lineTotal(l)
    const amount = safeNumber(l.amount)
    const written = safeNumber(lineSum)
    if (amount === undefined || written === undefined) return Result.fail(amountOutOfRange())
    lines.push(writtenLine(l, amount, written, catalog))
    subtotal += l.amount
    total += lineSum
  }
  const discountTotal = subtotal - total
  if (safeNumber(subtotal) === undefined || safeNumber(total) === undefined || safeNumber(discountTotal) === undefined) return Result.fail(amountOutOfRange())
  return Result.succeed({ lines, subtotal, discountTotal, total })
}
