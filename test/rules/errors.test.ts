/**
 * Typed errors (docs/spec.md §12): every failure is a value with a stable `_tag` — through the typed
 * entry point, and as the error document of `previewDocument` with the path of a bad field.
 */
import { describe, expect, it } from "vitest"
import { previewDocument } from "../../src/index.ts"
import { JAN16, customer, doc, referenceCatalog, request } from "../support/build.ts"
import { failure } from "../support/run.ts"

describe("typed errors (docs/spec.md §12)", () => {
  it("UnknownPlan", () => {
    expect(failure(doc(referenceCatalog(), customer([]), request(JAN16, "platinum")))).toMatchObject({ _tag: "UnknownPlan", planId: "platinum" })
  })

  it("UnknownFeature for a feature quantity of a feature the catalog does not have", () => {
    const d = doc(referenceCatalog(), customer([]), request(JAN16, [{ planId: "pro", featureQuantities: [{ featureId: "widgets", quantity: 3 }] }]))
    expect(failure(d)).toMatchObject({ _tag: "UnknownFeature", featureId: "widgets" })
  })

  it("CurrencyMismatch: customer in eur, plan without an eur price", () => {
    const d = doc(referenceCatalog(), customer([], { currency: "eur" }), request(JAN16, "pro"))
    expect(failure(d)).toMatchObject({ _tag: "CurrencyMismatch", planId: "pro", currency: "eur" })
  })

  it("InvalidRequest customer_mismatch", () => {
    const d = doc(referenceCatalog(), customer([]), { ...request(JAN16, "pro"), customerId: "cus_2" })
    expect(failure(d)).toMatchObject({ _tag: "InvalidRequest", reason: "customer_mismatch" })
  })

  it("DecodeError with the path of a bad request field, as an error document", () => {
    const bad = previewDocument(doc(referenceCatalog(), customer([]), request("2025-13-01T00:00:00Z", "pro")))
    expect(bad).toMatchObject({ error: { _tag: "DecodeError", path: "request.at" } })
    const negative = previewDocument(doc(referenceCatalog(), customer([]), request(JAN16, [{ planId: "pro", featureQuantities: [{ featureId: "seats", quantity: -1 }] }])))
    expect(negative).toMatchObject({ error: { _tag: "DecodeError", path: "request.plans[0].featureQuantities[0].quantity" } })
    const typo = previewDocument(doc(referenceCatalog(), customer([]), { ...request(JAN16, "pro"), redirectMod: "never" }))
    expect(typo).toMatchObject({ error: { _tag: "DecodeError", path: "request.redirectMod" } })
  })
})
