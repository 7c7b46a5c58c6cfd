/**
 * The decoder compiled from a schema's AST (src/internal/compiledSchema.ts) must answer as the
 * Schema decoder does whenever it answers at all: the same value, with the same keys in the same
 * order. It may give up (the Schema decoder then runs), but on the valid documents of the
 * examples and of the generators it must not, or it would be a slow path in disguise.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { AttachRequestSchema } from "../../src/AttachRequest.ts"
import { CatalogSchema } from "../../src/Catalog.ts"
import { CustomerSchema } from "../../src/Customer.ts"
import { compileDecoder, compileValidator, GIVE_UP, withPlainChecks } from "../../src/internal/compiledSchema.ts"
import { CurrencyCode, DecimalAmount, Id, Instant, NonNegativeInt, NonNegativeNumber, PositiveInt, Quantity } from "../../src/internal/schemaKit.ts"
import { catalogDocArb, customerDocArb, requestDocArb } from "../support/arbitraries.ts"

const options = { errors: "all", onExcessProperty: "error" } as const
const props = { seed: 20261204, numRuns: 300 } as const

/** Whatever the compiled decoder answers, Schema answers too, identically; returns whether it answered. */
const agrees = (schema: Schema.Top, input: unknown): boolean => {
  const compiled = compileDecoder(schema)(input)
  // The validator walks and checks as the decoder does, answering the input itself.
  const validated = compileValidator(schema)(input)
  expect(validated).toBe(compiled === GIVE_UP ? GIVE_UP : input)
  const viaSchema = Schema.decodeUnknownResult(schema as Schema.Codec<unknown, unknown>)(input, options)
  if (compiled === GIVE_UP) return false
  expect(Result.isSuccess(viaSchema), `Schema refuses what the compiled decoder accepted: ${JSON.stringify(input).slice(0, 300)}`).toBe(true)
  if (Result.isSuccess(viaSchema)) {
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(viaSchema.success))
    expect(compiled).toEqual(viaSchema.success)
  }
  return true
}

/** One random change to a JSON value: drop a key, add one, or replace a value with another kind. */
const mutate = (doc: unknown, path: ReadonlyArray<number>, replacement: unknown, mode: number): unknown => {
  const copy: unknown = structuredClone(doc)
  let node: unknown = copy
  for (const step of path) {
    if (typeof node !== "object" || node === null) break
    const keys = Object.keys(node)
    if (keys.length === 0) break
    const key = keys[step % keys.length] as string
    const child = (node as Record<string, unknown>)[key]
    if (typeof child !== "object" || child === null || step % 3 === 0) {
      const target = node as Record<string, unknown>
      if (mode === 0) delete target[key]
      else if (mode === 1) target[`${key}_extra`] = replacement
      else target[key] = replacement
      return copy
    }
    node = child
  }
  return copy
}

const exampleCatalogs = (): Array<unknown> => {
  const docs: Array<unknown> = [JSON.parse(readFileSync("examples/catalog.json", "utf8")), JSON.parse(readFileSync("examples/catalog-rise.json", "utf8"))]
  for (const file of readdirSync("test/conformance/cases")) {
    if (!file.endsWith(".json")) continue
    const doc = JSON.parse(readFileSync(`test/conformance/cases/${file}`, "utf8")) as { readonly input?: { readonly catalog?: unknown } }
    if (doc.input?.catalog !== undefined) docs.push(doc.input.catalog)
  }
  return docs
}

/** Whole documents: the examples, hand-damaged ones, generated valid and damaged ones. */
const onDocuments = () => {
  it("decodes every example and conformance catalog exactly as Schema does, without giving up", () => {
    const catalogs = exampleCatalogs()
    expect(catalogs.length).toBeGreaterThan(2)
    for (const catalog of catalogs) expect(agrees(CatalogSchema, catalog)).toBe(true)
  })

  it("gives up on what Schema refuses: a wrong kind, a missing or an excess key, a bad literal or amount", () => {
    const catalog = JSON.parse(readFileSync("examples/catalog.json", "utf8")) as { plans: Array<Record<string, unknown>> }
    const decode = compileDecoder(CatalogSchema)
    const bad = (edit: (c: typeof catalog) => void): unknown => {
      const copy = structuredClone(catalog)
      edit(copy)
      return decode(copy)
    }
    expect(bad((c) => Object.assign(c, { extra: 1 }))).toBe(GIVE_UP)
    expect(bad((c) => delete (c as Partial<typeof c>).plans)).toBe(GIVE_UP)
    expect(bad((c) => Object.assign(c.plans[1] as object, { price: { amount: "twenty", interval: "month" } }))).toBe(GIVE_UP)
    expect(bad((c) => Object.assign(c.plans[1] as object, { price: { amount: "-1", interval: "month" } }))).toBe(GIVE_UP)
    expect(bad((c) => Object.assign(c.plans[1] as object, { price: { amount: "20", interval: "fortnight" } }))).toBe(GIVE_UP)
    expect(bad((c) => Object.assign(c.plans[1] as object, { version: 0 }))).toBe(GIVE_UP)
    expect(bad((c) => Object.assign(c.plans[1] as object, { id: "" }))).toBe(GIVE_UP)
    expect(decode(Object.assign({ [Symbol("tag")]: 1 }, catalog))).toBe(GIVE_UP)
    expect(agrees(CatalogSchema, Object.assign({ [Symbol("tag")]: 1 }, catalog))).toBe(false)
    // A non-enumerable extra key is invisible to Schema too: both accept, with the same value.
    expect(agrees(CatalogSchema, Object.defineProperty(structuredClone(catalog), "note", { value: "x", enumerable: false }))).toBe(true)
    expect(decode([])).toBe(GIVE_UP)
    expect(decode(null)).toBe(GIVE_UP)
    expect(decode(new Map())).toBe(GIVE_UP)
  })

  it("answers as Schema does on generated valid catalogs, customers and requests, and does not give up on them (property)", () => {
    let answered = 0
    let total = 0
    const doc = fc.tuple(catalogDocArb, customerDocArb("cus_1"), requestDocArb("cus_1"))
    fc.assert(fc.property(doc, ([catalog, customer, request]) => {
      total += 3
      answered += [agrees(CatalogSchema, catalog), agrees(CustomerSchema, customer), agrees(AttachRequestSchema, request)].filter(Boolean).length
    }), props)
    // Requests with `checkoutSessionParams` hold `Unknown` values, which the compiled decoder leaves to Schema.
    expect(answered / total).toBeGreaterThan(0.8)
  })

  it("never answers where Schema refuses, on generated damaged catalogs (property)", () => {
    const damaged = fc.tuple(catalogDocArb, fc.array(fc.nat(50), { minLength: 1, maxLength: 6 }), fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({})), fc.nat(2))
    fc.assert(fc.property(damaged, ([catalog, path, replacement, mode]) => {
      agrees(CatalogSchema, mutate(catalog, path, replacement, mode))
    }), { ...props, numRuns: 1000 })
  })
}

