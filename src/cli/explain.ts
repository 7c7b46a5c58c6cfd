/**
 * The derivation of a line in words, for `preview FILE --format table --explain`: how the amount
 * came about, one note per step (docs/proration.md §15).
 *
 * @example
 * explainLine(creditLine)
 * // ["= -2000 × 1382400000/2678400000 ms left (2025-01-16T00:00:00.000Z → 2025-02-01T00:00:00.000Z, policy exact)",
 * //  "= -32000/31 exact → -1032 (rounding delta -8/31)"]
 */
import type { Line, LineDerivation } from "../Preview.ts"

const UNIT: Record<NonNullable<LineDerivation["fraction"]>["unit"], string> = { millisecond: "ms", second: "s", day: "days" }

const prorated = (d: LineDerivation): string => {
  const f = d.fraction
  if (f === undefined) return `= ${d.base} (full amount, not prorated)`
  return `= ${d.base} × ${f.numerator}/${f.denominator} ${UNIT[f.unit]} left (${f.from} → ${f.to}${d.policy === undefined ? "" : `, policy ${d.policy}`})`
}

/**
 * The notes explaining one line, in minor units: the base amount and fraction, the tiers, the
 * ledger a credit drew on, the exact amount and its rounding, and each discount.
 *
 * @example explainLine(line).length > 0 // true for every line the planner writes
 */
export const explainLine = (line: Line): Array<string> => {
  const d = line.derivation
  if (d === undefined) return []
  const out = [prorated(d)]
  for (const t of d.tiers ?? []) {
    out.push(`  tier up to ${t.upTo}: ${t.units} units at ${t.unitPrice} per pack + ${t.flatAmount} flat = ${t.amount}`)
  }
  if (d.ledger !== undefined) {
    for (const e of d.ledger.entries) out.push(`  ledger: paid ${e.amount} for ${e.from} → ${e.to}, credited ${e.credited}, open ${e.open}, unused now ${e.unused}`)
    out.push(`  capped at what was paid: min(list, paid share ${d.ledger.paidShare}${d.ledger.ratio === "1" ? "" : ` (× ${d.ledger.ratio})`}, open ${d.ledger.open})`)
  }
  out.push(`= ${d.exact} exact → ${line.amount} (rounding delta ${d.roundingDelta})`)
  for (const x of d.discounts) {
    out.push(`  − ${x.amount} ${x.discountId}${x.percentOff === undefined ? x.amountOff === undefined ? "" : ` (${x.amountOff} off)` : ` (${x.percentOff} % off)`}`)
  }
  return out
}
