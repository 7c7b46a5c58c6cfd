/**
 * The what-if's speed (issue #15): `what-if --from examples/catalog.json --to <price rise>
 * --at 2025-01-16T00:00:00Z --report FILE` as a child process (the compiled CLI,
 * dist/cli/main.js, as in the end-to-end section; tsx when it cannot be built) over generated
 * customer bases of growing size, stdin from a temp file, stdout to
 * /dev/null; customers per second and the child's peak RSS, which should stay flat as the
 * base grows (the summary keeps totals and a bounded top-K only). The first size is also run
 * with its output kept, to check that the summary's totals are the sums of the customer lines.
 * `--jobs N` is passed on when given (else the command's default, `auto`).
 *
 * The base (seeded): pro $20/month 50 %, premium $50/month 25 %, pro_annual $200/year 15 %, pro
 * in eur 10 %; anchors spread over December 2024; a fifth hold 3 seats. The price rise: pro
 * $25 (€22), premium $55.
 *
 * @example
 * npm run bench -- --only=whatif
 * npm run bench -- --only=whatif --whatif-sizes=100000,1000000 --jobs=2
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { resolveCli, runChild } from "./e2e.ts"
import { exampleCatalogPath, type JsonObject } from "./fixtures.ts"
import { makeRng } from "./prng.ts"


/** One size's result. */
export interface WhatIfSize {
  readonly customers: number
  readonly inputBytes: number
  readonly perSecond: number
  readonly wallS: number
  readonly cpuS: number | undefined
  readonly maxRssKb: number
  readonly jobs: string
}

/** The section's result. */
export interface WhatIfBench {
  readonly sizes: ReadonlyArray<WhatIfSize>
  readonly command: string
  /** Whether the summary's totals were the sums of the customer lines (checked at the first size). */
  readonly totalsChecked: { readonly customers: number; readonly equal: boolean } | undefined
}

interface Totals {
  customers: number
  before: number
  after: number
}

/** Sums the customer lines per currency and compares with the summary line (the last). */
const totalsMatch = (stdout: string): boolean => {
  const lines = stdout.trimEnd().split("\n")
  const last = JSON.parse(lines.pop() ?? "{}") as { summary?: { byCurrency?: Record<string, { customers: number; monthlyBefore: number; monthlyAfter: number }> } }
  const sums = new Map<string, Totals>()
  for (const text of lines) {
    const line = JSON.parse(text) as { currency?: string; monthlyBefore?: number; monthlyAfter?: number }
    if (line.currency === undefined) continue
    const t = sums.get(line.currency) ?? { customers: 0, before: 0, after: 0 }
    t.customers++
    t.before += line.monthlyBefore ?? 0
    t.after += line.monthlyAfter ?? 0
    sums.set(line.currency, t)
  }
  const byCurrency = last.summary?.byCurrency ?? {}
  if (Object.keys(byCurrency).length !== sums.size) return false
  for (const [c, t] of sums) {
    const s = byCurrency[c]
    if (s === undefined || s.customers !== t.customers || s.monthlyBefore !== t.before || s.monthlyAfter !== t.after) return false
  }
  return true
}

const PLANS = [["pro", 0.5], ["premium", 0.25], ["pro_annual", 0.15], ["pro_eur", 0.1]] as const

/** Customer `i` of the generated base, as an input line. */
const customerLine = (rng: ReturnType<typeof makeRng>, i: number): string => {
  let r = rng.next()
  let kind: (typeof PLANS)[number][0] = "pro"
  for (const [k, share] of PLANS) {
    if (r < share) {
      kind = k
      break
    }
    r -= share
  }
  const day = String(rng.int(1, 28)).padStart(2, "0")
  const seats = rng.chance(0.2) && kind !== "pro_annual" ? { featureQuantities: [{ featureId: "seats", quantity: 3 }] } : {}
  const sub = { id: `sub_${i}`, planId: kind === "pro_eur" ? "pro" : kind, status: "active", billingAnchor: `2024-12-${day}T00:00:00Z`, startedAt: "2024-06-01T00:00:00Z", ...seats }
  return JSON.stringify({ customer: { id: `cus_${i}`, hasPaymentMethod: true, ...(kind === "pro_eur" ? { currency: "eur" } : {}), subscriptions: [sub] } })
}

