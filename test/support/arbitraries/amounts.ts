/**
 * Amounts for the property suites: integer ten-thousandths of a major unit (so an oracle can work
 * in exact bigint fractions), the catalog decimal of one, and decimals in every JSON form a
 * document may state them.
 *
 * @example
 * decimalOf(125000) // "12.5000"
 */
import fc from "fast-check"

/** An amount in ten-thousandths of a major unit, 0 … 1000.0000, zero one time in six. */
export const tenThousandthsArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 10_000_000 }) }
)

/** The catalog decimal of an amount in ten-thousandths, exactly: 125000 → "12.5000". */
export const decimalOf = (tenThousandths: number): string =>
  `${Math.floor(tenThousandths / 10_000)}.${String(tenThousandths % 10_000).padStart(4, "0")}`

/** A decimal as a JSON string ("12.3400", "1e2", " 7") or number (12.34), at most 12 places. */
export const decimalDocArb: fc.Arbitrary<string | number> = fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 }))
  .map(([n, scale, form]) => {
    const text = scale === 0 ? String(n) : `${Math.floor(n / 10 ** scale)}.${String(n % 10 ** scale).padStart(scale, "0")}`
    if (form === 0) return Number(text)
    if (form === 1) return `${n}e-${scale}`
    return text
  })
