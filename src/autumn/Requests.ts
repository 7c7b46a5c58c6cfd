/**
 * The request bodies of Autumn's API (snake_case, as the official clients send them), decoded
 * with `effect/Schema` and mapped onto this library's attach request (docs/spec.md §5). A field Autumn
 * does not define is rejected (HTTP 400 naming it); a field Autumn defines but this server does
 * not carry out is rejected too, saying so — never silently ignored when it would change what is
 * billed. See docs/autumn-compat.md for the field-by-field table. Here: what the bodies share and
 * how one is decoded; the bodies are those of AttachRequests.ts (`billing.attach`,
 * `billing.multi_attach`) and CheckoutRequests.ts (the legacy `checkout`).
 *
 * @example
 * import * as Autumn from "attach-planner/autumn"
 * const call = Autumn.decodeAttachBody({ customer_id: "cus_1", plan_id: "pro" })
 * // Result.succeed({ customerId: "cus_1", request: { customerId: "cus_1", plans: [{ planId: "pro" }] } })
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { AttachRequestSchema } from "../AttachRequest.ts"
import { GIVE_UP } from "../internal/compiledSchema.ts"
import { autumnBodyProblem, schemaIssues } from "../internal/decodeIssues.ts"
import { type AutumnApiError, invalidInputs } from "./ApiError.ts"
import { decodeOptions, decoderOf } from "./internal/bodyDecoders.ts"

const opt = Schema.optionalKey
const Str = Schema.String
const Bool = Schema.Boolean
/** A field Autumn defines that this server does not carry out: present → 400. */
const Unsupported = opt(Schema.Unknown)

/** Schema of `customer_data`: how to create a customer the server does not know yet. @example Schema.decodeUnknownSync(CustomerDataSchema)({ name: "Ada", currency: "usd" }) */
export const CustomerDataSchema = Schema.Struct({
  name: opt(Schema.NullOr(Str)),
  email: opt(Schema.NullOr(Str)),
  fingerprint: opt(Schema.NullOr(Str)),
  metadata: opt(Schema.NullOr(Schema.Record(Str, Schema.Unknown))),
  stripe_id: opt(Schema.NullOr(Str)),
  create_in_stripe: opt(Bool),
  send_email_receipts: opt(Bool),
  currency: opt(Schema.NullOr(Str)),
  config: opt(Schema.Unknown),
  auto_enable_plan_id: Unsupported,
  billing_controls: Unsupported
})

/** `customer_data` of a request. @example const data: CustomerData = { name: "Ada", metadata: { test_payment_method: "pm_card_visa" } } */
export type CustomerData = typeof CustomerDataSchema.Type

/** Schema of `entity_data`: how to create the entity a call names. @example Schema.decodeUnknownSync(EntityData)({ feature_id: "seats", name: "Team A" }) */
export const EntityData = Schema.Struct({ feature_id: Str, name: opt(Str), billing_controls: Unsupported })

/** The attach request in its JSON input shape, without `at` (the server's clock sets it). @example const r: RequestInput = { customerId: "cus_1", plans: [{ planId: "pro" }] } */
export type RequestInput = Omit<typeof AttachRequestSchema.Encoded, "at">

/**
 * A decoded call: whose customer, how to create it when unknown, the attach request it maps to
 * (validated again, with the catalog, when planned), and the `entity_id` to echo.
 *
 * @example call.request.plans[0]?.planId // "pro"
 */
export interface AttachCall {
  readonly customerId: string
  readonly entityId: string | undefined
  readonly customerData: CustomerData | undefined
  readonly request: RequestInput
}

/** A decoded body, or the 400 naming its first bad field. @example const d: Decoded<AttachCall> = decodeAttachBody(json) */
export type Decoded<A> = Result.Result<A, AutumnApiError>

/**
 * Decodes a request body with a schema; a bad field is a 400 naming its snake_case path.
 *
 * @example decodeWith(CheckoutBodySchema, { customer_id: 1 }) // Result.fail(invalid_inputs "customer_id: …")
 */
export const decodeWith = <S extends Schema.Codec<unknown, unknown>>(schema: S, json: unknown): Decoded<S["Type"]> => {
  const decoder = decoderOf(schema)
  const fast = decoder.fast(json)
  if (fast !== GIVE_UP) return Result.succeed(fast as S["Type"])
  const r = decoder.schema(json, decodeOptions)
  if (Result.isSuccess(r)) return Result.succeed(r.success as S["Type"])
  const first = autumnBodyProblem(schemaIssues(r.failure.issue))
  return Result.fail(invalidInputs(first.path, first.message))
}

/** The 400 of a field Autumn defines that this server does not carry out. @example unsupportedField("customize").status // 400 */
export const unsupportedField = (path: string): AutumnApiError => invalidInputs(path, "is not supported by this server (see docs/autumn-compat.md)")

/** The first unsupported field present at the given paths, as a 400. @example rejectUnsupported([["customize", undefined]]) // undefined */
export const rejectUnsupported = (fields: ReadonlyArray<readonly [string, unknown]>): AutumnApiError | undefined => {
  const found = fields.find(([, value]) => value !== undefined)
  return found === undefined ? undefined : unsupportedField(found[0])
}

/** The unsupported fields of `customer_data`, for {@link rejectUnsupported}. @example customerDataUnsupported(undefined).length // 2 */
export const customerDataUnsupported = (d: CustomerData | undefined): Array<readonly [string, unknown]> =>
  [["customer_data.auto_enable_plan_id", d?.auto_enable_plan_id], ["customer_data.billing_controls", d?.billing_controls]]
