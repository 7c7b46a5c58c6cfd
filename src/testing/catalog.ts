/**
 * The catalog and the requests of the adapter contract (./contract.ts): two monthly plans in usd,
 * `basic` (10.00) and `pro` (20.00 with prepaid seats past one included, 5.00 a seat), and the
 * port requests the checks send, each with a key unique to the run.
 *
 * @example
 * import { contractCatalog } from "attach-planner/testing"
 * contractCatalog.plans.map((p) => p.id) // ["basic", "pro"]
 */
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"

/**
 * The contract's catalog, as a catalog document (the JSON a host decodes). An adapter under test
 * must be able to bill these plans (e.g. by creating their prices on demand).
 *
 * @example decodeCatalog(contractCatalog) // Result.succeed(catalog)
 */
export const contractCatalog = {
  defaultCurrency: "usd",
  features: [{ id: "seats", name: "Seats", type: "metered" }],
  plans: [
    { id: "basic", name: "Basic", price: { amount: "10", interval: "month" } },
    {
      id: "pro", name: "Pro", price: { amount: "20", interval: "month" },
      items: [{ featureId: "seats", included: 1, price: { amount: "5", interval: "month", billingMethod: "prepaid" } }]
    }
  ]
} as const

/** The decoded {@link contractCatalog} (it is valid by construction). @example decodedContractCatalog().plansById.get("pro") */
export const decodedContractCatalog = (): Catalog => {
  const r = decodeCatalog(contractCatalog)
  if (Result.isFailure(r)) throw new Error(`the contract catalog does not decode: ${r.failure.message}`)
  return r.success
}
