/**
 * Records the corpus digests (and with `--inputs`, the input documents): see ./corpus.ts.
 *
 * Usage: npx tsx test/corpus/record.ts [--inputs]
 */
import * as fc from "fast-check"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { gzipSync } from "node:zlib"
import { exampleCatalog, generatedLine } from "../../bench/fixtures.ts"
import { makeRng } from "../../bench/prng.ts"
import { attachDocumentArb, plannedDocumentArb } from "../support/arbitraries.ts"
import { answerOf, corpusDir, digestOf, readDocuments } from "./corpus.ts"

const conformanceInputs = (): Array<unknown> => {
  const dir = new URL("../conformance/cases/", import.meta.url)
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => (JSON.parse(readFileSync(new URL(f, dir), "utf8")) as { input: unknown }).input)
}

const NASTY: ReadonlyArray<unknown> = [null, true, 0, -1, -0.5, 1e308, 2 ** 53 + 2, "", "twenty", "NaN", [], {}, "2025-13-01T00:00:00Z"]

/** The i-th mutation of `doc`: one value somewhere replaced by a hostile one, or removed. */
const mutations = (doc: unknown, count: number): Array<unknown> => {
  const paths: Array<Array<string | number>> = []
  const walk = (v: unknown, p: Array<string | number>) => {
    paths.push(p)
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]))
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...p, k])
  }
  walk(doc, [])
  const rng = makeRng(20261203)
  return Array.from({ length: count }, () => {
    const path = paths[rng.int(1, paths.length - 1)] ?? []
    const copy = structuredClone(doc) as Record<string | number, unknown>
    let node = copy
    for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>
    const last = path[path.length - 1] as string | number
    const pick = rng.int(0, NASTY.length)
    if (pick === NASTY.length) {
      if (Array.isArray(node)) node.splice(last as number, 1)
      else delete node[last]
    } else node[last] = NASTY[pick]
    return copy
  })
}

const generateInputs = (): Array<unknown> => {
  const catalog = exampleCatalog()
  const upgrade: unknown = JSON.parse(readFileSync(new URL("../../examples/upgrade.json", import.meta.url), "utf8"))
  return [
    ...conformanceInputs(),
    ...fc.sample(plannedDocumentArb, { seed: 20261203, numRuns: 15_000 }),
    ...fc.sample(attachDocumentArb, { seed: 20261204, numRuns: 5_000 }),
    ...Array.from({ length: 3_000 }, (_, i) => ({ catalog, ...generatedLine(20261203, i).document })),
    ...mutations(upgrade, 2_000)
  ]
}

if (process.argv.includes("--inputs")) {
  const text = generateInputs().map((d) => JSON.stringify(d)).join("\n") + "\n"
  writeFileSync(new URL("documents.jsonl.gz", corpusDir), gzipSync(text, { level: 9 }))
}
const documents = readDocuments()
writeFileSync(new URL("outputs.txt", corpusDir), documents.map((d) => digestOf(answerOf(d))).join("\n") + "\n")
process.stdout.write(`recorded ${documents.length} digests\n`)
