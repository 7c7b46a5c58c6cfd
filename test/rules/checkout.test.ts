/**
 * Checkout (docs/spec.md §10): whether the customer goes through the provider's checkout, confirms,
 * or nothing, and how an invoice is collected (invoiceMode, §10, §11). Where a trial needs no card
 * see ./trials.test.ts.
 *
 * Reference period: anchor Jan 1, at Jan 16 → [Jan 1, Feb 1), fraction 16/31.
 */
import { describe, expect, it } from "vitest"
import type { Action, AttachPreview } from "../../src/Preview.ts"
import { JAN1, JAN16, type Obj, customer, doc, referenceCatalog, request, subscription } from "../support/build.ts"
import { actionTypes, brief, ok, preview, subAfter } from "../support/run.ts"

const action = (p: AttachPreview, type: string): Action | undefined => p.actions.find((a) => a.type === type)

describe("checkout (docs/spec.md §10)", () => {
  const noCard = (subs: ReadonlyArray<Obj> = []): Obj => customer(subs, { hasPaymentMethod: false })

  it("no payment method + a new paid recurring plan → provider_checkout", () => {
    const p = preview(doc(referenceCatalog(), noCard(), request(JAN16, "pro")))
    expect(p.checkout).toBe("provider_checkout")
    expect(p.actions[0]?.type).toBe("createCheckoutSession")
  })

  it("redirectMode never → none, even without a card", () => {
    expect(preview(doc(referenceCatalog(), noCard(), request(JAN16, "pro", { redirectMode: "never" }))).checkout).toBe("none")
  })

  it("no payment method but an existing paid subscription being upgraded → none", () => {
    expect(preview(doc(referenceCatalog(), noCard([subscription("pro", JAN1)]), request(JAN16, "premium"))).checkout).toBe("none")
  })

  it("a one-off purchase without a card → provider_checkout; it is charged in full with no next cycle", () => {
    const p = preview(doc(referenceCatalog(), noCard(), request(JAN16, "pack")))
    expect(p.checkout).toBe("provider_checkout")
    // one-off: full amount, no proration, no period: $15 → 1500
    expect(brief(p.lines)).toEqual([{ kind: "charge", planId: "pack", featureId: null, amount: 1500, total: 1500 }])
    expect(p.lines[0]?.period).toBeNull()
    expect(p.nextCycle).toBeNull()
  })

  it("a one-off purchase without a card, next to an existing paid subscription → still provider_checkout; it replaces nothing", () => {
    const p = preview(doc(referenceCatalog(), noCard([subscription("pro", JAN1)]), request(JAN16, "pack")))
    expect(p.checkout).toBe("provider_checkout")
    // docs/spec.md §6 rule 1: one-off → new, never replaces anything; $15 in full → 1500
    expect(p.changes).toEqual([{ planId: "pack", scenario: "new", timing: "immediate", replaces: null, entityId: null, effectiveAt: "2025-01-16T00:00:00.000Z" }])
    expect(brief(p.lines).map((l) => l.amount)).toEqual([1500])
    expect(subAfter(p, "pro")).toMatchObject({ status: "active" })
  })

  it("free → paid without a card: no paid subscription yet → provider_checkout", () => {
    expect(preview(doc(referenceCatalog(), noCard([subscription("free", JAN1)]), request(JAN16, "pro"))).checkout).toBe("provider_checkout")
  })

  it("a downgrade (future start) → none even without a card", () => {
    expect(preview(doc(referenceCatalog(), noCard([subscription("premium", JAN1)]), request(JAN16, "pro"))).checkout).toBe("none")
  })
})

describe("redirectMode always (docs/spec.md §10)", () => {
  it("an upgrade → confirm", () => {
    expect(ok(doc(referenceCatalog(), customer([subscription("pro", JAN1)]), request(JAN16, "premium", { redirectMode: "always" }))).checkout).toBe("confirm")
  })

  it("a new subscription → provider_checkout, even with a card on file", () => {
    const p = ok(doc(referenceCatalog(), customer([]), request(JAN16, "pro", { redirectMode: "always" })))
    expect(p.checkout).toBe("provider_checkout")
    expect(actionTypes(p)).toContain("createCheckoutSession")
  })

  it("contrast: if_required (default) with a card on file → none", () => {
    expect(ok(doc(referenceCatalog(), customer([]), request(JAN16, "pro"))).checkout).toBe("none")
  })
})

describe("invoiceMode (docs/spec.md §10, §11)", () => {
  it("checkout none without a card; a createInvoice with send_invoice and netTermsDays 30 by default; no payInvoice", () => {
    const p = ok(doc(referenceCatalog(), customer([], { hasPaymentMethod: false }), request(JAN16, "pro", { invoiceMode: { enabled: true } })))
    expect(p.checkout).toBe("none")
    expect(action(p, "createInvoice")).toMatchObject({ collection: "send_invoice", netTermsDays: 30, finalize: true, total: 2000 })
    expect(actionTypes(p)).not.toContain("payInvoice")
    expect(actionTypes(p)).not.toContain("createCheckoutSession")
  })

  it("netTermsDays and finalize are passed through", () => {
    const p = ok(doc(referenceCatalog(), customer([]), request(JAN16, "pro", { invoiceMode: { enabled: true, netTermsDays: 7, finalize: false } })))
    expect(action(p, "createInvoice")).toMatchObject({ collection: "send_invoice", netTermsDays: 7, finalize: false })
  })

  it("contrast: without invoiceMode the invoice is charged automatically and paid", () => {
    const p = ok(doc(referenceCatalog(), customer([]), request(JAN16, "pro")))
    expect(action(p, "createInvoice")).toMatchObject({ collection: "charge_automatically" })
    expect(action(p, "payInvoice")).toMatchObject({ amount: 2000 })
  })
})
