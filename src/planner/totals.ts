import type { Catalog } from "../Catalog.ts"
import type { Line } from "../Preview.ts"
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
