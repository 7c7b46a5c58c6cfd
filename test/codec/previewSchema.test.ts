/**
 * The output has a schema: every preview the engine writes for the recorded corpus (25,013
 * documents, test/corpus) decodes with `AttachPreviewSchema` — excess properties refused — and
 * encodes back to the same document. Every action it carries is one of `ProviderActionSchema`'s.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { previewDocument } from "../../src/index.ts"
import { type AttachPreview, AttachPreviewSchema } from "../../src/Preview.ts"
import { ProviderActionSchema } from "../../src/Provider.ts"
import { readDocuments } from "../corpus/corpus.ts"
import { SCENARIOS } from "../support/execute.ts"

const options = { errors: "all", onExcessProperty: "error" } as const
const decode = Schema.decodeUnknownResult(AttachPreviewSchema)
const encode = Schema.encodeUnknownResult(AttachPreviewSchema)

/** JSON with every object's keys sorted: equal exactly when the values are deep-equal. */
const canonical = (u: unknown): string =>
  JSON.stringify(u, (_k, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v)

const documents = readDocuments()
const CHUNK = 5_000
const chunks = Array.from({ length: Math.ceil(documents.length / CHUNK) }, (_, i) => i * CHUNK)

describe("AttachPreviewSchema holds every preview of the corpus", () => {
  it.each(chunks)("previews of documents %i… decode (no excess property) and encode back to the same JSON", (start) => {
    const failures: Array<string> = []
    let previews = 0
    for (let i = start; i < Math.min(start + CHUNK, documents.length); i++) {
      const out = previewDocument(documents[i])
      if ("error" in out) continue
      previews++
      const decoded = decode(out, options)
      if (Result.isFailure(decoded)) {
        failures.push(`#${i} does not decode: ${String(decoded.failure)}`.slice(0, 800))
        continue
      }
      const encoded = encode(decoded.success)
      if (Result.isFailure(encoded)) {
        failures.push(`#${i} does not encode: ${String(encoded.failure)}`.slice(0, 800))
        continue
      }
      // Byte for byte, key order included — but for customerAfter, which keeps the key order of
      // the customer the document gave (the schema has one order): there, the same values.
      const back = encoded.success
      const sameBytes = JSON.stringify({ ...back, customerAfter: null }) === JSON.stringify({ ...out, customerAfter: null })
      if (!sameBytes || canonical(back.customerAfter) !== canonical(out.customerAfter)) failures.push(`#${i} encodes back to another document`)
    }
    expect(previews).toBeGreaterThan(0)
    expect(failures.slice(0, 5), `${failures.length} previews fail`).toEqual([])
  }, 300_000)
})

describe("AttachPreviewSchema refuses what is not a preview", () => {
  const firstPreview = (): AttachPreview => {
    for (const d of documents) {
      const p = previewDocument(d)
      if (!("error" in p) && p.actions.length > 0 && p.lines.length > 0) return p
    }
    throw new Error("the corpus has a preview with actions and lines")
  }
  const first = firstPreview()
  const fails = (u: unknown): boolean => Result.isFailure(decode(u, options))

  it.each([
    ["an excess field", { ...first, extra: 1 }],
    ["an excess field on a line", { ...first, lines: [{ ...first.lines[0], note: "x" }] }],
    ["an unknown action", { ...first, actions: [{ type: "refundEverything", idempotencyKey: "k" }] }],
    ["an action missing a field", { ...first, actions: [{ ...first.actions[0], idempotencyKey: undefined }] }],
    ["a fractional amount", { ...first, amountDue: 1.5 }],
    ["an unknown scenario", { ...first, scenario: "upsell" }]
  ])("%s", (_, u) => {
    expect(fails(u)).toBe(true)
  })

  it("a line's derivation is LineDerivationSchema's: its required fields, no others", () => {
    const derivation = { exact: "2580.64", roundingDelta: "-0.36", base: "5000", discounts: [] }
    expect(fails({ ...first, lines: [{ ...first.lines[0], derivation }] })).toBe(false)
    expect(fails({ ...first, lines: [{ ...first.lines[0], derivation: { exact: "2580.64", discounts: [] } }] })).toBe(true)
    expect(fails({ ...first, lines: [{ ...first.lines[0], derivation: { ...derivation, note: "x" } }] })).toBe(true)
    expect(fails({ ...first, lines: [{ ...first.lines[0], derivation: "2580.64" }] })).toBe(true)
  })

  it("ProviderActionSchema is the schema of every action", () => {
    expect(first.actions.every((a) => Schema.is(ProviderActionSchema)(a))).toBe(true)
  })
})

describe("ProviderActionSchema covers every action the planner emits", () => {
  // The corpus holds 9 of the 11 action types; the executor's scenarios add releaseSchedule and uncancelSubscription.
  const previews = Object.values(SCENARIOS).map((s) => previewDocument(s.document)).filter((p): p is AttachPreview => !("error" in p))
  it("every type appears, and every scenario's preview decodes and encodes back", () => {
    const types = new Set(previews.flatMap((p) => p.actions.map((a) => a.type)))
    expect([...types].sort()).toEqual(ProviderActionSchema.members.map((m) => m.fields.type.literal).sort())
    for (const p of previews) {
      const decoded = decode(p, options)
      expect(Result.isSuccess(decoded)).toBe(true)
      if (Result.isSuccess(decoded)) expect(canonical(Schema.encodeUnknownSync(AttachPreviewSchema)(decoded.success))).toBe(canonical(p))
    }
  })
})
