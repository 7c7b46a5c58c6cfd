/**
 * The fast decoders of a catalog, a customer and an attach request, compiled once from
 * `CatalogSchema`, `CustomerSchema` and `AttachRequestSchema` by `internal/compiledSchema.ts`. Being read from the schemas, they cannot
 * drift from them: on a valid value they return what the Schema decoder returns (new objects, keys
 * in schema order, optional keys only when present) — the catalog's is a validator, which answers
 * the value itself, as the normaliser copies what it keeps; on anything else, or anything the compiler
 * does not model (the `Unknown` values of `checkoutSessionParams`, a proration policy given as an
 * object), they give up with {@link NOT_FAST} and the caller runs the Schema decoder, which
 * either accepts the value too or words the error.
 *
 * @example
 * fastCustomer({ id: "cus_1", hasPaymentMethod: true }) // { id: "cus_1", hasPaymentMethod: true }
 * fastCustomer({ id: "" }) === NOT_FAST // true: Schema words the error
 */
import { AttachRequestSchema, type AttachRequest } from "../AttachRequest.ts"
import { CatalogSchema } from "../Catalog.ts"
import { CustomerSchema, type Customer } from "../Customer.ts"
import { compileDecoder, compileValidator, GIVE_UP } from "./compiledSchema.ts"

/** The answer of a fast decoder that is not sure: decode with Schema instead. @example fastCustomer(null) === NOT_FAST */
export const NOT_FAST: typeof GIVE_UP = GIVE_UP

// The normaliser builds the whole model from the raw catalog and keeps none of its objects, so a
// copy of it would be thrown away at once: the catalog is validated, not copied.
const catalog = compileValidator(CatalogSchema)
const customer = compileDecoder(CustomerSchema)
const request = compileDecoder(AttachRequestSchema)

/**
 * Checks a catalog's structure on the fast path (the cross-field rules come after, in the
 * normaliser): the input itself, now known to be of the schema's type, or {@link NOT_FAST}.
 *
 * @example fastCatalog({ defaultCurrency: "usd", features: [], plans: [] }) // the same object
 */
export const fastCatalog = (u: unknown): typeof CatalogSchema.Type | typeof NOT_FAST => catalog(u) as typeof CatalogSchema.Type | typeof NOT_FAST

/**
 * Decodes a customer on the fast path, or gives up with {@link NOT_FAST}.
 *
 * @example fastCustomer({ id: "cus_1" }) // { id: "cus_1" }
 */
export const fastCustomer = (u: unknown): Customer | typeof NOT_FAST => customer(u) as Customer | typeof NOT_FAST

/**
 * Decodes an attach request on the fast path, or gives up with {@link NOT_FAST}.
 *
 * @example fastRequest({ customerId: "c", at: "2025-01-01T00:00:00Z", plans: [{ planId: "pro" }] }) // the same, copied
 */
export const fastRequest = (u: unknown): AttachRequest | typeof NOT_FAST => request(u) as AttachRequest | typeof NOT_FAST
