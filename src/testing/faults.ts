/**
 * Fault injection for any payment port: chosen calls fail with `ProviderUnavailable`, before or
 * after the provider acted, so that a host can check that a retry of the same plan never acts
 * twice.
 *
 * @example
 * import { withFaults } from "attach-planner/testing"
 * const faulty = withFaults(sandbox.port, { calls: [2], when: "after" })
 */
import * as Effect from "effect/Effect"
import { mapPort, type PaymentPort, type ProviderError, ProviderUnavailable } from "../Provider.ts"

/**
 * Which calls of a port fail with `ProviderUnavailable` (counting every call from 0): `"before"`
 * the provider acts (the request is lost) or `"after"` (the provider acted, the response is lost).
 *
 * @example const faults: Faults = { calls: [0, 3], when: "after" }
 */
export interface Faults {
  readonly calls: ReadonlyArray<number>
  readonly when: "before" | "after"
}

/**
 * Wraps any port so that the listed calls fail with `ProviderUnavailable` — for testing a host's
 * failure handling against a real provider. `journal`, when given, receives the name of every call.
 *
 * @example withFaults(sandbox.port, { calls: [2], when: "after" })
 */
export const withFaults = (port: PaymentPort, faults: Faults, journal?: Array<string>): PaymentPort => {
  let n = 0
  return mapPort(port, (name, op) => (request) =>
    Effect.suspend(() => {
      const call = n++
      journal?.push(name)
      if (!faults.calls.includes(call)) return op(request)
      return failedCall(op(request), faults.when, `Injected fault at call ${call} (${name}, ${faults.when} the provider acted)`)
    }))
}

/**
 * A call that fails with `ProviderUnavailable`: `"before"` the provider acts (`call` never runs)
 * or `"after"` it acted (`call` runs, its answer is lost).
 *
 * @example failedCall(port.createInvoice(request), "after", "timeout")
 */
export const failedCall = <A>(call: Effect.Effect<A, ProviderError>, when: "before" | "after", message: string): Effect.Effect<never, ProviderError> => {
  const lost = Effect.fail(new ProviderUnavailable({ message }))
  return when === "before" ? lost : Effect.flatMap(Effect.result(call), () => lost)
}
