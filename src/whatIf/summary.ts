/**
 * The what-if's summary, accumulated line by line in memory bounded by the number of currencies
 * (not customers): recurring revenue per month before and after per currency, customers whose
 * bill rises, falls or stays, the distribution of changes in percent, the largest movers per
 * currency (top {@link TOP_MOVERS}), and the migrations that would fail with their reasons.
 * The totals are sums of the per-customer lines, exactly.
 *
 * @example
 * const acc = makeSummary()
 * for (const line of lines) addLine(acc, line)
 * JSON.stringify({ summary: summaryOf(acc) })
 */
import type { CustomerLine, WhatIfLine } from "./customer.ts"

/** How many movers each currency keeps. @example summaryOf(acc).largestMovers.usd.length <= TOP_MOVERS // 10 at most */
export const TOP_MOVERS = 10
/** How many failed migrations are kept as examples. @example summaryOf(acc).failedMigrations.examples.length <= FAILED_EXAMPLES // 20 at most */
export const FAILED_EXAMPLES = 20

/** The buckets of the distribution: changes in percent of the bill before, `[from, to)`; `to` null is open. @example BUCKETS[bucketOf(2000, 3000)]?.label // "≥ 50%" */
export const BUCKETS: ReadonlyArray<{ readonly label: string; readonly from: number | null; readonly to: number | null }> = [
  { label: "≤ −50%", from: null, to: -50 },
  { label: "−50% to −20%", from: -50, to: -20 },
  { label: "−20% to −10%", from: -20, to: -10 },
  { label: "−10% to −5%", from: -10, to: -5 },
  { label: "−5% to 0%", from: -5, to: 0 },
  { label: "unchanged", from: 0, to: 0 },
  { label: "0% to 5%", from: 0, to: 5 },
  { label: "5% to 10%", from: 5, to: 10 },
  { label: "10% to 20%", from: 10, to: 20 },
  { label: "20% to 50%", from: 20, to: 50 },
  { label: "≥ 50%", from: 50, to: null },
  { label: "from nothing", from: null, to: null }
]

/** Totals of one currency. @example summary.byCurrency.usd.monthlyAfter */
export interface CurrencyTotals {
  customers: number
  monthlyBefore: number
  monthlyAfter: number
  change: number
  rises: number
  falls: number
  unchanged: number
  /** What the migrations bill today, summed. */
  migrationTotal: number
}

/** A customer among the largest movers. @example { customerId: "cus_7", monthlyBefore: 2000, monthlyAfter: 5000, change: 3000 } */
export interface Mover {
  readonly customerId: string
  readonly monthlyBefore: number
  readonly monthlyAfter: number
  readonly change: number
}

/** The summary line's content. @example summary.rises */
export interface WhatIfSummary {
  readonly customers: number
  readonly errors: number
  readonly errorsByTag: Readonly<Record<string, number>>
  readonly rises: number
  readonly falls: number
  readonly unchanged: number
  readonly byCurrency: Readonly<Record<string, CurrencyTotals>>
  readonly distribution: ReadonlyArray<{ readonly bucket: string; readonly customers: number }>
  readonly largestMovers: Readonly<Record<string, ReadonlyArray<Mover>>>
  readonly failedMigrations: { readonly count: number; readonly byReason: Readonly<Record<string, number>>; readonly examples: ReadonlyArray<{ readonly customerId: string | null; readonly from: string; readonly to: string; readonly reason: string; readonly message: string }> }
}

/** The accumulator (mutable; built by {@link makeSummary}). @example const acc: SummaryAccumulator = makeSummary() */
export interface SummaryAccumulator {
  customers: number
  errors: number
  readonly errorsByTag: Map<string, number>
  readonly totals: Map<string, { customers: number; before: bigint; after: bigint; rises: number; falls: number; unchanged: number; migration: bigint }>
  readonly buckets: Array<number>
  readonly movers: Map<string, Array<Mover>>
  failed: number
  readonly failedByReason: Map<string, number>
  readonly failedExamples: Array<WhatIfSummary["failedMigrations"]["examples"][number]>
}

/** An empty accumulator. @example makeSummary().customers // 0 */
export const makeSummary = (): SummaryAccumulator => ({
  customers: 0, errors: 0, errorsByTag: new Map(), totals: new Map(), buckets: BUCKETS.map(() => 0), movers: new Map(),
  failed: 0, failedByReason: new Map(), failedExamples: []
})

const bump = (m: Map<string, number>, key: string): void => {
  m.set(key, (m.get(key) ?? 0) + 1)
}

/** The bucket of a change, exactly (integers: 100 × change compared with the threshold × before). @example bucketOf(2000, -300) // 2: "−20% to −10%" */
export const bucketOf = (before: number, change: number): number => {
  if (change === 0) return 5
  if (before <= 0) return 11
  const pct = (t: number): bigint => BigInt(t) * BigInt(before)
  const c = BigInt(change) * 100n
  if (c < 0n) return c <= pct(-50) ? 0 : c <= pct(-20) ? 1 : c <= pct(-10) ? 2 : c <= pct(-5) ? 3 : 4
  return c < pct(5) ? 6 : c < pct(10) ? 7 : c < pct(20) ? 8 : c < pct(50) ? 9 : 10
}

