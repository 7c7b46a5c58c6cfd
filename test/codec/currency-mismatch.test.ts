/**
 * CurrencyMismatch names what has no amount in the invoice currency: the plan, or the amount-off
 * discount (never an empty plan id).
 */
import { describe, expect, it } from "vitest"
import { errorDocument } from "../../src/index.ts"
import { JAN16, catalog, customer, doc, monthly, request } from "../support/build.ts"
import { failure } from "../support/run.ts"

const priced = catalog([monthly("pro", "20", { price: { amount: "20", interval: "month", currencies: { eur: "18" } } })], {
  discounts: [{ id: "OFF5", amountOff: "5", duration: "forever", appliesTo: ["pro"] }]
})

describe("CurrencyMismatch", () => {
  it("names the plan without a price in the currency", () => {
    const e = failure(doc(catalog([monthly("pro", "20")]), customer([]), request(JAN16, "pro", { currency: "eur" })))
    expect(e).toMatchObject({ _tag: "CurrencyMismatch", planId: "pro", currency: "eur" })
  })

  it("names the amount-off discount requested on an invoice not in the default currency, and no plan", () => {
    const e = failure(doc(priced, customer([]), request(JAN16, "pro", { currency: "eur", discounts: [{ discountId: "OFF5" }] })))
    expect(errorDocument(e)).toEqual({
      error: { _tag: "CurrencyMismatch", message: 'Discount "OFF5" is an amount in USD and cannot apply to an invoice in EUR', discountId: "OFF5", currency: "eur" }
    })
  })
})
