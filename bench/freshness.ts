/**
 * Unseen against repeated documents (issue #11): what decoding and planning a document costs the
 * first time the process sees it, against the same document (the same JSON text, parsed again into
 * new objects) a second time. Anything the engine keeps between documents (caches keyed by
 * instants, ids or texts) makes the second pass cheaper; a model that carries its facts as data
 * makes the two cost the same.
 *
 * Each round takes a batch of generated lines the process has never seen (disjoint line numbers
 * of the end-to-end stream, so instants, ids and quantities are new), parses it, times decode +
 * plan over it, parses the same texts again and times decode + plan again. The report is the
 * median of the per-round ratios.
 *
 * @example
 * const r = runFreshness(20250116, 2_000, 5)
 * // r.ratio ≈ 1.1 (unseen µs / repeated µs)
 */
import * as Result from "effect/Result"
import { decodeCustomerAndRequest, planAttach } from "../src/index.ts"
import { mustDecodeCatalog } from "./core.ts"
import { exampleCatalog, generatedLine } from "./fixtures.ts"
import { medianOf } from "./measure.ts"

/** What the freshness rounds measured, in µs per document (decode + plan). */
export interface FreshnessResult {
  readonly unseenUs: number
  readonly repeatedUs: number
  /** Median of the per-round ratios unseen / repeated. */
  readonly ratio: number
  readonly rounds: number
  readonly batch: number
}

const timedPass = (catalog: ReturnType<typeof mustDecodeCatalog>, texts: ReadonlyArray<string>): number => {
  const parsed = texts.map((t) => JSON.parse(t) as unknown)
  let checksum = 0
  const start = process.hrtime.bigint()
  for (const document of parsed) {
    const decoded = decodeCustomerAndRequest(catalog, document)
    if (Result.isFailure(decoded)) continue
    const planned = planAttach(decoded.success)
    checksum += Result.isSuccess(planned) ? planned.success.lines.length + 1 : 0
  }
  const us = Number(process.hrtime.bigint() - start) / 1000 / texts.length
  if (checksum === 0) throw new Error("freshness: no document of the batch planned")
  return us
}

/** Runs `rounds` rounds of `batch` never-seen lines each (after one warm-up round). */
export const runFreshness = (seed: number, batch: number, rounds: number): FreshnessResult => {
  const catalog = mustDecodeCatalog(exampleCatalog())
  const batchTexts = (round: number): Array<string> =>
    Array.from({ length: batch }, (_, i) => JSON.stringify(generatedLine(seed, 5_000_000 + round * batch + i).document))
  const unseen: Array<number> = []
  const repeated: Array<number> = []
  const ratios: Array<number> = []
  for (let round = 0; round <= rounds; round++) {
    const texts = batchTexts(round)
    const first = timedPass(catalog, texts)
    const second = timedPass(catalog, texts)
    if (round === 0) continue // warm-up: the JIT, not the caches
    unseen.push(first)
    repeated.push(second)
    ratios.push(first / second)
  }
  return { unseenUs: medianOf(unseen), repeatedUs: medianOf(repeated), ratio: medianOf(ratios), rounds, batch }
}