/** The library's leaf schemas and the plain predicates registered for them. */
const onLeafSchemas = () => {
  it("runs the plain predicate of a library leaf schema, wherever the leaf occurs", () => {
    const refusesAll = withPlainChecks(Schema.String.check(Schema.makeFilter((t: string) => t.length > 0, { expected: "text" })), () => false)
    expect(compileDecoder(refusesAll)("a")).toBe(GIVE_UP)
    expect(compileDecoder(Schema.Struct({ a: Schema.optionalKey(refusesAll) }))({ a: "a" })).toBe(GIVE_UP)
    expect(compileDecoder(Schema.Struct({ a: Schema.optionalKey(refusesAll) }))({})).toEqual({})
    // A schema with further checks is not the registered leaf: its own checks run.
    const longer = refusesAll.check(Schema.makeFilter((t: string) => t.length > 1, { expected: "longer" }))
    expect(compileDecoder(longer)("ab")).toBe("ab")
  })

  it("runs the plain predicate of each of several leaves refined from one base schema", () => {
    // Both share Schema.Int's check first: each must still be recognised as its own leaf.
    const below = withPlainChecks(Schema.Int.check(Schema.makeFilter((n: number) => n < 10, { expected: "< 10" })), () => false)
    const above = withPlainChecks(Schema.Int.check(Schema.makeFilter((n: number) => n > 0, { expected: "> 0" })), () => false)
    expect(compileDecoder(below)(5)).toBe(GIVE_UP)
    expect(compileDecoder(above)(5)).toBe(GIVE_UP)
  })

  it("accepts with the leaf predicates exactly what Schema accepts (property)", () => {
    const leaves: ReadonlyArray<readonly [string, Schema.Top]> = [
      ["Id", Id], ["DecimalAmount", DecimalAmount], ["PositiveInt", PositiveInt], ["NonNegativeInt", NonNegativeInt],
      ["NonNegativeNumber", NonNegativeNumber], ["Quantity", Quantity], ["CurrencyCode", CurrencyCode], ["Instant", Instant]
    ]
    const edges: ReadonlyArray<unknown> = [
      "", "a", "x".repeat(512), "x".repeat(513), "usd", "US", "u5d", "USDX", "0", "-0", "20", "-1", "-0.5", "19.99", " 7 ", "1e3", "1e-13", "1e16", "twenty",
      "2025-01-16T00:00:00Z", "2025-02-30T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59.999Z", "2025-01-16",
      0, -0, 1, -1, 0.5, 1e15, 1e15 + 2, 2 ** 53, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY, 1e300, null, true, [], {}
    ]
    const value = fc.oneof(fc.constantFrom(...edges), fc.string({ maxLength: 8 }), fc.double(), fc.integer(), fc.integer().map((i) => i / 100), fc.integer().map(String))
    for (const [name, schema] of leaves) {
      const decode = Schema.decodeUnknownResult(schema as Schema.Codec<unknown, unknown>)
      const compiled = compileDecoder(schema)
      const same = (v: unknown): void => {
        expect(compiled(v) !== GIVE_UP, `${name} on ${String(v)}`).toBe(Result.isSuccess(decode(v, options)))
      }
      edges.forEach(same)
      fc.assert(fc.property(value, same), { seed: 20261204, numRuns: 500 })
    }
  })
}

describe("compileDecoder", () => {
  describe("on documents", onDocuments)
  describe("on leaf schemas", onLeafSchemas)
})
