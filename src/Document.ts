/**
 * Decoding of the attach document `{ catalog, customer, request }` (SPEC §13) at the boundary:
 * structure with `effect/Schema`, then every cross-field rule of SPEC §3. A bad document gives a
 * {@link DecodeError} naming the path of the first bad field; nothing is half-decoded.
 *
 * @example
 * import { decodeAttachDocument } from "attach-planner"
 * import * as Result from "effect/Result"
 * const r = decodeAttachDocument({ catalog: { defaultCurrency: "usd", features: [], plans: [{ id: "pro", price: { amount: "twenty", interval: "month" } }] }, customer: { id: "c" }, request: { customerId: "c", at: "2025-01-01T00:00:00Z", plans: [{ planId: "pro" }] } })
 * Result.isFailure(r) && r.failure.message
 * // 'catalog.plans[0].price.amount: expected a decimal, got "twenty"'
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { type AttachRequest, AttachRequestSchema } from "./AttachRequest.ts"
import { type Catalog, CatalogSchema } from "./Catalog.ts"
import { type Customer, CustomerSchema } from "./Customer.ts"
import { DecodeError, type DecodeIssue } from "./Errors.ts"
import { fastCustomer, fastRequest, NOT_FAST } from "./internal/fastDecode.ts"
import { issueLeaves } from "./internal/issuePaths.ts"
import { normalizeCatalog } from "./internal/normalizeCatalog.ts"

/** A decoded attach document: the catalog model, the customer's state and the request. */
export interface AttachInput {
  readonly catalog: Catalog
  readonly customer: Customer
  readonly request: AttachRequest
}

const options = { errors: "all", onExcessProperty: "error", reportInput: true } as const

const decodeCatalogShape = Schema.decodeUnknownResult(CatalogSchema)
const decodeCustomerShape = Schema.decodeUnknownResult(CustomerSchema)
const decodeRequestShape = Schema.decodeUnknownResult(AttachRequestSchema)

const toDecodeError = (issues: ReadonlyArray<DecodeIssue>): DecodeError => {
  const first = issues[0] ?? { path: "(document)", message: "is not valid" }
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""
  return new DecodeError({ message: `${first.path}: ${first.message}${more}`, path: first.path, issues })
}

const prefixed = (prefix: string, leaves: ReadonlyArray<DecodeIssue>): Array<DecodeIssue> =>
  leaves.map((l) => ({ path: l.path === "(document)" ? prefix : l.path.startsWith("[") ? `${prefix}${l.path}` : `${prefix}.${l.path}`, message: l.message }))

const decodeWith = <A>(decode: (u: unknown, o: typeof options) => Result.Result<A, Schema.SchemaError>, input: unknown, prefix: string, issues: Array<DecodeIssue>): A | undefined => {
  const r = decode(input, options)
  if (Result.isSuccess(r)) return r.success
  issues.push(...prefixed(prefix, issueLeaves(r.failure.issue)))
  return undefined
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Decodes and validates a catalog on its own (decode it once, preview many customers).
 *
 * @example decodeCatalog({ defaultCurrency: "usd", features: [], plans: [] }) // Result.succeed(catalog)
 */
export const decodeCatalog = (input: unknown, prefix = "catalog"): Result.Result<Catalog, DecodeError> => {
  const issues: Array<DecodeIssue> = []
  const raw = decodeWith(decodeCatalogShape, input, prefix, issues)
  if (raw === undefined) return Result.fail(toDecodeError(issues))
  const catalog = normalizeCatalog(raw, prefix, issues)
  return issues.length > 0 ? Result.fail(toDecodeError(issues)) : Result.succeed(catalog)
}

/**
 * Decodes the customer and request of a document against an already decoded catalog.
 *
 * @example decodeCustomerAndRequest(catalog, { customer: { id: "c" }, request: { customerId: "c", at: "2025-01-01T00:00:00Z", plans: [{ planId: "pro" }] } })
 */
export const decodeCustomerAndRequest = (catalog: Catalog, input: unknown): Result.Result<AttachInput, DecodeError> => {
  const fast = fastCustomerAndRequest(catalog, input, false)
  return fast === NOT_FAST ? decodeCustomerAndRequestWithSchema(catalog, input) : Result.succeed(fast)
}

/**
 * {@link decodeCustomerAndRequest} for a value straight from `JSON.parse` (no symbol keys, no
 * non-enumerable properties, plain prototypes), which lets the fast path check keys more cheaply.
 * Same answers as `decodeCustomerAndRequest` for such values.
 *
 * @example decodeParsedCustomerAndRequest(catalog, JSON.parse(line))
 */
export const decodeParsedCustomerAndRequest = (catalog: Catalog, json: unknown): Result.Result<AttachInput, DecodeError> => {
  const fast = fastCustomerAndRequest(catalog, json, true)
  return fast === NOT_FAST ? decodeCustomerAndRequestWithSchema(catalog, json) : Result.succeed(fast)
}

/** The common valid document without Schema (see internal/fastDecode.ts), or NOT_FAST. */
const fastCustomerAndRequest = (catalog: Catalog, input: unknown, fromJson: boolean): AttachInput | typeof NOT_FAST => {
  if (!isRecord(input)) return NOT_FAST
  for (const key of Object.keys(input)) {
    if (key !== "customer" && key !== "request" && key !== "catalog") return NOT_FAST
  }
  const customer = fastCustomer(input["customer"], fromJson)
  if (customer === NOT_FAST) return NOT_FAST
  const request = fastRequest(input["request"], fromJson)
  return request === NOT_FAST ? NOT_FAST : { catalog, customer, request }
}

/** Decodes with Schema: slower, and the only source of error messages. */
const decodeCustomerAndRequestWithSchema = (catalog: Catalog, input: unknown): Result.Result<AttachInput, DecodeError> => {
  const issues: Array<DecodeIssue> = []
  if (!isRecord(input)) return Result.fail(toDecodeError([{ path: "(document)", message: `expected an object with customer and request, got ${typeof input}` }]))
  for (const key of Object.keys(input)) {
    if (key !== "customer" && key !== "request" && key !== "catalog") issues.push({ path: key, message: "is not a field of this document (check its spelling)" })
  }
  const customer = decodeWith(decodeCustomerShape, input["customer"], "customer", issues)
  const request = decodeWith(decodeRequestShape, input["request"], "request", issues)
  if (customer === undefined || request === undefined || issues.length > 0) return Result.fail(toDecodeError(issues))
  return Result.succeed({ catalog, customer, request })
}

/**
 * Decodes a whole attach document `{ catalog, customer, request }`.
 *
 * @example decodeAttachDocument(JSON.parse(text)) // Result<AttachInput, DecodeError>
 */
export const decodeAttachDocument = (input: unknown): Result.Result<AttachInput, DecodeError> => {
  if (!isRecord(input)) return Result.fail(toDecodeError([{ path: "(document)", message: `expected an object with catalog, customer and request, got ${input === null ? "null" : Array.isArray(input) ? "an array" : typeof input}` }]))
  if (!("catalog" in input)) return Result.fail(toDecodeError([{ path: "catalog", message: "is required but missing" }]))
  const catalog = decodeCatalog(input["catalog"])
  if (Result.isFailure(catalog)) return Result.fail(catalog.failure)
  return decodeCustomerAndRequest(catalog.success, input)
}
