/**
 * The customer's pending plan: a plan that stopped half-way — at a checkout the customer has not
 * completed, at an unpaid invoice, or at a provider failure — kept and executed again (same
 * plan, same idempotency keys, nothing done twice) before the customer's next attach or
 * checkout, or when a provider's webhook resumes it.
 *
 * @example const { customer, result } = yield* resumeFor(stored, true) // result undefined: nothing was pending
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { Customer } from "../../Customer.ts"
import { type ExecuteResult, executeAttach } from "../../Execute.ts"
import type { AttachPreview } from "../../Preview.ts"
import type { PaymentProvider } from "../../Provider.ts"
import { type AutumnApiError, customerStateChanged, fromExecuteError } from "../ApiError.ts"
import { CustomerStore } from "../CustomerStore.ts"
import { type Created, storeCreated } from "./callCustomer.ts"

/** The customer after its pending plan ran (or did not). @example const r: Resumed = { customer, result: undefined } */
export interface Resumed {
  readonly customer: Customer
  readonly result: ExecuteResult | undefined
  /** The pending plan that ran, when there was one. */
  readonly plan?: AttachPreview
  /** Whether a customer the store did not hold was stored by it. */
  readonly stored?: boolean
}

/**
 * Executes the customer's pending plan again, if there is one: its result is stored when it
 * took effect; when the customer still has not acted it is kept if `keepWaiting` (a webhook that
 * came early), else dropped (the request at hand replaces it); a provider failure keeps it and
 * fails (503: retry later). A plan is pending from before its first provider call (the
 * execution journal), so one cut off half-way — the process killed between two calls — is
 * completed here with the same idempotency keys, never charged twice. `created` is set for a
 * customer the store does not hold yet (its first attach was cut off): it is created now.
 *
 * @example resumeFor(customer, false, found.created) // Effect<Resumed, AutumnApiError, CustomerStore | PaymentProvider>
 */
export const resumeFor = (customer: Customer, keepWaiting: boolean, created?: Created): Effect.Effect<Resumed, AutumnApiError, CustomerStore | PaymentProvider> =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const pending = yield* store.getPending(customer.id)
    if (pending === undefined) return { customer, result: undefined }
    const outcome = yield* Effect.result(executeAttach(pending, customer))
    if (Result.isFailure(outcome) && outcome.failure._tag === "PaymentProviderError") return yield* fromExecuteError(outcome.failure)
    if (keepWaiting && Result.isSuccess(outcome) && !outcome.success.applied) return { customer, result: outcome.success, plan: pending }
    if (Result.isFailure(outcome)) {
      yield* store.setPending(customer.id, undefined)
      return { customer, result: undefined }
    }
    if (created !== undefined) yield* storeCreated(outcome.success.customer, created)
    else if (outcome.success.applied) yield* store.put(outcome.success.customer).pipe(Effect.mapError((e) => customerStateChanged(e.message)))
    yield* store.setPending(customer.id, undefined)
    return { customer: outcome.success.applied ? outcome.success.customer : customer, result: outcome.success, plan: pending, stored: created !== undefined }
  })
