/**
 * The exact texts of a line's derivation, written by integer arithmetic, against the plain
 * definition (reduce by the gcd, then a decimal when the denominator is 2^a·5^b): the same text
 * for any rational, including numerators past 2^53; and the rounding delta, written over the
 * exact amount's reduced denominator, is the text of `exact − amount` itself.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { exactText, finalDerivation } from "../../src/planner/internal/derivation.ts"
import * as Rational from "../../src/Rational.ts"

const reference = (r: Rational.Rational): string => {
  const abs = (x: bigint): bigint => (x < 0n ? -x : x)
  let x = abs(r.n)
  let y = r.d
  while (y !== 0n) [x, y] = [y, x % y]
  const n = r.n / x
  const d = r.d / x
  let rest = d
  let twos = 0
  let fives = 0
  while (rest % 2n === 0n) { rest /= 2n; twos++ }
  while (rest % 5n === 0n) { rest /= 5n; fives++ }
  if (rest !== 1n) return `${n}/${d}`
  const places = Math.max(twos, fives)
  if (places === 0) return n.toString()
  const scaled = (n * 10n ** BigInt(places)) / d
  const digits = abs(scaled).toString().padStart(places + 1, "0")
  return `${scaled < 0n ? "-" : ""}${digits.slice(0, -places)}.${digits.slice(-places)}`
}

const denominators = fc.oneof(
  fc.bigInt({ min: 1n, max: 10_000n }),
  fc.tuple(fc.nat(30), fc.nat(30), fc.constantFrom(1n, 3n, 7n, 31n)).map(([a, b, c]) => 2n ** BigInt(a) * 5n ** BigInt(b) * c),
  fc.bigInt({ min: 1n, max: 2n ** 80n })
)
const rationals = fc.tuple(fc.oneof(fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }), fc.bigInt({ min: -(2n ** 90n), max: 2n ** 90n })), denominators)
  .map(([n, d]) => Rational.make(n, d))

describe("exact texts", () => {
  it("examples: decimals, fractions in lowest terms, negative values below one", () => {
    expect(exactText(Rational.make(-32000n, 31n))).toBe("-32000/31")
    expect(exactText(Rational.make(2001n, 2n))).toBe("1000.5")
    expect(exactText(Rational.make(-1n, 8n))).toBe("-0.125")
    expect(exactText(Rational.make(3n, 1000n))).toBe("0.003")
    expect(exactText(Rational.make(0n, 7n))).toBe("0")
    expect(exactText(Rational.make(62n, 4n))).toBe("15.5")
    expect(exactText(Rational.make(2n ** 70n * 3n, 6n))).toBe((2n ** 69n).toString())
  })

  it("are the texts of the plain definition", () => {
    fc.assert(fc.property(rationals, (r) => exactText(r) === reference(r)), { numRuns: 3000 })
  })

  it("are the texts of the plain definition where the scaled numerator crosses 2^53 (written in doubles below it)", () => {
    const decimal = fc.tuple(fc.nat(20), fc.nat(20)).map(([a, b]) => 2n ** BigInt(a) * 5n ** BigInt(b))
    const near = fc.tuple(decimal, fc.bigInt({ min: -4096n, max: 4096n }), fc.boolean()).map(([d, off, negative]) => {
      // A numerator whose scaled form lands next to Number.MAX_SAFE_INTEGER for this denominator.
      let places = 0n
      while ((10n ** places) % d !== 0n) places++
      const edge = (2n ** 53n * d) / 10n ** places + off
      return Rational.make(negative ? -edge : edge, d)
    })
    fc.assert(fc.property(near, (r) => exactText(r) === reference(r)), { numRuns: 3000 })
  })

  it("the derivation's exact, rounding delta and base are the texts of exact, exact − amount and base", () => {
    fc.assert(fc.property(rationals, fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.boolean(), (exact, amount, sameBase) => {
      const base = sameBase ? exact : Rational.mul(exact, Rational.fromInt(3))
      const d = finalDerivation({ base, exact }, amount, [], undefined)
      return d.exact === reference(exact) && d.roundingDelta === reference(Rational.sub(exact, Rational.fromBigInt(amount))) && d.base === reference(base)
    }), { numRuns: 3000 })
  })
})
