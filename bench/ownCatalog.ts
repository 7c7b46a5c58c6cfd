/**
 * End to end on documents that each carry their own catalog (issue #11): `preview --jsonl`
 * without `--catalog`, every line `{ catalog, customer, request }` with the example catalog
 * inside, against the JSON floor on the same lines (which parses the catalog too). The CLI must
 * decode each line's catalog, so this measures catalog decoding as much as planning. The CLI keeps
 * the last catalog it decoded and skips decoding a line's catalog that is the same JSON, so a
 * second stream, whose every line carries a different catalog (one feature renamed), measures
 * the decoding that a stream of changing catalogs pays.
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
  /** The same on the stream whose every line carries a different catalog. */
  readonly distinct: { readonly cliPerSecond: number; readonly floorPerSecond: number; readonly ratio: number; readonly cli: ReadonlyArray<ChildRun>; readonly floor: ReadonlyArray<ChildRun> }
}

const withCatalog = (catalog: string) => (line: string): string => `{"catalog":${catalog},${line.slice(1)}`

/** Each line with a catalog of its own: the example catalog with its first feature renamed "… #n". */
const withDistinctCatalogs = (): ((line: string) => string) => {
  const catalog = exampleCatalog() as { features: Array<{ name?: string }> }
  const feature = catalog.features[0]
  const name = feature?.name ?? "feature"
  let n = 0
  return (line) => {
    if (feature !== undefined) feature.name = `${name} #${++n}`
    return withCatalog(JSON.stringify(catalog))(line)
  }
}

const checked = (run: ChildRun, what: string): ChildRun => {
  if (run.code !== 0) throw new Error(`${what} exited with ${run.code}: ${run.stderr}`)
  return run
}

type Runs = { readonly cli: ReadonlyArray<ChildRun>; readonly floor: ReadonlyArray<ChildRun> }

/** Runs the CLI and the floor alternately `reps` times each on `file`. */
const alternate = async (
  cliArgv: ReadonlyArray<string>, file: string, previewFile: string,
  options: { readonly documents: number; readonly reps: number; readonly cliOptions?: ReadonlyArray<string>; readonly log: (s: string) => void }, what: string
): Promise<Runs> => {
  const cli: Array<ChildRun> = []
  const floor: Array<ChildRun> = []
  for (let r = 0; r < options.reps; r++) {
    options.log(`  own catalog${what}: ${options.documents.toLocaleString("en-US")} documents, run ${r + 1}/${options.reps}…`)
    cli.push(checked(await runChild([...cliArgv, "preview", "--jsonl", ...(options.cliOptions ?? [])], file), "the CLI"))
    floor.push(checked(await runChild([process.execPath, floorScript, previewFile], file), "the floor"))
  }
  return { cli, floor }
}

const rates = (documents: number, runs: Runs) => {
  const cliMs = medianOf(runs.cli.map((r) => r.wallMs))
  const floorMs = medianOf(runs.floor.map((r) => r.wallMs))
  return { cliPerSecond: documents / (cliMs / 1000), floorPerSecond: documents / (floorMs / 1000), ratio: cliMs / floorMs, ...runs }
}

/** Runs the CLI and the floor alternately `reps` times each on `documents` catalog-carrying lines, the same catalog on every line, then a different one on every line. */
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
    const distinctFile = join(dir, "distinct-catalogs.jsonl")
    writeGenerated(distinctFile, options.seed, options.documents, withDistinctCatalogs())
    const same = await alternate(cli.argv, file, previewFile, options, "")
    const distinct = await alternate(cli.argv, distinctFile, previewFile, options, ", a different catalog on every line")
    return { documents: options.documents, inputBytes, ...rates(options.documents, same), distinct: rates(options.documents, distinct) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
