/**
 * The sandbox as Effect layers: the {@link PaymentProvider} port over a fresh sandbox and the
 * {@link Sandbox} service over the same state.
 *
 * @example Effect.provide(executeAttach(plan, customer), layer())
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type PaymentPort, PaymentProvider } from "../Provider.ts"
import { make } from "./make.ts"
import { Sandbox } from "./service.ts"
import { emptyState, type SandboxState } from "./state.ts"

/**
 * The embedded default: a Layer providing the {@link PaymentProvider} port over a fresh sandbox
 * (from `initial`, default empty) and the {@link Sandbox} service over the same state.
 *
 * @example Effect.provide(executeAttach(plan, customer), Sandbox.layer())
 */
export const layer = (initial: SandboxState = emptyState): Layer.Layer<PaymentProvider | Sandbox> =>
  layerWith((port) => port, initial)

/**
 * Like {@link layer}, with the port passed through `wrap` (e.g. `withFaults` of `attach-planner/testing`); the
 * {@link Sandbox} service sees the same state.
 *
 * @example Sandbox.layerWith((port) => withFaults(port, { calls: [1], when: "after" }))
 */
export const layerWith = (wrap: (port: PaymentPort) => PaymentPort, initial: SandboxState = emptyState): Layer.Layer<PaymentProvider | Sandbox> =>
  Layer.provideMerge(
    Layer.effect(PaymentProvider, Effect.map(Effect.service(Sandbox), (sandbox) => wrap(sandbox.port))),
    Layer.sync(Sandbox, () => make(initial))
  )
