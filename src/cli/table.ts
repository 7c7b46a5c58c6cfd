/**
 * A readable invoice of a preview document, for people (`preview FILE --format table`): the
 * header, the lines with their periods and amounts, the totals, and the next cycle. Pure.
 *
 * @example
 * console.log(formatPreviewTable(preview))
 * // Customer  cus_1
 * // Scenario  upgrade
 * // …
 * // charge  Premium  Jan 16 – Feb 1, 2025  1  $25.81
 */
import { formatMinor } from "../Money.ts"
import type { AttachPreview, Line, LinePeriod, NextCycle } from "../Preview.ts"
import { explainLine } from "./explain.ts"

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const

interface Parts {
  readonly year: number
  readonly month: string
  readonly day: number
  readonly time: string | undefined
}

const partsOf = (iso: string): Parts | undefined => {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return undefined
  const d = new Date(ms)
  const hh = d.getUTCHours()
  const mm = d.getUTCMinutes()
  const ss = d.getUTCSeconds()
  const msPart = d.getUTCMilliseconds()
  const pad = (n: number): string => String(n).padStart(2, "0")
  const time = hh === 0 && mm === 0 && ss === 0 && msPart === 0 ? undefined : ss === 0 && msPart === 0 ? `${pad(hh)}:${pad(mm)}` : `${pad(hh)}:${pad(mm)}:${pad(ss)}`
  return { year: d.getUTCFullYear(), month: MONTHS[d.getUTCMonth()] ?? "?", day: d.getUTCDate(), time }
}

const dayText = (p: Parts): string => `${p.month} ${p.day}${p.time === undefined ? "" : ` ${p.time}`}`

/**
 * An instant as a UTC date: `Feb 1, 2025`, with the time when it is not midnight
 * (`Mar 10, 2025 12:00 UTC`).
 *
 * @example formatInstant("2025-02-01T00:00:00.000Z") // "Feb 1, 2025"
 */
export const formatInstant = (iso: string): string => {
  const p = partsOf(iso)
  if (p === undefined) return iso
  return `${p.month} ${p.day}, ${p.year}${p.time === undefined ? "" : ` ${p.time} UTC`}`
}

/**
 * A line's period in UTC: `Jan 16 – Feb 1, 2025`, `Dec 16, 2024 – Jan 16, 2025`, `—` for none.
 *
 * @example formatPeriod({ start: "2025-01-16T00:00:00Z", end: "2025-02-01T00:00:00Z" }) // "Jan 16 – Feb 1, 2025"
 */
export const formatPeriod = (period: LinePeriod | null): string => {
  if (period === null) return "—"
  const s = partsOf(period.start)
  const e = partsOf(period.end)
  if (s === undefined || e === undefined) return `${period.start} – ${period.end}`
  const utc = s.time !== undefined || e.time !== undefined ? " UTC" : ""
  return s.year === e.year
    ? `${dayText(s)} – ${dayText(e)}, ${e.year}${utc}`
    : `${dayText(s)}, ${s.year} – ${dayText(e)}, ${e.year}${utc}`
}

/** How a column is aligned. @example const aligns: ReadonlyArray<Align> = ["left", "right"] */
export type Align = "left" | "right"

const columnWidths = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<number> => {
  const widths: Array<number> = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return widths
}

const renderRow = (row: ReadonlyArray<string>, widths: ReadonlyArray<number>, aligns: ReadonlyArray<Align>, indent: string): string =>
  (indent + row.map((cell, i) => {
    const w = widths[i] ?? 0
    return aligns[i] === "right" ? cell.padStart(w) : cell.padEnd(w)
  }).join("  ")).trimEnd()

/**
 * Lays out rows as aligned columns separated by two spaces; trailing spaces are trimmed.
 *
 * @example layout([["Plan", "Due"], ["pro", "$20.00"]], ["left", "right"]) // ["Plan     Due", "pro   $20.00"]
 */
export const layout = (rows: ReadonlyArray<ReadonlyArray<string>>, aligns: ReadonlyArray<Align>, indent = ""): Array<string> => {
  const widths = columnWidths(rows)
  return rows.map((row) => renderRow(row, widths, aligns, indent))
}

const quantityText = (q: number): string => (Number.isInteger(q) ? q.toLocaleString("en-US") : String(q))

const LINE_HEADER = ["Kind", "Description", "Period", "Qty", "Amount"] as const
const LINE_ALIGNS: ReadonlyArray<Align> = ["left", "left", "left", "right", "right"]

/** The rows of the lines, and with `explain` the notes to print after a row (by its index). */
const lineRows = (lines: ReadonlyArray<Line>, money: (minor: number) => string, notes?: Map<number, Array<string>>): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  for (const line of lines) {
    rows.push([line.kind, line.description, formatPeriod(line.period), quantityText(line.quantity), money(line.amount)])
    notes?.set(rows.length, explainLine(line))
    for (const d of line.discounts) rows.push(["", `  discount ${d.discountId}`, "", "", money(-d.amount)])
  }
  return rows
}

