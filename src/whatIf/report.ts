/**
 * The what-if's summary as a self-contained HTML page (no scripts, no external resources: it
 * opens offline): the headline numbers, a histogram of per-customer changes, recurring revenue
 * per month before and after per currency, the largest movers and the failed migrations. Charts
 * are inline SVG.
 *
 * @example await writeFile("report.html", whatIfReport(summary, { from: "catalog.json", to: "catalog-2025.json", at: "2025-01-16T00:00:00.000Z" }))
 */
import { formatMinor } from "../Money.ts"
import type { WhatIfSummary } from "./summary.ts"

/** What the page says it compared. @example { from: "catalog.json", to: "catalog-2025.json", at: "2025-01-16T00:00:00.000Z" } */
export interface ReportContext {
  readonly from: string
  readonly to: string
  readonly at: string
}

const escape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

const W = 720
const H = 260
const PAD = { left: 56, right: 16, top: 16, bottom: 64 }

/** A bar chart: one group of bars per label; values are non-negative. */
const barChart = (title: string, labels: ReadonlyArray<string>, series: ReadonlyArray<{ readonly name: string; readonly color: string; readonly values: ReadonlyArray<number>; readonly format: (n: number) => string }>): string => {
  const max = Math.max(1, ...series.flatMap((s) => s.values))
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const group = plotW / Math.max(1, labels.length)
  const bar = (group * 0.8) / Math.max(1, series.length)
  const parts: Array<string> = []
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="#555"/>`)
  labels.forEach((label, i) => {
    const x0 = PAD.left + i * group + group * 0.1
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0
      const h = (v / max) * plotH
      const x = x0 + j * bar
      const y = PAD.top + plotH - h
      parts.push(`<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bar - 2).toFixed(1)}" height="${Math.max(v > 0 ? 1 : 0, h).toFixed(1)}" fill="${s.color}"><title>${escape(`${label} · ${s.name}: ${s.format(v)}`)}</title></rect>`)
      if (v > 0) parts.push(`<text x="${(x + bar / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" font-size="10" text-anchor="middle">${escape(s.format(v))}</text>`)
    })
    const cx = PAD.left + i * group + group / 2
    parts.push(`<text x="${cx.toFixed(1)}" y="${PAD.top + plotH + 14}" font-size="10" text-anchor="end" transform="rotate(-30 ${cx.toFixed(1)} ${PAD.top + plotH + 14})">${escape(label)}</text>`)
  })
  const legend = series.map((s, j) => `<rect x="${PAD.left + j * 140}" y="${H - 14}" width="10" height="10" fill="${s.color}"/><text x="${PAD.left + j * 140 + 14}" y="${H - 5}" font-size="11">${escape(s.name)}</text>`).join("")
  return `<figure><figcaption>${escape(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escape(title)}">${parts.join("")}${legend}</svg></figure>`
}

const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  `<table><thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`

/**
 * The page.
 *
 * @example whatIfReport(summary, context).startsWith("<!doctype html>") // true
 */
export const whatIfReport = (s: WhatIfSummary, context: ReportContext): string => {
  const currencies = Object.keys(s.byCurrency)
  const histogram = barChart("Customers by change of their monthly bill", s.distribution.map((d) => d.bucket), [
    { name: "customers", color: "#3b6fb6", values: s.distribution.map((d) => d.customers), format: (n) => n.toLocaleString("en-US") }
  ])
  const revenue = currencies.map((c) => {
    const t = s.byCurrency[c]
    const fmt = (n: number) => formatMinor(Math.round(n), c)
    return barChart(`Recurring revenue per month, ${c.toUpperCase()}`, ["before", "after"], [
      { name: "monthly revenue", color: "#2e8b57", values: [t?.monthlyBefore ?? 0, t?.monthlyAfter ?? 0], format: fmt }
    ])
  }).join("")
  const totals = table(["currency", "customers", "monthly before", "monthly after", "change", "rises", "falls", "unchanged", "migrations bill today"], currencies.map((c) => {
    const t = s.byCurrency[c]
    return t === undefined ? [] : [c, String(t.customers), formatMinor(t.monthlyBefore, c), formatMinor(t.monthlyAfter, c), formatMinor(t.change, c), String(t.rises), String(t.falls), String(t.unchanged), formatMinor(t.migrationTotal, c)]
  }))
  const movers = currencies.map((c) => table([`largest movers (${c})`, "before", "after", "change"], (s.largestMovers[c] ?? []).map((m) => [m.customerId, formatMinor(m.monthlyBefore, c), formatMinor(m.monthlyAfter, c), formatMinor(m.change, c)]))).join("")
  const failed = s.failedMigrations.count === 0 ? "<p>No migration would fail.</p>"
    : table(["customer", "from", "to", "reason", "message"], s.failedMigrations.examples.map((e) => [e.customerId ?? "—", e.from, e.to, e.reason, e.message]))
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>What-if: ${escape(context.from)} → ${escape(context.to)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}</style>
</head><body>
<h1>What-if: ${escape(context.from)} → ${escape(context.to)}</h1>
<p>At ${escape(context.at)}: ${s.customers.toLocaleString("en-US")} customers, ${s.errors.toLocaleString("en-US")} errors; the bill rises for ${s.rises.toLocaleString("en-US")}, falls for ${s.falls.toLocaleString("en-US")}, stays for ${s.unchanged.toLocaleString("en-US")}; ${s.failedMigrations.count.toLocaleString("en-US")} migrations would fail.</p>
${totals}
${histogram}
${revenue}
${movers}
<h2>Failed migrations</h2>
${failed}
</body></html>
`
}
