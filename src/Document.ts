/**
 * Decoding of the attach document `{ catalog, customer, request }` (docs/spec.md §13) at the boundary:
 * structure with `effect/Schema`, then every cross-field rule of docs/spec.md §3. A bad document gives a
 * {@link DecodeError} naming the path of the first bad field; nothing is half-decoded. Valid
 * customers and requests take a fast path compiled from their schemas (`internal/fastDecode.ts`) with the same
 * answers. The encoders turn a decoded document back into JSON.
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
import { encodeDiscount, encodeFeature, encodePlan } from "./internal/catalogJson.ts"
import { type Customer, CustomerSchema } from "./Customer.ts"
import type { DecodeError, DecodeIssue } from "./Errors.ts"
import { decodeError, type Issue, parsePath, schemaIssues } from "./internal/decodeIssues.ts"
import { fastCatalog, fastCustomer, fastRequest, NOT_FAST } from "./internal/fastDecode.ts"
import { type GuardedPart, guardInput } from "./internal/inputGuard.ts"
import { normalizeCatalog } from "./internal/normalizeCatalog.ts"
import { type DiscountApplied, type SubscriptionFacts, discountsApplied, subscriptionFacts } from "./internal/subscriptionFacts.ts"
import { customerFingerprint, requestKey } from "./internal/fingerprint.ts"
import { type EpochMs, ms } from "./internal/instants.ts"
import { encodePolicy } from "./ProrationPolicy.ts"

/**
 * A decoded attach document: the catalog model, the customer's state and the request.
 * @example Result.map(decodeAttachDocument(document), (input) => input.request.plans[0]?.planId) // Success("pro"); input.catalog is the decoded Catalog
 */
export interface AttachInput {
  readonly catalog: Catalog
  readonly customer: Customer
  readonly request: AttachRequest
  /**
   * What decoding worked out of `customer`: its fingerprint and the facts of its subscriptions.
   * The planner uses it while `of` is the input's very customer object, and works them out
   * itself otherwise (an input built by hand, a customer replaced in a copy of the input).
   */
  readonly decodedCustomer?: DecodedCustomer
  /**
   * What decoding worked out of `request`: its instant and its hash. The planner uses it while
   * `of` is the input's very request object, and works them out itself otherwise.
   */
  readonly decodedRequest?: DecodedRequest
}

/**
 * A request document and what the planner reads of it, worked out once at decoding.
 * @example decodedRequest(request).key // the prefix of the plan's idempotency keys, "3f9c…"
 */
export interface DecodedRequest {
  readonly of: AttachRequest
  /** The request's instant. */
  readonly at: EpochMs
  /** A hash of the whole request: the prefix of the idempotency keys of its plan. */
  readonly key: string
}

/**
 * A request document decoded for planning: its instant and its hash.
 *
 * @example decodedRequest({ customerId: "c", at: "2025-01-01T00:00:00Z", plans: [{ planId: "pro" }] }).at // 1735689600000
 */
export const decodedRequest = (request: AttachRequest): DecodedRequest => ({ of: request, at: ms(request.at), key: requestKey(request) })

/**
 * A customer document and what the planner reads of it, worked out once at decoding.
 * @example decodedCustomer({ id: "cus_1", subscriptions: [] }) // { of: that customer, fingerprint: "cf_9c2b5e33fa20d18e", subscriptions: [], discounts: [] }
 */
export interface DecodedCustomer {
  readonly of: Customer
  /** The customer's state fingerprint (a preview's `basedOn`). */
  readonly fingerprint: string
  /** The facts of each of `of.subscriptions`, in step (instants in epoch ms, quantities, usage, ledger). */
  readonly subscriptions: ReadonlyArray<SubscriptionFacts>
  /** The customer's own applied discounts, with their instants decoded. */
  readonly discounts: ReadonlyArray<DiscountApplied>
}

/**
 * A customer document decoded for planning: its fingerprint and its subscriptions' facts.
 *
 * @example decodedCustomer({ id: "cus_1", subscriptions: [] }).subscriptions.length // 0
 */
export const decodedCustomer = (customer: Customer): DecodedCustomer =>
  ({
    of: customer,
    fingerprint: customerFingerprint(customer),
    subscriptions: (customer.subscriptions ?? []).map(subscriptionFacts),
    discounts: discountsApplied(customer.discounts)
  })

