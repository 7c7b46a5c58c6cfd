/**
 * Issue #3, item 8 — plan versions (docs/spec.md §3 "Versions", §12; decisions.md rule 2).
 *
 * "pro" exists at version 1 ($20) and version 2 ($25), listed newest first to show the order of
 * the catalog does not matter. Reference period: anchor Jan 1, at Jan 16 → fraction 16/31.
 */
import { describe, expect, it } from "vitest"
import { JAN1, JAN16, catalog, customer, doc, monthly, request, subscription } from "../support/build.ts"
import { err, ok, rows, subAfter } from "../support/run.ts"

const vcat = catalog([
  monthly("pro", "25", { version: 2 }),
  monthly("pro", "20", { version: 1 })
])

describe("plan versions (docs/spec.md §3)", () => {
  it("no version → the highest: v2 at $25 → 2500", () => {
    const p = ok(doc(vcat, customer([]), request(JAN16, "pro")))
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2500, 2500]])
    expect(subAfter(p, "pro")?.["version"]).toBe(2)
  })

  it("an explicit version → that one: v1 at $20 → 2000", () => {
    const p = ok(doc(vcat, customer([]), request(JAN16, [{ planId: "pro", version: 1 }])))
    expect(rows(p.lines)).toEqual([["charge", "pro", null, 2000, 2000]])
    expect(subAfter(p, "pro")?.["version"]).toBe(1)
  })

  it("an unknown version → UnknownPlan naming the plan and version", () => {
    const e = err(doc(vcat, customer([]), request(JAN16, [{ planId: "pro", version: 3 }])))
    expect(e).toMatchObject({ _tag: "UnknownPlan", planId: "pro", version: 3 })
  })

  it("a customer on v1 attaching pro without a version switches to v2 (an upgrade, decisions rule 2)", () => {
    const p = ok(doc(vcat, customer([subscription("pro", JAN1, { version: 1 })]), request(JAN16, "pro")))
    expect(p.changes[0]).toMatchObject({ planId: "pro", scenario: "upgrade", replaces: "pro" })
    // credit −(20 × 16/31) = −320/31 → −1032; charge 25 × 16/31 = 400/31 = 12.9032… → 1290; total 258
    expect(rows(p.lines)).toEqual([["credit", "pro", null, -1032, -1032], ["charge", "pro", null, 1290, 1290]])
    expect(p.total).toBe(258)
  })

  it("a customer on v1 attaching version 1 explicitly is active", () => {
    const p = ok(doc(vcat, customer([subscription("pro", JAN1, { version: 1 })]), request(JAN16, [{ planId: "pro", version: 1 }])))
    expect(p.scenario).toBe("active")
    expect(p.lines).toEqual([])
  })
})
