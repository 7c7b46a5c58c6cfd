/**
 * An invoice's lines as the document writes them, and its sums: refused as a whole when any
 * amount or sum is beyond a safe integer (a preview never states a number it cannot state
 * exactly). The stages check the sums; the preview's encoder writes the lines.
 */
import * as Result from "effect/Result"
import type { Catalog } from "../../Catalog.ts"
import { InvalidRequest } from "../../Errors.ts"
import type { Line } from "../../Preview.ts"
import { iso } from "../../internal/instants.ts"
import { finalDerivation } from "./derivation.ts"
import { type DraftLine, lineTotal } from "../draftLine.ts"

/** The sums of an invoice's lines, each a safe integer: subtotal (Σ amount), discount total (Σ discounts), total (Σ line totals). */
export interface InvoiceSums {
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

/**
 * A draft line as the document writes it (its amounts already checked to be safe integers): its
 * period printed as ISO text, its derivation finished, the keys in the document's order.
 *
 * @example writtenLine(draft, catalog).period // { start: "2025-01-16T00:00:00.000Z", end: "2025-02-01T00:00:00.000Z" }
 */
export const writtenLine = (l: DraftLine, catalog: Catalog | undefined): Line => ({
  kind: l.kind,
  planId: l.planId,
  featureId: l.featureId,
  description: l.description,
  quantity: l.quantity,
  period: l.period === null ? null : { start: iso(l.period.start), end: iso(l.period.end) },
  amount: Number(l.amount),
  discounts: l.discounts.length === 0 ? [] : l.discounts.map((d) => ({ discountId: d.discountId, amount: Number(d.amount) })),
  total: Number(lineTotal(l)),
  derivation: finalDerivation(l.derivation, l.amount, l.discounts, catalog)
})

/**
 * The sums of draft lines; `amount_out_of_range` when a line's amount or total, or a sum, exceeds
 * a safe integer (then no line can be written exactly).
 *
 * @example Result.map(invoiceSums(lines), (s) => s.total) // Success(3000n)
 */
export const invoiceSums = (drafts: ReadonlyArray<DraftLine>): Result.Result<InvoiceSums, InvalidRequest> => {
  let subtotal = 0n
  let total = 0n
  for (const l of drafts) {
    const lineSum = lineTotal(l)
    if (safeNumber(l.amount) === undefined || safeNumber(lineSum) === undefined) return Result.fail(amountOutOfRange())
    subtotal += l.amount
    total += lineSum
  }
  const discountTotal = subtotal - total
  if (safeNumber(subtotal) === undefined || safeNumber(total) === undefined || safeNumber(discountTotal) === undefined) return Result.fail(amountOutOfRange())
  return Result.succeed({ subtotal, discountTotal, total })
}
