/**
 * The sandbox: a real in-memory payment provider, the embedded default implementation of the
 * {@link PaymentProvider} port. It keeps customers (a default payment method and a credit
 * balance), subscriptions with pending phases, invoices (draft / open / paid / void) with hosted
 * URLs, checkout sessions, charges, and an idempotency record per key: the same key returns the
 * first result and never charges twice. Its whole state is plain JSON (`state`, {@link decodeState}).
 *
 * Test payment methods: `pm_card_visa` succeeds, `pm_card_declined` and
 * `pm_card_insufficient_funds` decline, `pm_card_3ds` needs 3-D Secure (off-session charges fail
 * with `AuthenticationRequired`; paying on the hosted invoice page succeeds).
 *
 * The sandbox has a test clock per customer (`port.advanceTestClock`, see `TestClockPort`): it
 * runs the provider's side of time passing; `advanceClock` (src/timeline/clock.ts) drives it and
 * creates and charges the renewal invoices.
 *
 * @example
 * import * as Sandbox from "attach-planner/sandbox"
 * import { executeAttach } from "attach-planner"
 * const result = await Effect.runPromise(Effect.provide(executeAttach(plan, customer), Sandbox.layer()))
 */
export { decodeState, emptyState, type SandboxState } from "./sandbox/state.ts"
export { Sandbox, type SandboxOps } from "./sandbox/service.ts"
export { make } from "./sandbox/make.ts"
export { layer, layerWith } from "./sandbox/layer.ts"
