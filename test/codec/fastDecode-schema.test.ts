/**
 * The hand-written fast decode path (src/internal/fastDecode.ts) is held to the schemas it
 * mirrors by walking their AST: every struct has the schema's field names, in the schema's
 * order, with the schema's optionality; every literal set is the schema's; every leaf accepts
 * what its schema accepts (or less). So removing a field or narrowing a literal in a schema
 * without the fast path following fails here, not silently in production. (That the fast path
 * answers as Schema does, value for value, is test/perf-decode.test.ts.)
 */
import fc from "fast-check"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import { describe, expect, it } from "vitest"
import { AttachRequestSchema, RequestedPlanSchema } from "../../src/AttachRequest.ts"
import { FreeTrialSchema } from "../../src/Catalog.ts"
import { CustomerSchema, SubscriptionSchema } from "../../src/Customer.ts"
import { type FastShape, fastShapes } from "../../src/internal/fastDecode.ts"
import { CurrencyCode, Id, Instant, NonNegativeInt, NonNegativeNumber, PositiveInt, Quantity } from "../../src/internal/schemaKit.ts"
import { TimeZoneSchema } from "../../src/ProrationPolicy.ts"

const isOptional = (ast: AST.AST): boolean => ast.context?.isOptional === true

/** Whether two AST nodes accept the same values: same kind, the very same checks, same members. */
const sameAcceptance = (a: AST.AST, b: AST.AST): boolean => {
  if (a._tag !== b._tag) return false
  const ca = a.checks ?? []
  const cb = b.checks ?? []
  if (ca.length !== cb.length || ca.some((c, i) => c !== cb[i])) return false
  if (a._tag === "Literal" && b._tag === "Literal") return a.literal === b.literal
  if (a._tag === "Union" && b._tag === "Union") return a.types.length === b.types.length && a.types.every((t, i) => sameAcceptance(t, b.types[i] as AST.AST))
  return a._tag !== "Objects" && a._tag !== "Arrays" && a._tag !== "Declaration" && a._tag !== "Suspend"
}

const minLengthOf = (ast: AST.Arrays): number | undefined => {
  let min = 0
  for (const check of ast.checks ?? []) {
    const rep = check.annotations?.["representation"] as { readonly id?: unknown; readonly payload?: { readonly minLength?: unknown } } | undefined
    if (rep?.id !== "effect/schema/isMinLength" || typeof rep.payload?.minLength !== "number") return undefined
    min = Math.max(min, rep.payload.minLength)
  }
  return min
}

/** Where the fast shape and the schema differ, as `path: what`; empty when they agree. */
const differences = (fast: FastShape, ast: AST.AST, path: string): Array<string> => {
  switch (fast._tag) {
    case "GivesUp":
      return []
    case "Leaf":
      return sameAcceptance(fast.schema.ast, ast) ? [] : [`${path}: the fast leaf mirrors another schema than ${ast._tag}`]
    case "Literals": {
      // A union may have other members (an object form) that the fast path leaves to Schema.
      const literalsOf = (a: AST.AST): Array<unknown> => (a._tag === "Literal" ? [a.literal] : a._tag === "Union" ? a.types.flatMap(literalsOf) : [])
      const schemaLiterals = literalsOf(ast)
      return JSON.stringify(schemaLiterals) === JSON.stringify(fast.literals) ? [] : [`${path}: literals ${JSON.stringify(fast.literals)}, the schema's ${JSON.stringify(schemaLiterals)}`]
    }
    case "NullOr": {
      if (ast._tag !== "Union" || ast.types.length !== 2 || ast.types[1]?._tag !== "Null") return [`${path}: the schema is not X | null`]
      return differences(fast.type, ast.types[0] as AST.AST, path)
    }
    case "Array": {
      if (ast._tag !== "Arrays" || ast.elements.length !== 0 || ast.rest.length !== 1) return [`${path}: the schema is not an array`]
      const min = minLengthOf(ast)
      const length = min === fast.minLength ? [] : [`${path}: minimum length ${fast.minLength}, the schema's ${String(min ?? "a check the fast path does not know")}`]
      return [...length, ...differences(fast.item, ast.rest[0] as AST.AST, `${path}[]`)]
    }
    case "Struct": {
      if (ast._tag !== "Objects") return [`${path}: the schema is not a struct`]
      if (ast.indexSignatures.length > 0 || (ast.checks ?? []).length > 0) return [`${path}: the schema has index signatures or checks`]
      const fastNames = fast.fields.map((f) => `${f.name}${f.optional ? "?" : ""}`)
      const schemaNames = ast.propertySignatures.map((p) => `${String(p.name)}${isOptional(p.type) ? "?" : ""}`)
      if (JSON.stringify(fastNames) !== JSON.stringify(schemaNames)) return [`${path}: fields ${fastNames.join(", ")}; the schema's ${schemaNames.join(", ")}`]
      return fast.fields.flatMap((f, i) => differences(f.type, (ast.propertySignatures[i] as AST.PropertySignature).type, `${path}.${f.name}`))
    }
    case "FirstOf": {
      if (ast._tag !== "Union" || ast.types.length !== fast.members.length) return [`${path}: the schema is not a union of ${fast.members.length}`]
      return fast.members.flatMap((m, i) => differences(m, ast.types[i] as AST.AST, `${path}|${i}`))
    }
  }
}