/** Keeps the `TOP_MOVERS` largest absolute changes (ties: the earlier customer stays). */
const addMover = (list: Array<Mover>, m: Mover): void => {
  const size = Math.abs(m.change)
  if (list.length === TOP_MOVERS && size <= Math.abs(list[list.length - 1]?.change ?? 0)) return
  let i = list.length
  while (i > 0 && Math.abs(list[i - 1]?.change ?? 0) < size) i--
  list.splice(i, 0, m)
  if (list.length > TOP_MOVERS) list.pop()
}

const addCustomer = (acc: SummaryAccumulator, line: CustomerLine): void => {
  const t = acc.totals.get(line.currency) ?? { customers: 0, before: 0n, after: 0n, rises: 0, falls: 0, unchanged: 0, migration: 0n }
  t.customers++
  t.before += BigInt(line.monthlyBefore)
  t.after += BigInt(line.monthlyAfter)
  if (line.change > 0) t.rises++
  else if (line.change < 0) t.falls++
  else t.unchanged++
  for (const m of line.migration ?? []) t.migration += BigInt(m.total)
  acc.totals.set(line.currency, t)
  const k = bucketOf(line.monthlyBefore, line.change)
  acc.buckets[k] = (acc.buckets[k] ?? 0) + 1
  if (line.change !== 0) {
    const list = acc.movers.get(line.currency) ?? []
    addMover(list, { customerId: line.customerId, monthlyBefore: line.monthlyBefore, monthlyAfter: line.monthlyAfter, change: line.change })
    acc.movers.set(line.currency, list)
  }
}

/**
 * Adds one output line to the summary.
 *
 * @example addLine(acc, whatIfCustomer(input, json))
 */
export const addLine = (acc: SummaryAccumulator, line: WhatIfLine): void => {
  acc.customers++
  if (!("error" in line)) return addCustomer(acc, line)
  acc.errors++
  bump(acc.errorsByTag, line.error._tag)
  if (line.migration === undefined) return
  acc.failed++
  bump(acc.failedByReason, line.error._tag)
  if (acc.failedExamples.length < FAILED_EXAMPLES) {
    acc.failedExamples.push({ customerId: line.customerId, from: line.migration.from, to: line.migration.to, reason: line.error._tag, message: line.error.message })
  }
}

const addCount = (into: Map<string, number>, from: ReadonlyMap<string, number>): void => {
  for (const [key, n] of from) into.set(key, (into.get(key) ?? 0) + n)
}

/**
 * Adds the summary of later lines (`part`, accumulated on its own, e.g. by a worker) to `acc`:
 * merging the parts of consecutive batches in input order gives exactly the summary of one
 * accumulator over all the lines — sums and counts add, the movers of `part` join in their order
 * (ties: the earlier customer stays), the failed examples are the first ones.
 *
 * @example for (const part of parts) mergeSummary(acc, part)
 */
export const mergeSummary = (acc: SummaryAccumulator, part: SummaryAccumulator): void => {
  acc.customers += part.customers
  acc.errors += part.errors
  addCount(acc.errorsByTag, part.errorsByTag)
  for (const [currency, t] of part.totals) {
    const into = acc.totals.get(currency)
    if (into === undefined) {
      acc.totals.set(currency, { ...t })
      continue
    }
    into.customers += t.customers
    into.before += t.before
    into.after += t.after
    into.rises += t.rises
    into.falls += t.falls
    into.unchanged += t.unchanged
    into.migration += t.migration
  }
  for (let i = 0; i < part.buckets.length; i++) acc.buckets[i] = (acc.buckets[i] ?? 0) + (part.buckets[i] ?? 0)
  for (const [currency, movers] of part.movers) {
    const list = acc.movers.get(currency) ?? []
    for (const m of movers) addMover(list, m)
    acc.movers.set(currency, list)
  }
  acc.failed += part.failed
  addCount(acc.failedByReason, part.failedByReason)
  for (const e of part.failedExamples) if (acc.failedExamples.length < FAILED_EXAMPLES) acc.failedExamples.push(e)
}

const sorted = <V>(m: ReadonlyMap<string, V>): Record<string, V> => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

/**
 * The summary of the lines added so far.
 *
 * @example summaryOf(acc).byCurrency["usd"]?.monthlyBefore
 */
export const summaryOf = (acc: SummaryAccumulator): WhatIfSummary => {
  const byCurrency = new Map<string, CurrencyTotals>()
  for (const [c, t] of acc.totals) {
    byCurrency.set(c, {
      customers: t.customers, monthlyBefore: Number(t.before), monthlyAfter: Number(t.after), change: Number(t.after - t.before),
      rises: t.rises, falls: t.falls, unchanged: t.unchanged, migrationTotal: Number(t.migration)
    })
  }
  const totals = [...byCurrency.values()]
  return {
    customers: acc.customers,
    errors: acc.errors,
    errorsByTag: sorted(acc.errorsByTag),
    rises: totals.reduce((n, t) => n + t.rises, 0),
    falls: totals.reduce((n, t) => n + t.falls, 0),
    unchanged: totals.reduce((n, t) => n + t.unchanged, 0),
    byCurrency: sorted(byCurrency),
    distribution: BUCKETS.map((b, i) => ({ bucket: b.label, customers: acc.buckets[i] ?? 0 })),
    largestMovers: sorted(acc.movers),
    failedMigrations: { count: acc.failed, byReason: sorted(acc.failedByReason), examples: acc.failedExamples }
  }
}
