/**
 * The execution journal of a request sent with an `Idempotency-Key`: before its plan's first
 * provider call, the plan and the customer state it was planned from are written under the key.
 * A process killed after that — between two provider calls, after storing the new state, or
 * after clearing the pending plan but before storing the answer — leaves the key without an
 * answer but with its plan; the retry with the same key then executes that same plan again from
 * the same state (the provider's idempotency keys make the done calls answer as before and the
 * others run now), stores the outcome only if nothing stored it yet, and answers what the first
 * attempt would have answered: 200 with the same invoice, not 409.
 *
 * @example
 * const journal: KeyedJournal = { previous: undefined, record: (execution) => Effect.void }
 * Effect.provideService(attachEffect, ExecutionJournal, journal)
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { Customer } from "../../Customer.ts"
import { executeAttach, type ExecuteResult } from "../../Execute.ts"
import { customerFingerprint } from "../../internal/fingerprint.ts"
import type { AttachPreview } from "../../Preview.ts"
import type { PaymentProvider } from "../../Provider.ts"
import { type AutumnApiError, customerStateChanged, fromExecuteError } from "../ApiError.ts"
import { type CustomerProfile, CustomerStore } from "../CustomerStore.ts"
import type { CustomerData } from "../Requests.ts"

/**
 * What a keyed request journals before its first provider call: the plan, the state it was
 * planned from, and — for a customer the request creates — what creating it stores.
 *
 * @example const e: KeyedExecution = { plan, customer: { id: "cus_1" }, created: undefined }
 */
export interface KeyedExecution {
  readonly plan: AttachPreview
  readonly customer: Customer
  readonly created: { readonly data: CustomerData; readonly profile: CustomerProfile } | undefined
}

/**
 * The journal of the request at hand: what an earlier attempt with its key left (`undefined`
 * when there was none, or it answered), and how to journal this attempt's execution.
 *
 * @example const journal: KeyedJournal = { previous: undefined, record: () => Effect.void }
 */
export interface KeyedJournal {
  readonly previous: KeyedExecution | undefined
  readonly record: (execution: KeyedExecution) => Effect.Effect<void>
}

/**
 * The keyed request's journal, provided by the fetch handler for requests with an
 * `Idempotency-Key` (operations read it as optional).
 *
 * @example const journal = yield* Effect.serviceOption(ExecutionJournal)
 */
export class ExecutionJournal extends Context.Service<ExecutionJournal, KeyedJournal>()("attach-planner/autumn/ExecutionJournal") {}

/** What `completeJournaled` answers: the state planned from, the plan, and its outcome. */
export interface Completed {
  readonly customer: Customer
  readonly plan: AttachPreview
  readonly result: ExecuteResult
}

/**
 * Completes the journaled execution of a cut-off attempt (see the module): the same plan from
 * the same state; the outcome is stored when the stored state is still the one planned from (or
 * the customer the request creates is not stored yet), and the pending plan cleared when it is
 * this plan and the execution finished. A provider failure keeps everything (503: retry).
 *
 * @example const done = yield* completeJournaled(previous)
 */
export const completeJournaled = (journaled: KeyedExecution): Effect.Effect<Completed, AutumnApiError, CustomerStore | PaymentProvider> =>
  Effect.gen(function* () {
    const { plan, customer, created } = journaled
    const store = yield* CustomerStore
    const outcome = yield* Effect.result(executeAttach(plan, customer))
    const pending = yield* store.getPending(customer.id)
    const isThisPlan = pending !== undefined && pending.basedOn === plan.basedOn && pending.changes.length === plan.changes.length
    if (Result.isFailure(outcome)) {
      if (outcome.failure._tag !== "PaymentProviderError" && isThisPlan) yield* store.setPending(customer.id, undefined)
      return yield* fromExecuteError(outcome.failure)
    }
    const result = outcome.success
    const stored = yield* store.get(customer.id)
    if (stored === undefined && created !== undefined) {
      yield* store.create(result.customer, created.profile).pipe(Effect.ignore)
    } else if (stored !== undefined && customerFingerprint(stored) === plan.basedOn) {
      yield* store.put(result.customer, { ifFingerprint: plan.basedOn }).pipe(Effect.mapError((e) => customerStateChanged(e.message)))
    }
    if (isThisPlan && (result.applied || result.requiredAction === undefined)) yield* store.setPending(customer.id, undefined)
    return { customer, plan, result }
  })