describe("the fast decode path mirrors the schemas", () => {
  it("the customer: CustomerSchema field for field", () => {
    expect(differences(fastShapes.customer, CustomerSchema.ast, "customer")).toEqual([])
  })

  it("the request: AttachRequestSchema (and FreeTrialSchema) field for field", () => {
    expect(differences(fastShapes.request, AttachRequestSchema.ast, "request")).toEqual([])
  })

  it("literals nested in a union with an object form are the literals compared", () => {
    const policy = Schema.Union([Schema.Literals(["exact", "stripe"]), Schema.Struct({ clock: Schema.String })])
    expect(differences({ _tag: "Literals", literals: ["exact", "stripe"] }, policy.ast, "p")).toEqual([])
    expect(differences({ _tag: "Literals", literals: ["exact", "stripe", "lago"] }, policy.ast, "p").length).toBe(1)
  })

  it("walks every field: the top-level structs have the schemas' field counts", () => {
    const count = (s: FastShape): number => (s._tag === "Struct" ? s.fields.length : -1)
    expect(count(fastShapes.customer)).toBe(Object.keys(CustomerSchema.fields).length)
    expect(count(fastShapes.request)).toBe(Object.keys(AttachRequestSchema.fields).length)
  })
})

describe("a schema change the fast path does not follow is caught", () => {
  const { subscriptions, discounts, ...customerFields } = CustomerSchema.fields
  const { fingerprint: _fingerprint, ...withoutFingerprint } = CustomerSchema.fields

  it.each([
    ["a field removed", Schema.Struct(withoutFingerprint), fastShapes.customer],
    ["a field added", Schema.Struct({ ...CustomerSchema.fields, note: Schema.optionalKey(Schema.String) }), fastShapes.customer],
    ["fields reordered", Schema.Struct({ ...customerFields, discounts, subscriptions }), fastShapes.customer],
    ["an optional field made required", Schema.Struct({ ...CustomerSchema.fields, hasPaymentMethod: Schema.Boolean }), fastShapes.customer],
    ["a nested literal narrowed", Schema.Struct({
      ...CustomerSchema.fields,
      subscriptions: Schema.optionalKey(Schema.Array(Schema.Struct({ ...SubscriptionSchema.fields, status: Schema.Literals(["active", "trialing", "past_due", "scheduled"]) })))
    }), fastShapes.customer],
    ["a literal narrowed", Schema.Struct({ ...AttachRequestSchema.fields, redirectMode: Schema.optionalKey(Schema.Literals(["always", "never"])) }), fastShapes.request],
    ["a leaf check changed", Schema.Struct({ ...AttachRequestSchema.fields, customerId: Schema.String }), fastShapes.request],
    ["a minimum length dropped", Schema.Struct({ ...AttachRequestSchema.fields, plans: Schema.Array(RequestedPlanSchema) }), fastShapes.request],
    ["a null no longer accepted", Schema.Struct({ ...AttachRequestSchema.fields, freeTrial: Schema.optionalKey(FreeTrialSchema) }), fastShapes.request]
  ] as const)("%s", (_, schema, fast) => {
    expect(differences(fast, schema.ast, "doc").length).toBeGreaterThan(0)
  })
})

describe("each fast leaf accepts no value its schema refuses", () => {
  const leaves: ReadonlyArray<Schema.Top> = [Id, Instant, CurrencyCode, PositiveInt, NonNegativeInt, NonNegativeNumber, Quantity, TimeZoneSchema]
  const collect = (s: FastShape, out: Array<Extract<FastShape, { _tag: "Leaf" }>>): Array<Extract<FastShape, { _tag: "Leaf" }>> => {
    if (s._tag === "Leaf") out.push(s)
    else if (s._tag === "NullOr") collect(s.type, out)
    else if (s._tag === "Array") collect(s.item, out)
    else if (s._tag === "Struct") s.fields.forEach((f) => collect(f.type, out))
    else if (s._tag === "FirstOf") s.members.forEach((m) => collect(m, out))
    return out
  }
  const used = [...collect(fastShapes.customer, []), ...collect(fastShapes.request, [])]

  it("every leaf the fast path uses is one of the schema kit's (or a plain String/Boolean/String|Number)", () => {
    const plain = [Schema.String, Schema.Boolean, Schema.Union([Schema.String, Schema.Number])]
    for (const l of used) expect([...leaves, ...plain].some((s) => sameAcceptance(s.ast, l.schema.ast))).toBe(true)
    expect(new Set(used.map((l) => l.schema)).size).toBe(11)
  })

  const values: fc.Arbitrary<unknown> = fc.oneof(
    fc.anything(),
    fc.string({ maxLength: 4 }),
    fc.constantFrom("", "usd", "US1", "2025-02-30", "2025-02-28T24:00:00Z", "2024-02-29", "2025-01-01T00:00:00+02:00", "1969-12-31T23:59:59Z", "x".repeat(513), "UTC", "Europe/Paris", "Mars/Olympus"),
    fc.double(), fc.integer(), fc.constantFrom(0, -0, 1, 1e15, 1e15 + 1, Number.MAX_SAFE_INTEGER + 1, 0.5, NaN, Infinity)
  )
  it("a value a fast leaf passes is one its schema's `is` passes", () => {
    const distinct = [...new Map(used.map((l) => [l.schema, l])).values()]
    fc.assert(fc.property(values, (u) => {
      for (const l of distinct) {
        if (l.accepts(u)) expect(Schema.is(l.schema as Schema.Codec<unknown>)(u), `${String(u)} for ${l.schema.ast._tag}`).toBe(true)
      }
    }), { numRuns: 3000 })
  })
})
