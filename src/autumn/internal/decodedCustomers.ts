/**
 * The customer and request of a plan, decoded — with each stored customer's state decoded once,
 * not once per request. A store hands out its customers as objects that are never changed (a new
 * state is a new object); the decoded form of an object decoded before is kept beside it (weakly:
 * it goes when the store lets go of the object), so the next request decodes only its own
 * request. A store that hands out the same object until the state changes (memory; PGlite, through
 * its cache) decodes a state once; one that reads a new object each time (PostgreSQL) decodes as
 * before. Anything the request's fast path is not sure of is decoded as a whole document again,
 * so an error reads as it always did.
 *
 * @example
 * const input = decodeForPlanning(catalog, storedCustomer, { customerId: "cus_1", at: "2025-01-16T00:00:00Z", plans: [{ planId: "pro" }] })
 * // Result<AttachInput, DecodeError>, as decodeCustomerAndRequest(catalog, { customer, request })
 */
import * as Result from "effect/Result"
import type { AttachRequest } from "../../AttachRequest.ts"
import type { Catalog } from "../../Catalog.ts"
import type { Customer } from "../../Customer.ts"
import { type AttachInput, decodeCustomerAndRequest, decodedRequest } from "../../Document.ts"
import type { DecodeError } from "../../Errors.ts"
import { fastRequest, NOT_FAST } from "../../internal/fastDecode.ts"
import { guardInput } from "../../internal/inputGuard.ts"

const decoded = new WeakMap<Customer, { readonly catalog: Catalog; readonly customer: Customer; readonly decodedCustomer: AttachInput["decodedCustomer"] }>()

/** The request on its own on the fast path (guarded as inside a document), or NOT_FAST. */
const requestOnly = (request: unknown): AttachRequest | typeof NOT_FAST => {
  if (guardInput({ request }, "") !== undefined) return NOT_FAST
  try {
    return fastRequest(request)
  } catch {
    return NOT_FAST
  }
}

/**
 * `decodeCustomerAndRequest(catalog, { customer, request })`, with the customer's decoded form
 * reused when this object was decoded before against the same catalog.
 *
 * @example decodeForPlanning(catalog, { id: "cus_1" }, { customerId: "cus_1", at: "2025-01-16T00:00:00Z", plans: [{ planId: "pro" }] })
 */
export const decodeForPlanning = (catalog: Catalog, customer: Customer, request: unknown): Result.Result<AttachInput, DecodeError> => {
  const known = decoded.get(customer)
  if (known !== undefined && known.catalog === catalog) {
    const fast = requestOnly(request)
    if (fast !== NOT_FAST) {
      const input: AttachInput = { catalog, customer: known.customer, request: fast, decodedRequest: decodedRequest(fast) }
      return Result.succeed(known.decodedCustomer === undefined ? input : { ...input, decodedCustomer: known.decodedCustomer })
    }
  }
  const input = decodeCustomerAndRequest(catalog, { customer, request })
  if (Result.isSuccess(input) && typeof customer === "object" && customer !== null) decoded.set(customer, { catalog, customer: input.success.customer, decodedCustomer: input.success.decodedCustomer })
  return input
}
