import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Interval from "../../src/Interval.ts"
import * as Money from "../../src/Money.ts"
import * as Proration from "../../src/Proration.ts"
import * as Rational from "../../src/Rational.ts"
import { DAY } from "../support/build.ts"

const at = (iso: string): number => {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) throw new Error(`bad test instant ${iso}`)
  return t
}
const major = (amount: string): Rational.Rational => {
  const [whole = "0", frac = ""] = amount.split(".")
  return Rational.make(BigInt(whole + frac), 10n ** BigInt(frac.length))
}
const eq = (a: Rational.Rational, b: Rational.Rational): boolean => Rational.compare(a, b) === 0

const jan2025 = Interval.period(at("2025-01-01T00:00:00Z"), at("2025-02-01T00:00:00Z"))
const jan16 = at("2025-01-16T00:00:00Z")

describe("Proration.remainingFraction", () => {
  it("is (end − t) / (end − start) in milliseconds", () => {
    expect(eq(Proration.remainingFraction(jan2025, jan16), Rational.make(16n, 31n))).toBe(true)
    expect(eq(Proration.remainingFraction(Interval.period(0, 4), 1), Rational.make(3n, 4n))).toBe(true)
    // one millisecond into the period
    expect(eq(Proration.remainingFraction(jan2025, jan2025.start + 1), Rational.make(31n * 86_400_000n - 1n, 31n * 86_400_000n))).toBe(true)
  })

  it("is 1 at and before the start, 0 at and after the end", () => {
    expect(Proration.remainingFraction(jan2025, jan2025.start)).toEqual(Rational.one)
    expect(Proration.remainingFraction(jan2025, jan2025.start - 86_400_000)).toEqual(Rational.one)
    expect(Proration.remainingFraction(jan2025, jan2025.end)).toEqual(Rational.zero)
    expect(Proration.remainingFraction(jan2025, jan2025.end + 1)).toEqual(Rational.zero)
  })

  it("uses the real length of a clamped period: Jan 31 → Feb 29 2024 is 29 days", () => {
    const period = Interval.periodAt(at("2024-01-31T00:00:00Z"), { unit: "month", count: 1 }, at("2024-02-10T00:00:00Z"))
    expect(period).toEqual(Interval.period(at("2024-01-31T00:00:00Z"), at("2024-02-29T00:00:00Z")))
    expect(eq(Proration.remainingFraction(period, at("2024-02-10T00:00:00Z")), Rational.make(19n, 29n))).toBe(true)
  })
})

