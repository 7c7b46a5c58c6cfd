/**
 * End to end: `preview --catalog examples/catalog.json --jsonl` as a child process on generated
 * `{ customer, request }` lines read from a temp file, output to /dev/null; documents per second,
 * peak RSS of the child, and the ratio to a JSON floor (bench/floor.mjs) run on the same lines.
 */
import { spawn, spawnSync } from "node:child_process"
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { exampleCatalogPath, generatedLine, type LineKind } from "./fixtures.ts"
import { medianOf } from "./measure.ts"

const root = fileURLToPath(new URL("..", import.meta.url))
const distCli = join(root, "dist", "cli", "main.js")
const floorScript = fileURLToPath(new URL("floor.mjs", import.meta.url))
const TIME = "/usr/bin/time"

/** How the CLI is started. */
export interface CliCommand {
  readonly description: string
  readonly argv: ReadonlyArray<string>
  /** Set when dist/ is older than src/ (the numbers are then those of the last build). */
  readonly warning: string | undefined
}

const newestMtime = (dir: string): number => {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

const build = (): boolean => {
  process.stderr.write("building dist/ (npx tsc -p tsconfig.build.json)…\n")
  const r = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] })
  return r.status === 0 && existsSync(distCli)
}

/**
 * The compiled CLI (dist/cli/main.js) when it exists — built first when missing or when `rebuild`
 * — else the TypeScript sources through tsx.
 */
export const resolveCli = (rebuild: boolean): CliCommand => {
  if ((rebuild || !existsSync(distCli)) && !build()) process.stderr.write("build failed: falling back to tsx\n")
  if (existsSync(distCli)) {
    const stale = newestMtime(join(root, "src")) > statSync(join(root, "dist", "index.js")).mtimeMs
    return {
      description: "node dist/cli/main.js",
      argv: [process.execPath, distCli],
      warning: stale ? "dist/ is older than src/: these are the numbers of the last build (run with --build to rebuild first)" : undefined
    }
  }
  return { description: "node --import tsx src/cli/main.ts", argv: [process.execPath, "--import", "tsx", join(root, "src", "cli", "main.ts")], warning: undefined }
}

/** One child run. */
export interface ChildRun {
  readonly wallMs: number
  /** Peak resident set size of the child, in KiB. */
  readonly maxRssKb: number
  /** CPU seconds of the child (user + system; GC threads included), when known. */
  readonly cpuS: number | undefined
  readonly code: number | null
  readonly stderr: string
  readonly stdout: string
}

const useTime = ((): boolean => {
  if (!existsSync(TIME)) return false
  const probe = spawnSync(TIME, ["-f", "%M", "-o", "/dev/null", "true"])
  return probe.status === 0
})()

/** How peak RSS is measured. */
export const rssMethod = useTime ? "GNU time (%M: max RSS of the child)" : "VmHWM of /proc/<pid>/status, sampled every 20 ms"

const readHwmKb = (pid: number): number | undefined => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return m?.[1] === undefined ? undefined : Number(m[1])
  } catch {
    return undefined
  }
}

/**
 * Runs argv with stdin read from `inputFile`; stdout goes to /dev/null unless `captureStdout`.
 * Measures wall time (spawn → exit, startup included) and peak RSS.
 */
export const runChild = (argv: ReadonlyArray<string>, inputFile: string, captureStdout = false): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const [command, ...args] = argv
    if (command === undefined) return reject(new Error("empty command"))
    const scratch = mkdtempSync(join(tmpdir(), "attach-bench-time-"))
    const timeFile = join(scratch, "time.txt")
    const input = openSync(inputFile, "r")
    const output = captureStdout ? "pipe" : openSync("/dev/null", "w")
    const start = process.hrtime.bigint()
    const child = useTime
      ? spawn(TIME, ["-f", "%M %U %S", "-o", timeFile, command, ...args], { cwd: root, stdio: [input, output, "pipe"] })
      : spawn(command, args, { cwd: root, stdio: [input, output, "pipe"] })
    let hwm = 0
    const sampler = useTime
      ? undefined
      : setInterval(() => {
          if (child.pid !== undefined) hwm = Math.max(hwm, readHwmKb(child.pid) ?? 0)
        }, 20)
    const out: Array<Buffer> = []
    const err: Array<Buffer> = []
    child.stdout?.on("data", (b: Buffer) => out.push(b))
    child.stderr?.on("data", (b: Buffer) => err.push(b))
    child.on("error", reject)
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6
      if (sampler !== undefined) clearInterval(sampler)
      closeSync(input)
      if (typeof output === "number") closeSync(output)
      let maxRssKb = hwm
      let cpuS: number | undefined
      if (useTime) {
        const fields = readFileSync(timeFile, "utf8").trim().split("\n").pop()?.split(" ").map(Number) ?? []
        maxRssKb = fields[0] ?? 0
        cpuS = (fields[1] ?? 0) + (fields[2] ?? 0)
      }
      rmSync(scratch, { recursive: true, force: true })
      resolve({ wallMs, maxRssKb, cpuS, code, stderr: Buffer.concat(err).toString("utf8"), stdout: Buffer.concat(out).toString("utf8") })
    })
  })

