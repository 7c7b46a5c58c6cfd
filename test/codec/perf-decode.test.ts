/**
 * The speed-ups of the `--jsonl` path must not change an answer:
 * - the fast decoder (src/internal/fastDecode.ts, compiled from the schemas) accepts exactly what
 *   the Schema decoder accepts, with the same output (keys in the same order), or gives up;
 * - the line splitter of src/cli/jsonl.ts cuts a stream exactly like `node:readline`.
 * Inputs are generated with fixed seeds (fast-check prints them on a failure).
 */
import * as fc from "fast-check"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { AttachRequestSchema } from "../../src/AttachRequest.ts"
import { CustomerSchema } from "../../src/Customer.ts"
import { fastCustomer, fastRequest, NOT_FAST } from "../../src/internal/fastDecode.ts"

type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }

const options = { errors: "all", onExcessProperty: "error", reportInput: true } as const
const schemaCustomer = Schema.decodeUnknownResult(CustomerSchema)
const schemaRequest = Schema.decodeUnknownResult(AttachRequestSchema)

const example = (name: string): { customer: Json; request: Json } =>
  JSON.parse(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), "utf8")) as { customer: Json; request: Json }

/** A customer and a request using every optional field. */
const rich: { customer: Json; request: Json } = {
  customer: {
    id: "cus_rich", currency: "USD", hasPaymentMethod: true, fingerprint: "fp", creditBalance: 500, trialsUsed: ["pro_annual"],
    subscriptions: [
      { id: "s1", planId: "pro", version: 1, entityId: null, status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z", cancelAtPeriodEnd: false, featureQuantities: [{ featureId: "seats", quantity: 3 }], usage: [{ featureId: "messages", used: 10.5 }], providerSubscriptionId: "ps_1", discounts: [{ discountId: "LAUNCH20", appliedAt: "2025-01-01T00:00:00Z" }] },
      { id: "s2", planId: "credits", status: "trialing", entityId: "ent_1", billingAnchor: "2025-01-01T00:00:00+02:00", startedAt: "2024-02-29T00:00:00.123Z", endsAt: "2026-01-01", trialEndsAt: "2025-01-05T00:00Z", startsAt: "2025-01-01" }
    ],
    discounts: [{ discountId: "WELCOME5", appliedAt: "2025-01-01T00:00:00Z" }]
  },
  request: {
    customerId: "cus_rich", at: "2025-02-10T10:00:00Z", plans: [{ planId: "premium", version: 1, entityId: "ent_1", featureQuantities: [{ featureId: "seats", quantity: 4 }] }],
    entityId: "ent_1", currency: "usd", freeTrial: { length: 7, unit: "day", cardRequired: false },
    discounts: [{ discountId: "WELCOME5" }, { promotionCode: "LAUNCH" }], prorationBehavior: "none", planSchedule: "end_of_cycle", billingCycleAnchor: "now", redirectMode: "never",
    invoiceMode: { enabled: true, finalize: true, enablePlanImmediately: false, netTermsDays: 30 }, newBillingSubscription: true,
    customLineItems: [{ amount: "5.00", description: "setup" }, { amount: 3, description: "x" }], successUrl: "https://example.com"
  }
}

const bases = [example("new"), example("upgrade"), example("downgrade"), example("prepaid-tiers"), rich]

/** Same answer as Schema: both fail, or the fast path gave up, or both give the same value. */
const expectAgrees = (fast: unknown, schema: Result.Result<unknown, unknown>): void => {
  if (fast === NOT_FAST) return
  expect(Result.isSuccess(schema)).toBe(true)
  if (Result.isSuccess(schema)) {
    expect(fast).toStrictEqual(schema.success)
    expect(JSON.stringify(fast)).toBe(JSON.stringify(schema.success))
  }
}

const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1, 2.5, 1e15, 1e16, 2 ** 53, -0.5, "", "x", "active", "now", "usd", "US", "2025-02-30T00:00:00Z", "2025-01-16", "2025-01-01T24:00:00Z", "2025-01-01T23:60:00Z", [], {}, { enabled: true }, { discountId: "A", promotionCode: "B" }, "x".repeat(513)),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>
)

const pathsOf = (value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> => {
  out.push(prefix)
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out))
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out)
  return out
}

/** A copy of `doc` with one value replaced, deleted (undefined) or an extra key added. */
const mutated = (doc: Json, pick: number, value: Json | undefined, extraKey: string | undefined): Json => {
  const copy = structuredClone(doc)
  const paths = pathsOf(copy).filter((p) => p.length > 0)
  const path = paths[pick % paths.length] ?? []
  let node = copy as Record<string | number, Json>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>
  const last = path[path.length - 1] as string | number
  const target = node[last]
  if (extraKey !== undefined && target !== null && typeof target === "object" && !Array.isArray(target)) target[extraKey] = value ?? 1
  else if (value === undefined) Array.isArray(node) ? node.splice(last as number, 1) : delete node[last]
  else node[last] = value
  return copy
}