const writeBase = (file: string, seed: number, count: number): number => {
  const rng = makeRng(seed)
  const fd = openSync(file, "w")
  let chunk: Array<string> = []
  for (let i = 0; i < count; i++) {
    chunk.push(customerLine(rng, i))
    if (chunk.length === 10_000) {
      writeSync(fd, chunk.join("\n") + "\n")
      chunk = []
    }
  }
  if (chunk.length > 0) writeSync(fd, chunk.join("\n") + "\n")
  closeSync(fd)
  return statSync(file).size
}

/** The price rise: pro $25 (€22), premium $55. */
const priceRise = (): JsonObject => {
  const c = JSON.parse(readFileSync(exampleCatalogPath, "utf8")) as { plans: Array<{ id: string; price?: { amount: string; currencies?: Record<string, string> } }> }
  for (const p of c.plans) {
    if (p.id === "pro" && p.price !== undefined) p.price = { ...p.price, amount: "25", currencies: { ...p.price.currencies, eur: "22" } }
    if (p.id === "premium" && p.price !== undefined) p.price = { ...p.price, amount: "55" }
  }
  return c as unknown as JsonObject
}

/**
 * Runs the what-if over bases of `sizes` customers, once each.
 *
 * @example await runWhatIfBench({ seed: 1, sizes: [10_000, 100_000], log: console.error })
 */
export const runWhatIfBench = async (options: {
  readonly seed: number
  readonly sizes: ReadonlyArray<number>
  readonly jobs?: string | undefined
  /** Rebuild dist/ first (the command is dist/cli/main.js, as in the end-to-end section). */
  readonly rebuild?: boolean
  readonly log: (s: string) => void
}): Promise<WhatIfBench> => {
  const cli = resolveCli(options.rebuild === true)
  if (cli.warning !== undefined) options.log(cli.warning)
  const dir = mkdtempSync(join(tmpdir(), "attach-bench-whatif-"))
  const to = join(dir, "rise.json")
  writeFileSync(to, JSON.stringify(priceRise()))
  const argv = [...cli.argv, "what-if", "--from", exampleCatalogPath, "--to", to, "--at", "2025-01-16T00:00:00Z", "--report", join(dir, "report.html"), ...(options.jobs === undefined ? [] : ["--jobs", options.jobs])]
  const sizes: Array<WhatIfSize> = []
  let totalsChecked: WhatIfBench["totalsChecked"]
  try {
    for (const customers of options.sizes) {
      const input = join(dir, `base-${customers}.jsonl`)
      options.log(`what-if: ${customers.toLocaleString("en-US")} customers…`)
      const inputBytes = writeBase(input, options.seed, customers)
      if (totalsChecked === undefined) {
        const kept = await runChild(argv, input, true)
        if (kept.code !== 0) throw new Error(`what-if exited ${String(kept.code)}: ${kept.stderr}`)
        totalsChecked = { customers, equal: totalsMatch(kept.stdout) }
      }
      const run = await runChild(argv, input)
      if (run.code !== 0) throw new Error(`what-if exited ${String(run.code)}: ${run.stderr}`)
      rmSync(input)
      sizes.push({ customers, inputBytes, perSecond: customers / (run.wallMs / 1000), wallS: run.wallMs / 1000, cpuS: run.cpuS, maxRssKb: run.maxRssKb, jobs: options.jobs ?? "auto" })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const jobs = options.jobs === undefined ? "" : ` --jobs ${options.jobs}`
  return { sizes, totalsChecked, command: `${cli.description} what-if --from examples/catalog.json --to <price rise> --at 2025-01-16T00:00:00Z --report FILE${jobs}` }
}
