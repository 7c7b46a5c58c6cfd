/**
 * Issue #3, item 9 — line descriptions (docs/spec.md §8 lines; §3 feature display names).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 */
import { describe, expect, it } from "vitest"
import type { AttachPreview } from "../../src/Preview.ts"
import { JAN1, JAN16, catalog, customer, doc, monthly, prepaidItem, request, subscription, usageItem } from "../support/build.ts"
import { ok } from "../support/run.ts"

const dcat = catalog([
  monthly("pro", "20"),
  monthly("premium", "50"),
  // metered: $20 + messages above 100 at $0.10 each, billed in arrears
  monthly("metered", "20", {
    items: [usageItem("messages", { amount: "0.10" }, { included: 100, reset: { interval: "month" } })]
  }),
  // crew: members bought one by one at $4 (display: "member" / "people")
  monthly("crew", "0", {
    items: [prepaidItem("members", { amount: "4" }, { included: 0 })]
  })
])

const descriptions = (p: AttachPreview): Array<string> => p.lines.map((l) => l.description)

describe("period text (docs/spec.md §8)", () => {
  it("an upgrade on Jan 16: \"Unused time on Pro (Jan 16 – Feb 1, 2025)\" and \"Premium (Jan 16 – Feb 1, 2025)\"", () => {
    const p = ok(doc(dcat, customer([subscription("pro", JAN1)]), request(JAN16, "premium")))
    expect(descriptions(p)).toEqual(["Unused time on Pro (Jan 16 – Feb 1, 2025)", "Premium (Jan 16 – Feb 1, 2025)"])
  })

  it("across a year end both years are shown: \"Pro (Dec 16, 2024 – Jan 16, 2025)\"", () => {
    const p = ok(doc(dcat, customer([]), request("2024-12-16T00:00:00Z", "pro")))
    expect(descriptions(p)).toEqual(["Pro (Dec 16, 2024 – Jan 16, 2025)"])
  })
})

describe("arrears (docs/spec.md §8.4)", () => {
  it("\"Messages overage: 50 × $0.10\": 150 used, 100 included → 50 × $0.10 = $5.00 → 500", () => {
    const metered = subscription("metered", JAN1, { usage: [{ featureId: "messages", used: 150 }] })
    const p = ok(doc(dcat, customer([metered]), request(JAN16, "premium")))
    const arrears = p.lines.find((l) => l.kind === "arrears")
    expect(arrears).toMatchObject({
      description: "Messages overage: 50 × $0.10",
      quantity: 50,
      amount: 500,
      period: { start: "2025-01-01T00:00:00.000Z", end: "2025-01-16T00:00:00.000Z" }
    })
    // arrears first, then the credit, then the charge
    expect(p.lines.map((l) => l.kind)).toEqual(["arrears", "credit", "charge"])
  })
})

describe("feature units use the display names (docs/spec.md §3 display)", () => {
  it("singular for 1: \"Crew – 1 member (Jan 16 – Feb 16, 2025)\" at $4 → 400", () => {
    const p = ok(doc(dcat, customer([]), request(JAN16, [{ planId: "crew", featureQuantities: [{ featureId: "members", quantity: 1 }] }])))
    expect(p.lines).toHaveLength(1)
    expect(p.lines[0]).toMatchObject({ description: "Crew – 1 member (Jan 16 – Feb 16, 2025)", amount: 400, quantity: 1 })
  })

  it("plural for 3, the display plural (not singular + \"s\"): \"Crew – 3 people (Jan 16 – Feb 16, 2025)\" at 3 × $4 → 1200", () => {
    const p = ok(doc(dcat, customer([]), request(JAN16, [{ planId: "crew", featureQuantities: [{ featureId: "members", quantity: 3 }] }])))
    expect(p.lines[0]).toMatchObject({ description: "Crew – 3 people (Jan 16 – Feb 16, 2025)", amount: 1200, quantity: 3 })
  })
})
