/**
 * `it` for Effect programs (a stand-in for @effect/vitest, which does not support effect 4): the
 * test body returns an Effect that is run with `Effect.runPromise`; a failure fails the test.
 *
 * @example itEffect("plans", () => Effect.gen(function* () { expect(yield* program).toBe(1) }))
 */
import * as Effect from "effect/Effect"
import { it } from "vitest"

export const itEffect = <A, E>(name: string, body: () => Effect.Effect<A, E>, timeout?: number): void => {
  it(name, () => Effect.runPromise(Effect.asVoid(Effect.suspend(body))), timeout)
}
