/**
 * The previewer of whole documents in `preview --jsonl` keeps the last catalog it decoded and
 * plans a document whose catalog is the same JSON against it (src/cli/documents.ts). It must
 * answer every document exactly as `previewDocument` does, whatever came before, and it must
 * really skip the decoding when the catalog repeats.
 */
import fc from "fast-check"
import { readFileSync } from "node:fs"
import { isDeepStrictEqual } from "node:util"
import { describe, expect, it } from "vitest"
import { rememberingPreviewer } from "../../src/cli/documents.ts"
import { sameJson, sameJsonAs } from "../../src/cli/internal/sameJson.ts"
import { decodeAttachDocument } from "../../src/Document.ts"
import { previewDocument } from "../../src/index.ts"
import { catalogDocArb, customerDocArb, requestDocArb } from "../support/arbitraries.ts"

type Obj = Record<string, unknown>

const example = (name: string): Obj => JSON.parse(readFileSync(`examples/${name}.json`, "utf8")) as Obj

/** A previewer and how many documents it decoded whole. */
const counted = (): { readonly preview: (doc: unknown) => string; readonly decoded: () => number } => {
  let decoded = 0
  const previewer = rememberingPreviewer((doc) => {
    decoded++
    return decodeAttachDocument(doc)
  })
  return { preview: (doc) => JSON.stringify(previewer(doc)), decoded: () => decoded }
}

/** The answer of `previewDocument`, on a copy (as another line of the stream would be). */
const expected = (doc: unknown): string => JSON.stringify(previewDocument(structuredClone(doc)))

const withCatalog = (doc: Obj, edit: (catalog: Obj) => void): Obj => {
  const copy = structuredClone(doc)
  edit(copy["catalog"] as Obj)
  return copy
}

const sameJsonTests: ReadonlyArray<readonly [string, (known: unknown, value: unknown) => boolean]> = [
  ["sameJsonAs", (known, value) => sameJsonAs(known)(value)],
  ["sameJson", sameJson]
]

describe.each(sameJsonTests)("%s", (_name, same) => {
  it("is true exactly for the same keys in the same order and the same values (-0 is not 0) (property)", () => {
    const pair = fc.oneof(
      fc.jsonValue().map((v) => [v, JSON.parse(JSON.stringify(v)) as unknown] as const),
      fc.tuple(fc.jsonValue(), fc.jsonValue())
    )
    fc.assert(fc.property(pair, ([a, b]) => {
      expect(same(b, a)).toBe(isDeepStrictEqual(a, b) && JSON.stringify(a) === JSON.stringify(b))
    }), { seed: 20261204, numRuns: 2000 })
    expect(same({ b: 2, a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(same([-0], [0])).toBe(false)
    expect(same({ a: {} }, { a: [] })).toBe(false)
    expect(same({ a: {} }, { a: null })).toBe(false)
    expect(same({ a: null }, { a: {} })).toBe(false)
    expect(same({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(same({ a: 1, b: 2 }, { a: 1 })).toBe(false)
    // An inherited enumerable key is not the same JSON (JSON.parse never makes one).
    expect(same({ a: 1 }, Object.create({ b: 2 }, { a: { value: 1, enumerable: true } }))).toBe(false)
    expect(same({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] })).toBe(true)
  })
})

describe("the previewer of whole documents", () => {
  it("answers a stream of documents as previewDocument does, decoding a catalog only when it differs from the last one", () => {
    const newDoc = example("new")
    const upgrade = example("upgrade")
    const reordered = withCatalog(newDoc, (c) => {
      const plans = c["plans"]
      delete c["plans"]
      c["plans"] = plans
    })
    const stream: ReadonlyArray<readonly [unknown, boolean]> = [
      [newDoc, true],
      [upgrade, false], // the same catalog, another customer
      [example("downgrade"), false],
      [{ ...structuredClone(newDoc), customer: { id: "" } }, false], // a bad customer, a known catalog
      [{ ...structuredClone(newDoc), extra: 1 }, false], // an excess key
      [withCatalog(newDoc, (c) => ((c["plans"] as Array<Obj>)[1] as Obj)["name"] = "Pro!"), true],
      [upgrade, true],
      [withCatalog(upgrade, (c) => ((c["plans"] as Array<Obj>)[1] as Obj)["price"] = { amount: "twenty", interval: "month" }), true],
      [upgrade, false], // a bad catalog in between is not remembered: the last good one still is
      [reordered, true], // the same catalog in another key order is decoded again
      [example("trial-no-card"), true],
      [{ customer: newDoc["customer"], request: newDoc["request"] }, true], // no catalog at all
      [null, true],
      [[], true],
      [example("prepaid-tiers"), true],
      [example("prepaid-tiers"), false]
    ]
    const { preview, decoded } = counted()
    let decodes = 0
    stream.forEach(([doc, decodesIt], i) => {
      expect(preview(structuredClone(doc)), `document ${i}`).toBe(expected(doc))
      if (decodesIt) decodes++
      expect(decoded(), `decodes after document ${i}`).toBe(decodes)
    })
  })

  it("answers as previewDocument does on generated streams of a few catalogs, with damaged ones among them (property)", () => {
    const catalogs = fc.array(catalogDocArb, { minLength: 1, maxLength: 3 })
    const picks = fc.array(fc.tuple(fc.nat(5), customerDocArb("cus_1"), requestDocArb("cus_1")), { minLength: 1, maxLength: 8 })
    fc.assert(fc.property(catalogs, picks, (known, lines) => {
      const { preview } = counted()
      for (const [pick, customer, request] of lines) {
        const base = known[pick % known.length] as Obj
        // Picks beyond the catalogs: the same catalog with one amount changed, or not a catalog.
        const catalog = pick < known.length ? base : pick === 5 ? { ...base, defaultCurrency: 7 } : { ...structuredClone(base), defaultCurrency: "eur" }
        const doc = { catalog: structuredClone(catalog), customer, request }
        expect(preview(doc)).toBe(expected(doc))
      }
    }), { seed: 20261204, numRuns: 150 })
  })
})
