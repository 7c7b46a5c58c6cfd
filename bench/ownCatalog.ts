/**
 * End to end on documents that each carry their own catalog (issue #11): `preview --jsonl`
 * without `--catalog`, every line `{ catalog, customer, request }` with the example catalog
 * inside, against the JSON floor on the same lines (which parses the catalog too). The CLI must
 * decode each line's catalog, so this measures catalog decoding as much as planning.
 *
 * @example
 * const r = await runOwnCatalog({ rebuild: false, seed: 20250116, documents: 20_000, reps: 3, log: console.error })
 * // r.ratio: CLI wall time / floor wall time (target ≤ 3)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type ChildRun, resolveCli, runChild, sanityPass, writeGenerated } from "./e2e.ts"
import { exampleCatalog } from "./fixtures.ts"
import { medianOf } from "./measure.ts"

const floorScript = fileURLToPath(new URL("floor.mjs", import.meta.url))

/** What the own-catalog runs measured. */
export interface OwnCatalogResult {
  readonly documents: number
  readonly inputBytes: number
  readonly cliPerSecond: number
  readonly floorPerSecond: number
  /** CLI time / floor time (medians). */
  readonly ratio: number
  readonly cli: ReadonlyArray<ChildRun>
  readonly floor: ReadonlyArray<ChildRun>
}

const withCatalog = (catalog: string) => (line: string): string => `{"catalog":${catalog},${line.slice(1)}`

const checked = (run: ChildRun, what: string): ChildRun => {
  if (run.code !== 0) throw new Error(`${what} exited with ${run.code}: ${run.stderr}`)
  return run
}

/** Runs the CLI and the floor alternately `reps` times each on `documents` catalog-carrying lines. */
export const runOwnCatalog = async (options: {
  readonly rebuild: boolean
  readonly seed: number
  readonly documents: number
  readonly reps: number
  readonly cliOptions?: ReadonlyArray<string>
  readonly log: (s: string) => void
}): Promise<OwnCatalogResult> => {
  const cli = resolveCli(options.rebuild)
  const dir = mkdtempSync(join(tmpdir(), "attach-bench-own-"))
  try {
    const sample = await sanityPass(cli, dir, options.seed, 200)
    const previewFile = join(dir, "representative-preview.json")
    writeFileSync(previewFile, sample.representative)
    const file = join(dir, "own-catalog.jsonl")
    const inputBytes = writeGenerated(file, options.seed, options.documents, withCatalog(JSON.stringify(exampleCatalog()))).bytes
    const cliRuns: Array<ChildRun> = []
    const floorRuns: Array<ChildRun> = []
    for (let r = 0; r < options.reps; r++) {
      options.log(`  own catalog: ${options.documents.toLocaleString("en-US")} documents, run ${r + 1}/${options.reps}…`)
      cliRuns.push(checked(await runChild([...cli.argv, "preview", "--jsonl", ...(options.cliOptions ?? [])], file), "the CLI"))
      floorRuns.push(checked(await runChild([process.execPath, floorScript, previewFile], file), "the floor"))
    }
    const cliMs = medianOf(cliRuns.map((r) => r.wallMs))
    const floorMs = medianOf(floorRuns.map((r) => r.wallMs))
    return {
      documents: options.documents,
      inputBytes,
      cliPerSecond: options.documents / (cliMs / 1000),
      floorPerSecond: options.documents / (floorMs / 1000),
      ratio: cliMs / floorMs,
      cli: cliRuns,
      floor: floorRuns
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
