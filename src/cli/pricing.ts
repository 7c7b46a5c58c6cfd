/**
 * `pricing FILE [--format table|json]` (issue #16): the pricing table of the document in FILE
 * (`{ catalog, customer, at, entityId?, currency?, allVersions? }`) — for each plan, the button a
 * pricing page shows, what attaching it costs today and after, and when. FILE `-` reads standard
 * input. Exit codes as `preview`: 0 success, 1 bad input (the error document is on standard
 * output), 2 usage error.
 *
 * @example
 * // npm run --silent cli -- pricing examples/pricing.json
 */
import * as Result from "effect/Result"
import type { Interval } from "../Interval.ts"
import { formatMinor } from "../Money.ts"
import { previewPricingTableSync } from "../PricingTable.ts"
import type { PricingTableEntry } from "../pricingTable/entry.ts"
import type { PricingTable } from "../pricingTable/table.ts"
import { errorDocument } from "../Errors.ts"
import { failWith, readJsonFile, usageFailure } from "./documents.ts"
import { onePositional, parseArgv } from "./internal/argv.ts"
import { formatInstant, layout } from "./table.ts"

/** The usage text of `pricing`. @example process.stderr.write(PRICING_USAGE) */
export const PRICING_USAGE = `Usage: attach-planner pricing FILE [--format table|json]

Prints the pricing table of the document in FILE ({ catalog, customer, at }, optionally
entityId, currency, allVersions): for every plan of the catalog, what attaching it alone would
do for this customer at "at" — the call to action (current, upgrade, downgrade, trial, buy,
renew, scheduled, unavailable), the amount due today, the recurring amount after it and when
the next invoice is due. FILE "-" reads standard input.

Options:
  --format table|json   Output (default table). "json" prints the table document.

Exit codes: 0 success, 1 bad input (an error document is printed on standard output),
2 usage error.
`

/** The options of `pricing`. @example { file: "examples/pricing.json", format: "table" } */
export interface PricingOptions {
  readonly file: string
  readonly format: "json" | "table"
}

/**
 * Parses the arguments after `pricing`: the options, `"help"`, or a usage error message.
 *
 * @example parsePricingArgs(["doc.json", "--format", "json"]) // { file: "doc.json", format: "json" }
 * @example parsePricingArgs([]) // "pricing needs a FILE"
 */
export const parsePricingArgs = (args: ReadonlyArray<string>): PricingOptions | "help" | string => {
  const badFormat = (value: string | undefined): string => `--format expects "table" or "json", got ${value === undefined ? "nothing" : JSON.stringify(value)}`
  const argv = parseArgv(args, { format: "string", help: "boolean" }, () => badFormat(undefined))
  if (typeof argv === "string") return argv
  if (argv.flags.has("--help")) return "help"
  const format = argv.values.get("--format")
  if (format !== undefined && format !== "json" && format !== "table") return badFormat(format)
  const one = onePositional("pricing", argv.positionals)
  if (typeof one === "string") return one
  const file = one.file
  if (file === undefined) return "pricing needs a FILE"
  return { file, format: format === "json" ? "json" : "table" }
}

const UNITS: Readonly<Record<Interval["unit"], readonly [string, string]>> = {
  day: ["day", "days"], week: ["week", "weeks"], month: ["month", "months"],
  quarter: ["quarter", "quarters"], semi_annual: ["half-year", "half-years"], year: ["year", "years"]
}

const per = (interval: Interval): string => {
  const [one, many] = UNITS[interval.unit]
  return interval.count === 1 ? `/ ${one}` : `/ ${interval.count} ${many}`
}

/** What the plan costs after today: `$50.00 / month`, `+ usage` when it also bills usage. */
const thenText = (row: PricingTableEntry): string => {
  const r = row.recurring
  if (r === null) return "—"
  const amount = `${formatMinor(r.amount, r.currency)}${r.interval === null ? "" : ` ${per(r.interval)}`}`
  return r.usageBased ? `${amount} + usage` : amount
}

const trialText = (row: PricingTableEntry): string => {
  const t = row.trial
  if (t === null || !row.trialAvailable) return ""
  const card = t.cardRequired ? "card required" : "no card needed"
  return `${t.length}-${t.unit} trial, ${card}, ends ${row.trialEndsAt === null ? "—" : formatInstant(row.trialEndsAt)}`
}

/** The notes of a row: why it is unavailable, when it takes effect, what it replaces, its trial. */
const notesOf = (row: PricingTableEntry): string => {
  if (row.reason !== null) return `${row.reason._tag}: ${row.reason.message}`
  const notes: Array<string> = []
  if (row.timing === "end_of_cycle" && row.effectiveAt !== null) notes.push(`starts ${formatInstant(row.effectiveAt)}`)
  if (row.replaces !== null) notes.push(`replaces ${row.replaces}`)
  if (row.held?.canceling === true) notes.push("cancels at period end")
  const trial = trialText(row)
  if (trial !== "") notes.push(trial)
  if (row.checkoutRequired === true) notes.push("through checkout")
  return notes.join("; ")
}

const kindText = (row: PricingTableEntry): string => (row.addOn ? `add-on, ${row.kind.replace("_", "-")}` : row.kind.replace("_", "-"))

/**
 * The pricing table as a page of text: a header, then one row per plan (id, name, kind, call to
 * action, amount due today, the recurring amount after it, the next invoice's date, notes).
 *
 * @example formatPricingTable(table).split("\n")[0] // "Customer  cus_pro"
 */
export const formatPricingTable = (table: PricingTable): string => {
  const money = (minor: number | null): string => (minor === null ? "—" : formatMinor(minor, table.currency))
  const header = layout([
    ["Customer", table.customerId],
    ...(table.entityId === null ? [] : [["Entity", table.entityId]]),
    ["At", formatInstant(table.at)],
    ["Currency", table.currency.toUpperCase()]
  ], ["left", "left"])
  const rows = layout([
    ["Plan", "Name", "Kind", "Action", "Due today", "Then", "Next invoice", "Notes"],
    ...table.plans.map((row) => [
      row.planId, row.name, kindText(row), row.action, money(row.amountDueToday), thenText(row),
      row.nextCycleAt === null ? "—" : formatInstant(row.nextCycleAt), notesOf(row)
    ])
  ], ["left", "left", "left", "left", "right", "left", "left", "left"], "  ")
  return [...header, "", ...rows].join("\n") + "\n"
}

/**
 * Runs `pricing` with the arguments after the command name; prints the table or an error
 * document and resolves with the exit code. Never throws.
 *
 * @example process.exitCode = await runPricing(["examples/pricing.json"], print)
 */
export const runPricing = async (args: ReadonlyArray<string>, out: (text: string) => Promise<void>): Promise<number> => {
  const options = parsePricingArgs(args)
  if (options === "help") {
    process.stderr.write(PRICING_USAGE)
    return 0
  }
  if (typeof options === "string") {
    return usageFailure(options, PRICING_USAGE)
  }
  const fail = failWith(out)
  const json = await readJsonFile(options.file)
  if (!json.ok) return fail(json.error)
  const table = previewPricingTableSync(json.value)
  if (Result.isFailure(table)) return fail(errorDocument(table.failure))
  await out(options.format === "json" ? JSON.stringify(table.success, undefined, 2) + "\n" : formatPricingTable(table.success))
  return 0
}
