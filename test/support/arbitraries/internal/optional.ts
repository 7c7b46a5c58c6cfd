/**
 * Optional fields of generated documents: an arbitrary that is sometimes `undefined`, and the
 * object without its `undefined` fields.
 *
 * @example
 * fc.record({ name: opt(fc.string()) }).map(defined) // { name: "x" } or {}
 */
import fc from "fast-check"
import type { Obj } from "../../build.ts"

/** `undefined` now and then (fast-check's option). */
export const opt = <A>(arb: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> => fc.option(arb, { nil: undefined })
/** `undefined` four times in five. */
export const rare = <A>(arb: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb })
/** An object without the keys whose value is `undefined` (absent optional fields). */
export const defined = (o: Readonly<Record<string, unknown>>): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
