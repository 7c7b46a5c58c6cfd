/**
 * The matching rules of the conformance cases (shared/conformance/README.md):
 * - an expected object is a partial match: each field it names must be present and match;
 * - an expected array must have exactly as many entries, matched in order;
 * - ISO instants compare as instants (`…T00:00:00Z` equals `…T00:00:00.000Z`);
 * - `"_tag": [A, B]` accepts any of the listed tags;
 * - `"totalTolerance": n` next to `total` lets `total` differ by at most n;
 * - numbers compare by value; everything else strictly.
 *
 * `partialMatch` returns the list of mismatches, each naming its path (`$.lines[1].amount`);
 * an empty list is a match.
 */

/** One difference between the expected and the actual document. */
export interface Mismatch {
  readonly path: string
  readonly message: string
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** Epoch milliseconds of an ISO instant string, or undefined for anything else. */
const asInstant = (value: unknown): number | undefined => {
  if (typeof value !== "string" || !ISO_INSTANT.test(value)) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const show = (value: unknown, max = 160): string => {
  let text: string
  try {
    text = typeof value === "bigint" ? `${value}n` : value === undefined ? "undefined" : JSON.stringify(value)
  } catch {
    text = String(value)
  }
  return text.length > max ? `${text.slice(0, max)}…` : text
}

const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value

const asNumber = (value: unknown): number | undefined =>
  typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : undefined

const matchValue = (expected: unknown, actual: unknown, path: string, out: Array<Mismatch>): void => {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push({ path, message: `expected an array of ${expected.length}, got ${kindOf(actual)} ${show(actual)}` })
      return
    }
    if (actual.length !== expected.length) {
      out.push({ path, message: `expected ${expected.length} entries, got ${actual.length}: ${show(actual)}` })
      return
    }
    expected.forEach((e, i) => matchValue(e, actual[i], `${path}[${i}]`, out))
    return
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) {
      out.push({ path, message: `expected an object, got ${kindOf(actual)} ${show(actual)}` })
      return
    }
    const tolerance = expected["totalTolerance"]
    for (const [key, e] of Object.entries(expected)) {
      if (key === "totalTolerance") continue
      const at = `${path}.${key}`
      if (!(key in actual)) {
        out.push({ path: at, message: `missing (expected ${show(e)})` })
        continue
      }
      const a = actual[key]
      if (key === "_tag" && Array.isArray(e)) {
        if (!e.includes(a)) out.push({ path: at, message: `expected one of ${show(e)}, got ${show(a)}` })
        continue
      }
      const tol = asNumber(tolerance)
      const en = asNumber(e)
      const an = asNumber(a)
      if (key === "total" && tol !== undefined && en !== undefined && an !== undefined) {
        if (Math.abs(an - en) > tol) out.push({ path: at, message: `expected ${en}±${tol}, got ${an}` })
        continue
      }
      matchValue(e, a, at, out)
    }
    return
  }
  const en = asNumber(expected)
  if (en !== undefined) {
    const an = asNumber(actual)
    if (an === undefined || an !== en) out.push({ path, message: `expected ${show(expected)}, got ${show(actual)}` })
    return
  }
  const ei = asInstant(expected)
  if (ei !== undefined) {
    const ai = asInstant(actual)
    if (ai === undefined || ai !== ei) out.push({ path, message: `expected ${show(expected)}, got ${show(actual)}` })
    return
  }
  if (!Object.is(expected, actual)) out.push({ path, message: `expected ${show(expected)}, got ${show(actual)}` })
}

/**
 * Matches `actual` against the partial `expected` document; returns the mismatches (empty when
 * it matches).
 *
 * @example partialMatch({ total: 1549 }, { total: 1549, subtotal: 1549 }) // []
 * @example partialMatch({ lines: [] }, { lines: [{}] }) // [{ path: "$.lines", message: "expected 0 entries, got 1: [{}]" }]
 */
export const partialMatch = (expected: unknown, actual: unknown): Array<Mismatch> => {
  const out: Array<Mismatch> = []
  matchValue(expected, actual, "$", out)
  return out
}

/**
 * A readable listing of mismatches, one per line.
 *
 * @example formatMismatches([{ path: "$.total", message: "expected 1549, got 1548" }]) // "$.total: expected 1549, got 1548"
 */
export const formatMismatches = (mismatches: ReadonlyArray<Mismatch>): string =>
  mismatches.map((m) => `${m.path}: ${m.message}`).join("\n")
