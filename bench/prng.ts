/**
 * A tiny seeded PRNG (mulberry32) so every generated document is the same on every run.
 *
 * @example
 * const rng = makeRng(42)
 * rng.int(1, 6) // the same sequence of dice rolls every time
 */

/** A deterministic source of pseudo-random numbers. */
export interface Rng {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [min, max] (both inclusive). */
  readonly int: (min: number, max: number) => number
  /** One element of a non-empty array. */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  /** true with probability p. */
  readonly chance: (p: number) => boolean
}

/** mulberry32: 32 bits of state, good enough for test data, fully reproducible. */
export const makeRng = (seed: number): Rng => {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const pick = <A>(items: ReadonlyArray<A>): A => {
    const item = items[Math.floor(next() * items.length)]
    if (item === undefined) throw new Error("pick from an empty array")
    return item
  }
  const chance = (p: number): boolean => next() < p
  return { next, int, pick, chance }
}
