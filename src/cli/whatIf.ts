/**
 * `what-if --from CATALOG --to CATALOG --at INSTANT [--migrate OLD=NEW …] [--cycles N]
 * [--report FILE.html] [--jobs N|auto] < customers.jsonl` (issue #15): for every customer line
 * `{ "customer": … }`, its recurring revenue per month under each catalog (and, migrating, what
 * each migration would bill today), as one JSON line, then the summary line; `--report` also
 * writes the summary as a self-contained HTML page with charts. Long inputs are compared on
 * worker threads too, with the same output. Exit 0 (error lines included), 1 with an error
 * document (a bad catalog) or when a worker failed, 2 on a usage error.
 *
 * @example
 * // npm run --silent cli -- what-if --from examples/catalog.json --to /tmp/rise.json --at 2025-01-16T00:00:00Z < examples/customers.jsonl
 */
import { writeFile } from "node:fs/promises"
import { availableParallelism } from "node:os"
import { loadCatalogSource, toJson, usageFailure } from "./documents.ts"
import { PARALLEL_AFTER, runWhatIfStream } from "../whatIf/parallel.ts"
import { whatIfReport } from "../whatIf/report.ts"

/** The usage text of `what-if`. @example process.stderr.write(WHAT_IF_USAGE) */
export const WHAT_IF_USAGE = `Usage: attach-planner what-if --from CATALOG --to CATALOG --at INSTANT [options] < customers.jsonl

For every line { "customer": … } of standard input: the customer's recurring revenue per month
(minor units) under the catalog --from and under --to, one JSON line each, then a summary line.

Options:
  --from CATALOG          The catalog customers are on now (required).
  --to CATALOG            The catalog to compare with (required).
  --at INSTANT            When (ISO-8601; required).
  --migrate OLD=NEW       Also move customers holding plan OLD to plan NEW of --to (repeatable):
                          each line then has the migration's preview, and a migration that
                          would fail is an error line.
  --cycles N              Renewals averaged per billing subscription, 1 to 120 (default 1).
  --report FILE.html      Also write the summary as an HTML page with charts.
  --jobs N|auto           Compare on N threads, 1 to 64: 1, this one; more, N worker threads
                          while this one reads, writes and merges. auto (the default): the
                          available cores, at most 4. The output is the same whatever N.
  --parallel-after N      Lines compared on this thread before the workers start (default ${PARALLEL_AFTER};
                          0: start them first and wait for them).

Exit codes: 0 done (error lines included), 1 error document, 2 usage error.
`

/** The parsed arguments of `what-if`. @example { from: "a.json", to: "b.json", at: 1737000000000, migrate: [["pro", "pro_2025"]], cycles: 1, report: undefined, jobs: 2, parallelAfter: 4000 } */
export interface WhatIfArgs {
  readonly from: string
  readonly to: string
  readonly at: number
  readonly migrate: ReadonlyArray<readonly [string, string]>
  readonly cycles: number
  readonly report: string | undefined
  readonly jobs: number
  readonly parallelAfter: number
}

const NAMES = ["--from", "--to", "--at", "--migrate", "--cycles", "--report", "--jobs", "--parallel-after"]

/** The threads of `--jobs auto`: the available cores, at most 4. */
const autoJobs = (): number => Math.min(availableParallelism(), 4)

/** `--jobs` and `--parallel-after`, checked; a string is the usage error. */
const threadsOf = (values: ReadonlyMap<string, string>): { readonly jobs: number; readonly parallelAfter: number } | string => {
  const jobsText = values.get("--jobs") ?? "auto"
  const jobs = jobsText === "auto" ? autoJobs() : Number(jobsText)
  if (jobsText !== "auto" && (!/^\d+$/.test(jobsText) || jobs < 1 || jobs > 64)) return `--jobs expects a number from 1 to 64 or "auto", got ${JSON.stringify(jobsText)}`
  const afterText = values.get("--parallel-after") ?? String(PARALLEL_AFTER)
  if (!/^\d+$/.test(afterText)) return `--parallel-after expects a whole number of lines, got ${JSON.stringify(afterText)}`
  return { jobs, parallelAfter: Number(afterText) }
}

