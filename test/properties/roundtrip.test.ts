/**
 * decode∘encode is identity (issue #5; docs/spec.md §13): for generated valid attach documents d, using
 * every optional field of docs/spec.md §3–§5 (decimals as strings, numbers and exponents, currency codes
 * in any case, instants in every accepted ISO form, unicode ids, versions, tiers, discounts,
 * every request option), with x = decode(d):
 * - decode(encode(x)) deep-equals x, also through JSON text (a document is JSON);
 * - encode(decode(encode(x))) is JSON-equal to encode(x) (encoding is a fixed point);
 * - the same holds for the catalog alone (`encodeCatalog` / `decodeCatalog`).
 * Runs use a fixed seed; fast-check prints it with the shrunk counterexample on a failure.
 */
import * as Result from "effect/Result"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type AttachInput, decodeAttachDocument, decodeCatalog, encodeAttachDocument, encodeCatalog } from "../../src/Document.ts"
import type { Catalog } from "../../src/Catalog.ts"
import { attachDocumentArb, catalogDocArb } from "../support/arbitraries.ts"

const RUNS = { seed: 42, numRuns: 200 } as const

const decoded = (d: unknown): AttachInput => {
  const r = decodeAttachDocument(d)
  if (Result.isFailure(r)) throw new Error(`expected a valid document: ${r.failure.message}`)
  return r.success
}
const decodedCatalog = (d: unknown): Catalog => {
  const r = decodeCatalog(d)
  if (Result.isFailure(r)) throw new Error(`expected a valid catalog: ${r.failure.message}`)
  return r.success
}
/** The value a JSON text of `u` reads back as. */
const viaJson = (u: unknown): unknown => JSON.parse(JSON.stringify(u))

describe("decode∘encode is identity (docs/spec.md §13)", () => {
  it("every generated document is valid, and uses the optional fields", () => {
    const seen = { plans: 0, tiers: 0, discounts: 0, subscriptions: 0, options: 0 }
    for (const d of fc.sample(attachDocumentArb, { seed: 42, numRuns: 200 })) {
      const x = decoded(d)
      seen.plans += x.catalog.plans.length
      seen.tiers += x.catalog.plans.filter((p) => p.items.some((i) => i.price?.tiers !== undefined)).length
      seen.discounts += x.catalog.discounts.length
      seen.subscriptions += x.customer.subscriptions?.length ?? 0
      seen.options += Object.keys(x.request).length - 3
    }
    for (const [k, n] of Object.entries(seen)) expect(n, `${k}: ${JSON.stringify(seen)}`).toBeGreaterThan(50)
  })

  it("decode(encode(x)) = x, also through JSON text; encode(decode(encode(x))) = encode(x)", () => {
    fc.assert(fc.property(attachDocumentArb, (d) => {
      const x = decoded(d)
      const e = encodeAttachDocument(x)
      expect(decoded(e)).toEqual(x)
      expect(decoded(viaJson(e))).toEqual(x)
      expect(viaJson(encodeAttachDocument(decoded(e)))).toEqual(viaJson(e))
    }), RUNS)
  })

  it("the catalog alone: decodeCatalog(encodeCatalog(c)) = c, and encoding is a fixed point", () => {
    fc.assert(fc.property(catalogDocArb, (d) => {
      const c = decodedCatalog(d)
      const e = encodeCatalog(c)
      expect(decodedCatalog(viaJson(e))).toEqual(c)
      expect(viaJson(encodeCatalog(decodedCatalog(e)))).toEqual(viaJson(e))
    }), RUNS)
  })
})
