/**
 * A call carried out: the customer found or created, its pending plan completed first, the call
 * planned at the server's clock and — when the mode says so — executed and its outcome stored.
 * These do not lock: the caller runs one at a time per customer (the fetch handler does).
 *
 * @example const { plan, result } = yield* runCall(options, call, { shouldExecute: () => true, refuseHeld: true })
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import type { Customer } from "../../Customer.ts"
import { autumnMessage } from "../../internal/decodeIssues.ts"
import { type ExecuteResult, executeAttach } from "../../Execute.ts"
import { planAttach } from "../../Planner.ts"
import type { AttachPreview } from "../../Preview.ts"
import type { PaymentProvider } from "../../Provider.ts"
import { AutumnApiError, customerStateChanged, fromExecuteError, fromPlanError } from "../ApiError.ts"
import { type AutumnOptions, clockOf } from "../AutumnOptions.ts"
import { CustomerStore } from "../CustomerStore.ts"
import type { AttachCall } from "../Requests.ts"
import { findCustomer, storeCreated } from "./callCustomer.ts"
import { decodeForPlanning } from "./decodedCustomers.ts"
import { refuseHeldPlans } from "./heldPlans.ts"
import { completeJournaled, ExecutionJournal } from "./keyedExecution.ts"
import { resumeFor } from "./pendingPlan.ts"

type Services = CustomerStore | PaymentProvider

/** Plans the call for the customer at the server's clock; errors in Autumn's terms. @example planFor(options, customer, call) // Result<AttachPreview, AutumnApiError> */
export const planFor = (options: AutumnOptions, customer: Customer, call: AttachCall): Result.Result<AttachPreview, AutumnApiError> => {
  const input = decodeForPlanning(options.catalog, customer, { ...call.request, at: clockOf(options) })
  if (Result.isFailure(input)) {
    return Result.fail(new AutumnApiError({ status: 400, code: "invalid_inputs", message: autumnMessage(input.failure) }))
  }
  return Result.mapError(planAttach(input.success), fromPlanError)
}

/** A call's customer, its plan and, when executed, the execution's result. @example const run: Run = { customer, plan, result: undefined } */
export interface Run {
  readonly customer: Customer
  readonly plan: AttachPreview
  readonly result: ExecuteResult | undefined
}

/** How a call runs: whether its plan is executed, and whether a plan already held is refused. @example const mode: RunMode = { shouldExecute: () => true, refuseHeld: true } */
export interface RunMode {
  readonly shouldExecute: (plan: AttachPreview) => boolean
  readonly refuseHeld: boolean
}

/** Whether a pending plan attached the plans this call asks for (a retry of the same attach). */
const sameCall = (plan: AttachPreview, call: AttachCall): boolean => {
  const wanted = call.request.plans.map((p) => p.planId).sort().join(",")
  const attached = plan.changes.map((c) => c.planId).sort().join(",")
  return wanted === attached
}

/**
 * Plans the call and, when `mode.shouldExecute(plan)`, executes it and stores the outcome. A
 * customer the call creates is stored only when the call succeeds — in the state the execution
 * left it (a paid attach, or one waiting at a checkout or an unpaid invoice); an error stores
 * nothing, so a failed attach leaves no customer behind.
 *
 * @example runCall(options, call, { shouldExecute: (p) => p.checkout === "provider_checkout", refuseHeld: false })
 */
export const runCall = (options: AutumnOptions, call: AttachCall, mode: RunMode): Effect.Effect<Run, AutumnApiError, Services> =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const journal = Option.getOrUndefined(yield* Effect.serviceOption(ExecutionJournal))
    // A retry of a keyed request cut off mid-execution: that plan, completed, is the answer.
    if (journal?.previous !== undefined && journal.previous.customer.id === call.customerId) return yield* completeJournaled(journal.previous)
    const found = yield* findCustomer(options, call)
    const resumed = yield* resumeFor(found.customer, false, found.created)
    const customer = resumed.customer
    if (mode.refuseHeld) {
      // A retry of an attach whose pending plan just completed answers with that plan's outcome.
      if (resumed.plan !== undefined && resumed.result?.applied === true && sameCall(resumed.plan, call)) {
        return { customer, plan: resumed.plan, result: resumed.result }
      }
      yield* refuseHeldPlans(options.catalog, customer, call.request)
    }
    const plan = yield* Effect.fromResult(planFor(options, customer, call))
    const created = resumed.stored === true ? undefined : found.created
    if (!mode.shouldExecute(plan)) {
      if (created !== undefined) yield* storeCreated(customer, created)
      return { customer, plan, result: undefined }
    }
    if (created !== undefined && options.onCustomerCreated !== undefined) yield* options.onCustomerCreated(customer, created.data)
    // Journaled before the first provider call: a cut-off execution is completed by the next
    // request, and by the retry with the same key with the answer the first attempt would give.
    if (journal !== undefined) yield* journal.record({ plan, customer, created })
    yield* store.setPending(customer.id, plan)
    const outcome = yield* Effect.result(executeAttach(plan, customer))
    if (Result.isFailure(outcome)) {
      // A provider failure half-way keeps the plan, so that the next request completes it first.
      if (outcome.failure._tag !== "PaymentProviderError") yield* store.setPending(customer.id, undefined)
      return yield* fromExecuteError(outcome.failure)
    }
    const result = outcome.success
    if (created !== undefined) yield* storeCreated(result.customer, created)
    else yield* store.put(result.customer, { ifFingerprint: plan.basedOn }).pipe(Effect.mapError((e) => customerStateChanged(e.message)))
    if (result.applied || result.requiredAction === undefined) yield* store.setPending(customer.id, undefined)
    return { customer, plan, result }
  })
