/**
 * The speed-ups of the `--jsonl` path must not change an answer:
 * - the hand-written fast decoder (src/internal/fastDecode.ts) accepts exactly what the Schema
 *   decoder accepts, with the same output (keys in the same order), or gives up;
 * - the line splitter of src/cli/jsonl.ts cuts a stream exactly like `node:readline`.
 * Inputs are generated with fixed seeds (fast-check prints them on a failure).
 */
import * as fc from "fast-check"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { createInterface } from "node:readline"
import { Readable } from "node:stream"
import { describe, expect, it } from "vitest"
import { AttachRequestSchema } from "../../src/AttachRequest.ts"
import { lineSplitter } from "../../src/cli/jsonl.ts"
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

describe("fast decoding agrees with Schema", () => {
  it("takes the fast path for every valid example, with Schema's output", () => {
    for (const base of bases) {
      for (const fromJson of [true, false]) {
        const customer = fastCustomer(base.customer, fromJson)
        const request = fastRequest(base.request, fromJson)
        expect(customer).not.toBe(NOT_FAST)
        expect(request).not.toBe(NOT_FAST)
        expectAgrees(customer, schemaCustomer(base.customer, options))
        expectAgrees(request, schemaRequest(base.request, options))
      }
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
          const c = fastCustomer(parsed.customer, true)
          const r = fastRequest(parsed.request, true)
          if (c !== NOT_FAST && r !== NOT_FAST) fastValid++
          expectAgrees(c, schemaCustomer(parsed.customer, options))
          expectAgrees(r, schemaRequest(parsed.request, options))
          expectAgrees(fastCustomer(customer, false), schemaCustomer(customer, options))
          expectAgrees(fastRequest(request, false), schemaRequest(request, options))
        }
      ),
      { seed: 5, numRuns: 1500 }
    )
    // Some mutations keep a document valid (e.g. another valid id): the fast path must take them.
    expect(fastValid).toBeGreaterThan(50)
  })

  it("returns a parsed value as it is when its keys are in schema order, else a copy in schema order", () => {
    const ordered = schemaCustomer(rich.customer, options)
    const parsed: unknown = JSON.parse(JSON.stringify(Result.isSuccess(ordered) ? ordered.success : null))
    expect(fastCustomer(parsed, true)).toBe(parsed)
    // rich.customer has a subscription with `entityId` after `status`: copied, in schema order.
    expect(fastCustomer(rich.customer, true)).not.toBe(rich.customer)
    expect(JSON.stringify(fastCustomer(rich.customer, true))).toBe(JSON.stringify(parsed))
    // Any other value is copied at every level, like Schema does: the caller may change it later.
    const copy = fastCustomer(parsed, false) as { subscriptions: ReadonlyArray<unknown> }
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
      const c = fastCustomer(customer, true)
      const r = fastRequest(request, true)
      expect(c).not.toBe(NOT_FAST)
      expect(r).not.toBe(NOT_FAST)
      expectAgrees(c, schemaCustomer(customer, options))
      expectAgrees(r, schemaRequest(request, options))
    }
  })

  it("gives up on symbol keys, non-enumerable extra keys and foreign prototypes (values not from JSON)", () => {
    const base = { id: "cus_1", hasPaymentMethod: true }
    const withSymbol = Object.assign({ [Symbol("tag")]: 1 }, base)
    const hiddenExtra = Object.defineProperty({ ...base }, "note", { value: "x", enumerable: false })
    class Customerish {
      readonly id = "cus_1"
    }
    for (const u of [withSymbol, hiddenExtra, new Customerish()]) {
      expect(fastCustomer(u, false)).toBe(NOT_FAST)
    }
    // A non-enumerable declared field is still a field for Schema, and so for the fast path.
    const hiddenField = Object.defineProperty({ ...base }, "currency", { value: "usd", enumerable: false })
    expect(fastCustomer(hiddenField, false)).toStrictEqual({ id: "cus_1", currency: "usd", hasPaymentMethod: true })
    expectAgrees(fastCustomer(hiddenField, false), schemaCustomer(hiddenField, options))
  })
})

/** The lines `node:readline` (crlfDelay: Infinity) reads from these chunks. */
const readlineLines = async (chunks: ReadonlyArray<string | Buffer>): Promise<Array<string>> => {
  const out: Array<string> = []
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity, terminal: false })) out.push(line)
  return out
}

describe("lineSplitter cuts like node:readline", () => {
  const text = fc.array(fc.constantFrom("a", "{}", " ", "\n", "\r", "\r\n", "é", "😀", "\ufeff"), { maxLength: 30 }).map((parts) => parts.join(""))

  it("for byte chunks split anywhere (also inside a UTF-8 sequence or a \\r\\n), and string chunks", async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }), fc.boolean(), fc.boolean(), async (s, sizes, asStrings, truncated) => {
        const bytes = Buffer.from(s, "utf8")
        const chunks: Array<string | Buffer> = []
        let at = 0
        for (let i = 0; at < bytes.length; i++) {
          const size = sizes[i % sizes.length] ?? 1
          chunks.push(asStrings ? s.slice(at, at + size) : bytes.subarray(at, at + size))
          at += size
          if (asStrings && at >= s.length) break
        }
        if (!asStrings && truncated) chunks.push(Buffer.from([0xe2, 0x82])) // a sequence cut short at the end
        const split = lineSplitter()
        const mine = chunks.flatMap((c) => split.push(c)).concat(split.end())
        expect(mine).toEqual(await readlineLines(chunks))
      }),
      { seed: 7, numRuns: 500 }
    )
  })

  it("handles a 10 MB line in linear time", () => {
    const split = lineSplitter()
    const piece = "x".repeat(64 * 1024)
    let lines: Array<string> = []
    for (let i = 0; i < 160; i++) lines = lines.concat(split.push(piece))
    lines = lines.concat(split.push("\r"), split.push("\nnext"), split.end())
    expect(lines.map((l) => l.length)).toEqual([160 * 64 * 1024, 4])
  })
})
