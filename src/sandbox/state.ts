/**
 * The sandbox's state as plain JSON: its schema, the state of a sandbox never used, and the
 * decoder of a state read back (from a file or the store).
 *
 * @example
 * const state = decodeState(JSON.parse(text)) // Result<SandboxState, DecodeError>
 * Sandbox.layer(Result.getOrElse(state, () => emptyState))
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { DecodeError } from "../Errors.ts"
import { decodeError, schemaIssues } from "../internal/decodeIssues.ts"
import { CheckoutSessionSchema, LineSchema, ProviderInvoiceSchema, ProviderItemSchema, ProviderSubscriptionSchema } from "../Provider.ts"

const Collection = Schema.Literals(["charge_automatically", "send_invoice"])

const SandboxStateSchema = Schema.Struct({
  version: Schema.Literal(1),
  nextId: Schema.Int,
  customers: Schema.Array(Schema.Struct({ id: Schema.String, balance: Schema.Int, paymentMethod: Schema.NullOr(Schema.String) })),
  subscriptions: Schema.Array(Schema.Struct({
    ...ProviderSubscriptionSchema.fields,
    customerId: Schema.String,
    currency: Schema.String,
    billingAnchor: Schema.String,
    trialEndsAt: Schema.NullOr(Schema.String),
    collection: Collection,
    netTermsDays: Schema.NullOr(Schema.Int),
    canceledAt: Schema.NullOr(Schema.String)
  })),
  invoices: Schema.Array(Schema.Struct({
    ...ProviderInvoiceSchema.fields,
    customerId: Schema.String,
    description: Schema.String,
    lines: Schema.Array(LineSchema),
    creditApplied: Schema.Int,
    amountPaid: Schema.Int,
    collection: Collection,
    netTermsDays: Schema.NullOr(Schema.Int),
    attempts: Schema.Array(Schema.Struct({ paymentMethod: Schema.NullOr(Schema.String), outcome: Schema.String }))
  })),
  checkoutSessions: Schema.Array(Schema.Struct({
    ...CheckoutSessionSchema.fields,
    customerId: Schema.String,
    currency: Schema.String,
    mode: Schema.Literals(["subscription", "payment"]),
    items: Schema.Array(ProviderItemSchema),
    amountDue: Schema.Int,
    trialEndsAt: Schema.NullOr(Schema.String),
    successUrl: Schema.NullOr(Schema.String),
    params: Schema.Record(Schema.String, Schema.Unknown),
    paymentMethod: Schema.NullOr(Schema.String)
  })),
  charges: Schema.Array(Schema.Struct({
    id: Schema.String, customerId: Schema.String, invoiceId: Schema.String, amount: Schema.Int, currency: Schema.String, paymentMethod: Schema.String
  })),
  idempotency: Schema.Array(Schema.Struct({
    key: Schema.String,
    operation: Schema.String,
    request: Schema.String,
    response: Schema.Union([
      Schema.Struct({ kind: Schema.Literal("subscription"), subscription: ProviderSubscriptionSchema }),
      Schema.Struct({ kind: Schema.Literal("invoice"), invoice: ProviderInvoiceSchema }),
      Schema.Struct({ kind: Schema.Literal("session"), session: CheckoutSessionSchema })
    ])
  })),
  log: Schema.Array(Schema.Struct({ operation: Schema.String, idempotencyKey: Schema.String, outcome: Schema.Literals(["applied", "replayed", "failed"]) })),
  clocks: Schema.Array(Schema.Struct({ customerId: Schema.String, at: Schema.String }))
})

/**
 * The sandbox's whole state, as JSON.
 *
 * @example JSON.stringify(await Effect.runPromise(sandbox.state))
 */
export type SandboxState = typeof SandboxStateSchema.Type

/**
 * The state of a sandbox that has never been used.
 *
 * @example Sandbox.layer(emptyState)
 */
export const emptyState: SandboxState = {
  version: 1, nextId: 1, customers: [], subscriptions: [], invoices: [], checkoutSessions: [], charges: [], idempotency: [], log: [], clocks: []
}

/**
 * Decodes a sandbox state read from JSON; a {@link DecodeError} names the first bad field.
 *
 * @example decodeState(JSON.parse(text)) // Result<SandboxState, DecodeError>
 */
export const decodeState = (input: unknown): Result.Result<SandboxState, DecodeError> => {
  // states written before the test clock have no `clocks`
  const withClocks = typeof input === "object" && input !== null && !Array.isArray(input) && !("clocks" in input) ? { ...input, clocks: [] } : input
  const r = Schema.decodeUnknownResult(SandboxStateSchema)(withClocks, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(r)) return Result.succeed(r.success)
  const ifNone = { kind: "rule", path: ["sandbox"], message: "is not a sandbox state" } as const
  return Result.fail(decodeError(schemaIssues(r.failure.issue, ["sandbox"]), { ifNone, countOthers: false }))
}
