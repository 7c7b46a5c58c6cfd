/**
 * The streamed hashes of `src/internal/working.ts` against the text they stand for: the customer
 * fingerprint is the hash of the key-sorted JSON text, the request key the hash of
 * `JSON.stringify`. The reference implementations below build that text, as the planner did before
 * it streamed; the fast paths must give the very same strings. Fixed seed.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { newSubscriptionId, subscriptionIds } from "../../src/internal/working.ts"
import { customerFingerprint, fnv1a64, jsonHash } from "../../src/internal/fingerprint.ts"

const RUNS = { seed: 20251123, numRuns: 400 } as const

/** Key-sorted JSON with `undefined` members left out: the text the fingerprint hashes. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

/** Strings with quotes, backslashes, controls, lone and paired surrogates, and non-ASCII. */
const textArb = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: fc.constantFrom("a", "\"", "\\", "\n", "\u0000", "\u001f", "\ud800", "\udc00", "é", "😀", "\u2028") })
)
const leafArb = fc.oneof(
  textArb,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined)
)
const valueArb = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leafArb, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(textArb, fc.constantFrom("id", "10", "2", "planId", "a", "B", "__proto__x")), tie("value"), { maxKeys: 5 })
})).value

describe("customerFingerprint", () => {
  it("hashes the key-sorted JSON text of any value", () => {
    fc.assert(fc.property(valueArb, (value) => {
      expect(customerFingerprint(value)).toBe(`cf_${fnv1a64(canonical(value))}`)
    }), RUNS)
  })

  it("does not depend on key order, and changes with any value", () => {
    // cf_ hashes of the same customer written in two key orders, and with one field changed.
    const a = customerFingerprint({ id: "cus_1", subscriptions: [{ id: "s", planId: "pro", status: "active" }], creditBalance: 5 })
    const b = customerFingerprint({ creditBalance: 5, subscriptions: [{ status: "active", planId: "pro", id: "s" }], id: "cus_1" })
    const c = customerFingerprint({ creditBalance: 6, subscriptions: [{ status: "active", planId: "pro", id: "s" }], id: "cus_1" })
    expect(a).toBe(b)
    expect(a).not.toBe(c)
  })
})

describe("jsonHash", () => {
  it("hashes JSON.stringify of plain data", () => {
    fc.assert(fc.property(valueArb.filter((v) => v !== undefined), (value) => {
      expect(jsonHash(value)).toBe(fnv1a64(JSON.stringify(value)))
    }), RUNS)
  })

  it("falls back to JSON.stringify for values it does not walk (toJSON, class instances)", () => {
    const withDate = { at: new Date(0), params: { toJSON: () => "custom" }, list: [new Map(), () => 1, Symbol("s")] }
    expect(jsonHash(withDate)).toBe(fnv1a64(JSON.stringify(withDate)))
    const nested = { params: { when: new Date(86_400_000) } }
    expect(jsonHash(nested)).toBe(fnv1a64(JSON.stringify(nested)))
  })
})

describe("newSubscriptionId", () => {
  it("stamps the instant without separators and numbers a taken id", () => {
    const at = Date.parse("2025-01-16T10:20:30.456Z")
    expect(newSubscriptionId("pro", at, subscriptionIds([]))).toBe("sub_pro_20250116T102030Z")
    const ids = subscriptionIds(["sub_pro_20250116T102030Z", "sub_pro_20250116T102030Z_2", "sub_pro_20250116T102030Z_4"])
    expect(newSubscriptionId("pro", at, ids)).toBe("sub_pro_20250116T102030Z_3")
    // Each id given is taken: the next copy gets the next free suffix.
    expect(newSubscriptionId("pro", at, ids)).toBe("sub_pro_20250116T102030Z_5")
    expect(newSubscriptionId("pro", at + 1000, ids)).toBe("sub_pro_20250116T102031Z")
  })
})

describe("jsonHash with an own toJSON", () => {
  it("falls back when a nested plain object or array has its own toJSON function", () => {
    const list = Object.assign([1, 2], { toJSON: () => "list" })
    const value = { a: 1, inner: { b: 2, toJSON: () => ({ replaced: true }) }, list }
    expect(jsonHash(value)).toBe(fnv1a64(JSON.stringify(value)))
    const data = { toJSON: "not a function", n: 1 }
    expect(jsonHash(data)).toBe(fnv1a64(JSON.stringify(data)))
  })
})
