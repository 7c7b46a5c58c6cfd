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
import { isReadOperation, mapPort, type PaymentPort } from "../Provider.ts"
import { failedCall } from "./faults.ts"

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
  const port = mapPort(inner, (name, op) => (isReadOperation(name) ? op : (r) =>
    Effect.suspend(() => {
      const when = armed
      armed = null
      return when === null ? op(r) : failedCall(op(r), when, `Injected outage (${name}, ${when} the provider acted)`)
    })))
  return { port, failNextWrite: async (when) => void (armed = when) }
}
