/**
 * The sixth stage of the planner: the customer after the attach. The subscriptions as the
 * transitions left them, with the discounts the request applied on those it created and today's
 * invoice written into their ledgers; the credit balance after; the trials now used.
 *
 * @example
 * const after = stateAfter(resolution, moved, today, discountedLines, 0n)
 * after.customerAfter.subscriptions?.map((s) => s.status) // ["expired", "active"]
 */
import type { Customer, Subscription } from "../Customer.ts"
import type { ActiveDiscount } from "../Discounts.ts"
import { appliedDiscount, editedSubscription } from "../internal/subscriptionDocument.ts"
import { type Entry, edited } from "../internal/working.ts"
import type { DraftLine } from "./draftLine.ts"
import { openLedger, recordLedger } from "./internal/ledger.ts"
import type { Transition } from "./internal/step.ts"
import type { TodayLines } from "./lines.ts"
import type { Resolution } from "./resolve.ts"
import type { Transitions } from "./transitions.ts"

/**
 * The customer's state after the attach, and the subscriptions in it with their plans (for the next cycle and the actions).
 * @example stateAfter(resolution, moved, today, lines, 0n).customerAfter // the preview's customerAfter; `entries` hold its subscriptions with their plans
 */
export interface StateAfter {
  readonly entries: ReadonlyArray<Entry>
  readonly customerAfter: Customer
}

/**
 * The state after the transitions, today's invoice (its discounted lines; nothing is recorded for
 * custom lines) and the balance after.
 *
 * @example stateAfter(resolution, moved, today, lines, 0n).customerAfter.creditBalance // undefined (no balance before, none after)
 */
export const stateAfter = (
  resolved: Resolution, moved: Transitions, today: TodayLines, discounted: ReadonlyArray<DraftLine>, balanceAfter: bigint
): StateAfter => {
  const at = resolved.ctx.at
  const created = createdIds(moved.transitions)
  const discountedSubs = withRequestDiscounts(moved.entries, created, resolved.requestDiscounts, at)
  const entries = today.custom ? discountedSubs : recordLedger(discountedSubs, discounted, created, at)
  return { entries, customerAfter: customerAfterOf(resolved.ctx.customer, entries, moved.transitions, balanceAfter, at) }
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
    if (!created.includes(e.sub.id)) return e
    const have = e.facts.discounts
    const added = fromRequest.filter((d) => !have.some((h) => h.discountId === d.discount.id))
    return edited(e, { discounts: [...have, ...added.map((d) => appliedDiscount(d.discount.id, at))] }, true)
  })
}

/** A subscription without the ledger entries that ended by `at` (and without an emptied ledger). */
const withOpenLedger = ({ sub, facts }: Entry, at: number): Subscription => {
  if (sub.billed === undefined) return sub
  const open = openLedger(facts.billed, at)
  return open.length === sub.billed.length ? sub : editedSubscription(sub, { billed: open })
}

const customerAfterOf = (
  before: Customer, entries: ReadonlyArray<Entry>, transitions: ReadonlyArray<Transition>, balanceAfter: bigint, at: number
): Customer => {
  // The customer's own fields in their order, then the three this attach may change.
  const after: Record<string, unknown> = {}
  for (const key of Object.keys(before)) {
    if (key !== "subscriptions" && key !== "creditBalance" && key !== "trialsUsed") after[key] = before[key as keyof Customer]
  }
  if (!(balanceAfter === 0n && before.creditBalance === undefined)) after["creditBalance"] = Number(balanceAfter)
  const trialsUsed = before.trialsUsed === undefined ? [] : before.trialsUsed.slice()
  for (const t of transitions) if (t.trial !== undefined && !trialsUsed.includes(t.trial.planId)) trialsUsed.push(t.trial.planId)
  if (trialsUsed.length > 0) after["trialsUsed"] = trialsUsed
  const subscriptions: Array<Subscription> = []
  for (const e of entries) subscriptions.push(withOpenLedger(e, at))
  after["subscriptions"] = subscriptions
  return after as Customer
}
