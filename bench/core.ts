/**
 * Core planning speed: `planAttach` on pre-decoded inputs (no JSON, no decoding), one JS thread.
 * Also the scaling grid (catalog size × subscriptions held) and the per-stage cost of one CLI
 * document (parse, decode, plan, serialise) on the generated end-to-end mix.
 */
import * as Result from "effect/Result"
import { type AttachInput, type Catalog, decodeCatalog, decodeCustomerAndRequest, planAttach } from "../src/index.ts"
import type { AttachPreview } from "../src/Preview.ts"
import { coreScenarios, exampleCatalog, generatedLine, type JsonObject, scaledCatalog, scaledUpgrade } from "./fixtures.ts"
import { type LoopOptions, type LoopTiming, timeInterleaved } from "./measure.ts"

/** Decodes a catalog or throws (the bench's documents are valid by construction). */
export const mustDecodeCatalog = (json: JsonObject): Catalog => {
  const r = decodeCatalog(json)
  if (Result.isFailure(r)) throw new Error(`bench catalog does not decode: ${r.failure.message}`)
  return r.success
}

/** Decodes `{ customer, request }` against a catalog or throws. */
export const mustDecode = (catalog: Catalog, document: JsonObject, label: string): AttachInput => {
  const r = decodeCustomerAndRequest(catalog, document)
  if (Result.isFailure(r)) throw new Error(`bench document "${label}" does not decode: ${r.failure.message}`)
  return r.success
}

/** Plans or throws; the bench only times successful previews. */
export const mustPlan = (input: AttachInput, label: string): AttachPreview => {
  const r = planAttach(input)
  if (Result.isFailure(r)) throw new Error(`bench document "${label}" does not plan: ${r.failure._tag}: ${r.failure.message}`)
  return r.success
}

/** One planAttach call whose result feeds the sink. */
const planOnce = (input: AttachInput): number => {
  const r = planAttach(input)
  return Result.isSuccess(r) ? r.success.lines.length + 1 : 0
}

/** A row of the core table. */
export interface CoreRow {
  readonly label: string
  /** What the planner made of it: scenario, lines today, discounts, trial. */
  readonly shape: string
  readonly timing: LoopTiming
}

const shapeOf = (p: AttachPreview): string => {
  const parts = [p.scenario, `${p.lines.length} line${p.lines.length === 1 ? "" : "s"}`]
  if (p.discountTotal !== 0) parts.push("discounted")
  if (p.trialEndsAt !== null) parts.push("trial")
  return parts.join(", ")
}

/** Times each core scenario and the round-robin mix of all of them (rounds interleaved). */
export const runCore = (options: LoopOptions): ReadonlyArray<CoreRow> => {
  const catalog = mustDecodeCatalog(exampleCatalog())
  const scenarios = coreScenarios().map((s) => {
    const input = mustDecode(catalog, s.document, s.label)
    return { label: s.label, input, preview: mustPlan(input, s.label) }
  })
  const checks: Array<[string, boolean]> = [
    ["trial", scenarios.find((s) => s.label === "trial")?.preview.trialEndsAt !== null],
    ["discount", (scenarios.find((s) => s.label === "discount")?.preview.discountTotal ?? 0) !== 0]
  ]
  for (const [label, ok] of checks) if (!ok) console.warn(`warning: the "${label}" scenario did not produce a ${label} (check bench/fixtures.ts)`)
  const inputs = scenarios.map((s) => s.input)
  const n = inputs.length
  const fns = [...inputs.map((input) => (): number => planOnce(input)), (i: number): number => planOnce(inputs[i % n] as AttachInput)]
  const timings = timeInterleaved(fns, options)
  const rows: Array<CoreRow> = scenarios.map((s, k) => ({ label: s.label, shape: shapeOf(s.preview), timing: timings[k] as LoopTiming }))
  rows.push({ label: "mix (round-robin)", shape: `all ${n} above in turn`, timing: timings[n] as LoopTiming })
  return rows
}

/** One cell of the scaling grid. */
export interface ScalingCell {
  readonly plans: number
  readonly subscriptions: number
  readonly timing: LoopTiming
}

/** µs per preview of the mid-cycle upgrade for every catalog size × subscriptions held (rounds interleaved). */
export const runScaling = (planCounts: ReadonlyArray<number>, subscriptionCounts: ReadonlyArray<number>, options: LoopOptions): ReadonlyArray<ScalingCell> => {
  const prepared: Array<{ readonly plans: number; readonly subscriptions: number; readonly input: AttachInput }> = []
  for (const plans of planCounts) {
    const catalog = mustDecodeCatalog(scaledCatalog(plans))
    if (catalog.plans.length !== plans) throw new Error(`scaled catalog has ${catalog.plans.length} plans, wanted ${plans}`)
    for (const subscriptions of subscriptionCounts) {
      const label = `${plans} plans × ${subscriptions} subscriptions`
      const input = mustDecode(catalog, scaledUpgrade(subscriptions), label)
      const preview = mustPlan(input, label)
      if (preview.scenario !== "upgrade") throw new Error(`${label}: expected an upgrade, got ${preview.scenario}`)
      prepared.push({ plans, subscriptions, input })
    }
  }
  const timings = timeInterleaved(prepared.map((p) => (): number => planOnce(p.input)), options)
  const cells: Array<ScalingCell> = prepared.map((p, k) => ({ plans: p.plans, subscriptions: p.subscriptions, timing: timings[k] as LoopTiming }))
  return cells
}

/** The per-document cost of each stage of the CLI path. */
export interface StageRow {
  readonly stage: string
  readonly us: number
}

/**
 * The CLI path of one `{ customer, request }` line, stage by stage, in process, on `count`
 * generated lines: JSON.parse, decodeCustomerAndRequest, planAttach, JSON.stringify.
 */
export const runStages = (seed: number, count: number, options: LoopOptions): ReadonlyArray<StageRow> => {
  const catalog = mustDecodeCatalog(exampleCatalog())
  const texts = Array.from({ length: count }, (_, i) => JSON.stringify(generatedLine(seed, i).document))
  const parsed: Array<unknown> = texts.map((t) => JSON.parse(t) as unknown)
  const inputs = parsed.map((p, i) => mustDecode(catalog, p as JsonObject, `line ${i + 1}`))
  const previews = inputs.map((input, i) => mustPlan(input, `line ${i + 1}`))
  const at = <A>(xs: ReadonlyArray<A>, i: number): A => xs[i % count] as A
  const stages: Array<[string, (i: number) => number]> = [
    ["JSON.parse of the line", (i) => (JSON.parse(at(texts, i)) === null ? 0 : 1)],
    ["decodeCustomerAndRequest", (i) => (Result.isSuccess(decodeCustomerAndRequest(catalog, at(parsed, i))) ? 1 : 0)],
    ["planAttach", (i) => planOnce(at(inputs, i))],
    ["JSON.stringify of the preview", (i) => JSON.stringify(at(previews, i)).length]
  ]
  const timings = timeInterleaved(stages.map(([, fn]) => fn), options)
  return stages.map(([stage], k) => ({ stage, us: timings[k]?.medianUs ?? Number.NaN }))
}
