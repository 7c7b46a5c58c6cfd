/**
 * Idempotency keys and the call log: a request runs once per key, and a key seen before answers
 * its first result. Both tables stay bounded.
 *
 * @example once(s, "createInvoice", INVOICE, request, () => create(s, request)) // Outcome<ProviderInvoice>
 */
import * as Result from "effect/Result"
import type { CheckoutSession, ProviderInvoice, ProviderSubscription } from "../../Provider.ts"
import { findBy } from "../../internal/rowIndex.ts"
import { customerFingerprint } from "../../internal/fingerprint.ts"
import type { Response, State } from "./draft.ts"
import { type Outcome, rejected } from "./outcome.ts"
import { BY_KEY } from "./rows.ts"

/**
 * The sandbox keeps the last 1,000–2,000 calls in its log and the last 100,000–200,000
 * idempotency records (a key older than that runs again, as an expired key does at a provider):
 * a long-running sandbox stays flat in memory and in time per call.
 */
const LOG_LIMIT = 1_000
const IDEMPOTENCY_LIMIT = 100_000

/** How one kind of result is kept in an idempotency record and read back. @example SUBSCRIPTION.wrap(view) */
export interface Kind<A> {
  readonly wrap: (a: A) => Response
  readonly unwrap: (r: Response) => A | undefined
}
/** @example once(s, "createSubscription", SUBSCRIPTION, r, apply) */
export const SUBSCRIPTION: Kind<ProviderSubscription> = { wrap: (subscription) => ({ kind: "subscription", subscription }), unwrap: (r) => (r.kind === "subscription" ? r.subscription : undefined) }
/** @example once(s, "createInvoice", INVOICE, r, apply) */
export const INVOICE: Kind<ProviderInvoice> = { wrap: (invoice) => ({ kind: "invoice", invoice }), unwrap: (r) => (r.kind === "invoice" ? r.invoice : undefined) }
/** @example once(s, "createCheckoutSession", SESSION, r, apply) */
export const SESSION: Kind<CheckoutSession> = { wrap: (session) => ({ kind: "session", session }), unwrap: (r) => (r.kind === "session" ? r.session : undefined) }

/**
 * Runs `apply` once per idempotency key: a key seen before returns its first successful result
 * (or is rejected when it came with other parameters); a failed call is not recorded, so it may be
 * retried. A compensating call is not recorded either (it states its result in full) and frees
 * the key it undoes.
 *
 * @example once(s, "payInvoice", INVOICE, { idempotencyKey: "k1", invoiceId, amount }, () => pay())
 */
export const once = <A>(
  s: State, operation: string, kind: Kind<A>, request: { readonly idempotencyKey: string; readonly compensates?: string }, apply: () => Outcome<A>
): Outcome<A> => {
  const { idempotencyKey, ...rest } = request
  const fingerprint = customerFingerprint(rest)
  const record = findBy(s.idempotency, BY_KEY, idempotencyKey)
  if (record !== undefined) {
    const replayed = record.operation === operation && record.request === fingerprint ? kind.unwrap(record.response) : undefined
    if (replayed === undefined) return rejected("idempotency_key_reused", `The key ${idempotencyKey} was used for another request (${record.operation})`)
    logCall(s, { operation, idempotencyKey, outcome: "replayed" })
    return Result.succeed(replayed)
  }
  const result = apply()
  logCall(s, { operation, idempotencyKey, outcome: Result.isSuccess(result) ? "applied" : "failed" })
  if (Result.isSuccess(result)) {
    if (request.compensates === undefined) s.idempotency.push({ key: idempotencyKey, operation, request: fingerprint, response: kind.wrap(result.success) })
    else s.idempotency = s.idempotency.filter((r) => r.key !== request.compensates)
    if (s.idempotency.length > 2 * IDEMPOTENCY_LIMIT) s.idempotency = s.idempotency.slice(-IDEMPOTENCY_LIMIT)
  }
  return result
}

/** Appends to the call log, which keeps the last {@link LOG_LIMIT} calls (trimmed in batches). */
const logCall = (s: State, entry: State["log"][number]): void => {
  s.log.push(entry)
  if (s.log.length > 2 * LOG_LIMIT) s.log = s.log.slice(-LOG_LIMIT)
}
