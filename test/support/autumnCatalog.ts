/**
 * The native catalog of the Autumn compatibility tests (usd):
 * - `free`: 50 messages a month, no price
 * - `pro`: $20 a month, 100 messages included then $0.10 per message (pay per use)
 * - `premium`: $50 a month, 1,000 messages included then $0.05 per message
 * - `seats`: an add-on, $10 per seat a month, prepaid
 * - discount `launch`: 20% off, forever, promotion code `LAUNCH`
 */
import * as Result from "effect/Result"
import { type AutumnHandler, type AutumnHandlerOptions, makeAutumnHandler } from "../../src/autumn/Handler.ts"
import type { Catalog } from "../../src/Catalog.ts"
import { decodeCatalog } from "../../src/Document.ts"

export const AUTUMN_TEST_CATALOG = {
  defaultCurrency: "usd",
  features: [
    { id: "messages", name: "Messages", type: "metered", consumable: true },
    { id: "seats", name: "Seats", type: "metered" }
  ],
  plans: [
    { id: "free", name: "Free", items: [{ featureId: "messages", included: 50, reset: { interval: "month" } }] },
    {
      id: "pro", name: "Pro", price: { amount: "20", interval: "month" },
      items: [{ featureId: "messages", included: 100, reset: { interval: "month" }, price: { amount: "0.10", interval: "month", billingMethod: "usage_based" } }]
    },
    {
      id: "premium", name: "Premium", price: { amount: "50", interval: "month" },
      items: [{ featureId: "messages", included: 1000, reset: { interval: "month" }, price: { amount: "0.05", interval: "month", billingMethod: "usage_based" } }]
    },
    {
      id: "seats", name: "Seats", addOn: true,
      items: [{ featureId: "seats", price: { amount: "10", interval: "month", billingMethod: "prepaid" } }]
    }
  ],
  discounts: [{ id: "launch", name: "Launch", percentOff: "20", duration: "forever", promotionCodes: ["LAUNCH"] }]
}

/** The decoded test catalog. */
export const autumnTestCatalog = (): Catalog => {
  const r = decodeCatalog(AUTUMN_TEST_CATALOG)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

/** The handler of `options`, whose catalog the test knows to be good. */
export const handlerOf = (options: AutumnHandlerOptions): AutumnHandler => {
  const made = makeAutumnHandler(options)
  if (Result.isFailure(made)) throw new Error(`the test catalog must decode: ${made.failure.message}`)
  return made.success
}
