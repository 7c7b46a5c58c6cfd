/**
 * A small builder of attach documents `{ catalog, customer, request }` (docs/spec.md §13) for the planner
 * tests, and helpers to run them through the public entry point.
 *
 * Everything here builds plain JSON (the input shape), never the decoded model, so the tests go
 * through decoding exactly as a user's document does.
 *
 * @example
 * const d = doc(catalog([monthly("pro", "20")]), customer([]), request("2025-01-16T00:00:00Z", "pro"))
 * preview(d).total // 2000
 */
import * as Result from "effect/Result"
import type { Catalog } from "../../src/Catalog.ts"
import { decodeCatalog } from "../../src/Document.ts"
import type { AttachError } from "../../src/Errors.ts"
import { previewAttachSync } from "../../src/index.ts"
import type { AttachPreview, Line } from "../../src/Preview.ts"

/** A JSON object of the input document (loosely typed: the engine decodes it). */
export type Obj = Readonly<Record<string, unknown>>

/**
 * The features every test catalog has:
 * - `messages`: metered, consumable (usage billed in arrears, or prepaid packs)
 * - `seats`: metered, non-consumable (allocated: billed in advance on units held)
 * - `storage`: metered, non-consumable (used for prepaid items that carry no usage)
 * - `sso`: boolean
 */
export const FEATURES: ReadonlyArray<Obj> = [
  { id: "messages", name: "Messages", type: "metered", consumable: true },
  { id: "seats", name: "Seats", type: "metered", display: { singular: "seat", plural: "seats" } },
  { id: "storage", name: "Storage", type: "metered" },
  { id: "sso", name: "SSO", type: "boolean" }
]

/** A plan with a base price of `amount` every `interval` (default month), plus any extra fields. */
export const plan = (id: string, amount: string, interval = "month", extra: Obj = {}): Obj => ({
  id,
  name: id.charAt(0).toUpperCase() + id.slice(1),
  price: { amount, interval },
  ...extra
})

/** A monthly plan. */
export const monthly = (id: string, amount: string, extra: Obj = {}): Obj => plan(id, amount, "month", extra)

/** A free plan (no price): 50 messages a month included. */
export const freePlan = (id = "free", extra: Obj = {}): Obj => ({
  id,
  name: "Free",
  items: [{ featureId: "messages", included: 50, reset: { interval: "month" } }],
  ...extra
})

/** A catalog in usd with {@link FEATURES}. */
export const catalog = (plans: ReadonlyArray<Obj>, extra: Obj = {}): Obj => ({ defaultCurrency: "usd", features: FEATURES, plans, ...extra })

/** An active subscription anchored (and started) at `anchor`. */
export const sub = (planId: string, anchor: string, extra: Obj = {}): Obj => ({
  id: `sub_${planId}_old`,
  planId,
  status: "active",
  billingAnchor: anchor,
  startedAt: anchor,
  ...extra
})

/** Customer `cus_1` with a card on file unless overridden. */
export const customer = (subscriptions: ReadonlyArray<Obj>, extra: Obj = {}): Obj => ({
  id: "cus_1",
  hasPaymentMethod: true,
  subscriptions,
  ...extra
})

/** A request for `cus_1` at `at`: one plan id, or a list of requested plans. */
export const request = (at: string, plans: string | ReadonlyArray<Obj>, extra: Obj = {}): Obj => ({
  customerId: "cus_1",
  at,
  plans: typeof plans === "string" ? [{ planId: plans }] : plans,
  ...extra
})

/** The attach document. */
export const doc = (catalogDoc: Obj, customerDoc: Obj, requestDoc: Obj): Obj => ({ catalog: catalogDoc, customer: customerDoc, request: requestDoc })

/** Runs a document and returns the preview; throws (failing the test) with the error otherwise. */
export const preview = (document: unknown): AttachPreview => {
  const r = previewAttachSync(document)
  if (Result.isFailure(r)) throw new Error(`expected a preview, got ${r.failure._tag}: ${r.failure.message}`)
  return r.success
}

/** Runs a document that must fail and returns its tagged error; throws otherwise. */
export const failure = (document: unknown): AttachError => {
  const r = previewAttachSync(document)
  if (Result.isSuccess(r)) throw new Error(`expected an error, got a preview with scenario ${r.success.scenario}`)
  return r.failure
}

/** Decodes a catalog that must be valid (for unit tests on decoded plans). */
export const decoded = (catalogDoc: unknown): Catalog => {
  const r = decodeCatalog(catalogDoc)
  if (Result.isFailure(r)) throw new Error(`expected a valid catalog: ${r.failure.message}`)
  return r.success
}

/** The compact view of lines most assertions compare: kind, plan, feature, amount, total. */
export const brief = (lines: ReadonlyArray<Line>): Array<{ kind: string; planId: string | null; featureId: string | null; amount: number; total: number }> =>
  lines.map((l) => ({ kind: l.kind, planId: l.planId, featureId: l.featureId, amount: l.amount, total: l.total }))