/**
 * Writes lines 0…count-1 of the generated stream to `file`, each through `wrap` (default: as
 * generated); returns the counts per kind and the size.
 */
export const writeGenerated = (file: string, seed: number, count: number, wrap: (line: string) => string = (line) => line): { readonly kinds: Record<LineKind, number>; readonly bytes: number } => {
  const kinds: Record<LineKind, number> = { new: 0, upgrade: 0, downgrade: 0, prepaid: 0 }
  const fd = openSync(file, "w")
  let bytes = 0
  let chunk: Array<string> = []
  const flush = (): void => {
    const text = chunk.join("")
    bytes += Buffer.byteLength(text)
    writeSync(fd, text)
    chunk = []
  }
  for (let i = 0; i < count; i++) {
    const { kind, document } = generatedLine(seed, i)
    kinds[kind]++
    chunk.push(wrap(JSON.stringify(document)) + "\n")
    if (chunk.length === 2000) flush()
  }
  flush()
  closeSync(fd)
  return { kinds, bytes }
}

/** What the sanity pass saw on the CLI's output. */
export interface Sample {
  readonly lines: number
  readonly errors: number
  readonly meanBytes: number
  readonly scenarios: Record<string, number>
  /** The preview whose JSON size is closest to the mean: what the floor serialises. */
  readonly representative: string
}

/** Runs the CLI on the first `count` lines with its output captured and checks every line. */
export const sanityPass = async (cli: CliCommand, dir: string, seed: number, count: number): Promise<Sample> => {
  const file = join(dir, `sample-${count}.jsonl`)
  writeGenerated(file, seed, count)
  const run = await runChild([...cli.argv, "preview", "--catalog", exampleCatalogPath, "--jsonl"], file, true)
  if (run.code !== 0) throw new Error(`the CLI exited with ${run.code}: ${run.stderr}`)
  const outLines = run.stdout.split("\n").filter((l) => l !== "")
  const scenarios: Record<string, number> = {}
  let errors = 0
  let firstError: string | undefined
  for (const line of outLines) {
    const doc: unknown = JSON.parse(line)
    if (typeof doc === "object" && doc !== null && "error" in doc) {
      errors++
      firstError ??= line.slice(0, 300)
      continue
    }
    const scenario = typeof doc === "object" && doc !== null && "scenario" in doc ? String(doc.scenario) : "?"
    scenarios[scenario] = (scenarios[scenario] ?? 0) + 1
  }
  if (outLines.length !== count) throw new Error(`the CLI wrote ${outLines.length} lines for ${count}`)
  if (errors > 0) throw new Error(`${errors} of ${count} generated lines are errors, e.g. ${firstError ?? ""}`)
  const meanBytes = outLines.reduce((s, l) => s + l.length, 0) / outLines.length
  const representative = outLines.reduce((best, l) => (Math.abs(l.length - meanBytes) < Math.abs(best.length - meanBytes) ? l : best), outLines[0] ?? "{}")
  return { lines: outLines.length, errors, meanBytes, scenarios, representative }
}

/** The CLI and the floor on one stream size. */
export interface SizeResult {
  readonly documents: number
  readonly inputBytes: number
  readonly kinds: Record<LineKind, number>
  readonly cli: ReadonlyArray<ChildRun>
  readonly floor: ReadonlyArray<ChildRun>
  /** Documents per second at the median wall time. */
  readonly cliPerSecond: number
  readonly floorPerSecond: number
  readonly cliMaxRssKb: number
  readonly floorMaxRssKb: number
  /** One more CLI run with V8's old generation capped (`--max-old-space-size`), if asked for. */
  readonly capped: ChildRun | undefined
}

