import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Money from "../../src/Money.ts"
import * as Rational from "../../src/Rational.ts"

const r = (n: bigint, d: bigint = 1n): Rational.Rational => Rational.make(n, d)

describe("Money.exponentOf", () => {
  it.each(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"])(
    "%s has no minor unit",
    (code) => expect(Money.exponentOf(code)).toBe(0)
  )

  it.each(["bhd", "jod", "kwd", "omr", "tnd"])("%s has three decimals", (code) => {
    expect(Money.exponentOf(code)).toBe(3)
  })

  it.each(["usd", "eur", "gbp", "chf", "inr", "cad"])("%s has two decimals", (code) => {
    expect(Money.exponentOf(code)).toBe(2)
  })

  it("uses two decimals for an unknown code", () => {
    expect(Money.exponentOf("xyz")).toBe(2)
    expect(Money.exponentOf("qqq")).toBe(2)
  })

  it("accepts codes in any case (docs/spec.md §2.1)", () => {
    expect(Money.normalizeCurrency("USD")).toBe("usd")
    expect(Money.normalizeCurrency("Jpy")).toBe("jpy")
    expect(Money.exponentOf("JPY")).toBe(0)
    expect(Money.exponentOf("KrW")).toBe(0)
    expect(Money.exponentOf("KWD")).toBe(3)
    expect(Money.exponentOf("BHD")).toBe(3)
    expect(Money.exponentOf("USD")).toBe(2)
  })
})

describe("Money.minorPerMajor", () => {
  it("is 10^exponent", () => {
    expect(Money.minorPerMajor("usd")).toEqual({ n: 100n, d: 1n })
    expect(Money.minorPerMajor("jpy")).toEqual({ n: 1n, d: 1n })
    expect(Money.minorPerMajor("kwd")).toEqual({ n: 1000n, d: 1n })
    // twice, through the cache
    expect(Money.minorPerMajor("kwd")).toEqual({ n: 1000n, d: 1n })
  })
})

describe("Money.toMinor", () => {
  it.each<[string, Rational.Rational, string, bigint]>([
    ["2000/3 usd", r(2000n, 3n), "usd", 66667n], // 666.666… → 66666.66… → 66667
    ["1000/3 usd", r(1000n, 3n), "usd", 33333n], // 33333.33… → 33333
    ["-2000/3 usd", r(-2000n, 3n), "usd", -66667n],
    ["15.49 usd", r(1549n, 100n), "usd", 1549n],
    ["0.005 usd (a half cent rounds up)", r(5n, 1000n), "usd", 1n],
    ["-0.005 usd (a half cent rounds away from zero)", r(-5n, 1000n), "usd", -1n],
    ["0.00499 usd", r(499n, 100000n), "usd", 0n],
    ["20 × 16/31 usd", r(20n * 16n, 31n), "usd", 1032n],
    ["50 × 16/31 usd", r(50n * 16n, 31n), "usd", 2581n],
    ["1980 × 16/31 jpy", r(1980n * 16n, 31n), "jpy", 1022n], // 1021.93… → 1022
    ["1980 jpy", r(1980n), "jpy", 1980n],
    ["0.5 jpy", r(1n, 2n), "jpy", 1n],
    ["2.5 jpy", r(5n, 2n), "jpy", 3n],
    ["12.345 kwd", r(12345n, 1000n), "kwd", 12345n],
    ["10/3 kwd", r(10n, 3n), "kwd", 3333n],
    ["20/3 kwd", r(20n, 3n), "kwd", 6667n],
    ["1.0005 kwd (half a fils)", r(10005n, 10000n), "kwd", 1001n],
    ["10/3 of an unknown code", r(10n, 3n), "xyz", 333n]
  ])("%s", (_label, major, currency, expected) => {
    expect(Money.toMinor(major, currency)).toBe(expected)
  })

  it("rounds an upper-case code with the currency's exponent", () => {
    expect(Money.toMinor(r(1980n * 16n, 31n), "JPY")).toBe(1022n)
    expect(Money.toMinor(r(12345n, 1000n), "KWD")).toBe(12345n)
  })

  it("is within half a minor unit of the exact amount and odd", () => {
    const codes = fc.constantFrom("usd", "jpy", "kwd", "eur", "bhd", "krw")
    const amounts = fc
      .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }))
      .map(([n, d]) => r(n, d))
    fc.assert(
      fc.property(amounts, codes, (major, currency) => {
        const minor = Money.toMinor(major, currency)
        const exact = Rational.mul(major, Money.minorPerMajor(currency))
        const diff = Rational.sub(Rational.fromBigInt(minor), exact)
        const abs = diff.n < 0n ? Rational.negate(diff) : diff
        expect(Rational.compare(abs, r(1n, 2n))).toBeLessThanOrEqual(0)
        expect(Money.toMinor(Rational.negate(major), currency)).toBe(-minor)
      }),
      { seed: 4217, numRuns: 200 }
    )
  })
})

