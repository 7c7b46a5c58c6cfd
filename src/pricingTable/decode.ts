/**
 * Decoding of the pricing table document `{ catalog, customer, at, entityId?, currency?,
 * allVersions? }` at the boundary. The customer takes the same fast path as an attach document's;
 * a bad field is a {@link DecodeError} naming its path.
 *
 * @example
 * import { decodePricingRequest } from "attach-planner"
 * // decodePricingRequest(catalog, { customer: { id: "c" }, at: "yesterday" }) → DecodeError 'at: expected an ISO-8601 instant such as 2025-01-16T00:00:00Z, got "yesterday"'
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { Catalog } from "../Catalog.ts"
import { CustomerSchema } from "../Customer.ts"
import { decodeCatalog } from "../Document.ts"
import type { DecodeError } from "../Errors.ts"
import { fastCustomer, NOT_FAST } from "../internal/fastDecode.ts"
import { decodeError, schemaIssues } from "../internal/decodeIssues.ts"
import { CurrencyCode, Instant, isCurrencyCode, isInstant } from "../internal/schemaKit.ts"
import type { PricingTableInput } from "./table.ts"

/** Schema of the pricing table document; the catalog is decoded on its own. */
const PricingDocumentSchema = Schema.Struct({
  catalog: Schema.optionalKey(Schema.Unknown),
  customer: CustomerSchema,
  at: Instant,
  entityId: Schema.optionalKey(Schema.String),
  currency: Schema.optionalKey(CurrencyCode),
  allVersions: Schema.optionalKey(Schema.Boolean)
})

const decodeShape = Schema.decodeUnknownResult(PricingDocumentSchema)
const options = { errors: "all", onExcessProperty: "error", reportInput: true } as const
const KEYS = new Set(["catalog", "customer", "at", "entityId", "currency", "allVersions"])

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const notAnObject = (u: unknown): DecodeError =>
  decodeError([{ kind: "mismatch", path: [], expected: "an object with catalog, customer and at", actual: u === null ? "null" : Array.isArray(u) ? "an array" : typeof u }])

/** The common valid document without Schema, or NOT_FAST (Schema then decides and words errors). */
const fast = (catalog: Catalog, u: Record<string, unknown>): PricingTableInput | typeof NOT_FAST => {
  for (const key of Object.keys(u)) if (!KEYS.has(key)) return NOT_FAST
  const { at, entityId, currency, allVersions } = u
  if (typeof at !== "string" || !isInstant(at)) return NOT_FAST
  if (entityId !== undefined && typeof entityId !== "string") return NOT_FAST
  if (currency !== undefined && (typeof currency !== "string" || !isCurrencyCode(currency))) return NOT_FAST
  if (allVersions !== undefined && typeof allVersions !== "boolean") return NOT_FAST
  const customer = fastCustomer(u["customer"])
  if (customer === NOT_FAST) return NOT_FAST
  return { catalog, customer, at, entityId, currency, allVersions }
}

/**
 * Decodes the customer and options of a pricing table document against an already decoded
 * catalog (decode the catalog once, price many customers). A `catalog` field, if present, is
 * not read.
 *
 * @example decodePricingRequest(catalog, { customer: { id: "cus_1" }, at: "2025-01-16T00:00:00Z" }) // Result.succeed({ catalog, customer, at, … })
 */
export const decodePricingRequest = (catalog: Catalog, document: unknown): Result.Result<PricingTableInput, DecodeError> => {
  if (!isRecord(document)) return Result.fail(notAnObject(document))
  const quick = fast(catalog, document)
  if (quick !== NOT_FAST) return Result.succeed(quick)
  const r = decodeShape(document, options)
  if (Result.isFailure(r)) return Result.fail(decodeError(schemaIssues(r.failure.issue)))
  const { customer, at, entityId, currency, allVersions } = r.success
  return Result.succeed({ catalog, customer, at, entityId, currency, allVersions })
}

/**
 * Decodes a whole pricing table document: the catalog, then the customer and options.
 *
 * @example decodePricingDocument({ catalog, customer: { id: "cus_1" }, at: "2025-01-16T00:00:00Z" }) // Result<PricingTableInput, DecodeError>
 */
export const decodePricingDocument = (document: unknown): Result.Result<PricingTableInput, DecodeError> => {
  if (!isRecord(document)) return Result.fail(notAnObject(document))
  if (!("catalog" in document)) return Result.fail(decodeError([{ kind: "missing", path: ["catalog"] }]))
  const catalog = decodeCatalog(document["catalog"])
  return Result.isFailure(catalog) ? Result.fail(catalog.failure) : decodePricingRequest(catalog.success, document)
}