describe("Proration charges and credits, rounded once", () => {
  it("16/31 of $20 is 1032, and the credit is −1032", () => {
    expect(Money.toMinor(Proration.chargeForRemainingTime(major("20"), jan2025, jan16), "usd")).toBe(1032n)
    expect(Money.toMinor(Proration.creditForUnusedTime(major("20"), jan2025, jan16), "usd")).toBe(-1032n)
  })

  it("16/31 of $50 is 2581 (2580.645… rounds up), credit −2581", () => {
    expect(Money.toMinor(Proration.chargeForRemainingTime(major("50"), jan2025, jan16), "usd")).toBe(2581n)
    expect(Money.toMinor(Proration.creditForUnusedTime(major("50"), jan2025, jan16), "usd")).toBe(-2581n)
  })

  it("19/29 of $20 in the Feb 2024 period (Jan 31 → Feb 29) is 1310", () => {
    const period = Interval.period(at("2024-01-31T00:00:00Z"), at("2024-02-29T00:00:00Z"))
    expect(Money.toMinor(Proration.chargeForRemainingTime(major("20"), period, at("2024-02-10T00:00:00Z")), "usd")).toBe(1310n)
  })

  it("16/31 of ¥1980 is 1022 (no minor unit)", () => {
    expect(Money.toMinor(Proration.chargeForRemainingTime(major("1980"), jan2025, jan16), "jpy")).toBe(1022n)
  })

  it("the full price before the period and nothing after it", () => {
    expect(Money.toMinor(Proration.chargeForRemainingTime(major("19.99"), jan2025, jan2025.start), "usd")).toBe(1999n)
    expect(Money.toMinor(Proration.chargeForRemainingTime(major("19.99"), jan2025, jan2025.start - 5), "usd")).toBe(1999n)
    expect(Money.toMinor(Proration.chargeForRemainingTime(major("19.99"), jan2025, jan2025.end), "usd")).toBe(0n)
    expect(Money.toMinor(Proration.creditForUnusedTime(major("19.99"), jan2025, jan2025.end + 5), "usd")).toBe(0n)
  })

  it("stays exact until the one rounding (no float on the way)", () => {
    const exact = Proration.chargeForRemainingTime(major("0.0015"), jan2025, jan16)
    expect(eq(exact, Rational.make(15n * 16n, 10000n * 31n))).toBe(true)
    expect(eq(Proration.creditForUnusedTime(major("0.0015"), jan2025, jan16), Rational.negate(exact))).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const props = { seed: 16_31, numRuns: 200 } as const

/** A price in major units with up to 4 decimals, below 100 000. */
const arbAmount: fc.Arbitrary<Rational.Rational> = fc
  .tuple(fc.bigInt({ min: 0n, max: 100_000n * 10_000n }), fc.constantFrom(1n, 10n, 100n, 1000n, 10_000n))
  .map(([n, d]) => Rational.make(n, d))
const arbCurrency = fc.constantFrom("usd", "jpy", "kwd")
/** A non-empty period somewhere between 1971 and 2200, from 1 ms to ~3 years long. */
const arbPeriod = fc
  .tuple(fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2200, 0, 1) }), fc.integer({ min: 1, max: 3 * 366 * DAY }))
  .map(([start, length]) => Interval.period(start, start + length))
/** A period with an instant anywhere from a little before it to a little after it. */
const arbPeriodAndInstant = arbPeriod.chain((p) =>
  fc.tuple(fc.constant(p), fc.integer({ min: p.start - DAY, max: p.end + DAY }))
)
const abs = (x: bigint): bigint => (x < 0n ? -x : x)

describe("Proration properties: the fraction and the credit are bounded", () => {
  it("the fraction is within [0, 1]", () => {
    fc.assert(
      fc.property(arbPeriodAndInstant, ([period, t]) => {
        const f = Proration.remainingFraction(period, t)
        expect(Rational.compare(f, Rational.zero)).toBeGreaterThanOrEqual(0)
        expect(Rational.compare(f, Rational.one)).toBeLessThanOrEqual(0)
      }),
      props
    )
  })

  it("a credit never exceeds the period's price in absolute value, and is never positive", () => {
    fc.assert(
      fc.property(arbAmount, arbCurrency, arbPeriodAndInstant, (amount, currency, [period, t]) => {
        const full = Money.toMinor(amount, currency)
        const credit = Money.toMinor(Proration.creditForUnusedTime(amount, period, t), currency)
        expect(credit <= 0n).toBe(true)
        expect(abs(credit) <= full).toBe(true)
        expect(credit).toBe(-Money.toMinor(Proration.chargeForRemainingTime(amount, period, t), currency))
      }),
      props
    )
  })
})

describe("Proration properties: splitting a period and moving the instant", () => {
  it("splitting a period at t: the rounded pieces [start, t) and [t, end) add up to the price within ±1", () => {
    fc.assert(
      fc.property(arbAmount, arbCurrency, arbPeriodAndInstant, (amount, currency, [period, t]) => {
        const full = Money.toMinor(amount, currency)
        const clamped = Math.min(Math.max(t, period.start), period.end)
        const length = BigInt(period.end - period.start)
        const after = Proration.chargeForRemainingTime(amount, period, t) // [t, end)
        const before = Rational.mul(amount, Rational.make(BigInt(clamped - period.start), length)) // [start, t)
        // exactly, the two pieces are the price
        expect(eq(Rational.add(before, after), amount)).toBe(true)
        const sum = Money.toMinor(before, currency) + Money.toMinor(after, currency)
        expect(abs(sum - full) <= 1n).toBe(true)
      }),
      props
    )
  })

  it("a later instant never gives a larger prorated charge", () => {
    fc.assert(
      fc.property(
        arbAmount,
        arbCurrency,
        arbPeriodAndInstant,
        fc.integer({ min: 0, max: 3 * 366 * DAY }),
        (amount, currency, [period, t], delta) => {
          const earlier = Proration.chargeForRemainingTime(amount, period, t)
          const later = Proration.chargeForRemainingTime(amount, period, t + delta)
          expect(Rational.compare(later, earlier)).toBeLessThanOrEqual(0)
          expect(Money.toMinor(later, currency) <= Money.toMinor(earlier, currency)).toBe(true)
        }
      ),
      props
    )
  })

  it("the charge is linear in the remaining time: price × (end − t) / length exactly", () => {
    fc.assert(
      fc.property(arbAmount, arbPeriod, fc.double({ min: 0, max: 1, noNaN: true }), (amount, period, u) => {
        const t = period.start + Math.floor(u * (period.end - period.start))
        const expected = Rational.mul(amount, Rational.make(BigInt(period.end - Math.max(t, period.start)), BigInt(period.end - period.start)))
        expect(eq(Proration.chargeForRemainingTime(amount, period, t), expected)).toBe(true)
      }),
      props
    )
  })
})