/** Everything the end-to-end section measured. */
export interface E2eResult {
  readonly cli: CliCommand
  readonly sample: Sample
  /** The CLI on an empty stream: start-up, module loading, catalog decoding. */
  readonly startup: ChildRun
  readonly sizes: ReadonlyArray<SizeResult>
}

const ok = (run: ChildRun, what: string): ChildRun => {
  if (run.code !== 0) throw new Error(`${what} exited with ${run.code}: ${run.stderr}`)
  return run
}

/**
 * For each size: generate the stream into a temp file, then run the CLI and the floor `reps`
 * times each, alternately (so both see the same load on a shared machine).
 */
export const runE2e = async (options: {
  readonly rebuild: boolean
  readonly seed: number
  readonly sizes: ReadonlyArray<number>
  readonly reps: (size: number) => number
  readonly sampleSize: number
  /** When set, each size also runs once with `--max-old-space-size=<cappedHeapMb>`. */
  readonly cappedHeapMb: number | undefined
  /** Extra CLI options of the timed runs (e.g. `--jobs 1`). */
  readonly cliOptions?: ReadonlyArray<string>
  readonly log: (s: string) => void
}): Promise<E2eResult> => {
  const cli = resolveCli(options.rebuild)
  if (cli.warning !== undefined) options.log(`warning: ${cli.warning}`)
  const dir = mkdtempSync(join(tmpdir(), "attach-bench-"))
  try {
    const sample = await sanityPass(cli, dir, options.seed, options.sampleSize)
    const previewFile = join(dir, "representative-preview.json")
    writeFileSync(previewFile, sample.representative)
    const empty = join(dir, "empty.jsonl")
    writeFileSync(empty, "")
    const cliArgs = (): Array<string> => [...cli.argv, "preview", "--catalog", exampleCatalogPath, "--jsonl", ...(options.cliOptions ?? [])]
    const startup = ok(await runChild(cliArgs(), empty), "the CLI")
    const sizes: Array<SizeResult> = []
    for (const documents of options.sizes) {
      const file = join(dir, `customers-${documents}.jsonl`)
      const { kinds, bytes } = writeGenerated(file, options.seed, documents)
      const cliRuns: Array<ChildRun> = []
      const floorRuns: Array<ChildRun> = []
      for (let r = 0; r < options.reps(documents); r++) {
        options.log(`  ${documents.toLocaleString("en-US")} documents, run ${r + 1}/${options.reps(documents)}…`)
        cliRuns.push(ok(await runChild(cliArgs(), file), "the CLI"))
        const floor = ok(await runChild([process.execPath, floorScript, previewFile], file), "the floor")
        if (!floor.stderr.includes(`floor: ${documents} lines`)) throw new Error(`the floor did not read ${documents} lines: ${floor.stderr}`)
        floorRuns.push(floor)
      }
      let capped: ChildRun | undefined
      if (options.cappedHeapMb !== undefined) {
        options.log(`  ${documents.toLocaleString("en-US")} documents, old space capped at ${options.cappedHeapMb} MiB…`)
        const [node, ...rest] = cliArgs()
        capped = ok(await runChild([node ?? process.execPath, `--max-old-space-size=${options.cappedHeapMb}`, ...rest], file), "the CLI (capped heap)")
      }
      const cliMs = medianOf(cliRuns.map((r) => r.wallMs))
      const floorMs = medianOf(floorRuns.map((r) => r.wallMs))
      sizes.push({
        documents,
        inputBytes: bytes,
        kinds,
        cli: cliRuns,
        floor: floorRuns,
        cliPerSecond: documents / (cliMs / 1000),
        floorPerSecond: documents / (floorMs / 1000),
        cliMaxRssKb: Math.max(...cliRuns.map((r) => r.maxRssKb)),
        floorMaxRssKb: Math.max(...floorRuns.map((r) => r.maxRssKb)),
        capped
      })
      rmSync(file, { force: true })
    }
    return { cli, sample, startup, sizes }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
