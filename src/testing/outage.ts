/**
 * An outage on demand for a port whose provider cannot fail by itself (the sandbox, an in-memory
 * fake): the next write fails with `ProviderUnavailable`, before it reaches the provider or after
 * the provider acted (the answer lost). Reads (`retrieve…`) pass.
 *
 * @example
 * import { withWriteOutage } from "attach-planner/testing"
 * const { port, failNextWrite } = withWriteOutage(Sandbox.make().port)
 * await failNextWrite("after") // the next createInvoice is made, and its answer lost
 */
import * as Effect from "effect/Effect"
import { type PaymentPort, type ProviderError, ProviderUnavailable } from "../Provider.ts"

/** A port with a switch. @example const o: WriteOutage = withWriteOutage(port); await o.failNextWrite("before") */
export interface WriteOutage {
  readonly port: PaymentPort
  readonly failNextWrite: (when: "before" | "after") => Promise<void>
}

/**
 * Wraps a port so that {@link WriteOutage.failNextWrite} makes the next write fail.
 *
 * @example const { port, failNextWrite } = withWriteOutage(sandbox.port)
 */
export const withWriteOutage = (inner: PaymentPort): WriteOutage => {
  let armed: "before" | "after" | null = null
  const write = <R, A>(name: string, op: (r: R) => Effect.Effect<A, ProviderError>) => (r: R): Effect.Effect<A, ProviderError> =>
    Effect.suspend(() => {
      const when = armed
      armed = null
      if (when === null) return op(r)
      const lost = Effect.fail(new ProviderUnavailable({ message: `Injected outage (${name}, ${when} the provider acted)` }))
      return when === "before" ? lost : Effect.flatMap(Effect.result(op(r)), () => lost)
    })
  const port: PaymentPort = {
    createCheckoutSession: write("createCheckoutSession", inner.createCheckoutSession),
    retrieveCheckoutSession: inner.retrieveCheckoutSession,
    createSubscription: write("createSubscription", inner.createSubscription),
    updateSubscription: write("updateSubscription", inner.updateSubscription),
    cancelSubscription: write("cancelSubscription", inner.cancelSubscription),
    uncancelSubscription: write("uncancelSubscription", inner.uncancelSubscription),
    scheduleChange: write("scheduleChange", inner.scheduleChange),
    releaseSchedule: write("releaseSchedule", inner.releaseSchedule),
    createInvoice: write("createInvoice", inner.createInvoice),
    payInvoice: write("payInvoice", inner.payInvoice),
    retrieveInvoice: inner.retrieveInvoice
  }
  return { port, failNextWrite: async (when) => void (armed = when) }
}
