/**
 * The input guard may count a part it guarded before without walking it again (a stream's
 * repeated catalog): the answer must be the one a full walk gives, at the limits too.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { INPUT_LIMITS, guardInput, guardedValues } from "../../src/internal/inputGuard.ts"

const json = fc.jsonValue({ maxDepth: 4 })

describe("guardInput with a part guarded before", () => {
  it("counts values as a full walk does: objects, arrays and their plain children", () => {
    // { a: [1, 2] }: the object, the array, 1 and 2
    expect(guardedValues({ a: [1, 2] })).toBe(4)
    expect(guardedValues([])).toBe(1)
    expect(guardedValues(Array.from({ length: INPUT_LIMITS.maxArrayLength + 1 }, () => 0))).toBeUndefined()
  })

  it("answers as the full walk on generated documents (property)", () => {
    fc.assert(fc.property(json, json, fc.boolean(), (catalog, customer, catalogFirst) => {
      const part = { catalog: { plans: [catalog] } }
      const document = catalogFirst ? { ...part, customer } : { customer, ...part }
      const values = guardedValues(part.catalog)
      expect(values).toBeDefined()
      expect(guardInput(document, "", { value: part.catalog, values: values ?? 0 })).toEqual(guardInput(document, ""))
    }), { seed: 20261206, numRuns: 300 })
  })

  it("names the same value as the full walk when the count passes the limit, the part first or last", () => {
    const catalog = { plans: Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, amounts: [1, 2, 3] })) }
    const values = guardedValues(catalog) ?? 0
    // The rest of the document brings the total just over the limit.
    const filler = (n: number) => Array.from({ length: 20 }, () => Array.from({ length: Math.ceil(n / 20) }, () => 0))
    for (const extra of [INPUT_LIMITS.maxValues - values - 30, INPUT_LIMITS.maxValues - values + 5, INPUT_LIMITS.maxValues]) {
      for (const document of [{ catalog, customer: filler(extra) }, { customer: filler(extra), catalog }]) {
        const full = guardInput(document, "")
        expect(guardInput(document, "", { value: catalog, values })).toEqual(full)
      }
    }
  })
})
