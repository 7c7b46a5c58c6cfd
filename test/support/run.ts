/**
 * Running the documents of ./build.ts: through the typed entry point (`previewAttachSync`:
 * {@link preview}, {@link failure}) or the JSON one (`previewDocument`: {@link ok}, {@link err}),
 * and the compact views assertions compare ({@link brief}, {@link rows}, {@link lineFor},
 * {@link subAfter} …).
 *
 * @example
 * preview(doc(catalog([monthly("pro", "20")]), customer([]), request(JAN16, "pro"))).total // 2000
 */
import * as Result from "effect/Result"
import type { Catalog } from "../../src/Catalog.ts"
import { decodeCatalog } from "../../src/Document.ts"
import type { AttachError } from "../../src/Errors.ts"
import { previewAttachSync, previewDocument } from "../../src/index.ts"
import type { AttachPreview, Line } from "../../src/Preview.ts"
import type { Obj } from "./build.ts"

/** Runs a document through `previewAttachSync` and returns the preview; throws (failing the test) with the error otherwise. */
export const preview = (document: unknown): AttachPreview => {
  const r = previewAttachSync(document)
  if (Result.isFailure(r)) throw new Error(`expected a preview, got ${r.failure._tag}: ${r.failure.message}`)
  return r.success
}

/** Runs a document that must fail through `previewAttachSync` and returns its tagged error; throws otherwise. */
export const failure = (document: unknown): AttachError => {
  const r = previewAttachSync(document)
  if (Result.isSuccess(r)) throw new Error(`expected an error, got a preview with scenario ${r.success.scenario}`)
  return r.failure
}

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

/** Runs a document that must fail through `previewDocument`; returns the `error` of the error document. */
export const err = (document: unknown): ErrorBody => {
  const out = previewDocument(document)
  if (!isError(out)) throw new Error(`expected an error document, got a preview with scenario ${out.scenario}`)
  return out.error
}

/** Decodes a catalog that must be valid (for unit tests on decoded plans). */
export const decoded = (catalogDoc: unknown): Catalog => {
  const r = decodeCatalog(catalogDoc)
  if (Result.isFailure(r)) throw new Error(`expected a valid catalog: ${r.failure.message}`)
  return r.success
}

/** The compact view of lines as objects: kind, plan, feature, amount, total. */
export const brief = (lines: ReadonlyArray<Line>): Array<{ kind: string; planId: string | null; featureId: string | null; amount: number; total: number }> =>
  lines.map((l) => ({ kind: l.kind, planId: l.planId, featureId: l.featureId, amount: l.amount, total: l.total }))

/** The compact view of lines as tuples: [kind, planId, featureId, amount, total]. */
export const rows = (lines: ReadonlyArray<Line>): Array<[string, string | null, string | null, number, number]> =>
  lines.map((l) => [l.kind, l.planId, l.featureId, l.amount, l.total])

/** The first line of a kind for a plan and feature (`null`: the plan's base price). */
export const lineFor = (lines: ReadonlyArray<Line>, kind: Line["kind"], planId: string, featureId: string | null = null): Line | undefined =>
  lines.find((l) => l.kind === kind && l.planId === planId && l.featureId === featureId)

/** The subscriptions of `customerAfter`, as plain objects. */
export const subsAfter = (p: AttachPreview): ReadonlyArray<Obj> => (p.customerAfter.subscriptions ?? []) as ReadonlyArray<Obj>

/** The first subscription of `customerAfter` of a plan (and status, when given). */
export const subAfter = (p: AttachPreview, planId: string, status?: string): Obj | undefined =>
  subsAfter(p).find((s) => s["planId"] === planId && (status === undefined || s["status"] === status))

/** The action types, in order. */
export const actionTypes = (p: AttachPreview): Array<string> => p.actions.map((a) => a.type)
