/**
 * Issue #3, item 6 — entities (docs/spec.md §6 scope, §7; decisions.md rules 3 and 4).
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 *   $50 × 16/31 = 800/31 = 25.8064… → 2581
 */
import { describe, expect, it } from "vitest"
import type { AttachPreview } from "../../src/Preview.ts"
import { FEB1, FEB16, JAN1, JAN16, type Obj, catalog, customer, doc, monthly, referenceCatalog, request, subscription } from "../support/build.ts"
import { ok, preview, rows, subAfter, subsAfter } from "../support/run.ts"

const ecat = catalog([monthly("pro", "20"), monthly("premium", "50")])

const customerPro = subscription("pro", JAN1, { id: "sub_customer" })

const find = (p: AttachPreview, planId: string, entityId: string | null): Obj | undefined =>
  subsAfter(p).find((s) => s["planId"] === planId && (s["entityId"] ?? null) === entityId)

describe("request.entityId scopes the scenario (docs/spec.md §6)", () => {
  const p = ok(doc(ecat, customer([customerPro]), request(JAN16, "premium", { entityId: "ent_1" })))

  it("an entity's plan does not replace the customer's: new, replaces nothing", () => {
    expect(p.changes).toEqual([{ planId: "premium", scenario: "new", timing: "immediate", replaces: null, entityId: "ent_1", effectiveAt: JAN16 }])
    expect(find(p, "pro", null)).toMatchObject({ id: "sub_customer", status: "active" })
    expect(find(p, "pro", null)?.["cancelAtPeriodEnd"]).toBeUndefined()
    expect(find(p, "premium", "ent_1")).toMatchObject({ status: "active" })
  })

  it("it joins the customer's subscription, prorated to its anchor: 50 × 16/31 → 2581, no credit", () => {
    expect(rows(p.lines)).toEqual([["charge", "premium", null, 2581, 2581]])
    expect(p.lines[0]?.period).toEqual({ start: JAN16, end: FEB1 })
    expect(find(p, "premium", "ent_1")?.["billingAnchor"]).toBe(JAN1)
    // the shared subscription renews Feb 1: pro 2000 + premium 5000 = 7000
    expect(p.nextCycle).toMatchObject({ startsAt: FEB1, total: 7000 })
  })

  it("a per-plan entityId scopes the same way", () => {
    const q = ok(doc(ecat, customer([customerPro]), request(JAN16, [{ planId: "premium", entityId: "ent_1" }])))
    expect(q.changes[0]).toMatchObject({ scenario: "new", replaces: null, entityId: "ent_1" })
  })

  it("contrast: without an entity it is an upgrade replacing the customer's pro", () => {
    const q = ok(doc(ecat, customer([customerPro]), request(JAN16, "premium")))
    expect(q.changes[0]).toMatchObject({ scenario: "upgrade", replaces: "pro", entityId: null })
  })
})

describe("an entity's own plan is replaced within the entity (docs/spec.md §6, §7 'prefer same entity')", () => {
  it("entity pro (anchor Jan 10) → premium: credit and charge on the entity's anchor; the customer's pro stays", () => {
    const entityPro = subscription("pro", "2025-01-10T00:00:00Z", { id: "sub_entity", entityId: "ent_1" })
    const p = ok(doc(ecat, customer([customerPro, entityPro]), request(JAN16, "premium", { entityId: "ent_1" })))
    expect(p.changes[0]).toMatchObject({ scenario: "upgrade", replaces: "pro", entityId: "ent_1" })
    // period [Jan 10, Feb 10) = 31 days, 25 left: fraction 25/31
    // credit −(20 × 25/31) = −500/31 = −16.129… → −1613; charge 50 × 25/31 = 1250/31 = 40.3225… → 4032
    expect(rows(p.lines)).toEqual([["credit", "pro", null, -1613, -1613], ["charge", "premium", null, 4032, 4032]])
    expect(p.total).toBe(2419)
    expect(find(p, "pro", "ent_1")).toMatchObject({ id: "sub_entity", status: "expired" })
    expect(find(p, "pro", null)).toMatchObject({ id: "sub_customer", status: "active" })
  })
})

describe("newBillingSubscription: true (docs/spec.md §7)", () => {
  it("starts a new subscription anchored at `at`: full period 5000, next cycle Feb 16", () => {
    const p = ok(doc(ecat, customer([customerPro]), request(JAN16, "premium", { entityId: "ent_1", newBillingSubscription: true })))
    // fraction 1 → $50 → 5000
    expect(rows(p.lines)).toEqual([["charge", "premium", null, 5000, 5000]])
    expect(p.lines[0]?.period).toEqual({ start: JAN16, end: FEB16 })
    expect(find(p, "premium", "ent_1")?.["billingAnchor"]).toBe(JAN16)
    // the touched subscription is the new one: premium alone, Feb 16
    expect(p.nextCycle).toMatchObject({ startsAt: FEB16, total: 5000 })
    expect(p.actions.some((a) => a.type === "createSubscription")).toBe(true)
  })
})

describe("changes entries (docs/spec.md §13)", () => {
  it("carry the entity of the request", () => {
    const p = preview(doc(referenceCatalog(), customer([]), request(JAN16, "pro", { entityId: "ent_1" })))
    expect(p.changes).toEqual([{ planId: "pro", scenario: "new", timing: "immediate", replaces: null, entityId: "ent_1", effectiveAt: "2025-01-16T00:00:00.000Z" }])
    expect(subAfter(p, "pro")).toMatchObject({ entityId: "ent_1" })
  })
})
