/** Plain-text tables for the benchmark's output. */

/** A column: its title and whether it is right-aligned (numbers). */
export interface Column {
  readonly title: string
  readonly right?: boolean
}

/**
 * Formats rows under a header with a rule.
 *
 * @example formatTable([{ title: "scenario" }, { title: "µs", right: true }], [["new", "12.3"]])
 */
export const formatTable = (columns: ReadonlyArray<Column>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? "").length)))
  const cell = (text: string, i: number): string => {
    const w = widths[i] ?? 0
    return columns[i]?.right === true ? text.padStart(w) : text.padEnd(w)
  }
  const line = (cells: ReadonlyArray<string>): string => columns.map((_, i) => cell(cells[i] ?? "", i)).join("  ").trimEnd()
  return [line(columns.map((c) => c.title)), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")
}

/** 12345.6 → "12,346". */
export const int = (n: number): string => Math.round(n).toLocaleString("en-US")

/** A number with `digits` decimals. */
export const fixed = (n: number, digits = 1): string => n.toFixed(digits)

/** KiB → "123.4 MiB". */
export const mib = (kb: number): string => `${(kb / 1024).toFixed(1)} MiB`
