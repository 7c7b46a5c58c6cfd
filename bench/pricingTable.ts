/**
 * The pricing table's speed (issue #16 part 2): one table against one preview, and the table's
 * cost per plan as the catalog grows to 1,000 plans. The customer is the mid-cycle upgrade's (on
 * `pro`, Jan 16 2025), the catalogs those of the scaling section (`scaledCatalog`).
 *
 * Rows:
 * - one preview, as a document (`previewAttachSync` of `{ catalog, customer, request }`: what a
 *   host calls once per plan without the table), and on pre-decoded inputs (`planAttach`), for
 *   the upgrade to premium and on average over the plans of the 10-plan table;
 * - one table as a document (`previewPricingTableSync`: catalog decoded on every call), and with
 *   the catalog decoded once (`decodePricingRequest` + `planPricingTable`) at 10, 100 and 1,000
 *   plans.
 *
 * @example
 * npm run bench -- --only=pricing
 */
import * as Result from "effect/Result"
import { type Catalog, decodePricingRequest, planAttach, planPricingTable, previewAttachSync, previewPricingTableSync } from "../src/index.ts"
import type { AttachInput } from "../src/Document.ts"
import { mustDecode, mustDecodeCatalog } from "./core.ts"
import { type JsonObject, scaledCatalog, scaledUpgrade } from "./fixtures.ts"
import { type LoopOptions, type LoopTiming, timeInterleaved } from "./measure.ts"

/** One timed row. */
export interface PricingRow {
  readonly label: string
  readonly plans: number
  readonly timing: LoopTiming
}

/** The section's result: the rows and the ratios the issue asks about. */
export interface PricingResult {
  readonly rows: ReadonlyArray<PricingRow>
  /** Table of 10 plans (catalog decoded once) ÷ one planAttach of the upgrade. */
  readonly tableOverUpgrade: number
  /** The same ÷ the mean planAttach of the table's own 10 plans (1.0 = no overhead beyond them). */
  readonly tableOverMeanPlan: number
  /** Table of 10 plans as a document ÷ one preview of the upgrade as a document. */
  readonly documentTableOverDocument: number
  /** µs per listed plan at 10, 100 and 1,000 plans (catalog decoded once). */
  readonly perPlanUs: ReadonlyArray<{ readonly plans: number; readonly us: number }>
}

const PLAN_COUNTS = [10, 100, 1_000] as const

interface Prepared {
  readonly plans: number
  readonly json: JsonObject
  readonly catalog: Catalog
  readonly document: JsonObject
}

const prepare = (plans: number): Prepared => {
  const upgrade = scaledUpgrade(1)
  const json = scaledCatalog(plans)
  const request = upgrade["request"] as JsonObject
  return { plans, json, catalog: mustDecodeCatalog(json), document: { customer: upgrade["customer"] ?? null, at: request["at"] ?? null } }
}

const tableOnce = (p: Prepared): number => {
  const input = decodePricingRequest(p.catalog, p.document)
  if (Result.isFailure(input)) return 0
  const table = planPricingTable(input.success)
  return Result.isSuccess(table) ? table.success.plans.length : 0
}

const planOnce = (input: AttachInput): number => {
  const r = planAttach(input)
  return Result.isSuccess(r) ? r.success.lines.length + 1 : 0
}

/** The single-plan inputs of every plan the 10-plan table lists. */
const singleInputs = (p: Prepared): Array<AttachInput> => {
  const upgrade = scaledUpgrade(1)
  const request = upgrade["request"] as JsonObject
  return p.catalog.plans.map((plan) => mustDecode(p.catalog, { customer: upgrade["customer"] ?? null, request: { ...request, plans: [{ planId: plan.id }] } }, plan.id))
}

/**
 * Times the rows (rounds interleaved) and derives the ratios.
 *
 * @example runPricingTable({ warmupMs: 500, roundMs: 300, rounds: 5 }).tableOverUpgrade // e.g. 9.1
 */
export const runPricingTable = (options: LoopOptions): PricingResult => {
  const prepared = PLAN_COUNTS.map(prepare)
  const ten = prepared[0] as Prepared
  for (const p of prepared) if (tableOnce(p) !== p.plans) throw new Error(`the ${p.plans}-plan table does not list ${p.plans} plans`)
  const upgradeDocument = { ...scaledUpgrade(1), catalog: ten.json }
  const upgradeInput = mustDecode(ten.catalog, scaledUpgrade(1), "upgrade")
  const singles = singleInputs(ten)
  const tableDocument = { ...ten.document, catalog: ten.json }
  const fns: Array<[string, number, (i: number) => number]> = [
    ["one preview as a document (previewAttachSync), the upgrade", 1, () => (Result.isSuccess(previewAttachSync(upgradeDocument)) ? 1 : 0)],
    ["one preview, planAttach (pre-decoded), the upgrade", 1, () => planOnce(upgradeInput)],
    ["one preview, planAttach (pre-decoded), each of the table's plans in turn", 1, (i) => planOnce(singles[i % singles.length] as AttachInput)],
    ["table as a document (previewPricingTableSync)", ten.plans, () => { const r = previewPricingTableSync(tableDocument); return Result.isSuccess(r) ? r.success.plans.length : 0 }],
    ...prepared.map((p): [string, number, (i: number) => number] => [`table, catalog decoded once (decodePricingRequest + planPricingTable)`, p.plans, () => tableOnce(p)])
  ]
  const timings = timeInterleaved(fns.map(([, , fn]) => fn), options)
  const rows = fns.map(([label, plans], k): PricingRow => ({ label, plans, timing: timings[k] as LoopTiming }))
  const us = (k: number): number => rows[k]?.timing.medianUs ?? Number.NaN
  return {
    rows,
    tableOverUpgrade: us(4) / us(1),
    tableOverMeanPlan: us(4) / (ten.plans * us(2)),
    documentTableOverDocument: us(3) / us(0),
    perPlanUs: prepared.map((p, i) => ({ plans: p.plans, us: us(4 + i) / p.plans }))
  }
}
