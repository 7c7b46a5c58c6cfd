/**
 * The sandbox provider on a store: each operation reads its customer's part of the sandbox's
 * state and the records of its idempotency keys from the store, runs on them, and writes back what
 * changed, in one transaction under the sandbox's lock — so several `serve` processes on one
 * database share one sandbox, a restarted one finds every charge it made, and a process keeps no
 * customer's sandbox state in memory (only its last calls' log, bounded). Its idempotency records
 * expire after 24 hours, as the store's do.
 *
 * @example
 * const sandbox = await durableSandbox(store.sandbox)
 * const handler = Autumn.makeAutumnHandler({ catalog, keys, customers: store.customers, provider: sandbox.port }) // Result<AutumnHandler, DecodeError>
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { decodeCatalog } from "../Document.ts"
import type { Customer } from "../Customer.ts"
import { makePort, type PaymentPort, type PortOperation, type ProviderError, type RequestOf, type ResultOf, type TestClockPort } from "../Provider.ts"
import * as Sandbox from "../Sandbox.ts"
import { assemble, changes, split, stateOf } from "./sandboxSlices.ts"
import type { SandboxRef, SandboxTables } from "./Store.ts"

/** The calls of this process kept for `state`'s log: the last 1,000–2,000. */
const LOG_LIMIT = 1_000

type AnyOp = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>

/** An operation of a store written before migration 3, as it logged it (the catalog as JSON). */
const invokeLogged = (sandbox: Sandbox.SandboxOps, call: { readonly operation: string; readonly args: ReadonlyArray<unknown> }): Effect.Effect<unknown, unknown> => {
  const own: Record<string, AnyOp> = {
    seedCustomer: (c, catalog) => {
      const decoded = decodeCatalog(catalog)
      return Result.isSuccess(decoded) ? sandbox.seedCustomer(c as Customer, decoded.success) : Effect.die(decoded.failure)
    },
    attachPaymentMethod: (id, token) => sandbox.attachPaymentMethod(String(id), String(token)),
    completeCheckout: (session, token) => sandbox.completeCheckout(String(session), String(token)),
    payInvoiceHosted: (id, token) => sandbox.payInvoiceHosted(String(id), ...(token === undefined || token === null ? [] : [String(token)])),
    finalizeInvoice: (id) => sandbox.finalizeInvoice(String(id)),
    voidInvoice: (id) => sandbox.voidInvoice(String(id))
  }
  const op = own[call.operation] ?? (sandbox.port as unknown as Record<string, AnyOp>)[call.operation]
  return op === undefined ? Effect.die(`no sandbox operation ${call.operation}`) : op(...call.args)
}

/** The whole state a log of operations (after a snapshot) leads to. */
const replay = (log: { readonly snapshot: unknown; readonly entries: ReadonlyArray<{ readonly operation: string; readonly args: ReadonlyArray<unknown> }> }): Sandbox.SandboxState => {
  const decoded = log.snapshot === undefined ? undefined : Sandbox.decodeState(log.snapshot)
  const sandbox = Sandbox.make(decoded !== undefined && Result.isSuccess(decoded) ? decoded.success : Sandbox.emptyState)
  for (const entry of log.entries) Effect.runSync(Effect.result(invokeLogged(sandbox, entry)))
  return Effect.runSync(sandbox.state)
}

/** Which customer a port operation's request belongs to, and its idempotency keys. */
const refOf = (name: PortOperation, request: unknown): SandboxRef => {
  if (typeof request === "string") return { objectId: request }
  const r = request as { readonly customerId?: string; readonly subscriptionId?: string; readonly invoiceId?: string }
  if (name === "payInvoice") return { objectId: r.invoiceId ?? "" }
  return r.customerId !== undefined ? { customerId: r.customerId } : { objectId: r.subscriptionId ?? "" }
}

const keysOf = (request: unknown): ReadonlyArray<string> => {
  if (typeof request !== "object" || request === null) return []
  const r = request as { readonly idempotencyKey?: string; readonly compensates?: string }
  return [r.idempotencyKey, r.compensates].filter((k): k is string => k !== undefined)
}

/** The sandbox's durable form, with `flush` (nothing is left to write: kept for callers that flush at shutdown). @example await sandbox.flush() */
export type DurableSandbox = Sandbox.SandboxOps & { readonly port: PaymentPort & TestClockPort; readonly flush: () => Promise<void> }

/**
 * The sandbox over the store's sandbox tables (a store written as a log before migration 3 is
 * converted first); each operation is stored before it answers.
 *
 * @example const sandbox = await durableSandbox(store.sandbox); await Effect.runPromise(sandbox.state)
 */
export const durableSandbox = async (tables: SandboxTables): Promise<DurableSandbox> => {
  await Effect.runPromise(tables.legacy((log) => split(replay(log), Date.now())))
  let log: Array<Sandbox.SandboxState["log"][number]> = []
  const run = <A, E>(ref: SandboxRef, keys: ReadonlyArray<string>, op: (sandbox: ReturnType<typeof Sandbox.make>) => Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.flatMap(
      Effect.suspend(() => {
        const now = Date.now()
        return tables.transact(ref, keys, now, (read) => {
          const before = stateOf(read)
          const sandbox = Sandbox.make(before)
          const outcome = Effect.runSync(Effect.result(op(sandbox)))
          const after = Effect.runSync(sandbox.state)
          log.push(...after.log)
          if (log.length > 2 * LOG_LIMIT) log = log.slice(-LOG_LIMIT)
          return { value: outcome, write: changes(read, before, after, read.customerId ?? after.customers[0]?.id, now) }
        })
      }),
      (outcome) => Effect.fromResult(outcome)
    )
  const portOp = <K extends PortOperation>(name: K) => (request: RequestOf<K>): Effect.Effect<ResultOf<K>, ProviderError> =>
    run(refOf(name, request), keysOf(request), (sandbox) => (sandbox.port[name] as (r: RequestOf<K>) => Effect.Effect<ResultOf<K>, ProviderError>)(request))
  const port: PaymentPort & TestClockPort = {
    ...makePort(portOp),
    advanceTestClock: (r) => run({ customerId: r.customerId }, [], (s) => s.port.advanceTestClock(r)),
    testClockOf: (customerId) => run({ customerId }, [], (s) => s.port.testClockOf(customerId)),
    setTestClock: (r) => run({ customerId: r.customerId }, [], (s) => s.port.setTestClock(r)),
    setSubscriptionStatus: (r) => run({ objectId: r.subscriptionId }, [], (s) => s.port.setSubscriptionStatus(r))
  }
  return {
    port,
    state: Effect.flatMap(Effect.suspend(() => tables.all(Date.now())), (all) => Effect.sync(() => assemble(all, [...log]))),
    seedCustomer: (customer, catalog) => run({ customerId: customer.id }, [], (s) => s.seedCustomer(customer, catalog)),
    attachPaymentMethod: (customerId, token) => run({ customerId }, [], (s) => s.attachPaymentMethod(customerId, token)),
    completeCheckout: (session, token) => run({ objectId: session }, [], (s) => s.completeCheckout(session, token)),
    payInvoiceHosted: (invoiceId, token) => run({ objectId: invoiceId }, [], (s) => s.payInvoiceHosted(invoiceId, token)),
    finalizeInvoice: (invoiceId) => run({ objectId: invoiceId }, [], (s) => s.finalizeInvoice(invoiceId)),
    voidInvoice: (invoiceId) => run({ objectId: invoiceId }, [], (s) => s.voidInvoice(invoiceId)),
    flush: () => Promise.resolve()
  }
}
