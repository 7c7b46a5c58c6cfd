/**
 * The fourth stage of the planner: which discounts are active on today's invoice, and how each
 * comes off its lines. Today's invoice is that of the billing subscription the attach bills, or,
 * when it bills none (a switch to a free plan), that of the subscription it ends, whose discounts
 * still apply to its credits.
 *
 * @example
 * const { active, lines } = todayDiscounts(resolution, moved, today)
 * active.map((d) => d.discount.id) // ["LAUNCH20", "WELCOME5"]
 */
import type { ActiveDiscount } from "../Discounts.ts"
import type { DiscountApplied } from "../internal/subscriptionFacts.ts"
import type { Entry } from "../internal/working.ts"
import type { DraftLine } from "./draftLine.ts"
import { applyDiscounts } from "./lineDiscounts.ts"
import type { Transition } from "./internal/step.ts"
import type { TodayLines } from "./lines.ts"
import type { PlanContext, Resolution } from "./resolve.ts"
import type { Transitions } from "./transitions.ts"

/**
 * The discounts of today's invoice and its lines with what each takes off.
 * @example todayDiscounts(resolution, moved, today).active.map((d) => d.discount.id) // ["LAUNCH20"], newly applied by the request
 */
export interface TodayDiscounts {
  /** The customer's, then those of the billing subscription invoiced, then the request's (each discount once). */
  readonly active: ReadonlyArray<ActiveDiscount>
  readonly lines: ReadonlyArray<DraftLine>
}

/**
 * The first billing subscription a change bills (`"billingKey"`: the one whose invoice the attach
 * is on) or ends (`"endedKey"`), undefined when none does.
 *
 * @example firstBillingKey(transitions, "billingKey") // "anchor:1736985600000"
 */
export const firstBillingKey = (transitions: ReadonlyArray<Transition>, which: "billingKey" | "endedKey"): string | undefined => {
  for (const t of transitions) {
    const key = t[which]
    if (key !== undefined) return key
  }
  return undefined
}

/**
 * Today's discounts, applied to today's lines.
 *
 * @example todayDiscounts(resolution, moved, today).lines[0]?.discounts // [{ discountId: "LAUNCH20", amount: 1000n }]
 */
export const todayDiscounts = (resolved: Resolution, moved: Transitions, today: TodayLines): TodayDiscounts => {
  const ctx = resolved.ctx
  const active = activeDiscounts(ctx, resolved.customerDiscounts, moved.entries, resolved.requestDiscounts, firstBillingKey(moved.transitions, "billingKey") ?? firstBillingKey(moved.transitions, "endedKey"))
  const plans = resolved.plans.map((p) => p.plan.id)
  return { active, lines: applyDiscounts(today.lines, active, ctx.currency, ctx.catalog, { start: ctx.at, first: true, plans }) }
}

const activeDiscounts = (
  ctx: PlanContext, customerDiscounts: ReadonlyArray<DiscountApplied>, entries: ReadonlyArray<Entry>, fromRequest: ReadonlyArray<ActiveDiscount>, invoiceKey: string | undefined
): Array<ActiveDiscount> => {
  const out: Array<ActiveDiscount> = []
  addApplied(ctx, out, customerDiscounts)
  if (invoiceKey !== undefined) {
    for (const e of entries) if (e.facts.discounts.length > 0 && e.facts.billingKey === invoiceKey) addApplied(ctx, out, e.facts.discounts)
  }
  for (const d of fromRequest) if (!out.some((o) => o.discount.id === d.discount.id)) out.push(d)
  return out
}

const addApplied = (ctx: PlanContext, out: Array<ActiveDiscount>, applied: ReadonlyArray<DiscountApplied>): void => {
  for (const a of applied) {
    const discount = ctx.catalog.discountsById.get(a.discountId)
    if (discount !== undefined) out.push({ discount, appliedAt: a.appliedAt, newlyApplied: false })
  }
}
