/**
 * Making a sandbox: its state, the payment port with its test clock, and its own operations,
 * all over one draft of the state.
 *
 * @example const sandbox = make(); await executeAttachPromise(plan, customer, sandbox.port)
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { advanceSubscriptions, setClock, setStatus } from "../internal/sandboxClock.ts"
import { makePort, type PaymentPort, type TestClockPort } from "../Provider.ts"
import type { State } from "./internal/draft.ts"
import { type Run, runOn } from "./internal/runner.ts"
import { attachPaymentMethod, completeCheckout, finalizeInvoice, payInvoiceHosted, seed, voidInvoice } from "./ownOperations.ts"
import { portOperations } from "./portOperations.ts"
import type { SandboxOps } from "./service.ts"
import { emptyState, type SandboxState } from "./state.ts"

/** The port over the draft, with the sandbox's test clock. */
const portOver = (run: Run): PaymentPort & TestClockPort => ({
  ...makePort((name) => (request) => run((s) => portOperations[name](s, request))),
  advanceTestClock: (r) => run((s) => advanceSubscriptions(s, r.customerId, r.to)),
  testClockOf: (customerId) => run((s) => Result.succeed(s.clocks.find((c) => c.customerId === customerId)?.at ?? null)),
  setTestClock: (r) => run((s) => setClock(s, r.customerId, r.at)),
  setSubscriptionStatus: (r) => run((s) => setStatus(s, r.subscriptionId, r.status))
})

/** The sandbox's own operations over the draft, beside its port and state. */
const ownOperationsOver = (run: Run): Omit<SandboxOps, "port" | "state"> => ({
  seedCustomer: (customer, catalog) => Effect.asVoid(Effect.orDie(run((s) => seed(s, customer, catalog)))),
  attachPaymentMethod: (customerId, token) => run((s) => attachPaymentMethod(s, customerId, token)),
  completeCheckout: (session, token) => run((s) => completeCheckout(s, session, token)),
  payInvoiceHosted: (invoiceId, token) => run((s) => payInvoiceHosted(s, invoiceId, token)),
  finalizeInvoice: (invoiceId) => run((s) => finalizeInvoice(s, invoiceId)),
  voidInvoice: (invoiceId) => run((s) => voidInvoice(s, invoiceId))
})

/**
 * A sandbox over `initial` (default: empty), as plain values: the port and the sandbox's own
 * operations. Each call makes an independent sandbox; its port has the sandbox's test clock
 * (`TestClockPort`).
 *
 * @example const sandbox = Sandbox.make(); await executeAttachPromise(plan, customer, sandbox.port)
 */
export const make = (initial: SandboxState = emptyState): SandboxOps & { readonly port: PaymentPort & TestClockPort } => {
  const current = structuredClone(initial) as State
  const run = runOn(current)
  return { port: portOver(run), state: Effect.sync(() => structuredClone(current) as SandboxState), ...ownOperationsOver(run) }
}
