/**
 * The planner's pipeline, stage after stage: resolve → transitions → lines → discounts → totals →
 * state after → next cycle → checkout → encode → actions. Each stage is a function of the values the
 * earlier ones returned; a failure of one is returned as it is, and the later stages do not run.
 *
 * @example
 * const preview = plan({ catalog, customer, request })
 * Result.isSuccess(preview) && preview.success.amountDue // 3000
 */
import * as Result from "effect/Result"
import type { AttachInput } from "../Document.ts"
import type { AttachError } from "../Errors.ts"
import { customerFingerprint } from "../internal/fingerprint.ts"
import type { AttachPreview } from "../Preview.ts"
import { planActions } from "./actions.ts"
import { checkoutOf } from "./checkout.ts"
import { firstBillingKey, todayDiscounts } from "./discounts.ts"
import { previewBody, withActions } from "./encode.ts"
import type { Transition } from "./internal/step.ts"
import { todayLines } from "./lines.ts"
import { nextCycleAfter } from "./nextCycle.ts"
import { resolve } from "./resolve.ts"
import { stateAfter } from "./stateAfter.ts"
import { todayTotals } from "./totals.ts"
import { transitionsOf } from "./transitions.ts"

/**
 * Plans an attach on a decoded document: the preview, or the tagged error of the first stage that
 * refused it. Exceptions (an instant past year 9999, an input no document decodes to) are left to
 * the caller, `planAttach`.
 *
 * @example plan({ catalog, customer, request }) // Result<AttachPreview, AttachError>
 */
export const plan = (input: AttachInput): Result.Result<AttachPreview, AttachError> => {
  const resolved = resolve(input)
  if (Result.isFailure(resolved)) return Result.fail(resolved.failure)
  const r = resolved.success
  const moved = transitionsOf(r)
  if (Result.isFailure(moved)) return Result.fail(moved.failure)
  const transitions = moved.success.transitions
  const today = todayLines(r.ctx, transitions)
  if (Result.isFailure(today)) return Result.fail(today.failure)
  const discounts = todayDiscounts(r, moved.success, today.success)
  const totals = todayTotals(r.ctx, discounts.lines)
  if (Result.isFailure(totals)) return Result.fail(totals.failure)
  const t = totals.success
  const after = stateAfter(r, moved.success, today.success, discounts.lines, t.balanceAfter)
  const next = nextCycleAfter(r.ctx, after.entries, firstBillingKey(transitions, "billingKey"), discounts.active, today.success.lines.length === 0)
  if (Result.isFailure(next)) return Result.fail(next.failure)
  const nextCycle = next.success
  const checkout = checkoutOf(r, transitions, today.success.immediate)
  const customer = r.ctx.customer
  const body = previewBody({ ctx: r.ctx, transitions, totals: t, trialEndsAt: lastTrialEnd(transitions), nextCycle, checkout, after })
  const actions = planActions(r.ctx, body, { customerBefore: customer, entries: after.entries, entriesBefore: r.entries })
  return Result.succeed(withActions(body, actions, r.fingerprint ?? customerFingerprint(customer)))
}

/** The end of the last trial the attach started. */
const lastTrialEnd = (transitions: ReadonlyArray<Transition>): number | undefined => {
  let end: number | undefined
  for (const t of transitions) if (t.trial !== undefined) end = t.trial.endsAt
  return end
}
