/**
 * The seventh stage of the planner: the first renewal invoice of the billing subscription the
 * attach bills, from the state after it (docs/spec.md §9). The timeline rolls a customer forward
 * with the same {@link nextCycleOf}.
 *
 * @example
 * Result.map(nextCycleAfter(ctx, after.entries, firstBillingKey(moved.transitions, "billingKey"), discounts.active, today.lines.length === 0), (c) => c?.startsAt)
 * // Success(1739664000000): Feb 16 2025
 */
import * as Result from "effect/Result"
import { isCurrent } from "../Customer.ts"
import { type ActiveDiscount, appliesToInvoice } from "../Discounts.ts"
import { periodAt } from "../Interval.ts"
import type { Interval, Period } from "../Interval.ts"
import type { InvalidRequest } from "../Errors.ts"
import type { UsageLine } from "../Preview.ts"
import { billingKind, planPrices, recurringInterval } from "../Pricing.ts"
import { billableUnits } from "../Tiers.ts"
import type { DraftLine } from "./draftLine.ts"
import { applyDiscounts } from "./lineDiscounts.ts"
import { type InvoiceSums, invoiceSums } from "./internal/invoice.ts"
import { type PriceContext, billedUnits, chargeLineOver, outgoingArrears, usedOf } from "./internal/lines.ts"
import { type Entry, isTrialingAt } from "../internal/working.ts"
import { type EpochMs, epochMs } from "../internal/instants.ts"

/**
 * A next invoice as planned: its instant, its discounted lines (each amount a safe integer) and
 * sums, its usage lines. The preview's `NextCycle` is written from it (`encode.ts` `nextCycleDocument`).
 *
 * @example Result.map(nextCycleOf(ctx, entries, key, [], true), (c) => c?.sums.total) // Success(2000n)
 */
export interface PlannedCycle {
  readonly startsAt: EpochMs
  readonly lines: ReadonlyArray<DraftLine>
  readonly sums: InvoiceSums
  readonly usageLines: ReadonlyArray<UsageLine>
}

const NONE: ReadonlyMap<string, number> = new Map()

/** The earliest end of the periods at `t` of a plan's recurring prices (prices of one interval share one period, found once). */
const earliestPeriodEnd = (plan: NonNullable<Entry["plan"]>, anchor: EpochMs, t: EpochMs): number => {
  let end = Number.POSITIVE_INFINITY
  let last: Interval | undefined
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval === undefined || (last !== undefined && last.unit === interval.unit && last.count === interval.count)) continue
    last = interval
    end = Math.min(end, periodAt(anchor, interval, t).end)
  }
  return end
}

/** The instant of the next invoice: the earliest renewal, trial end or scheduled change after `at`. */
const nextInvoiceAt = (members: ReadonlyArray<Entry>, at: EpochMs): EpochMs | undefined => {
  let next = Number.POSITIVE_INFINITY
  for (const { facts, plan } of members) {
    if (plan === undefined) continue
    if (facts.status === "scheduled") {
      if (facts.startsAt !== undefined) next = Math.min(next, facts.startsAt)
      continue
    }
    if (facts.endsAt !== undefined && facts.cancelAtPeriodEnd) next = Math.min(next, facts.endsAt)
    next = Math.min(next, earliestPeriodEnd(plan, facts.billingAnchor, at))
  }
  return Number.isFinite(next) && next > at ? epochMs(next) : undefined
}

const activeAt = (e: Entry, t: EpochMs): boolean => {
  if (e.facts.status === "scheduled") return e.facts.startsAt !== undefined && e.facts.startsAt <= t
  if (!isCurrent(e.facts)) return false
  return !(e.facts.endsAt !== undefined && e.facts.endsAt <= t)
}

/**
 * The next invoice (docs/spec.md §9) of the billing subscription `key` after the attach: in-advance
 * prices of the plans active then whose period starts exactly then, at full period; consumable
 * items as usage lines; discounts still active then. Undefined when nothing is billed any more;
 * `amount_out_of_range` when an amount of it cannot be written exactly.
 *
 * @example
 * Result.map(nextCycleOf({ catalog, currency: "usd", unit: Money.currencyUnit("usd"), at: Date.parse("2025-01-16T00:00:00Z") }, [entryOf(proSince1Jan, pro)], "anchor:1735689600000", [], true), (c) => c?.sums.total)
 * // Success(2000n): Pro's $20 from Feb 1
 */
