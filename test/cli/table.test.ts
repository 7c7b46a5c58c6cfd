import { describe, expect, it } from "vitest"
import { formatInstant, formatPeriod, formatPreviewTable } from "../../src/cli/table.ts"
import type { AttachPreview, Line } from "../../src/index.ts"

const period = (start: string, end: string) => ({ start, end })

const line = (fields: Partial<Line> & Pick<Line, "kind" | "amount">): Line => ({
  planId: "premium",
  featureId: null,
  description: "Premium",
  quantity: 1,
  period: null,
  discounts: [],
  total: fields.amount,
  ...fields
})

const preview: AttachPreview = {
  customerId: "cus_upgrade",
  currency: "usd",
  scenario: "upgrade",
  changes: [{ planId: "premium", scenario: "upgrade", timing: "immediate", replaces: "pro", entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }],
  lines: [
    line({ kind: "arrears", planId: "pro", featureId: "messages", description: "Pro — messages overage", quantity: 50, amount: 500, period: period("2025-01-01T00:00:00.000Z", "2025-01-16T00:00:00.000Z") }),
    line({ kind: "credit", planId: "pro", description: "Unused time on Pro", amount: -1032, period: period("2025-01-16T00:00:00.000Z", "2025-02-01T00:00:00.000Z") }),
    line({
      kind: "charge", description: "Premium", amount: 2581, total: 2065,
      discounts: [{ discountId: "LAUNCH20", amount: 516 }],
      period: period("2025-01-16T00:00:00.000Z", "2025-02-01T00:00:00.000Z")
    })
  ],
  subtotal: 2049,
  discountTotal: 516,
  total: 1533,
  creditApplied: 0,
  amountDue: 1533,
  trialEndsAt: null,
  nextCycle: {
    startsAt: "2025-02-01T00:00:00.000Z",
    lines: [line({ kind: "charge", description: "Premium", amount: 5000, total: 4000, discounts: [{ discountId: "LAUNCH20", amount: 1000 }], period: period("2025-02-01T00:00:00.000Z", "2025-03-01T00:00:00.000Z") })],
    subtotal: 5000,
    discountTotal: 1000,
    total: 4000,
    usageLines: [{ planId: "premium", featureId: "messages", overage: 0 }]
  },
  checkout: "none",
  actions: [
    { type: "updateSubscription", subscriptionId: "sub_1", subscriptionIds: ["s1"], items: [], previousItems: [], prorationBehavior: "none", idempotencyKey: "k1" },
    {
      type: "createInvoice", customerId: "cus_upgrade", currency: "usd", description: "Attach premium", lines: [], subtotal: 1533, discountTotal: 0, total: 1533,
      creditApplied: 0, amountDue: 1533, collection: "charge_automatically", finalize: true, netTermsDays: null, idempotencyKey: "k2"
    },
    { type: "payInvoice", invoice: "k2", amount: 1533, creditApplied: 0, idempotencyKey: "k3" }
  ],
  customerAfter: { id: "cus_upgrade" },
  basedOn: "cf_0000000000000000"
}

const table = formatPreviewTable(preview)
const rows = table.split("\n")
const row = (needle: string): string => {
  const found = rows.find((r) => r.includes(needle))
  if (found === undefined) throw new Error(`no row containing ${JSON.stringify(needle)} in\n${table}`)
  return found
}

describe("formatPeriod / formatInstant", () => {
  it("prints periods in UTC, sharing the year when it is the same", () => {
    expect(formatPeriod(period("2025-01-16T00:00:00.000Z", "2025-02-01T00:00:00.000Z"))).toBe("Jan 16 – Feb 1, 2025")
    expect(formatPeriod(period("2024-12-16T00:00:00Z", "2025-01-16T00:00:00Z"))).toBe("Dec 16, 2024 – Jan 16, 2025")
    expect(formatPeriod(null)).toBe("—")
  })

  it("uses UTC, not the local time zone, and shows a time that is not midnight", () => {
    expect(formatPeriod(period("2025-03-10T12:00:00Z", "2025-04-10T12:00:00Z"))).toBe("Mar 10 12:00 – Apr 10 12:00, 2025 UTC")
    expect(formatInstant("2025-02-01T00:00:00.000Z")).toBe("Feb 1, 2025")
    expect(formatInstant("2024-02-29T23:30:00+00:00")).toBe("Feb 29, 2024 23:30 UTC")
  })
})