/** Labelled amounts under the lines (subtotal, total, …). */
type Totals = ReadonlyArray<readonly [string, number]>

/**
 * The lines and their totals as one block. The totals are right-aligned under the amount column,
 * their labels right-aligned just before it.
 */
const invoiceBlock = (lines: ReadonlyArray<Line>, totals: Totals, money: (minor: number) => string, indent: string, explain = false): Array<string> => {
  const summary = totals.map(([label, minor]) => [label, money(minor)] as const)
  if (lines.length === 0) return [`${indent}(no lines)`, ...layout(summary, ["left", "right"], indent)]
  const notes = explain ? new Map<number, Array<string>>() : undefined
  const rows = [[...LINE_HEADER], ...lineRows(lines, money, notes)]
  const widths = columnWidths(rows)
  const amountColumn = LINE_HEADER.length - 1
  widths[amountColumn] = Math.max(widths[amountColumn] ?? 0, ...summary.map(([, amount]) => amount.length))
  const rendered = rows.map((row) => renderRow(row, widths, LINE_ALIGNS, indent))
  const amountWidth = widths[amountColumn] ?? 0
  const width = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)
  const labelWidth = Math.max(width - amountWidth - 2, ...summary.map(([label]) => label.length))
  const rule = indent + "─".repeat(Math.max(width, labelWidth + 2 + amountWidth))
  const totalRows = summary.map(([label, amount]) => `${indent}${label.padStart(labelWidth)}  ${amount.padStart(amountWidth)}`)
  const body = rendered.slice(1).flatMap((row, i) => [row, ...(notes?.get(i + 1) ?? []).map((n) => `${indent}        ${n}`)])
  return [rendered[0] ?? "", rule, ...body, rule, ...totalRows]
}

const nextCycleBlock = (next: NextCycle, money: (minor: number) => string, explain: boolean): Array<string> => {
  const out = [`Next cycle — starts ${formatInstant(next.startsAt)}`]
  out.push(...invoiceBlock(next.lines, [["Subtotal", next.subtotal], ["Discounts", -next.discountTotal], ["Total", next.total]], money, "  ", explain))
  if (next.usageLines.length > 0) {
    out.push("  Usage billed in arrears:")
    out.push(...layout(next.usageLines.map((u) => [u.featureId, `(${u.planId})`, u.overage === undefined ? "" : `overage so far: ${quantityText(u.overage)}`]), ["left", "left", "left"], "    "))
  }
  return out
}

/**
 * Formats a preview document as a readable invoice: header, changes, lines (kind, description,
 * period, quantity, amount, discounts), totals, trial end, checkout, actions, and the next cycle.
 * With `explain`, each line is followed by its derivation in words (base, fraction, tiers, ledger,
 * exact amount and rounding, discounts; minor units).
 *
 * @example formatPreviewTable(preview).includes("Amount due") // true
 */
export const formatPreviewTable = (preview: AttachPreview, options: { readonly explain?: boolean } = {}): string => {
  const explain = options.explain === true
  const money = (minor: number): string => formatMinor(minor, preview.currency)
  const out: Array<string> = []
  out.push(...layout([
    ["Customer", preview.customerId],
    ["Scenario", preview.scenario],
    ["Currency", preview.currency.toUpperCase()]
  ], ["left", "left"]))
  out.push("")
  if (preview.changes.length > 0) {
    out.push("Changes")
    out.push(...layout([
      ["Plan", "Scenario", "Timing", "Replaces", "Entity", "Effective"],
      ...preview.changes.map((c) => [c.planId, c.scenario, c.timing, c.replaces ?? "—", c.entityId ?? "—", formatInstant(c.effectiveAt)])
    ], ["left", "left", "left", "left", "left", "left"], "  "))
    out.push("")
  }
  out.push("Today")
  out.push(...invoiceBlock(preview.lines, [
    ["Subtotal", preview.subtotal],
    ["Discounts", -preview.discountTotal],
    ["Total", preview.total],
    ["Credit applied", -preview.creditApplied],
    ["Amount due", preview.amountDue]
  ], money, "  ", explain))
  out.push("")
  const footer: Array<Array<string>> = []
  if (preview.trialEndsAt !== null) footer.push(["Trial ends", formatInstant(preview.trialEndsAt)])
  footer.push(["Checkout", preview.checkout])
  if (preview.actions.length > 0) footer.push(["Actions", preview.actions.map((a) => a.type).join(", ")])
  out.push(...layout(footer, ["left", "left"]))
  out.push("")
  if (preview.nextCycle === null) out.push("Next cycle — none")
  else out.push(...nextCycleBlock(preview.nextCycle, money, explain))
  return out.join("\n") + "\n"
}
