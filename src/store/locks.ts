/**
 * Holding a customer's lock around an Effect: a lock per key within the process (calls for one
 * key run one at a time, in arrival order) with a bounded wait, and the bridge that runs an
 * Effect inside a Promise-based lock and back.
 *
 * @example
 * const lock = makeBoundedLock()
 * const r = await lock("cus_1", 5000, () => attachA()) // { held: true, value } or { held: false } after 5 s
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

/** The outcome of waiting for a lock. @example const h: Held<number> = { held: true, value: 1 } */
export type Held<A> = { readonly held: true; readonly value: A } | { readonly held: false }

/** A lock per key with a bounded wait. @example const lock: BoundedLock = makeBoundedLock() */
export type BoundedLock = <A>(key: string, waitMs: number, task: () => Promise<A>) => Promise<Held<A>>

/**
 * A new, empty bounded lock. A caller that gives up still keeps its place in the queue until the
 * holder before it ends, so the order of the others is kept. Keys nobody waits for are forgotten.
 *
 * @example const lock = makeBoundedLock(); await lock("cus_1", 1000, async () => 1) // { held: true, value: 1 }
 */
export const makeBoundedLock = (): BoundedLock => {
  const tails = new Map<string, Promise<void>>()
  return async <A>(key: string, waitMs: number, task: () => Promise<A>): Promise<Held<A>> => {
    const previous = tails.get(key) ?? Promise.resolve()
    let release = (): void => {}
    const mine = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = previous.then(() => mine)
    tails.set(key, tail)
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key)
    })
    let timer: NodeJS.Timeout | undefined
    const got = await Promise.race([
      previous.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), waitMs)
      })
    ])
    clearTimeout(timer)
    if (!got) {
      release()
      return { held: false }
    }
    try {
      return { held: true, value: await task() }
    } finally {
      release()
    }
  }
}

/**
 * Runs an Effect inside a Promise-based critical section (`enter`), keeping its services, its
 * typed failure and its defects; `busy` is the failure when the section could not be entered.
 *
 * @example inSection((task) => lock("cus_1", 5000, task), attachEffect, () => new CustomerBusy({ … }))
 */
export const inSection = <A, E, R, B>(
  enter: <X>(task: () => Promise<X>) => Promise<Held<X>>,
  effect: Effect.Effect<A, E, R>,
  busy: () => B
): Effect.Effect<A, E | B, R> =>
  Effect.flatMap(Effect.context<R>(), (context) =>
    Effect.flatMap(
      Effect.promise(() => enter(() => Effect.runPromiseExitWith(context)(effect))),
      (held): Effect.Effect<A, E | B> => (held.held ? (Exit.isSuccess(held.value) ? Effect.succeed(held.value.value) : Effect.failCause(held.value.cause)) : Effect.fail(busy()))
    ))
