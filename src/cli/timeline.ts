/**
 * `timeline FILE --cycles N [--format table|json] [--entity ID] [--trial-end-without-card cancel|checkout]`
 * (issue #15): the attach document's timeline — its immediate invoice, N later invoices of every
 * billing subscription, and every event in between — as JSON (default) or as a table of dated
 * rows. Exit 0 with the timeline, 1 with an error document, 2 on a usage error.
 *
 * @example
 * // npm run --silent cli -- timeline examples/upgrade.json --cycles 3 --format table
 */
import { formatMinor } from "../Money.ts"
import { timelineDocument } from "../timeline/preview.ts"
import type { Timeline, TimelineEvent, TimelineOptions } from "../timeline/Timeline.ts"
import { readJsonFile, toJson, usageFailure } from "./documents.ts"
import { type ArgvSpec, onePositional, parseArgv } from "./internal/argv.ts"
import { formatInstant } from "./table.ts"

/** The usage text of `timeline`. @example process.stderr.write(TIMELINE_USAGE) */
export const TIMELINE_USAGE = `Usage: attach-planner timeline FILE --cycles N [options]

The attach document's immediate invoice, then N later invoices of every billing subscription,
and every event in between (trials ending, scheduled changes, cancellations, discounts running
out, allowances resetting, credit consumed, anchor resets), in time order.

Options:
  --cycles N                          Later invoices per billing subscription, 1 to 120 (required).
  --format json|table                 Output (default json).
  --entity ID                         Only this entity's invoices and events.
  --trial-end-without-card cancel|checkout
                                      What a trial ending without a card does (default cancel).

Exit codes: 0 timeline, 1 error document, 2 usage error.
`

/** The parsed arguments of `timeline`. @example { file: "doc.json", format: "table", options: { cycles: 3 } } */
export interface TimelineArgs {
  readonly file: string
  readonly format: "json" | "table"
  readonly options: TimelineOptions
}

const OPTIONS: ArgvSpec = { cycles: "string", format: "string", entity: "string", "trial-end-without-card": "string" }

/**
 * Parses the arguments after `timeline`; a string is a usage error.
 *
 * @example parseTimelineArgs(["doc.json", "--cycles", "3"]) // { file: "doc.json", format: "json", options: { cycles: 3 } }
 */
export const parseTimelineArgs = (args: ReadonlyArray<string>): TimelineArgs | string => {
  const argv = parseArgv(args, OPTIONS)
  if (typeof argv === "string") return argv
  const one = onePositional("timeline", argv.positionals)
  if (typeof one === "string") return one
  const { values } = argv
  const file = one.file
  if (file === undefined) return "timeline needs a FILE"
  const cyclesText = values.get("--cycles")
  if (cyclesText === undefined) return "timeline needs --cycles N"
  if (!/^\d+$/.test(cyclesText)) return `--cycles expects a whole number, got ${JSON.stringify(cyclesText)}`
  const format = values.get("--format") ?? "json"
  if (format !== "json" && format !== "table") return `--format expects "json" or "table", got ${JSON.stringify(format)}`
  const trial = values.get("--trial-end-without-card")
  if (trial !== undefined && trial !== "cancel" && trial !== "checkout") return `--trial-end-without-card expects "cancel" or "checkout", got ${JSON.stringify(trial)}`
  const entity = values.get("--entity")
  return {
    file, format,
    options: { cycles: Number(cyclesText), ...(entity === undefined ? {} : { entityId: entity }), ...(trial === undefined ? {} : { trialEndWithoutCard: trial }) }
  }
}

/** What an event changes, in a few words. */
const describeEvent = (e: TimelineEvent, currency: string): string => {
  switch (e.type) {
    case "trial_ended":
      return `trial of ${e.planId} ends: ${e.outcome === "charged" ? "first charge" : e.outcome === "checkout" ? "invoice sent for checkout" : "canceled (no card)"}`
    case "phase_started":
      return e.replaces === null ? `${e.planId} starts` : `${e.planId} replaces ${e.replaces}`
    case "subscription_canceled":
      return `${e.planId} canceled at period end`
    case "discount_expired":
      return `discount ${e.discountId} runs out`
    case "allowance_reset":
      return `${e.featureId} allowance of ${e.planId} resets to ${e.included}`
    case "credit_applied":
      return `credit ${formatMinor(e.amount, currency)} applied, balance ${formatMinor(e.balanceAfter, currency)}`
    case "anchor_reset":
      return `billing anchor of ${e.planId} moves to ${formatInstant(e.billingAnchor)}`
  }
}

/**
 * The timeline as a table: one row per invoice (its total and amount due) and per event, in time
 * order, an invoice before the events of its instant.
 *
 * @example formatTimelineTable(timeline) // "Date          Entity  What …"
 */
export const formatTimelineTable = (t: Timeline): string => {
  const rows: Array<{ readonly at: number; readonly order: number; readonly cells: ReadonlyArray<string> }> = []
  t.invoices.forEach((inv, i) => {
    const what = `${inv.kind === "attach" ? "invoice today" : "renewal"}${inv.collection === "checkout" ? " (sent for checkout)" : ""}: ${inv.lines.map((l) => l.planId ?? l.description).filter((x, j, xs) => xs.indexOf(x) === j).join(", ") || "nothing to bill"}`
    rows.push({ at: Date.parse(inv.at), order: i, cells: [formatInstant(inv.at), inv.entityId ?? "—", what, formatMinor(inv.total, inv.currency), formatMinor(inv.amountDue, inv.currency)] })
  })
  t.events.forEach((e, i) => {
    rows.push({ at: Date.parse(e.at), order: t.invoices.length + i, cells: [formatInstant(e.at), e.entityId ?? "—", describeEvent(e, t.currency), "", ""] })
  })
  rows.sort((a, b) => a.at - b.at || a.order - b.order)
  const header = ["Date", "Entity", "What", "Total", "Due"]
  const all = [header, ...rows.map((r) => r.cells)]
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)))
  const line = (cells: ReadonlyArray<string>): string =>
    cells.map((cell, c) => (c >= 3 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join("  ").trimEnd()
  return [`Timeline of ${t.customerId} (${t.currency}), ${t.cycles} cycle${t.cycles === 1 ? "" : "s"}${t.entityId === null ? "" : `, entity ${t.entityId}`}`, "", line(header), ...rows.map((r) => line(r.cells))].join("\n") + "\n"
}

/**
 * Runs `timeline` with the arguments after the command name; resolves with the exit code. Never throws.
 *
 * @example process.exitCode = await runTimeline(["doc.json", "--cycles", "3"], print)
 */
export const runTimeline = async (args: ReadonlyArray<string>, out: (text: string) => Promise<void>): Promise<number> => {
  if (args.includes("--help") || args.includes("-h")) {
    process.stderr.write(TIMELINE_USAGE)
    return 0
  }
  const parsed = parseTimelineArgs(args)
  if (typeof parsed === "string") {
    return usageFailure(parsed, TIMELINE_USAGE)
  }
  const json = await readJsonFile(parsed.file)
  const output = json.ok ? timelineDocument(json.value, parsed.options) : json.error
  if ("error" in output) {
    await out(toJson(output, 2) + "\n")
    return 1
  }
  await out(parsed.format === "table" ? formatTimelineTable(output) : JSON.stringify(output, undefined, 2) + "\n")
  return 0
}
