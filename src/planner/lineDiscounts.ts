/**
 * How discounts come off the lines of one invoice (docs/spec.md §8.8): percent-off first (in
 * order, each on the running amount, rounded per line), then amount-off split across eligible
 * lines by largest remainder in minor units; no line below zero. Today's invoice, the next cycle
 * and the Stripe renewal coupons all take their discounts from here.
 *
 * @example applyDiscounts(lines, [launch20], "usd", catalog)[0]?.discounts // [{ discountId: "LAUNCH20", amount: 400n }]
 */
import type { Catalog, Discount } from "../Catalog.ts"
import { type ActiveDiscount, appliesToInvoice, splitByLargestRemainder } from "../Discounts.ts"
import * as Money from "../Money.ts"
import * as Rational from "../Rational.ts"
import { type DraftLine, lineTotal, withDiscounts } from "./draftLine.ts"

const eligible = (line: DraftLine, discount: Discount, invoice: InvoiceTiming | undefined): boolean => {
  if (discount.appliesTo === undefined) return true
  if (line.kind === "custom") return (invoice?.plans ?? []).some((id) => discount.appliesTo?.includes(id) === true)
  return line.planId !== null && discount.appliesTo.includes(line.planId)
}

/** Lines a discount may take from on the invoice it applies to: charges, and custom lines that charge (decisions.md rule 15). */
const discountable = (line: DraftLine): boolean => line.kind === "charge" || (line.kind === "custom" && line.amount > 0n)

/**
 * Whether a discount reduced what a credit line refunds, judged from the state (a credit drawn on
 * the ledger is already net and takes none): the discount was in force on the invoice that billed
 * the credited period (`creditedFrom`, the later of the period start and the subscription's
 * start) — applied by then and not yet run out; a `once` discount only when applied at that very
 * invoice. A discount this attach applies never reduces a credit.
 *
 * @example reducedCredit(unusedPro, { discount: launch20, appliedAt: Date.parse("2025-01-01T00:00:00Z"), newlyApplied: false }) // true: the credit's period was billed Jan 1, under LAUNCH20
 */
export const reducedCredit = (line: DraftLine, d: ActiveDiscount): boolean => {
  const billedAt = line.creditedFrom
  if (line.kind !== "credit" || billedAt === undefined || line.basis?.ledger !== undefined || d.newlyApplied || d.appliedAt > billedAt) return false
  return d.discount.duration === "once" ? d.appliedAt === billedAt : appliesToInvoice(d, billedAt, false)
}

/**
 * The invoice discounts are applied to: when it starts, whether it is the first since they were
 * applied, and the plans it bills (custom lines replacing it count as theirs for `appliesTo`).
 * @example const today: InvoiceTiming = { start: Date.parse("2025-01-16T00:00:00Z"), first: true, plans: ["pro"] }
 */
export interface InvoiceTiming {
  readonly start: number
  readonly first: boolean
  readonly plans?: ReadonlyArray<string>
}

type LineDiscount = DraftLine["discounts"][number]


/**
 * Applies active discounts to the lines of one invoice: percent-off discounts first, in order,
 * then amount-off discounts (in the catalog's default currency; other currencies skip them).
 * A discount listed twice counts once.
 *
 * @example applyDiscounts(lines, [launch20], "usd", catalog)[0].discounts // [{ discountId: "LAUNCH20", amount: 400n }]
 */
export const applyDiscounts = (
  lines: ReadonlyArray<DraftLine>,
  discounts: ReadonlyArray<ActiveDiscount>,
  currency: string,
  catalog: Catalog,
  invoice?: InvoiceTiming
): Array<DraftLine> => {
  if (discounts.length === 0) return lines.slice()
  const seen = new Set<string>()
  const unique = discounts.filter((d) => !seen.has(d.discount.id) && seen.add(d.discount.id) !== undefined)
  const onInvoice = (d: ActiveDiscount): boolean => invoice === undefined || appliesToInvoice(d, invoice.start, invoice.first)
  // What each line takes, and its running total: the lines are built once at the end.
  const totals = lines.map(lineTotal)
  const taken: Array<Array<LineDiscount> | undefined> = lines.map(() => undefined)
  const take = (i: number, discountId: string, amount: Money.Minor): void => {
    if (amount === 0n) return
    const list = taken[i]
    if (list === undefined) taken[i] = [{ discountId, amount }]
    else list.push({ discountId, amount })
    totals[i] = Money.minor((totals[i] as bigint) - amount)
  }
  for (const d of unique) {
    const pct = d.discount.percentOff
    if (pct === undefined) continue
    const charges = onInvoice(d)
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as DraftLine
      const chargeable = charges && discountable(line) && eligible(line, d.discount, invoice)
      if (!chargeable && !(reducedCredit(line, d) && eligible(line, d.discount, invoice))) continue
      // round(total × percentOff / 100), as one exact fraction
      take(i, d.discount.id, Money.round(Rational.make((totals[i] as bigint) * pct.n, pct.d * 100n)))
    }
  }
  for (const d of unique) {
    const amountOff = d.discount.amountOff
    if (amountOff === undefined || currency !== catalog.defaultCurrency || !onInvoice(d)) continue
    const idx: Array<number> = []
    const weights: Array<bigint> = []
    let available = 0n
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as DraftLine
      if (!discountable(line) || !eligible(line, d.discount, invoice)) continue
      const total = totals[i] as bigint
      if (total <= 0n) continue
      idx.push(i)
      weights.push(total)
      available += total
    }
    const wanted = Money.toMinor(amountOff, currency)
    const shares = splitByLargestRemainder(wanted < available ? wanted : available, weights)
    for (let k = 0; k < idx.length; k++) take(idx[k] as number, d.discount.id, Money.minor(shares[k] ?? 0n))
  }
  const out: Array<DraftLine> = []
  for (let i = 0; i < lines.length; i++) {
    const list = taken[i]
    out.push(list === undefined ? lines[i] as DraftLine : withDiscounts(lines[i] as DraftLine, list))
  }
  return out
}
