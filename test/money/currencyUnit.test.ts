import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Money from "../../src/Money.ts"
import * as Rational from "../../src/Rational.ts"

// Every code the tables know, a few they do not (two decimals), in the cases documents use.
const CODES = ["usd", "USD", "eur", "jpy", "JPY", "krw", "kwd", "KWD", "bhd", "tnd", "xyz", "QqQ"]

describe("Money.currencyUnit", () => {
  it("holds the lower-case code, its exponent and 10^exponent", () => {
    expect(Money.currencyUnit("USD")).toEqual({ code: "usd", exponent: 2, minorPerMajor: { n: 100n, d: 1n } })
    expect(Money.currencyUnit("jpy")).toEqual({ code: "jpy", exponent: 0, minorPerMajor: { n: 1n, d: 1n } })
    expect(Money.currencyUnit("Kwd")).toEqual({ code: "kwd", exponent: 3, minorPerMajor: { n: 1000n, d: 1n } })
  })

  it.each(CODES)("%s: the unit agrees with exponentOf, minorPerMajor and normalizeCurrency", (code) => {
    const unit = Money.currencyUnit(code)
    expect(unit.code).toBe(Money.normalizeCurrency(code))
    expect(unit.exponent).toBe(Money.exponentOf(code))
    expect(unit.minorPerMajor).toEqual(Money.minorPerMajor(code))
  })

  it("toMinor by the unit is toMinor by the code", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.constantFrom(...CODES), (n, d, code) => {
        const major = Rational.make(n, d)
        expect(Money.toMinor(major, Money.currencyUnit(code))).toBe(Money.toMinor(major, code))
      })
    )
  })

  it("rounds once, by the unit's factor: 2000/3 usd is 66667 cents, 1980×16/31 jpy is 1022 yen, 12.345 kwd is 12345 fils", () => {
    expect(Money.toMinor(Rational.make(2000n, 3n), Money.currencyUnit("usd"))).toBe(66667n)
    expect(Money.toMinor(Rational.make(1980n * 16n, 31n), Money.currencyUnit("jpy"))).toBe(1022n)
    expect(Money.toMinor(Rational.make(12345n, 1000n), Money.currencyUnit("kwd"))).toBe(12345n)
  })
})
