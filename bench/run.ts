/**
 * `npm run bench`: the performance benchmark of attach-planner (issue #5 item 3). Speed is
 * measured here, never asserted in tests. Prints tables:
 *
 *  1. core planning (`planAttach` on pre-decoded inputs) per scenario and for their mix;
 *  2. the per-document cost of each stage of the CLI path (parse, decode, plan, serialise);
 *  3. scaling: catalogs of 10 / 100 / 1,000 plans × customers with 1 / 10 / 100 subscriptions;
 *  4. end to end: `preview --catalog --jsonl` as a child process on 10,000 and 100,000
 *     generated customers, against a JSON floor, with the child's peak RSS;
 *  5. the issue's targets, met or not;
 *  6. with --profile: a CPU profile of planAttach (dist/), top functions.
 *
 * Options (see USAGE below, or `npm run bench -- --help`): --quick, --build, --profile,
 * --only=core,stages,scaling,e2e,profile, --seed=N, --json=FILE.
 *
 * @example
 * npm run bench
 * npm run bench -- --quick
 * npm run bench -- --build --profile --json=/tmp/bench.json
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { availableParallelism, loadavg, totalmem, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type CoreRow, runCore, runScaling, runStages, type ScalingCell, type StageRow } from "./core.ts"
import { summariseProfile } from "./cpuprofile.ts"
import { type E2eResult, resolveCli, rssMethod, runE2e } from "./e2e.ts"
import { coreScenarios, exampleCatalog, LINE_MIX, scaledCatalog, scaledUpgrade } from "./fixtures.ts"
import type { LoopOptions } from "./measure.ts"
import { type Column, fixed, formatTable, int, mib } from "./table.ts"
import { PARALLEL_AFTER } from "../src/cli/jsonl.ts"
import { type PricingResult, runPricingTable } from "./pricingTable.ts" // issue #16
import { runWhatIfBench, type WhatIfBench } from "./whatIf.ts" // issue #15
import { runServeBench, type ServeBenchResult } from "./serve.ts" // issue #13
import { type FreshnessResult, runFreshness } from "./freshness.ts" // issue #11
import { type OwnCatalogResult, runOwnCatalog } from "./ownCatalog.ts" // issue #11

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const USAGE = `usage: npm run bench -- [options]
  --quick               smaller counts (about 30 s instead of about 3 min)
  --build               rebuild dist/ (npx tsc -p tsconfig.build.json) before the end-to-end and what-if runs
  --profile             also CPU-profile planAttach on dist/ (rebuilds dist/ first) and print the top functions
  --only=LIST           sections to run, comma-separated: core,fresh,stages,scaling,e2e,own,pricing,whatif,serve,profile
                        (fresh: unseen vs repeated documents; own: documents carrying their own catalog)
                        (serve: real serve processes on PGlite and PostgreSQL; not in the default)
                        (default: core,fresh,stages,scaling,e2e,own,pricing,whatif, plus profile with --profile)
  --seed=N              seed of the generated end-to-end stream (default 20250116)
  --jobs=N              pass --jobs N to the CLI in the end-to-end and what-if runs (default: none, i.e. auto)
  --whatif-sizes=LIST   customer bases of the what-if section, comma-separated (default 100000,1000000;
                        --quick: 2000,20000)
  --json=FILE           also write every number as JSON to FILE
`
const argv = process.argv.slice(2)
const flag = (name: string): boolean => argv.includes(`--${name}`)
const value = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const known = ["--quick", "--build", "--profile", "--only=", "--seed=", "--jobs=", "--whatif-sizes=", "--json=", "--help"]
const unknown = argv.filter((a) => !known.some((k) => (k.endsWith("=") ? a.startsWith(k) : a === k)))
if (flag("help") || unknown.length > 0) {
  if (unknown.length > 0) process.stderr.write(`bench: unknown option ${unknown.join(" ")}\n`)
  process.stderr.write(USAGE)
  process.exit(unknown.length > 0 ? 2 : 0)
}
const quick = flag("quick")
const sections = new Set((value("only") ?? "core,fresh,stages,scaling,e2e,own,pricing,whatif").split(","))
if (flag("profile")) sections.add("profile")
const seed = Number(value("seed") ?? "20250116")
const jsonOut = value("json")
// The profile is taken on dist/, so it rebuilds dist/ first (once, before the end-to-end section uses it).
const rebuild = flag("build") || sections.has("profile")

const config = quick
  ? {
      core: { warmupMs: 300, roundMs: 150, rounds: 3 },
      stages: { warmupMs: 200, roundMs: 100, rounds: 3 },
      stageLines: 500,
      scaling: { warmupMs: 150, roundMs: 100, rounds: 3 },
      e2eSizes: [2_000, 20_000],
      e2eReps: (_: number) => 1,
      sampleLines: 200,
      profileSeconds: 2
    }
  : {
      core: { warmupMs: 1000, roundMs: 400, rounds: 7 },
      stages: { warmupMs: 500, roundMs: 200, rounds: 5 },
      stageLines: 2_000,
      scaling: { warmupMs: 500, roundMs: 300, rounds: 5 },
      // Both sizes are past the CLI's PARALLEL_AFTER (10,000 lines), so the memory criterion compares
      // the same mode (this thread plus workers) at 5× the documents.
      e2eSizes: [20_000, 100_000],
      e2eReps: (_: number) => 3,
      sampleLines: 1_000,
      profileSeconds: 5
    }
const CAPPED_HEAP_MB = 64
const PLAN_COUNTS = [10, 100, 1_000]
const SUBSCRIPTION_COUNTS = [1, 10, 100]

const log = (s: string): void => {
  process.stderr.write(`${s}\n`)
}
const out = (s = ""): void => {
  process.stdout.write(`${s}\n`)
}
const loopNote = (o: LoopOptions): string => `warm-up ${o.warmupMs} ms, then the median of ${o.rounds} rounds of ~${o.roundMs} ms`

// ---------------------------------------------------------------------------------------------
// Machine
// ---------------------------------------------------------------------------------------------

const cpuModel = ((): string => {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? "unknown"
  } catch {
    return "unknown"
  }
})()
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(" ")
const loadAtStart = load()

out(`attach-planner benchmark${quick ? " (--quick)" : ""} — ${new Date().toISOString()}`)
out(`node ${process.version} ${process.platform}/${process.arch}; ${availableParallelism()} CPUs (${cpuModel}); ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; load average ${loadAtStart} (1/5/15 min)`)
out(`Core timings run on the benchmark's own JS thread (one core; V8's GC helper threads are not pinned). The machine may be shared: compare the load average.`)

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

let core: ReadonlyArray<CoreRow> | undefined
let stages: ReadonlyArray<StageRow> | undefined
let scaling: ReadonlyArray<ScalingCell> | undefined
let e2e: E2eResult | undefined

if (sections.has("core")) {
  log("core…")
  core = runCore(config.core)
  out()
  out(`1. Core planning: planAttach on pre-decoded inputs (examples/catalog.json; ${loopNote(config.core)})`)
  out(formatTable(
    [{ title: "scenario" }, { title: "what the planner made of it" }, { title: "previews/s", right: true }, { title: "µs/preview", right: true }, { title: "rounds min–max µs", right: true }],
    core.map((r) => [r.label, r.shape, int(r.timing.perSecond), fixed(r.timing.medianUs, 1), `${fixed(r.timing.minUs, 1)}–${fixed(r.timing.maxUs, 1)}`])
  ))
}

let fresh: FreshnessResult | undefined
if (sections.has("fresh")) {
  log("unseen vs repeated…")
  fresh = runFreshness(seed, quick ? 1_000 : 4_000, quick ? 3 : 7)
  out()
  out(`1b. Unseen vs repeated documents: decode + plan of ${int(fresh.batch)} never-seen generated lines, then of the same texts parsed again (median of ${fresh.rounds} rounds)`)
  out(formatTable(
    [{ title: "unseen µs/doc", right: true }, { title: "repeated µs/doc", right: true }, { title: "unseen / repeated", right: true }],
    [[fixed(fresh.unseenUs, 1), fixed(fresh.repeatedUs, 1), `${fixed(fresh.ratio, 2)}×`]]
  ))
}

if (sections.has("stages")) {
  log("stages…")
  stages = runStages(seed, config.stageLines, config.stages)
  const sum = stages.reduce((s, r) => s + r.us, 0)
  out()
  out(`2. One CLI document, stage by stage, in process (${int(config.stageLines)} generated lines of the end-to-end mix; ${loopNote(config.stages)})`)
  out(formatTable(
    [{ title: "stage" }, { title: "µs/document", right: true }, { title: "share", right: true }],
    [...stages.map((r) => [r.stage, fixed(r.us, 1), `${fixed((100 * r.us) / sum, 0)} %`]), ["sum (≈ the CLI's per-document work)", fixed(sum, 1), ""], ["→ documents/s on one core", int(1e6 / sum), ""]]
  ))
}

if (sections.has("scaling")) {
  log("scaling…")
  scaling = runScaling(PLAN_COUNTS, SUBSCRIPTION_COUNTS, config.scaling)
  const cell = (plans: number, subs: number): ScalingCell | undefined => scaling?.find((c) => c.plans === plans && c.subscriptions === subs)
  const base = (subs: number): number => cell(PLAN_COUNTS[0] ?? 10, subs)?.timing.medianUs ?? Number.NaN
  out()
  out(`3. Scaling: µs per preview of the mid-cycle upgrade (pro → premium), by catalog size and subscriptions held (${loopNote(config.scaling)})`)
  out(formatTable(
    [{ title: "catalog" }, ...SUBSCRIPTION_COUNTS.map((s): Column => ({ title: `${s} sub${s === 1 ? "" : "s"}`, right: true })), ...SUBSCRIPTION_COUNTS.map((s): Column => ({ title: `× 10 plans (${s})`, right: true }))],
    PLAN_COUNTS.map((p) => [
      `${int(p)} plans`,
      ...SUBSCRIPTION_COUNTS.map((s) => fixed(cell(p, s)?.timing.medianUs ?? Number.NaN, 1)),
      ...SUBSCRIPTION_COUNTS.map((s) => `${fixed((cell(p, s)?.timing.medianUs ?? Number.NaN) / base(s), 2)}×`)
    ])
  ))
}

if (sections.has("e2e")) {
  log("end to end…")
  const jobs = value("jobs")
  const cliOptions = jobs === undefined ? [] : ["--jobs", jobs]
  e2e = await runE2e({ rebuild, seed, sizes: config.e2eSizes, reps: config.e2eReps, sampleSize: config.sampleLines, cappedHeapMb: CAPPED_HEAP_MB, cliOptions, log })
  const r = e2e
  out()
  out(`4. End to end: ${r.cli.description} preview --catalog examples/catalog.json --jsonl${cliOptions.map((o) => ` ${o}`).join("")}, stdin from a temp file, stdout to /dev/null`)
  out(`   ${jobs === undefined ? "--jobs auto" : `--jobs ${jobs}`}: ${availableParallelism()} cores available; with more than one job, workers start after the first ${int(PARALLEL_AFTER)} lines`)
  out(`   stream: generated (seed ${seed}) ${LINE_MIX.map((m) => `${m.kind} ${Math.round(m.share * 100)} %`).join(", ")}; CLI and floor alternate, median wall time of ${config.e2eReps(0)} run${config.e2eReps(0) === 1 ? "" : "s"} each`)
  out(`   sanity pass on the first ${int(r.sample.lines)} lines: 0 error documents; scenarios ${Object.entries(r.sample.scenarios).map(([k, v]) => `${k} ${v}`).join(", ")}; mean preview ${int(r.sample.meanBytes)} bytes`)
  out(`   floor: bench/floor.mjs — readline + JSON.parse of each line + JSON.stringify of one ${int(r.sample.representative.length)}-byte preview per line`)
  out(`   start-up (empty stream: node, modules, catalog decode): ${fixed(r.startup.wallMs, 0)} ms, ${mib(r.startup.maxRssKb)}; peak RSS by ${rssMethod}`)
  if (r.cli.warning !== undefined) out(`   warning: ${r.cli.warning}`)
  out(formatTable(
    [
      { title: "documents", right: true }, { title: "input", right: true }, { title: "CLI docs/s", right: true }, { title: "CLI µs/doc", right: true },
      { title: "CLI wall s", right: true }, { title: "CLI CPU s", right: true }, { title: "floor docs/s", right: true }, { title: "floor µs/doc", right: true }, { title: "CLI / floor time", right: true }
    ],
    r.sizes.map((s) => {
      const wall = s.documents / s.cliPerSecond
      const cpu = s.cli.map((c) => c.cpuS ?? Number.NaN)
      return [
        int(s.documents), `${(s.inputBytes / 2 ** 20).toFixed(1)} MiB`, int(s.cliPerSecond), fixed(1e6 / s.cliPerSecond, 1), fixed(wall, 2),
        cpu.some(Number.isNaN) ? "?" : fixed(cpu.reduce((a, b) => a + b, 0) / cpu.length, 2),
        int(s.floorPerSecond), fixed(1e6 / s.floorPerSecond, 1), `${fixed(s.floorPerSecond / s.cliPerSecond, 1)}×`
      ]
    })
  ))
  out()
  out(`   Memory: peak RSS of the child (max over its runs). "Capped": one more CLI run with node --max-old-space-size=${CAPPED_HEAP_MB}, which`)
  out(`   makes V8 collect before growing its heap: if memory were retained per document, that run would slow down or fail as the stream grows.`)
  out(formatTable(
    [{ title: "documents", right: true }, { title: "CLI peak RSS", right: true }, { title: `capped: peak RSS`, right: true }, { title: "capped: docs/s", right: true }, { title: "floor peak RSS", right: true }],
    r.sizes.map((s) => [
      int(s.documents), mib(s.cliMaxRssKb), s.capped === undefined ? "–" : mib(s.capped.maxRssKb), s.capped === undefined ? "–" : int(s.documents / (s.capped.wallMs / 1000)), mib(s.floorMaxRssKb)
    ])
  ))
}

let own: OwnCatalogResult | undefined
if (sections.has("own")) {
  log("end to end, each document with its own catalog…")
  const jobs = value("jobs")
  own = await runOwnCatalog({ rebuild: rebuild && !sections.has("e2e"), seed, documents: quick ? 5_000 : 20_000, reps: quick ? 1 : 3, cliOptions: jobs === undefined ? [] : ["--jobs", jobs], log })
  out()
  out(`4b. End to end, each line { catalog, customer, request } (the example catalog inside every line): preview --jsonl, against the floor on the same lines`)
  out(formatTable(
    [{ title: "documents", right: true }, { title: "input", right: true }, { title: "CLI docs/s", right: true }, { title: "floor docs/s", right: true }, { title: "CLI / floor time", right: true }],
    [
      [int(own.documents), `${(own.inputBytes / 2 ** 20).toFixed(1)} MiB`, int(own.cliPerSecond), int(own.floorPerSecond), `${fixed(own.ratio, 1)}×`],
      [`${int(own.documents)}, a different catalog on every line`, "", int(own.distinct.cliPerSecond), int(own.distinct.floorPerSecond), `${fixed(own.distinct.ratio, 1)}×`]
    ]
  ))
}

// Pricing table (issue #16) ----------------------------------------------------------------
let whatIf: WhatIfBench | undefined // issue #15
if (sections.has("whatif")) {
  log("what-if…")
  const sizesText = value("whatif-sizes")
  const sizes = sizesText === undefined ? (quick ? [2_000, 20_000] : [100_000, 1_000_000]) : sizesText.split(",").map(Number)
  whatIf = await runWhatIfBench({ seed, sizes, jobs: value("jobs"), rebuild: rebuild && !sections.has("e2e"), log }) // built already when the e2e section ran
  out()
  out(`W. What-if over a customer base: ${whatIf.command}; one run per size, stdout to /dev/null; peak RSS by ${rssMethod}; load average ${load()}`)
  out(formatTable(
    [{ title: "customers", right: true }, { title: "input", right: true }, { title: "customers/s (wall)", right: true }, { title: "wall s", right: true }, { title: "CPU s", right: true }, { title: "customers per CPU s", right: true }, { title: "peak RSS", right: true }],
    whatIf.sizes.map((w) => [int(w.customers), `${(w.inputBytes / 2 ** 20).toFixed(1)} MiB`, int(w.perSecond), fixed(w.wallS, 1), w.cpuS === undefined ? "?" : fixed(w.cpuS, 1), w.cpuS === undefined ? "?" : int(w.customers / w.cpuS), mib(w.maxRssKb)])
  ))
  const checked = whatIf.totalsChecked
  if (checked !== undefined) out(`The summary's totals ${checked.equal ? "equal" : "DO NOT equal"} the sums of the customer lines (${int(checked.customers)} customers).`)
}

let pricing: PricingResult | undefined
if (sections.has("pricing")) {
  log("pricing table…")
  pricing = runPricingTable(config.scaling)
  out()
  out(`P. Pricing table (issue #16): the mid-cycle upgrade's customer, catalogs of section 3 (${loopNote(config.scaling)})`)
  out(formatTable(
    [{ title: "what" }, { title: "plans", right: true }, { title: "µs/call", right: true }, { title: "µs/plan", right: true }, { title: "rounds min–max µs", right: true }],
    pricing.rows.map((r) => [r.label, int(r.plans), fixed(r.timing.medianUs, 1), fixed(r.timing.medianUs / r.plans, 1), `${fixed(r.timing.minUs, 1)}–${fixed(r.timing.maxUs, 1)}`])
  ))
}
// Serve (issue #13) -------------------------------------------------------------------------
let served: ServeBenchResult | undefined
if (sections.has("serve")) {
  log("serve…")
  served = await runServeBench({ quick })
  out()
  out(`S. serve (issue #13): 50 concurrent clients in this process${served.skipped === undefined ? "" : `; PostgreSQL rows skipped: ${served.skipped}`}`)
  out(formatTable(
    [{ title: "load" }, { title: "requests", right: true }, { title: "req/s", right: true }, { title: "p50 ms", right: true }, { title: "p99 ms", right: true }, { title: "first ¼ → last ¼ req/s", right: true }, { title: "failed", right: true }, { title: "server RSS MiB", right: true }],
    served.rows.map((r) => [r.label, int(r.requests), int(Math.round(r.perSecond)), fixed(r.p50Ms, 1), fixed(r.p99Ms, 1), `${int(Math.round(r.firstQuarterPerSecond))} → ${int(Math.round(r.lastQuarterPerSecond))}`, int(r.failures), r.serverRssMiB.join(" + ")])
  ))
}
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

interface Verdict {
  readonly target: string
  readonly measured: string
  readonly met: boolean
  readonly factor: string
}
const verdicts: Array<Verdict> = []
const mix = core?.find((r) => r.label.startsWith("mix"))
if (mix !== undefined) {
  const ps = mix.timing.perSecond
  verdicts.push({ target: "core ≥ 100,000 previews/s (one core)", measured: `${int(ps)} previews/s (${fixed(mix.timing.medianUs, 1)} µs, mix; fastest round ${int(1e6 / mix.timing.minUs)}/s)`, met: ps >= 100_000, factor: ps >= 100_000 ? `${fixed(ps / 100_000, 2)}× above` : `${fixed(100_000 / ps, 1)}× too slow` })
}
if (fresh !== undefined) {
  verdicts.push({ target: "unseen document ≤ 1.3× a repeated one (decode + plan; issue #11)", measured: `${fixed(fresh.unseenUs, 1)} vs ${fixed(fresh.repeatedUs, 1)} µs`, met: fresh.ratio <= 1.3, factor: `${fixed(fresh.ratio, 2)}×` })
}
if (own !== undefined) {
  verdicts.push({ target: "end to end, own catalog per document, within 3× the JSON floor (issue #11)", measured: `${int(own.cliPerSecond)} docs/s, ${fixed(own.ratio, 1)}× the floor's time`, met: own.ratio <= 3, factor: own.ratio <= 3 ? `${fixed(3 / own.ratio, 2)}× margin` : `${fixed(own.ratio / 3, 1)}× over the limit` })
}
if (e2e !== undefined) {
  const big = e2e.sizes[e2e.sizes.length - 1]
  const small = e2e.sizes[0]
  if (big !== undefined) {
    const ps = big.cliPerSecond
    verdicts.push({ target: "end to end ≥ 20,000 documents/s", measured: `${int(ps)} docs/s (${int(big.documents)} docs)`, met: ps >= 20_000, factor: ps >= 20_000 ? `${fixed(ps / 20_000, 2)}× above` : `${fixed(20_000 / ps, 1)}× too slow` })
    const ratio = big.floorPerSecond / ps
    verdicts.push({ target: "end to end within 4× of the JSON floor", measured: `${fixed(ratio, 1)}× the floor's time`, met: ratio <= 4, factor: ratio <= 4 ? `${fixed(4 / ratio, 2)}× margin` : `${fixed(ratio / 4, 1)}× over the limit` })
  }
  if (big !== undefined && small !== undefined && big !== small) {
    const growth = big.cliMaxRssKb / small.cliMaxRssKb
    const times = `for ${fixed(big.documents / small.documents, 0)}× the documents`
    verdicts.push({
      target: `memory flat: peak RSS at ${int(big.documents)} docs ≤ 1.25× at ${int(small.documents)} (default heap)`,
      measured: `${mib(small.cliMaxRssKb)} → ${mib(big.cliMaxRssKb)}`,
      met: growth <= 1.25,
      factor: `${fixed(growth, 2)}× ${times}`
    })
    if (big.capped !== undefined && small.capped !== undefined) {
      const cappedGrowth = big.capped.maxRssKb / small.capped.maxRssKb
      verdicts.push({
        target: `memory flat, same test, old space capped at ${CAPPED_HEAP_MB} MiB`,
        measured: `${mib(small.capped.maxRssKb)} → ${mib(big.capped.maxRssKb)}`,
        met: cappedGrowth <= 1.25,
        factor: `${fixed(cappedGrowth, 2)}× ${times}`
      })
    }
  }
}
if (scaling !== undefined) {
  for (const subs of SUBSCRIPTION_COUNTS) {
    const small = scaling.find((c) => c.plans === PLAN_COUNTS[0] && c.subscriptions === subs)
    const big = scaling.find((c) => c.plans === PLAN_COUNTS[PLAN_COUNTS.length - 1] && c.subscriptions === subs)
    if (small === undefined || big === undefined) continue
    const ratio = big.timing.medianUs / small.timing.medianUs
    verdicts.push({ target: `1,000-plan catalog ≤ 1.5× a 10-plan one (${subs} sub${subs === 1 ? "" : "s"})`, measured: `${fixed(small.timing.medianUs, 1)} → ${fixed(big.timing.medianUs, 1)} µs`, met: ratio <= 1.5, factor: `${fixed(ratio, 2)}×` })
  }
}
if (pricing !== undefined) { // issue #16
  const p = pricing
  verdicts.push({ target: "pricing table of 10 plans < 10× one preview (planAttach of the upgrade)", measured: `${fixed(p.tableOverUpgrade, 2)}× (${fixed(p.tableOverMeanPlan, 2)}× the sum of its 10 plans' previews)`, met: p.tableOverUpgrade < 10, factor: `${fixed(p.tableOverUpgrade, 2)}×` })
  verdicts.push({ target: "pricing table of 10 plans as a document < 10× one preview document", measured: `${fixed(p.documentTableOverDocument, 2)}×`, met: p.documentTableOverDocument < 10, factor: `${fixed(p.documentTableOverDocument, 2)}×` })
  const [small, , big] = p.perPlanUs
  if (small !== undefined && big !== undefined) {
    const ratio = big.us / small.us
    verdicts.push({ target: "pricing table linear: µs per plan at 1,000 plans ≤ 1.5× at 10", measured: `${fixed(small.us, 1)} → ${fixed(big.us, 1)} µs/plan`, met: ratio <= 1.5, factor: `${fixed(ratio, 2)}×` })
  }
}
if (whatIf !== undefined) { // issue #15
  const sizes = whatIf.sizes
  const big = sizes[sizes.length - 1]
  const small = sizes[0]
  if (big !== undefined) verdicts.push({ target: `what-if ≥ 20,000 customers/s at ${int(big.customers)} customers`, measured: `${int(big.perSecond)} customers/s`, met: big.perSecond >= 20_000, factor: big.perSecond >= 20_000 ? `${fixed(big.perSecond / 20_000, 2)}× above` : `${fixed(20_000 / big.perSecond, 2)}× too slow` })
  if (big !== undefined && small !== undefined && big !== small) {
    const growth = big.maxRssKb / small.maxRssKb
    verdicts.push({ target: `what-if memory flat: peak RSS at ${int(big.customers)} ≤ 1.25× at ${int(small.customers)}`, measured: `${mib(small.maxRssKb)} → ${mib(big.maxRssKb)}`, met: growth <= 1.25, factor: `${fixed(growth, 2)}×` })
  }
  if (whatIf.totalsChecked !== undefined) verdicts.push({ target: "what-if summary totals = sums of the customer lines", measured: `${int(whatIf.totalsChecked.customers)} customers`, met: whatIf.totalsChecked.equal, factor: "exact" })
}
if (verdicts.length > 0) {
  out()
  out("5. Targets (issue #5; pricing table: issue #16; what-if: issue #15)")
  out(formatTable([{ title: "target" }, { title: "measured" }, { title: "met?" }, { title: "factor" }], verdicts.map((v) => [v.target, v.measured, v.met ? "met" : "NOT MET", v.factor])))
}

// ---------------------------------------------------------------------------------------------
// Profile (--profile)
// ---------------------------------------------------------------------------------------------

/** One profiled workload. */
interface ProfileRun {
  readonly workload: string
  readonly path: string
  readonly calls: number
  readonly usPerCall: number
  readonly summary: ReturnType<typeof summariseProfile>
}
const profiles: Array<ProfileRun> = []
if (sections.has("profile")) {
  log("profile…")
  const cli = resolveCli(rebuild && !sections.has("e2e")) // built already when the e2e section ran
  if (!cli.description.includes("dist")) throw new Error("--profile needs dist/ (npx tsc -p tsconfig.build.json failed)")
  const harness = fileURLToPath(new URL("profile-core.mjs", import.meta.url))
  const workloads = [
    { workload: `the ${coreScenarios().length} core scenarios round-robin`, top: 25, catalog: exampleCatalog(), documents: coreScenarios() },
    { workload: "the mid-cycle upgrade of a customer with 100 subscriptions (10-plan catalog)", top: 12, catalog: scaledCatalog(10), documents: [{ label: "100 subscriptions", document: scaledUpgrade(100) }] }
  ]
  for (const w of workloads) {
    const dir = mkdtempSync(join(tmpdir(), "attach-bench-profile-"))
    const scenariosFile = join(dir, "scenarios.json")
    writeFileSync(scenariosFile, JSON.stringify({ catalog: w.catalog, documents: w.documents }))
    const run = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100", harness, scenariosFile, String(config.profileSeconds)], { encoding: "utf8" })
    if (run.status !== 0) throw new Error(`profiling failed: ${run.stderr}`)
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))
    if (file === undefined) throw new Error("no .cpuprofile written")
    const path = join(dir, file)
    const summary = summariseProfile(path, "planAttach")
    const stats = JSON.parse(run.stdout) as { readonly calls: number; readonly usPerCall: number }
    profiles.push({ workload: w.workload, path, calls: stats.calls, usPerCall: stats.usPerCall, summary })
    out()
    out(`${profiles.length === 1 ? "6" : `6${String.fromCharCode(96 + profiles.length)}`}. CPU profile of planAttach (dist/): ${w.workload}, ${config.profileSeconds} s, 100 µs sampling; ${int(stats.calls)} calls, ${fixed(stats.usPerCall, 1)} µs each under the profiler`)
    out(`   ${int(summary.focusSamples)} of ${int(summary.totalSamples)} samples under planAttach; garbage collector ${fixed(summary.gc * 100, 1)} % of all samples; profile: ${path}`)
    out(formatTable(
      [{ title: `function (inclusive, top ${w.top})` }, { title: "inclusive", right: true }, { title: "self", right: true }],
      summary.functions.slice(0, w.top).map((f) => [f.name, `${fixed(f.inclusive * 100, 1)} %`, `${fixed(f.self * 100, 1)} %`])
    ))
    if (profiles.length > 1) continue
    out()
    out(formatTable(
      [{ title: "function (self, top 15)" }, { title: "self", right: true }, { title: "inclusive", right: true }],
      [...summary.functions].sort((a, b) => b.self - a.self).slice(0, 15).map((f) => [f.name, `${fixed(f.self * 100, 1)} %`, `${fixed(f.inclusive * 100, 1)} %`])
    ))
    out()
    out(formatTable([{ title: "self time by file / package" }, { title: "self", right: true }], summary.files.slice(0, 15).map((f) => [f.file, `${fixed(f.self * 100, 1)} %`])))
  }
}

