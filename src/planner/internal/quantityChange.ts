import { periodAt } from "../../Interval.ts"
import * as Money from "../../Money.ts"
import { billingKind, planPrices, recurringInterval } from "../../Pricing.ts"
import { billableUnits } from "../../Tiers.ts"
import * as Rational from "../../Rational.ts"
import type { Held } from "../../Scenario.ts"
import { describeItemCharge, periodText, unitsText } from "../../internal/describe.ts"
import { type DraftDerivation, draftDerivation } from "./derivation.ts"
import { type DraftLine, draftLine } from "../draftLine.ts"
import type { LedgerBasis } from "./ledger.ts"
import { type PriceContext, billedAtOf, creditAmount, creditDerivation, priceDerivation, fullPrice, leftOf, packedUnits, remainingOf } from "./lines.ts"
import type { EpochMs } from "../../internal/instants.ts"

const withoutTiers = (d: DraftDerivation): DraftDerivation => draftDerivation({ ...d, tiers: undefined })

/**
 * Lines for a change of prepaid quantities on the current plan (docs/spec.md §8.6): the difference of the
 * full-period prices, prorated, charged in full, or deferred to the next cycle per the item's
 * proration settings.
 */
export const quantityChangeLines = (
  ctx: PriceContext & { readonly at: EpochMs }, current: Held, wanted: ReadonlyMap<string, number>
): Array<DraftLine> => {
  const have = current.facts.quantities
  const anchor = current.facts.billingAnchor
  const lines: Array<DraftLine> = []
  for (const p of planPrices(current.plan)) {
    if (p.kind !== "item" || billingKind(p) !== "prepaid") continue
    const next = wanted.get(p.item.featureId)
    if (next === undefined) continue
    const before = have.get(p.item.featureId) ?? 0
    if (next === before) continue
    const oldUnits = billableUnits(before, p.item.included)
    const newUnits = billableUnits(next, p.item.included)
    const delta = Rational.sub(fullPrice(p, newUnits, ctx), fullPrice(p, oldUnits, ctx))
    const increase = next > before
    const behaviour = increase ? p.item.proration.onIncrease : p.item.proration.onDecrease
    if (behaviour === "next_cycle" || behaviour === "none") continue
    const interval = recurringInterval(p.price.interval)
    const period = interval === undefined ? null : periodAt(anchor, interval, ctx.at)
    const left = period === null || behaviour === "charge_full" ? undefined : leftOf(ctx, current.plan, period, ctx.at)
    const minor = ctx.unit.minorPerMajor
    const base = Rational.mul(delta, minor)
    let exact = left === undefined ? base : Rational.mul(base, left.share)
    let ratio = Rational.one
    let ledger: LedgerBasis | undefined
    if (!increase && period !== null) {
      const full = fullPrice(p, oldUnits, ctx)
      ratio = full.n === 0n ? Rational.zero : Rational.div(Rational.negate(delta), full)
      const credit = creditAmount(current, p.item.featureId, Rational.negate(exact), ctx.at, remainingOf(ctx, current.plan), ratio)
      exact = Rational.negate(credit.exact)
      ledger = credit.ledger
    }
    const amount = Money.round(exact)
    if (amount === 0n) continue
    const shown = period === null ? null : { start: ctx.at, end: period.end }
    const change = `${unitsText(p.item.feature, packedUnits(p, oldUnits))} → ${packedUnits(p, newUnits)}`
    const line = draftLine({
      kind: amount > 0n ? "charge" : "credit",
      planId: current.plan.id,
      featureId: p.item.featureId,
      description: amount > 0n
        ? describeItemCharge(current.plan, p.item.feature, packedUnits(p, newUnits) - packedUnits(p, oldUnits), shown)
        : `Unused ${current.plan.name} – ${change}${shown === null ? "" : ` (${periodText(shown)})`}`,
      quantity: Math.abs(packedUnits(p, newUnits) - packedUnits(p, oldUnits)),
      period: shown,
      amount,
      discounts: [],
      // base is the difference of two full-period prices: no one tier breakdown explains it.
      creditedFrom: amount < 0n && period !== null ? billedAtOf(current.facts, period.start) : undefined,
      basis: amount > 0n ? { subscriptionId: current.facts.id } : period !== null && ledger !== undefined ? { ledger } : undefined,
      derivation: creditDerivation(withoutTiers(priceDerivation(p, newUnits, base, exact, left, ctx)), ledger, ratio)
    })
    lines.push(line)
  }
  return lines
}