/**
 * Parses the arguments after `what-if`; a string is a usage error.
 *
 * @example parseWhatIfArgs(["--from", "a.json", "--to", "b.json", "--at", "2025-01-16T00:00:00Z"])
 */
export const parseWhatIfArgs = (args: ReadonlyArray<string>): WhatIfArgs | string => {
  const values = new Map<string, string>()
  const migrate: Array<readonly [string, string]> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ""
    const eq = arg.indexOf("=")
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg
    if (!NAMES.includes(name)) return `unknown argument ${JSON.stringify(arg)}`
    const value = name === arg ? args[++i] : arg.slice(eq + 1)
    if (value === undefined || value === "") return `${name} expects a value`
    if (name !== "--migrate") {
      values.set(name, value)
      continue
    }
    const [old, neu, ...rest] = value.split("=")
    if (old === undefined || neu === undefined || old === "" || neu === "" || rest.length > 0) return `--migrate expects OLD=NEW, got ${JSON.stringify(value)}`
    migrate.push([old, neu])
  }
  const from = values.get("--from")
  const to = values.get("--to")
  const atText = values.get("--at")
  if (from === undefined || to === undefined || atText === undefined) return "what-if needs --from CATALOG, --to CATALOG and --at INSTANT"
  const at = Date.parse(atText)
  if (Number.isNaN(at)) return `--at expects an ISO-8601 instant, got ${JSON.stringify(atText)}`
  const cyclesText = values.get("--cycles") ?? "1"
  const cycles = Number(cyclesText)
  if (!/^\d+$/.test(cyclesText) || cycles < 1 || cycles > 120) return `--cycles expects a whole number from 1 to 120, got ${JSON.stringify(cyclesText)}`
  const threads = threadsOf(values)
  if (typeof threads === "string") return threads
  return { from, to, at, migrate, cycles, report: values.get("--report"), ...threads }
}

/**
 * Runs `what-if`; resolves with the exit code. Never throws.
 *
 * @example process.exitCode = await runWhatIfCli(["--from", "a.json", "--to", "b.json", "--at", "2025-01-16T00:00:00Z"], print)
 */
export const runWhatIfCli = async (args: ReadonlyArray<string>, out: (text: string) => Promise<void>): Promise<number> => {
  if (args.includes("--help") || args.includes("-h")) {
    process.stderr.write(WHAT_IF_USAGE)
    return 0
  }
  const parsed = parseWhatIfArgs(args)
  if (typeof parsed === "string") {
    return usageFailure(parsed, WHAT_IF_USAGE)
  }
  const [from, to] = await Promise.all([loadCatalogSource(parsed.from), loadCatalogSource(parsed.to)])
  for (const loaded of [from, to]) {
    if (!loaded.ok) {
      await out(toJson(loaded.error, 2) + "\n")
      return 1
    }
  }
  if (!from.ok || !to.ok) return 1
  const input = { from: from.value.catalog, to: to.value.catalog, at: parsed.at, migrate: new Map(parsed.migrate), cycles: parsed.cycles }
  const setup = { from: from.value.json, to: to.value.json, at: parsed.at, migrate: parsed.migrate, cycles: parsed.cycles }
  const run = await runWhatIfStream(input, setup, process.stdin, process.stdout, { jobs: parsed.jobs, parallelAfter: parsed.parallelAfter })
  if (run.failure !== undefined) {
    process.stderr.write(`attach-planner: what-if stopped: ${run.failure}\n`)
    return 1
  }
  const summary = run.summary
  if (parsed.report !== undefined) {
    try {
      await writeFile(parsed.report, whatIfReport(summary, { from: parsed.from, to: parsed.to, at: new Date(parsed.at).toISOString() }))
    } catch (cause) {
      process.stderr.write(`attach-planner: cannot write ${parsed.report}: ${cause instanceof Error ? cause.message : String(cause)}\n`)
      return 1
    }
  }
  return 0
}
