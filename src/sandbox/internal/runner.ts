/**
 * Running an operation on the sandbox's draft as an Effect. Operations change the draft in place
 * (a failed one keeps what it recorded, e.g. a declined attempt); what they return is copied, so
 * a caller never holds a row a later operation changes. Copying the result rather than the whole
 * state keeps each call independent of the state's size.
 *
 * @example const run = runOn(draft); yield* run((s) => findInvoice(s, "in_sbx_0001"))
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { State } from "./draft.ts"

/** Runs one operation on the draft, when the Effect runs. @example run((s) => Result.succeed(s.nextId)) */
export type Run = <A, E>(f: (s: State) => Result.Result<A, E>) => Effect.Effect<A, E>

/** The {@link Run} over `current`. @example const run = runOn(structuredClone(initial) as State) */
export const runOn = (current: State): Run =>
  <A, E>(f: (s: State) => Result.Result<A, E>): Effect.Effect<A, E> =>
    Effect.suspend(() => {
      const result = f(current)
      return Result.isSuccess(result) ? Effect.succeed(structuredClone(result.success)) : Effect.fromResult(result)
    })