const withDecodedParts = (catalog: Catalog, customer: Customer, request: AttachRequest): AttachInput =>
  ({ catalog, customer, request, decodedCustomer: decodedCustomer(customer), decodedRequest: decodedRequest(request) })

const options = { errors: "all", onExcessProperty: "error", reportInput: true } as const

const decodeCatalogShape = Schema.decodeUnknownResult(CatalogSchema)
const decodeCustomerShape = Schema.decodeUnknownResult(CustomerSchema)
const decodeRequestShape = Schema.decodeUnknownResult(AttachRequestSchema)

const decodeWith = <A>(decode: (u: unknown, o: typeof options) => Result.Result<A, Schema.SchemaError>, input: unknown, prefix: string, issues: Array<Issue>): A | undefined => {
  const r = decode(input, options)
  if (Result.isSuccess(r)) return r.success
  schemaIssues(r.failure.issue, parsePath(prefix), issues)
  return undefined
}

/**
 * Runs a decoder on an input the guard passed (internal/inputGuard.ts); an exception that still
 * escapes (a getter that throws only when read a second time) is a bad document, not a throw.
 */
const guarded = <A>(input: unknown, prefix: string, decode: () => Result.Result<A, DecodeError>, known?: GuardedPart): Result.Result<A, DecodeError> => {
  const unsafe = guardInput(input, prefix, known)
  if (unsafe !== undefined) return Result.fail(decodeError([unsafe]))
  try {
    return decode()
  } catch (cause) {
    const message = cause instanceof RangeError ? "is too large or too deep to decode" : "cannot be read (a property threw when read)"
    return Result.fail(decodeError([{ path: prefix === "" ? "(document)" : prefix, message }]))
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Decodes and validates a catalog on its own (decode it once, preview many customers).
 *
 * @example decodeCatalog({ defaultCurrency: "usd", features: [], plans: [] }) // Result.succeed(catalog)
 */
export const decodeCatalog = (input: unknown, prefix = "catalog"): Result.Result<Catalog, DecodeError> =>
  guarded(input, prefix, () => decodeCatalogUnguarded(input, prefix))

const decodeCatalogUnguarded = (input: unknown, prefix: string): Result.Result<Catalog, DecodeError> => {
  const issues: Array<Issue> = []
  const fast = fastCatalog(input)
  const raw = fast !== NOT_FAST ? fast : decodeWith(decodeCatalogShape, input, prefix, issues)
  if (raw === undefined) return Result.fail(decodeError(issues))
  const rules: Array<DecodeIssue> = []
  const catalog = normalizeCatalog(raw, prefix, rules)
  return rules.length > 0 ? Result.fail(decodeError(rules)) : Result.succeed(catalog)
}

/**
 * Decodes the customer and request of a document against an already decoded catalog.
 *
 * @example decodeCustomerAndRequest(catalog, { customer: { id: "c" }, request: { customerId: "c", at: "2025-01-01T00:00:00Z", plans: [{ planId: "pro" }] } })
 */
export const decodeCustomerAndRequest = (catalog: Catalog, input: unknown): Result.Result<AttachInput, DecodeError> =>
  guarded(input, "", () => decodeCustomerAndRequestUnguarded(catalog, input))

/**
 * {@link decodeCustomerAndRequest} of a document whose catalog (`known.value`) is the same JSON as
 * one guarded before, which the guard counts without walking it again: the same answer. For a
 * stream of documents carrying one catalog (the CLI's JSONL).
 *
 * @example decodeBesideGuardedCatalog(catalog, document, { value: document.catalog, values: guardedValues(catalogJson) })
 */
export const decodeBesideGuardedCatalog = (catalog: Catalog, input: unknown, known: GuardedPart): Result.Result<AttachInput, DecodeError> =>
  guarded(input, "", () => decodeCustomerAndRequestUnguarded(catalog, input), known)

const decodeCustomerAndRequestUnguarded = (catalog: Catalog, input: unknown): Result.Result<AttachInput, DecodeError> => {
  const fast = fastCustomerAndRequest(catalog, input)
  return fast === NOT_FAST ? decodeCustomerAndRequestWithSchema(catalog, input) : Result.succeed(fast)
}

/** The common valid document without Schema (see internal/fastDecode.ts), or NOT_FAST. */
const fastCustomerAndRequest = (catalog: Catalog, input: unknown): AttachInput | typeof NOT_FAST => {
  if (!isRecord(input)) return NOT_FAST
  for (const key of Object.keys(input)) {
    if (key !== "customer" && key !== "request" && key !== "catalog") return NOT_FAST
  }
  const customer = fastCustomer(input["customer"])
  if (customer === NOT_FAST) return NOT_FAST
  const request = fastRequest(input["request"])
  return request === NOT_FAST ? NOT_FAST : withDecodedParts(catalog, customer, request)
}

/** Decodes with Schema: slower, and the only source of error messages. */
const decodeCustomerAndRequestWithSchema = (catalog: Catalog, input: unknown): Result.Result<AttachInput, DecodeError> => {
  const issues: Array<Issue> = []
  if (!isRecord(input)) return Result.fail(decodeError([{ kind: "mismatch", path: [], expected: "an object with customer and request", actual: typeof input }]))
  for (const key of Object.keys(input)) {
    if (key !== "customer" && key !== "request" && key !== "catalog") issues.push({ kind: "unexpected", path: [key] })
  }
  const customer = decodeWith(decodeCustomerShape, input["customer"], "customer", issues)
  const request = decodeWith(decodeRequestShape, input["request"], "request", issues)
  if (customer === undefined || request === undefined || issues.length > 0) return Result.fail(decodeError(issues))
  return Result.succeed(withDecodedParts(catalog, customer, request))
}

/**
 * Decodes a whole attach document `{ catalog, customer, request }`.
 *
 * @example decodeAttachDocument(JSON.parse(text)) // Result<AttachInput, DecodeError>
 */
export const decodeAttachDocument = (input: unknown): Result.Result<AttachInput, DecodeError> =>
  guarded(input, "", () => decodeAttachDocumentUnguarded(input))

const decodeAttachDocumentUnguarded = (input: unknown): Result.Result<AttachInput, DecodeError> => {
  if (!isRecord(input)) return Result.fail(decodeError([{ kind: "mismatch", path: [], expected: "an object with catalog, customer and request", actual: input === null ? "null" : Array.isArray(input) ? "an array" : typeof input }]))
  if (!("catalog" in input)) return Result.fail(decodeError([{ kind: "missing", path: ["catalog"] }]))
  const catalog = decodeCatalogUnguarded(input["catalog"], "catalog")
  if (Result.isFailure(catalog)) return Result.fail(catalog.failure)
  return decodeCustomerAndRequestUnguarded(catalog.success, input)
}

// ---------------------------------------------------------------------------------------------
// Encoding: the decoded model back to the JSON input shape of docs/spec.md §13
// ---------------------------------------------------------------------------------------------

/**
 * Encodes a decoded catalog back to its JSON input shape (docs/spec.md §3): decimals as canonical
 * strings, defaults written out, optional fields left out when absent, so that
 * `decodeCatalog(encodeCatalog(c))` deep-equals `c`.
 *
 * @example
 * const c = decodeCatalog({ defaultCurrency: "USD", features: [], plans: [{ id: "pro", price: { amount: "20.50", interval: "month" } }] })
 * Result.isSuccess(c) && encodeCatalog(c.success)
 * // { defaultCurrency: "usd", features: [], plans: [{ id: "pro", name: "pro", group: "", addOn: false, autoEnable: false, version: 1, price: { amount: "20.5", interval: "month" }, items: [] }], discounts: [] }
 */
export const encodeCatalog = (catalog: Catalog): unknown => ({
  defaultCurrency: catalog.defaultCurrency,
  features: catalog.features.map(encodeFeature),
  plans: catalog.plans.map(encodePlan),
  discounts: catalog.discounts.map(encodeDiscount),
  ...(catalog.prorationPolicy === undefined ? {} : { prorationPolicy: encodePolicy(catalog.prorationPolicy) })
})

/**
 * Encodes a decoded attach document back to its JSON input shape (docs/spec.md §13), such that
 * `decodeAttachDocument(encodeAttachDocument(x))` deep-equals `x`. The customer and request are
 * already in their JSON shape and are returned as they are.
 *
 * @example
 * const x = decodeAttachDocument(JSON.parse(text))
 * Result.isSuccess(x) && JSON.stringify(encodeAttachDocument(x.success)) // a document that decodes to x
 */
export const encodeAttachDocument = (input: AttachInput): unknown => ({
  catalog: encodeCatalog(input.catalog),
  customer: input.customer,
  request: input.request
})