export const nextCycleOf = (
  ctx: PriceContext & { readonly at: EpochMs },
  entries: ReadonlyArray<Entry>,
  key: string,
  discounts: ReadonlyArray<ActiveDiscount>,
  todayEmpty: boolean
): Result.Result<PlannedCycle | undefined, InvalidRequest> => {
  const members: Array<Entry> = []
  for (const e of entries) {
    if (e.plan !== undefined && (isCurrent(e.facts) || e.facts.status === "scheduled") && e.facts.billingKey === key) members.push(e)
  }
  const startsAt = nextInvoiceAt(members, ctx.at)
  if (startsAt === undefined) return NOTHING
  const lines: Array<DraftLine> = []
  const usageLines: Array<UsageLine> = []
  // The ending period's arrears of the usage the state records (the subscription may end then).
  for (const e of members) {
    if (e.plan !== undefined && (e.facts.status === "active" || e.facts.status === "past_due") && !isTrialingAt(e, ctx.at)) {
      for (const line of outgoingArrears(e, e.plan, ctx.at, ctx, startsAt)) lines.push(line)
    }
  }
  for (const e of members) {
    if (e.plan !== undefined && activeAt(e, startsAt)) renewalLines(e, e.plan, startsAt, ctx, lines, usageLines)
  }
  if (lines.length === 0 && usageLines.length === 0) return NOTHING
  const discounted = applyDiscounts(lines, discounts.length === 0 ? discounts : discounts.filter((d) => appliesToInvoice(d, startsAt, todayEmpty)), ctx.currency, ctx.catalog)
  return Result.map(invoiceSums(discounted), (sums) => ({ startsAt, lines: discounted, sums, usageLines }))
}

const NOTHING: Result.Result<undefined, never> = Result.succeed(undefined)

/**
 * The lines of one plan instance active at `startsAt` on that invoice: its in-advance prices whose
 * period starts then, at full period (each period found once for the plan's prices), and its
 * consumable items as usage lines.
 */
const renewalLines = (
  entry: Entry, plan: NonNullable<Entry["plan"]>, startsAt: EpochMs, ctx: PriceContext, lines: Array<DraftLine>, usageLines: Array<UsageLine>
): void => {
  const sub = entry.sub
  // Started today and unchanged since: its units are those today's charges priced.
  const known = entry.priced !== undefined && entry.priced.sub === sub ? entry.priced.byPrice : undefined
  const anchor = entry.facts.billingAnchor
  let quantities: ReadonlyMap<string, number> | undefined
  let held: ReadonlyMap<string, number> | undefined
  // Prices of one interval share the period at `startsAt`, found once.
  let last: Interval | undefined
  let period: Period | undefined
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval === undefined) continue
    if (billingKind(p) === "arrears") {
      if (p.kind !== "item") continue
      const recorded = entry.facts.status !== "scheduled" && entry.facts.usage.has(p.item.featureId)
      usageLines.push(recorded
        ? { planId: plan.id, featureId: p.item.featureId, overage: billableUnits(usedOf(sub, p.item.featureId), p.item.included) }
        : { planId: plan.id, featureId: p.item.featureId })
      continue
    }
    if (period === undefined || last === undefined || last.unit !== interval.unit || last.count !== interval.count) {
      last = interval
      period = periodAt(anchor, interval, startsAt)
    }
    if (period.start !== startsAt) continue
    if (p.kind === "item") {
      quantities ??= entry.facts.quantities
      held ??= entry.facts.usage
    }
    const line = chargeLineOver(p, p.kind === "base" ? 1 : billedUnits(p, quantities ?? NONE, held ?? NONE), period, startsAt, ctx, true, known?.get(p))
    if (line !== undefined) lines.push(line)
  }
}

/**
 * The next cycle of the attach: that of the billing subscription it bills (`key`), null when it
 * bills none or nothing is billed any more.
 *
 * @example nextCycleAfter(ctx, entries, undefined, [], true) // Success(null)
 */
export const nextCycleAfter = (
  ctx: PriceContext & { readonly at: EpochMs },
  entries: ReadonlyArray<Entry>,
  key: string | undefined,
  discounts: ReadonlyArray<ActiveDiscount>,
  todayEmpty: boolean
): Result.Result<PlannedCycle | null, InvalidRequest> =>
  key === undefined ? NO_CYCLE : Result.map(nextCycleOf(ctx, entries, key, discounts, todayEmpty), (cycle) => cycle ?? null)

const NO_CYCLE: Result.Result<null, never> = Result.succeed(null)
