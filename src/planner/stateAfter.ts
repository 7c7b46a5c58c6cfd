/**
 * The sixth stage of the planner: the customer after the attach. The subscriptions as the
 * transitions left them, with the discounts the request applied on those it created and today's
 * invoice written into their ledgers; the credit balance after; the trials now used. The
 * customer's document is written from it by `encode.ts`.
 *
 * @example
 * const after = stateAfter(resolution, moved, today, discountedLines, 0n)
 * after.entries.map((e) => e.sub.status) // ["expired", "active"]
 */
import type { ActiveDiscount } from "../Discounts.ts"
import { appliedDiscount } from "../internal/subscriptionDocument.ts"
import { type Entry, edited } from "../internal/working.ts"
import type { DraftLine } from "./draftLine.ts"
import { recordLedger } from "./internal/ledger.ts"
import type { Transition } from "./internal/step.ts"
import type { TodayLines } from "./lines.ts"
import type { Resolution } from "./resolve.ts"
import type { Transitions } from "./transitions.ts"

/**
 * The customer's state after the attach: its subscriptions with their plans, its balance and the trials it has used.
 * @example stateAfter(resolution, moved, today, lines, 0n).trialsUsed // ["pro"] after a trial of Pro started
 */
export interface StateAfter {
  readonly entries: ReadonlyArray<Entry>
  readonly balanceAfter: bigint
  /** The plans whose trial the customer has used, in the order they were first used. */
  readonly trialsUsed: ReadonlyArray<string>
}

/**
 * The state after the transitions, today's invoice (its discounted lines; nothing is recorded for
 * custom lines) and the balance after.
 *
 * @example stateAfter(resolution, moved, today, lines, 0n).balanceAfter // 0n
 */
export const stateAfter = (
  resolved: Resolution, moved: Transitions, today: TodayLines, discounted: ReadonlyArray<DraftLine>, balanceAfter: bigint
): StateAfter => {
  const at = resolved.ctx.at
  const created = createdIds(moved.transitions)
  const discountedSubs = withRequestDiscounts(moved.entries, created, resolved.requestDiscounts, at)
  const entries = today.custom ? discountedSubs : recordLedger(discountedSubs, discounted, created, at)
  return { entries, balanceAfter, trialsUsed: trialsUsedAfter(resolved.ctx.customer.trialsUsed, moved.transitions) }
}

const createdIds = (transitions: ReadonlyArray<Transition>): Array<string> => {
  const out: Array<string> = []
  for (const t of transitions) if (t.created !== undefined) out.push(t.created)
  return out
}

/** The discounts the request names, applied now to every subscription the attach created (each discount once). */
const withRequestDiscounts = (
  entries: ReadonlyArray<Entry>, created: ReadonlyArray<string>, fromRequest: ReadonlyArray<ActiveDiscount>, at: number
): ReadonlyArray<Entry> => {
  if (fromRequest.length === 0) return entries
  return entries.map((e) => {
    if (!created.includes(e.facts.id)) return e
    const have = e.facts.discounts
    const added = fromRequest.filter((d) => !have.some((h) => h.discountId === d.discount.id))
    return edited(e, { discounts: [...have, ...added.map((d) => appliedDiscount(d.discount.id, at))] }, true)
  })
}

const trialsUsedAfter = (before: ReadonlyArray<string> | undefined, transitions: ReadonlyArray<Transition>): ReadonlyArray<string> => {
  const trialsUsed = before === undefined ? [] : before.slice()
  for (const t of transitions) if (t.trial !== undefined && !trialsUsed.includes(t.trial.planId)) trialsUsed.push(t.trial.planId)
  return trialsUsed
}
