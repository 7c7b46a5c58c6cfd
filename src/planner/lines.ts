/**
 * The third stage of the planner: today's invoice before discounts. The lines the transitions
 * put on it, arrears first, then credits, then charges; or, when the request brings custom lines
 * and a change takes effect now, those lines in their place.
 *
 * @example
 * const today = todayLines(ctx, transitions)
 * Result.isSuccess(today) && today.success.lines.map((l) => l.kind) // ["arrears", "credit", "charge"]
 */
import * as Result from "effect/Result"
import { type AttachError, InvalidRequest } from "../Errors.ts"
import { parseDecimal } from "../internal/schemaKit.ts"
import * as Money from "../Money.ts"
import { customDerivation } from "./internal/derivation.ts"
import { type DraftLine, draftLine, sortLines } from "./draftLine.ts"
import type { Transition } from "./internal/step.ts"
import type { PlanContext } from "./resolve.ts"

/**
 * Today's lines and what decided them.
 * @example const nothing: TodayLines = { immediate: false, lines: [], custom: false } // todayLines(ctx, [])
 */
export interface TodayLines {
  /** Whether a change takes effect now (a change starting later needs nothing paid today). */
  readonly immediate: boolean
  readonly lines: ReadonlyArray<DraftLine>
  /** The request's custom lines replace the computed ones: what they paid for is not known, so the ledger records nothing. */
  readonly custom: boolean
}

/**
 * Today's lines of the transitions, or the request's custom lines; a failure for a custom amount
 * that is not a decimal.
 *
 * @example todayLines(ctx, []) // Success({ immediate: false, lines: [], custom: false })
 */
export const todayLines = (ctx: PlanContext, transitions: ReadonlyArray<Transition>): Result.Result<TodayLines, AttachError> => {
  const immediate = transitions.some((t) => t.change.timing === "immediate")
  const computed = sortLines(transitions.length === 1 ? (transitions[0] as Transition).lines : transitions.flatMap((t) => t.lines))
  if (ctx.request.customLineItems === undefined || !immediate) return Result.succeed({ immediate, lines: computed, custom: false })
  const custom = customLines(ctx)
  return Array.isArray(custom) ? Result.succeed({ immediate, lines: custom, custom: true }) : Result.fail(custom)
}

const customLines = (ctx: PlanContext): Array<DraftLine> | AttachError => {
  const out: Array<DraftLine> = []
  const items = ctx.request.customLineItems ?? []
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as (typeof items)[number]
    const amount = parseDecimal(item.amount)
    if (amount === undefined) {
      return new InvalidRequest({ reason: "invalid_custom_line", message: `request.customLineItems[${i}].amount: expected a decimal, got ${JSON.stringify(item.amount)}` })
    }
    out.push(draftLine({
      kind: "custom",
      planId: null,
      featureId: null,
      description: item.description,
      quantity: 1,
      period: null,
      amount: Money.toMinor(amount, ctx.unit),
      discounts: [],
      derivation: customDerivation(amount, ctx.unit)
    }))
  }
  return out
}
