import { Decimal } from "decimal.js"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decimalSign } from "../../src/internal/decimalText.ts"
import { parseDecimal } from "../../src/internal/schemaKit.ts"
import type { Rational } from "../../src/Rational.ts"

/**
 * The reading of a catalog amount before it was written with integers: decimal.js parsed the
 * text and gave its fraction in lowest terms. Kept here as the oracle the integer parser must
 * agree with on every input.
 */
const throughDecimalJs = (input: string | number): Rational | undefined => {
  if (typeof input === "number" && !Number.isFinite(input)) return undefined
  if (typeof input === "string" && !/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(input)) return undefined
  let d: Decimal
  try {
    d = new Decimal(typeof input === "number" ? input.toString() : input.trim())
  } catch {
    return undefined
  }
  if (!d.isFinite() || d.abs().gt("1e15") || (d.decimalPlaces() ?? 0) > 12) return undefined
  const [n, den] = d.toFraction()
  if (n === undefined || den === undefined) return undefined
  const nn = BigInt(n.toFixed(0))
  return { n: nn === 0n ? 0n : nn, d: BigInt(den.toFixed(0)) }
}

const same = (input: string | number): void => {
  const got = parseDecimal(input)
  const want = throughDecimalJs(input)
  expect(got === undefined ? undefined : { n: got.n, d: got.d }, JSON.stringify(String(input))).toEqual(want)
  // The decoder's checks read the sign without the rational: they must agree with it.
  const sign = want === undefined ? "not a decimal" : want.n < 0n ? "negative" : "non-negative"
  expect(decimalSign(input), JSON.stringify(String(input))).toBe(sign)
}

describe("parseDecimal: exact, in lowest terms, bounded", () => {
  it("reads prices, fractions and exponents (hand-checked)", () => {
    expect(parseDecimal("19.99")).toEqual({ n: 1999n, d: 100n })
    expect(parseDecimal("0.50")).toEqual({ n: 1n, d: 2n })
    expect(parseDecimal(0.1)).toEqual({ n: 1n, d: 10n })
    expect(parseDecimal("1.5e3")).toEqual({ n: 1500n, d: 1n })
    expect(parseDecimal(" 7 ")).toEqual({ n: 7n, d: 1n })
    expect(parseDecimal("-2.5")).toEqual({ n: -5n, d: 2n })
    expect(parseDecimal("1e15")).toEqual({ n: 10n ** 15n, d: 1n })
    expect(parseDecimal("0.000000000001")).toEqual({ n: 1n, d: 10n ** 12n })
  })

  it("refuses what is not a bounded decimal", () => {
    for (const bad of ["", ".", "e5", "1e", "abc", "1,5", "0x10", "1e15.5", "1000000000000001", "1e16", "0.0000000000001", "1e-13", "1e9999999", "9".repeat(100_000)]) {
      expect(parseDecimal(bad), bad.slice(0, 20)).toBeUndefined()
    }
    expect(parseDecimal(Number.NaN)).toBeUndefined()
    expect(parseDecimal(Number.POSITIVE_INFINITY)).toBeUndefined()
    expect(parseDecimal(1e300)).toBeUndefined()
  })

  it("reads zero however it is written", () => {
    for (const zero of ["0", "-0", "0.000", "0e9999999", "000", ".0", "0.000000000000000000000e-5"]) expect(parseDecimal(zero), zero).toEqual({ n: 0n, d: 1n })
  })

  it("agrees with the decimal.js reading on edge texts", () => {
    for (const t of ["5.", ".5", "+5", "-0.0", "1.50", "100", "1E3", "1e+3", "1e-7", "123456789012345", "999999999999999.999999999999", "1000000000000000.000000000001", "0.1234567890123", "0.123456789012", "  -3.25e-2  ", "0001.2000", "1e-12", "10e-13"]) same(t)
  })

  it("agrees with the decimal.js reading on generated texts (property)", () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom("0", "1", "2", "5", "9"), maxLength: max })
    const text = fc
      .tuple(fc.constantFrom("", "+", "-"), digits(18), fc.option(digits(15)), fc.option(fc.integer({ min: -20, max: 20 })), fc.constantFrom("", " "))
      .map(([sign, whole, fraction, exponent, pad]) => `${pad}${sign}${whole}${fraction === null ? "" : `.${fraction}`}${exponent === null ? "" : `e${exponent}`}${pad}`)
    fc.assert(fc.property(text, (t) => same(t)), { seed: 20261204, numRuns: 3000 })
  })

  it("agrees with the decimal.js reading on any text of digits, dots and signs (the regex-free path)", () => {
    for (const t of ["", "+", "-", ".", "-.", "+.5", "1.2.3", "--5", "5-", "+-1", "1..2", "-0", "00.00", "-00012.3400"]) same(t)
    const text = fc.string({ unit: fc.constantFrom("0", "1", "7", "9", ".", "-", "+"), maxLength: 30 })
    fc.assert(fc.property(text, (t) => same(t)), { seed: 20261204, numRuns: 3000 })
  })

  it("agrees with the decimal.js reading on generated numbers (property)", () => {
    const number = fc.oneof(fc.double({ noNaN: false }), fc.integer().map((i) => i / 100), fc.integer().map((i) => i / 7), fc.double({ min: -1e16, max: 1e16 }))
    fc.assert(fc.property(number, (n) => same(n)), { seed: 20261204, numRuns: 3000 })
  })
})
