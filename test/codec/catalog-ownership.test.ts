/**
 * A decoded catalog owns its values: the fast path checks a catalog document without copying it,
 * so the normaliser must copy whatever it keeps. After decoding, the caller may change every
 * object, array and value of the document it passed; the catalog must encode as before.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { decodeCatalog, encodeCatalog } from "../../src/Document.ts"
import { catalogDocArb } from "../support/arbitraries.ts"

type Mutable = Record<string, unknown> | Array<unknown>

/** Changes every value reachable from `value` in place: strings and numbers altered, arrays grown. */
const vandalise = (value: unknown): void => {
  if (typeof value !== "object" || value === null) return
  const target = value as Mutable
  if (Array.isArray(target)) {
    target.forEach(vandalise)
    for (let i = 0; i < target.length; i++) target[i] = changed(target[i])
    target.push("extra")
    return
  }
  for (const key of Object.keys(target)) {
    vandalise(target[key])
    target[key] = changed(target[key])
  }
  target["extra"] = true
}

const changed = (v: unknown): unknown => (typeof v === "string" ? `${v}!` : typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : v)

describe("a decoded catalog keeps none of the document's objects", () => {
  it("encodes the same after every value of the document it came from was changed (property)", () => {
    fc.assert(fc.property(catalogDocArb, (doc) => {
      const input: unknown = structuredClone(doc)
      const r = decodeCatalog(input)
      if (Result.isFailure(r)) return
      const before = JSON.stringify(encodeCatalog(r.success))
      vandalise(input)
      expect(JSON.stringify(encodeCatalog(r.success))).toBe(before)
    }), { seed: 20261206, numRuns: 300 })
  })
})
