/**
 * Determinism (docs/spec.md §1): a plan depends only on the document, so the same document always
 * gives the same answer, byte for byte.
 */
import { describe, expect, it } from "vitest"
import { previewDocument } from "../../src/index.ts"
import { JAN1, JAN16, customer, doc, iso, referenceCatalog, request, subscription } from "../support/build.ts"

describe("determinism (docs/spec.md §1)", () => {
  it("the same document twice gives byte-identical JSON", () => {
    const d = doc(
      referenceCatalog({ discounts: [{ id: "TEN", percentOff: "10", duration: "forever" }] }),
      customer([subscription("pro", JAN1, { providerSubscriptionId: "stripe_sub_1" })], { creditBalance: 700 }),
      request(JAN16, [{ planId: "premium" }, { planId: "extra" }], { discounts: [{ discountId: "TEN" }] })
    )
    const first = JSON.stringify(previewDocument(d))
    const second = JSON.stringify(previewDocument(structuredClone(d)))
    expect(second).toBe(first)
    expect(JSON.stringify(previewDocument(d))).toBe(first)
    expect(first).not.toContain("\"error\"")
    expect(iso(JAN16)).toBe("2025-01-16T00:00:00.000Z")
  })
})
