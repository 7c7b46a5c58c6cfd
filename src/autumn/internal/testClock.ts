/**
 * Autumn's `customers.advance_test_clock` (`POST /v1/customers.advance_test_clock`, body
 * `{ customer_id, frozen_time }` with `frozen_time` in Unix milliseconds): advances the
 * customer's test clock with `advanceClock` — renewals invoiced and charged through the port,
 * scheduled changes taking effect, trials ending — stores the customer's new state and answers
 * `{ customer_id, frozen_time, status: "ready" }`. The clock starts where the provider's test
 * clock stands, else at the server's clock (`options.now`). As Autumn does, `frozen_time` is
 * rounded down to whole seconds and must be later than the clock.
 *
 * @example
 * const body = yield* advanceTestClockOperation(options, { customer_id: "cus_1", frozen_time: Date.parse("2025-04-01T00:00:00Z") }, {})
 */
import * as Effect from "effect/Effect"
import { customerFingerprint } from "../../internal/fingerprint.ts"
import { hasTestClock, PaymentProvider } from "../../Provider.ts"
import { advanceClock } from "../../timeline/clock.ts"
import { AutumnApiError, customerNotFound, customerStateChanged, fromExecuteError, fromPlanError, invalidInputs } from "../ApiError.ts"
import { CustomerStore } from "../CustomerStore.ts"
import { type AutumnOptions, clockOf } from "../AutumnOptions.ts"

/** The answer of `customers.advance_test_clock`. @example { customer_id: "cus_1", frozen_time: 1743465600000, status: "ready" } */
export interface AdvanceTestClockResponse {
  readonly customer_id: string
  readonly frozen_time: number
  readonly status: "ready"
}

const decodeBody = (body: unknown): { readonly customerId: string; readonly frozenTime: number } | AutumnApiError => {
  if (typeof body !== "object" || body === null) return invalidInputs("body", "expected a JSON object")
  const b = body as Record<string, unknown>
  if (typeof b["customer_id"] !== "string" || b["customer_id"] === "") return invalidInputs("customer_id", "expected a non-empty string")
  const t = b["frozen_time"]
  if (typeof t !== "number" || !Number.isInteger(t) || t < 0 || t > 8.64e15) return invalidInputs("frozen_time", "expected a Unix timestamp in milliseconds")
  return { customerId: b["customer_id"], frozenTime: Math.floor(t / 1000) * 1000 }
}

/**
 * The operation (shaped as those of `Operations.ts`): options, body, path parameters.
 *
 * @example AUTUMN_ROUTES["/v1/customers.advance_test_clock"] = advanceTestClockOperation
 */
export const advanceTestClockOperation = (
  options: AutumnOptions,
  body: unknown,
  _params: Readonly<Record<string, string>>
): Effect.Effect<AdvanceTestClockResponse, AutumnApiError, CustomerStore | PaymentProvider> =>
  Effect.gen(function* () {
    const call = decodeBody(body)
    if (call instanceof AutumnApiError) return yield* call
    const store = yield* CustomerStore
    const customer = yield* store.get(call.customerId)
    if (customer === undefined) return yield* customerNotFound(call.customerId)
    const port = yield* PaymentProvider
    const stored = hasTestClock(port) ? yield* Effect.orElseSucceed(port.testClockOf(call.customerId), () => null) : null
    const at = stored ?? clockOf(options)
    if (call.frozenTime <= Date.parse(at)) {
      return yield* invalidInputs("frozen_time", `must be later than the current clock time (${new Date(Date.parse(at)).toISOString()})`)
    }
    const result = yield* advanceClock({ catalog: options.catalog, customer, at }, new Date(call.frozenTime).toISOString()).pipe(
      Effect.mapError((e) => (e._tag === "PaymentProviderError" ? fromExecuteError(e) : e._tag === "UnknownPlan" || e._tag === "InvalidRequest" ? fromPlanError(e) : invalidInputs(e.path, e.message)))
    )
    yield* store.put(result.customer, { ifFingerprint: customerFingerprint(customer) }).pipe(Effect.mapError((e) => customerStateChanged(e.message)))
    return { customer_id: call.customerId, frozen_time: call.frozenTime, status: "ready" as const }
  })
