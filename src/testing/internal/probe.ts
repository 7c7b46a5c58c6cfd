/**
 * What a contract check sees, and the assertions it records: a failure is a line in `failures`
 * (expected and got), never a thrown exception, so a check reports every broken rule at once.
 *
 * @example const inv = await p.ok("createInvoice", p.subject.port.createInvoice(r))
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { ProviderError, ProviderItem } from "../../Provider.ts"
import type { ContractSubject } from "../contract.ts"

/** The state of one check run. @example const p: ProbeContext = { subject, failures: [], prefix: "apc_1", now } */
export interface ProbeContext {
  readonly subject: ContractSubject
  readonly failures: Array<string>
  /** Starts every idempotency key of the run. */
  readonly prefix: string
  /** The provider's clock, whole seconds, ISO. */
  readonly now: string
}

/** The body of a check. @example const probe: Probe = async (p) => void eq(p, "status", "open", "open") */
export type Probe = (p: ProbeContext) => Promise<void>

const show = (x: unknown): string => JSON.stringify(x) ?? String(x)

/** Records a failure unless `actual` equals `expected` (as JSON). @example eq(p, "status", invoice?.status, "paid") */
export const eq = (p: ProbeContext, label: string, actual: unknown, expected: unknown): boolean => {
  if (show(actual) === show(expected)) return true
  p.failures.push(`${label}: expected ${show(expected)}, got ${show(actual)}`)
  return false
}

/** Records a failure unless `condition` holds. @example holds(p, "url", url.length > 0, url) */
export const holds = (p: ProbeContext, label: string, condition: boolean, got: unknown): boolean => {
  if (!condition) p.failures.push(`${label}: got ${show(got)}`)
  return condition
}

/** Runs a port operation to its outcome. @example const r = await outcome(port.retrieveInvoice("in_1")) */
export const outcome = <A>(op: Effect.Effect<A, ProviderError>): Promise<Result.Result<A, ProviderError>> => Effect.runPromise(Effect.result(op))

/** Runs a port operation that must succeed; records the failure and answers `undefined` otherwise. @example const inv = await ok(p, "createInvoice", port.createInvoice(r)) */
export const ok = async <A>(p: ProbeContext, label: string, op: Effect.Effect<A, ProviderError>): Promise<A | undefined> => {
  const r = await outcome(op)
  if (Result.isSuccess(r)) return r.success
  p.failures.push(`${label}: expected success, got ${r.failure._tag} (${r.failure.message})`)
  return undefined
}

/** Runs a port operation that must fail with `tag`; answers the error (or `undefined`, recorded). @example await fails(p, "pay", port.payInvoice(r), "CardDeclined") */
export const fails = async <T extends ProviderError["_tag"]>(p: ProbeContext, label: string, op: Effect.Effect<unknown, ProviderError>, tag: T): Promise<Extract<ProviderError, { readonly _tag: T }> | undefined> => {
  const r = await outcome(op)
  if (Result.isFailure(r) && r.failure._tag === tag) return r.failure as Extract<ProviderError, { readonly _tag: T }>
  p.failures.push(`${label}: expected ${tag}, got ${Result.isSuccess(r) ? `success ${show(r.success)}` : `${r.failure._tag} (${r.failure.message})`}`)
  return undefined
}

const canonical = (items: ReadonlyArray<ProviderItem>): Array<string> =>
  items.map((i) => show([i.planId, i.version, i.entityId, [...i.quantities].map((q) => [q.featureId, q.quantity]).sort()])).sort()

/** Records a failure unless the two item lists hold the same items, in any order. @example sameItems(p, "items", sub?.items, r.items) */
export const sameItems = (p: ProbeContext, label: string, actual: ReadonlyArray<ProviderItem> | undefined, expected: ReadonlyArray<ProviderItem>): boolean =>
  eq(p, label, actual === undefined ? null : canonical(actual), canonical(expected))

/** An instant `days` after `iso`. @example plusDays("2025-01-01T00:00:00.000Z", 14) // "2025-01-15T00:00:00.000Z" */
export const plusDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString()
