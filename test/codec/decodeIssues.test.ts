/**
 * One builder for every DecodeError (src/internal/decodeIssues.ts): structured issues — path,
 * expected, actual — printed for this library's documents and for Autumn's API.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { CustomerSchema } from "../../src/Customer.ts"
import { decodeAttachDocument } from "../../src/Document.ts"
import { errorDocument } from "../../src/Errors.ts"
import { autumnBodyProblem, autumnMessage, decodeError, issuesOf, parsePath, renderPath, schemaIssues } from "../../src/internal/decodeIssues.ts"

const failureOf = (u: unknown) => {
  const r = Schema.decodeUnknownResult(CustomerSchema)(u, { errors: "all", onExcessProperty: "error", reportInput: true })
  if (Result.isSuccess(r)) throw new Error("expected a failure")
  return r.failure.issue
}

describe("structured issues", () => {
  it("a Schema failure gives path, expected and actual", () => {
    expect(schemaIssues(failureOf({ id: "", creditBalance: -1, nme: 1 }), ["customer"])).toEqual([
      { kind: "unexpected", path: ["customer", "nme"] },
      { kind: "mismatch", path: ["customer", "id"], expected: "a non-empty id (at most 512 characters)", actual: '""' },
      { kind: "mismatch", path: ["customer", "creditBalance"], expected: "a safe integer ≥ 0", actual: "-1" }
    ])
    expect(schemaIssues(failureOf({}))).toEqual([{ kind: "missing", path: ["id"] }])
  })

  it("printed for this library's documents: first issue, the others counted; the document keeps { path, message }", () => {
    const e = decodeError(schemaIssues(failureOf({ id: "", subscriptions: [{ id: "s" }] }), ["customer"]))
    expect(e.message).toBe('customer.id: expected a non-empty id (at most 512 characters), got "" (and 4 more)')
    expect(e.path).toBe("customer.id")
    expect(e.issues[1]).toEqual({ path: "customer.subscriptions[0].planId", message: "is required but missing" })
    expect(issuesOf(e)[1]).toEqual({ kind: "missing", path: ["customer", "subscriptions", 0, "planId"] })
    expect(Object.keys(errorDocument(e).error)).toEqual(["_tag", "message", "path", "issues"])
    expect(JSON.stringify(errorDocument(e))).not.toContain("kind")
  })

  it("the counts and the fallback issue are options (the sandbox's and the executor's errors count nothing)", () => {
    const two = [{ kind: "missing", path: ["a"] }, { kind: "missing", path: ["b"] }] as const
    expect(decodeError(two).message).toBe("a: is required but missing (and 1 more)")
    expect(decodeError(two, { countOthers: false }).message).toBe("a: is required but missing")
    expect(decodeError([]).message).toBe("(document): is not valid")
    expect(decodeError([], { ifNone: { kind: "rule", path: ["sandbox"], message: "is not a sandbox state" } }).message).toBe("sandbox: is not a sandbox state")
  })

  it("issues written as text are kept as written, and read back structured", () => {
    const e = decodeError([{ path: 'catalog.plans[1]["a b"].id', message: 'duplicate plan id "pro" at version 1' }])
    expect(e.message).toBe('catalog.plans[1]["a b"].id: duplicate plan id "pro" at version 1')
    expect(issuesOf(e)).toEqual([{ kind: "rule", path: ["catalog", "plans", 1, "a b", "id"], message: 'duplicate plan id "pro" at version 1' }])
  })

  it("a decoded document's error carries its structured issues", () => {
    const r = decodeAttachDocument({ catalog: { defaultCurrency: "usd", features: [], plans: [] }, customer: { id: "c" }, request: { customerId: "c", at: "yesterday", plans: [] } })
    expect(Result.isFailure(r) && issuesOf(r.failure)).toEqual([
      { kind: "mismatch", path: ["request", "at"], expected: "an ISO-8601 instant such as 2025-01-16T00:00:00Z", actual: '"yesterday"' },
      { kind: "mismatch", path: ["request", "plans"], expected: "at least one plan", actual: "[]" }
    ])
  })
})

describe("printed for Autumn", () => {
  it("a request body's issue: its own path, (body) for the whole body, 'this request'", () => {
    expect(autumnBodyProblem([{ kind: "unexpected", path: ["plan_idd"] }])).toEqual({ path: "plan_idd", message: "is not a field of this request (check its spelling)" })
    expect(autumnBodyProblem([{ kind: "mismatch", path: [], expected: "an object", actual: "null" }])).toEqual({ path: "(body)", message: "expected an object, got null" })
    // Body keys are printed as sent, never re-cased.
    expect(autumnBodyProblem([{ kind: "unexpected", path: ["customerId"] }]).path).toBe("customerId")
  })

  it("this library's request in Autumn's field names: no request root, snake_case, the others counted", () => {
    const e = decodeError([
      { kind: "mismatch", path: ["request", "plans", 0, "featureQuantities", 0, "quantity"], expected: "a number ≥ 0 (at most 1e15)", actual: "-1" },
      { kind: "missing", path: ["customer", "hasPaymentMethod"] }
    ])
    expect(autumnMessage(e)).toBe("plans[0].feature_quantities[0].quantity: expected a number ≥ 0 (at most 1e15), got -1 (and 1 more)")
    expect(autumnMessage(decodeError([{ kind: "missing", path: ["customer", "hasPaymentMethod"] }]))).toBe("customer.has_payment_method: is required but missing")
  })
})

describe("paths", () => {
  const segment = fc.oneof(fc.nat({ max: 50 }), fc.constantFrom("plans", "id", "a b", "x.y", "0", "$k", "é", '"q"', "", "[1]"), fc.string({ maxLength: 5 }))
  it("a printed path reads back as the path it was printed from", () => {
    fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (path) => {
      expect(parsePath(renderPath(path))).toEqual(path)
    }))
  })
  it.each([
    [["catalog", "plans", 0, "id"], "catalog.plans[0].id"],
    [[0, "type"], "[0].type"],
    [["a b"], '["a b"]'],
    [[], "(document)"]
  ] as const)("%j prints as %s", (path, text) => {
    expect(renderPath(path)).toBe(text)
  })
})