/** The valid examples, and the same documents damaged at random. */
const onDocuments = () => {
  it("takes the fast path for every valid example, with Schema's output", () => {
    for (const base of bases) {
      const customer = fastCustomer(base.customer)
      const request = fastRequest(base.request)
      expect(customer).not.toBe(NOT_FAST)
      expect(request).not.toBe(NOT_FAST)
      expectAgrees(customer, schemaCustomer(base.customer, options))
      expectAgrees(request, schemaRequest(base.request, options))
    }
  })

  it("never accepts what Schema rejects, on mutated customers and requests", () => {
    let fastValid = 0
    fc.assert(
      fc.property(
        fc.nat(bases.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.option(nasty, { nil: undefined }), fc.option(fc.constantFrom("extra", "__proto__", "constructor"), { nil: undefined, freq: 4 })), { minLength: 1, maxLength: 3 }),
        (b, edits) => {
          let doc: Json = { customer: bases[b]?.customer ?? null, request: bases[b]?.request ?? null }
          for (const [pick, value, key] of edits) doc = mutated(doc, pick, value, key)
          const { customer, request } = doc as { customer: unknown; request: unknown }
          const parsed = JSON.parse(JSON.stringify(doc)) as { customer: unknown; request: unknown }
          const c = fastCustomer(parsed.customer)
          const r = fastRequest(parsed.request)
          if (c !== NOT_FAST && r !== NOT_FAST) fastValid++
          expectAgrees(c, schemaCustomer(parsed.customer, options))
          expectAgrees(r, schemaRequest(parsed.request, options))
          expectAgrees(fastCustomer(customer), schemaCustomer(customer, options))
          expectAgrees(fastRequest(request), schemaRequest(request, options))
        }
      ),
      { seed: 5, numRuns: 1500 }
    )
    // Some mutations keep a document valid (e.g. another valid id): the fast path must take them.
    expect(fastValid).toBeGreaterThan(50)
  })
}

/** What the fast path hands back, and values JSON cannot make. */
const onCopiesAndForeignValues = () => {
  it("returns a copy in schema order at every level, like Schema does: the caller may change it later", () => {
    const ordered = schemaCustomer(rich.customer, options)
    const parsed: unknown = JSON.parse(JSON.stringify(Result.isSuccess(ordered) ? ordered.success : null))
    // rich.customer has a subscription with `entityId` after `status`: the copy is in schema order.
    expect(JSON.stringify(fastCustomer(rich.customer))).toBe(JSON.stringify(parsed))
    const copy = fastCustomer(parsed) as { subscriptions: ReadonlyArray<unknown> }
    const original = parsed as { subscriptions: ReadonlyArray<unknown> }
    expect(copy).not.toBe(parsed)
    expect(copy.subscriptions).not.toBe(original.subscriptions)
    expect(copy.subscriptions[0]).not.toBe(original.subscriptions[0])
    expect(copy).toStrictEqual(parsed)
    // Keys reversed at every level: Schema's output has them back in declaration order.
    const reversed = (v: Json): Json =>
      Array.isArray(v) ? v.map(reversed) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v
    for (const base of bases) {
      const customer = reversed(base.customer)
      const request = reversed(base.request)
      const c = fastCustomer(customer)
      const r = fastRequest(request)
      expect(c).not.toBe(NOT_FAST)
      expect(r).not.toBe(NOT_FAST)
      expectAgrees(c, schemaCustomer(customer, options))
      expectAgrees(r, schemaRequest(request, options))
    }
  })

  it("gives up on symbol keys and foreign prototypes, and agrees with Schema on non-enumerable keys (values not from JSON)", () => {
    const base = { id: "cus_1", hasPaymentMethod: true }
    const withSymbol = Object.assign({ [Symbol("tag")]: 1 }, base)
    class Customerish {
      readonly id = "cus_1"
    }
    for (const u of [withSymbol, new Customerish()]) expect(fastCustomer(u)).toBe(NOT_FAST)
    // Schema does not see a non-enumerable extra key, nor does the fast path; a non-enumerable
    // declared field is left to Schema.
    const hiddenExtra = Object.defineProperty({ ...base }, "note", { value: "x", enumerable: false })
    expect(fastCustomer(hiddenExtra)).toStrictEqual(base)
    expectAgrees(fastCustomer(hiddenExtra), schemaCustomer(hiddenExtra, options))
    const hiddenField = Object.defineProperty({ ...base }, "currency", { value: "usd", enumerable: false })
    expectAgrees(fastCustomer(hiddenField), schemaCustomer(hiddenField, options))
  })
}

describe("fast decoding agrees with Schema", () => {
  describe("on documents", onDocuments)
  describe("on copies and values not from JSON", onCopiesAndForeignValues)
})
