/**
 * Issue #12, item 3 — `preview FILE --format table --explain`: each line followed by its
 * derivation in words, from a real preview (the docs/proration.md §9 upgrade, paid at 50 % off).
 */
import { describe, expect, it } from "vitest"
import { parseArgs } from "../../src/cli/args.ts"
import { formatPreviewTable } from "../../src/cli/table.ts"
import { JAN1, JAN16, catalog, customer, doc, monthly, request, subscription } from "../support/build.ts"
import { ok } from "../support/run.ts"

const plans = catalog([monthly("pro", "20"), monthly("premium", "50")], { discounts: [{ id: "HALF1", percentOff: "50", duration: "once" }, { id: "TEN", percentOff: "10", duration: "forever" }] })

describe("--explain", () => {
  it("prints under each line its base, fraction, ledger, exact amount, rounding and discounts", () => {
    const bought = ok(doc(plans, customer([]), request(JAN1, "pro", { discounts: [{ discountId: "HALF1" }] })))
    const up = ok(doc(plans, bought.customerAfter, request(JAN16, "premium", { discounts: [{ discountId: "TEN" }] })))
    const text = formatPreviewTable(up, { explain: true })
    expect(text).toContain("= -2000 × 1382400000/2678400000 ms left (2025-01-16T00:00:00.000Z → 2025-02-01T00:00:00.000Z, policy exact)")
    expect(text).toContain("  ledger: paid 1000 for 2025-01-01T00:00:00.000Z → 2025-02-01T00:00:00.000Z, credited 0, open 1000, unused now 16000/31")
    expect(text).toContain("  capped at what was paid: min(list, paid share 16000/31, open 1000)")
    expect(text).toContain("= -16000/31 exact → -516 (rounding delta -4/31)")
    expect(text).toContain("= 80000/31 exact → 2581 (rounding delta -11/31)")
    expect(text).toContain("  − 258 TEN (10 % off)") // 2581 × 10 % = 258.1 → 258
    expect(text).toContain("= 5000 (full amount, not prorated)")
  })

  it("without it the table is unchanged", () => {
    const up = ok(doc(plans, customer([subscription("pro", JAN1, { id: "sub_pro" })]), request(JAN16, "premium")))
    expect(formatPreviewTable(up)).toBe(formatPreviewTable(up, { explain: false }))
    expect(formatPreviewTable(up)).not.toContain("exact →")
  })

  it("is an option of preview --format table only", () => {
    expect(parseArgs(["preview", "doc.json", "--format", "table", "--explain"])).toEqual({ _tag: "PreviewFile", file: "doc.json", format: "table", catalog: undefined, explain: true })
    expect(parseArgs(["preview", "doc.json", "--explain"])).toMatchObject({ _tag: "UsageError" })
    expect(parseArgs(["preview", "doc.json", "--format", "table", "--explain=yes"])).toMatchObject({ _tag: "UsageError" })
  })
})