describe("Money.formatMinor", () => {
  it.each<[bigint | number, string, string]>([
    [1549n, "usd", "$15.49"],
    [-1032n, "usd", "-$10.32"],
    [5n, "usd", "$0.05"],
    [-5n, "usd", "-$0.05"],
    [0n, "usd", "$0.00"],
    [123456789n, "usd", "$1,234,567.89"],
    [100000n, "usd", "$1,000.00"],
    [1548n, "jpy", "¥1,548"],
    [-1548n, "jpy", "-¥1,548"],
    [999n, "jpy", "¥999"],
    [1000n, "krw", "₩1,000"],
    [12345n, "kwd", "12.345 KWD"],
    [-5n, "kwd", "-0.005 KWD"],
    [1234567n, "bhd", "1,234.567 BHD"],
    [300n, "eur", "€3.00"],
    [-300n, "eur", "-€3.00"],
    [1999n, "gbp", "£19.99"],
    [150n, "xyz", "1.50 XYZ"],
    [2500, "clp", "2,500 CLP"],
    [1549, "usd", "$15.49"]
  ])("%s %s → %s", (minor, currency, expected) => {
    expect(Money.formatMinor(minor, currency)).toBe(expected)
  })

  it("formats upper-case codes like lower-case ones", () => {
    expect(Money.formatMinor(1548n, "JPY")).toBe("¥1,548")
    expect(Money.formatMinor(12345n, "KWD")).toBe("12.345 KWD")
    expect(Money.formatMinor(1549n, "USD")).toBe("$15.49")
  })

  it("round-trips: the digits of the output are the minor units", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.constantFrom("usd", "jpy", "kwd", "xyz"), (minor, currency) => {
        const text = Money.formatMinor(minor, currency)
        const digits = text.replace(/[^0-9]/g, "")
        expect(BigInt(digits)).toBe(minor < 0n ? -minor : minor)
        expect(text.startsWith("-")).toBe(minor < 0n)
        const fraction = /\.(\d+)/.exec(text)?.[1] ?? ""
        expect(fraction.length).toBe(Money.exponentOf(currency))
      }),
      { seed: 1549, numRuns: 200 }
    )
  })
})

describe("Money.round: the one rounding of money", () => {
  it.each([
    // 15.5 cents → 16; −15.5 → −16 (half away from zero, not to even); 15.49… → 15.
    [r(31n, 2n), 16n],
    [r(-31n, 2n), -16n],
    [r(1549n, 100n), 15n],
    // 2000/3 = 666.67 → 667; exact integers are left alone.
    [r(2000n, 3n), 667n],
    [r(42n), 42n]
  ])("rounds %o to %s minor units", (exact, expected) => {
    expect(Money.round(exact)).toBe(expected)
  })

  it("toMinor is round(major × minor units per major)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.constantFrom("usd", "jpy", "kwd"), (n, d, currency) => {
        const major = r(n, d)
        expect(Money.toMinor(major, currency)).toBe(Money.round(Rational.mul(major, Money.minorPerMajor(currency))))
        // within half a minor unit of the exact amount
        const error = Rational.sub(Rational.fromBigInt(Money.toMinor(major, currency)), Rational.mul(major, Money.minorPerMajor(currency)))
        expect(Rational.compare(Rational.mul(error, Rational.fromInt(2)), Rational.one) <= 0).toBe(true)
        expect(Rational.compare(Rational.mul(error, Rational.fromInt(2)), Rational.fromInt(-1)) >= 0).toBe(true)
      })
    )
  })

  it("is the only place src/ rounds an exact amount (no other call of Rational.roundHalfAwayFromZero)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs")
    const { join } = await import("node:path")
    const walk = (dir: string): Array<string> =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []))
    const callers = walk("src").filter((f) => !f.endsWith("Rational.ts") && !f.endsWith("Money.ts") && readFileSync(f, "utf8").includes("roundHalfAwayFromZero"))
    expect(callers).toEqual([])
  })
})

describe("Money values", () => {
  it("sums minor units and formats an amount with its currency", () => {
    expect(Money.sum([Money.minor(1000n), Money.minor(549n), Money.minor(-49)])).toBe(1500n)
    expect(Money.sum([])).toBe(0n)
    expect(Money.make(Money.minor(1549n), "usd")).toEqual({ minor: 1549n, currency: "usd" })
    expect(Money.format(Money.make(Money.minor(-1032n), "usd"))).toBe("-$10.32")
    expect(Money.format(Money.make(Money.minor(1548), "jpy"))).toBe("¥1,548")
  })
})
