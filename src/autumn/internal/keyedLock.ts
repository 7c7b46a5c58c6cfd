/**
 * A lock per key (a customer id): calls for one key run one at a time, in arrival order; calls
 * for different keys run concurrently. Keys with nobody waiting are forgotten.
 *
 * @example
 * const lock = makeKeyedLock()
 * await Promise.all([lock("cus_1", () => attachA()), lock("cus_1", () => attachB())]) // B starts after A ends
 */
export type KeyedLock = <A>(key: string, task: () => Promise<A>) => Promise<A>

/** A new, empty keyed lock. @example const lock = makeKeyedLock() */
export const makeKeyedLock = (): KeyedLock => {
  const tails = new Map<string, Promise<void>>()
  return async (key, task) => {
    const previous = tails.get(key) ?? Promise.resolve()
    let release = (): void => {}
    const mine = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = previous.then(() => mine)
    tails.set(key, tail)
    await previous
    try {
      return await task()
    } finally {
      release()
      if (tails.get(key) === tail) tails.delete(key)
    }
  }
}
