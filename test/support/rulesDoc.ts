/**
 * A builder of attach documents for the issue #3 rule tests (test/rules-*.test.ts), run through
 * the public JSON entry point `previewDocument`.
 *
 * Everything builds the plain input JSON (never the decoded model), so each test goes through
 * decoding exactly as a user's document does.
 *
 * The reference period most tests use: anchor 2025-01-01, at 2025-01-16, monthly prices →
 * period [Jan 1, Feb 1) of 31 days with 16 days left: fraction = 16/31.
 *
 * @example
 * const p = ok(doc(cat([monthly("pro", "20")]), cus([]), req(JAN16, "pro")))
 * p.total // 2000
 */
import { previewDocument } from "../../src/index.ts"
import type { AttachPreview, Line } from "../../src/Preview.ts"
import { customer as cus, monthly, type Obj, plan as priced, request as req, sub } from "./doc.ts"

// The plan, subscription, customer and request builders are the planner tests' (./doc.ts); this
// module adds its own features, fixed instants and the plan shapes only the rule tests use.
export { cus, monthly, type Obj, priced, req, sub }

export const JAN1 = "2025-01-01T00:00:00.000Z"
export const JAN16 = "2025-01-16T00:00:00.000Z"
export const FEB1 = "2025-02-01T00:00:00.000Z"
export const FEB16 = "2025-02-16T00:00:00.000Z"

/** The document form of an instant (UTC, milliseconds). */
export const iso = (s: string): string => new Date(Date.parse(s)).toISOString()

/**
 * Features of every catalog here:
 * - `messages`: metered, consumable (billed in arrears), no display names
 * - `seats`: metered, non-consumable, display "seat" / "seats"
 * - `storage`: metered, non-consumable, display "GB" / "GB" (used for prepaid packs)
 * - `members`: metered, non-consumable, display "member" / "people" (an irregular plural)
 * - `sso`: boolean
 */
export const FEATURES: ReadonlyArray<Obj> = [
  { id: "messages", name: "Messages", type: "metered", consumable: true },
  { id: "seats", name: "Seats", type: "metered", display: { singular: "seat", plural: "seats" } },
  { id: "storage", name: "Storage", type: "metered", display: { singular: "GB", plural: "GB" } },
  { id: "members", name: "Members", type: "metered", display: { singular: "member", plural: "people" } },
  { id: "sso", name: "SSO", type: "boolean" }
]

const titled = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1)

/** A monthly add-on. */
export const addOn = (id: string, amount: string, extra: Obj = {}): Obj => priced(id, amount, "month", { addOn: true, ...extra })

/** A one-off plan. */
export const oneOff = (id: string, amount: string, extra: Obj = {}): Obj => priced(id, amount, "one_off", extra)

/** A free plan (no price; an unpriced allowance of 50 messages a month). */
export const free = (id = "free", extra: Obj = {}): Obj => ({
  id,
  name: titled(id),
  items: [{ featureId: "messages", included: 50, reset: { interval: "month" } }],
  ...extra
})

/** A catalog in usd with {@link FEATURES}. */
export const cat = (plans: ReadonlyArray<Obj>, extra: Obj = {}): Obj => ({ defaultCurrency: "usd", features: FEATURES, plans, ...extra })

/** The attach document. */
export const doc = (catalog: Obj, customer: Obj, request: Obj): Obj => ({ catalog, customer, request })

/** The error part of an error document. */
export interface ErrorBody {
  readonly _tag: string
  readonly message: string
  readonly [detail: string]: unknown
}

const isError = (out: unknown): out is { readonly error: ErrorBody } =>
  typeof out === "object" && out !== null && "error" in out

/** Runs a document through `previewDocument`; throws (failing the test) on an error document. */
export const ok = (document: unknown): AttachPreview => {
  const out = previewDocument(document)
  if (isError(out)) throw new Error(`expected a preview, got ${out.error._tag}: ${out.error.message}`)
  return out
}

/** Runs a document that must fail; returns the `error` of the error document. */
export const err = (document: unknown): ErrorBody => {
  const out = previewDocument(document)
  if (!isError(out)) throw new Error(`expected an error document, got a preview with scenario ${out.scenario}`)
  return out.error
}

/** Compact lines: [kind, planId, featureId, amount, total]. */
export const rows = (lines: ReadonlyArray<Line>): Array<[string, string | null, string | null, number, number]> =>
  lines.map((l) => [l.kind, l.planId, l.featureId, l.amount, l.total])

/** The subscriptions of `customerAfter`, as plain objects. */
export const subsAfter = (p: AttachPreview): ReadonlyArray<Obj> => (p.customerAfter.subscriptions ?? []) as ReadonlyArray<Obj>

/** The first subscription of `customerAfter` of a plan (and status, when given). */
export const subAfter = (p: AttachPreview, planId: string, status?: string): Obj | undefined =>
  subsAfter(p).find((s) => s["planId"] === planId && (status === undefined || s["status"] === status))

/** The action types, in order. */
export const actionTypes = (p: AttachPreview): Array<string> => p.actions.map((a) => a.type)