describe("formatPreviewTable", () => {
  it("has a header with the customer, scenario, currency and the changes", () => {
    expect(rows[0]).toBe("Customer  cus_upgrade")
    expect(rows[1]).toBe("Scenario  upgrade")
    expect(rows[2]).toBe("Currency  USD")
    expect(row("premium  upgrade")).toMatch(/premium\s+upgrade\s+immediate\s+pro\s+—\s+Jan 16, 2025$/)
  })

  it("prints one row per line with kind, description, period, quantity and the amount in the currency", () => {
    expect(row("arrears")).toMatch(/arrears\s+Pro — messages overage\s+Jan 1 – Jan 16, 2025\s+50\s+\$5\.00$/)
    expect(row("credit ")).toMatch(/credit\s+Unused time on Pro\s+Jan 16 – Feb 1, 2025\s+1\s+-\$10\.32$/)
    expect(row("charge ")).toMatch(/charge\s+Premium\s+Jan 16 – Feb 1, 2025\s+1\s+\$25\.81$/)
    expect(row("discount LAUNCH20")).toMatch(/-\$5\.16$/)
  })

  it("aligns the columns: every line row and total ends at the same column, and periods start together", () => {
    const lineRows = [row("arrears"), row("credit "), row("charge "), row("discount LAUNCH20"), row("Subtotal"), row("Amount due")]
    const ends = new Set(lineRows.map((r) => r.length))
    expect(ends.size).toBe(1)
    const periodStarts = [row("arrears"), row("credit "), row("charge ")].map((r) => r.indexOf("Jan "))
    expect(new Set(periodStarts).size).toBe(1)
    const header = row("Kind")
    expect(header.indexOf("Period")).toBe(periodStarts[0])
    expect(header.endsWith("Amount")).toBe(true)
  })

  it("lists the totals", () => {
    expect(row("Subtotal")).toMatch(/Subtotal\s+\$20\.49$/)
    expect(row("Discounts")).toMatch(/Discounts\s+-\$5\.16$/)
    expect(row("  Total")).toMatch(/Total\s+\$15\.33$/)
    expect(row("Credit applied")).toMatch(/Credit applied\s+\$0\.00$/)
    expect(row("Amount due")).toMatch(/Amount due\s+\$15\.33$/)
    expect(row("Checkout")).toMatch(/Checkout\s+none$/)
    expect(row("Actions")).toContain("updateSubscription, createInvoice, payInvoice")
    expect(table).not.toContain("Trial ends")
  })

  it("has a next cycle section with its start, lines, total and usage lines", () => {
    const start = rows.findIndex((r) => r.startsWith("Next cycle"))
    expect(rows[start]).toBe("Next cycle — starts Feb 1, 2025")
    const next = rows.slice(start).join("\n")
    expect(next).toMatch(/charge\s+Premium\s+Feb 1 – Mar 1, 2025\s+1\s+\$50\.00/)
    expect(next).toMatch(/discount LAUNCH20\s+-\$10\.00/)
    expect(next).toMatch(/Total\s+\$40\.00/)
    expect(next).toMatch(/messages\s+\(premium\)\s+overage so far: 0/)
  })

  it("shows the trial end, an empty invoice, no next cycle, and other currencies", () => {
    const trial = formatPreviewTable({ ...preview, currency: "jpy", lines: [], subtotal: 0, discountTotal: 0, total: 0, amountDue: 0, trialEndsAt: "2025-03-08T00:00:00.000Z", nextCycle: null })
    expect(trial).toContain("Currency  JPY")
    expect(trial).toContain("(no lines)")
    expect(trial).toMatch(/Amount due\s+¥0/)
    expect(trial).toMatch(/Trial ends\s+Mar 8, 2025/)
    expect(trial).toContain("Next cycle — none")
  })

  it("is pure: the same preview gives the same text", () => {
    expect(formatPreviewTable(preview)).toBe(table)
  })
})