out()
out(`load average at the end: ${load()} (at the start: ${loadAtStart})`)

if (jsonOut !== undefined) {
  const strip = <A extends { readonly stdout: string }>(r: A): Omit<A, "stdout"> => {
    const { stdout: _s, ...rest } = r
    return rest
  }
  writeFileSync(jsonOut, JSON.stringify({
    date: new Date().toISOString(),
    quick,
    seed,
    machine: { node: process.version, cpus: availableParallelism(), cpuModel, memGiB: totalmem() / 2 ** 30, loadAtStart, loadAtEnd: load() },
    core,
    fresh,
    own: own === undefined ? undefined : { ...own, cli: own.cli.map(strip), floor: own.floor.map(strip), distinct: { ...own.distinct, cli: own.distinct.cli.map(strip), floor: own.distinct.floor.map(strip) } },
    stages,
    scaling,
    pricing,
    whatIf,
    served,
    e2e: e2e === undefined ? undefined : { ...e2e, sample: { ...e2e.sample }, startup: strip(e2e.startup), sizes: e2e.sizes.map((s) => ({ ...s, cli: s.cli.map(strip), floor: s.floor.map(strip) })) },
    verdicts,
    profiles: profiles.map((p) => ({ ...p, summary: { ...p.summary, functions: p.summary.functions.slice(0, 60) } }))
  }, undefined, 2))
  log(`wrote ${jsonOut}`)
}
