/**
 * The sandbox provider on a store: every process keeps the sandbox's state in memory and the
 * store keeps the log of the operations that changed it (and, now and then, a snapshot). Each
 * operation runs under the sandbox's lock: the process first applies what others logged since
 * its last one, then its own operation, and logs it — so several `serve` processes on one
 * database share one sandbox, and a restarted one finds every charge it made. The sandbox's
 * operations are deterministic (no clock, ids from a counter), so applying the log again gives
 * the same state.
 *
 * @example
 * const sandbox = await durableSandbox(store.sandbox)
 * const handler = Autumn.makeAutumnHandler({ catalog, keys, customers: store.customers, provider: sandbox.port }) // Result<AutumnHandler, DecodeError>
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { decodeCatalog, encodeCatalog } from "../Document.ts"
import type { Customer } from "../Customer.ts"
import { isReadOperation, makePort, type PaymentPort, type TestClockPort } from "../Provider.ts"
import * as Sandbox from "../Sandbox.ts"
import { makeBoundedLock } from "./locks.ts"
import type { CatchUp, SandboxLog } from "./Store.ts"

/** Log entries between snapshots (a snapshot holds the whole state, so it is taken rarely). */
const SNAPSHOT_EVERY = 10_000

type Call = { readonly operation: string; readonly args: ReadonlyArray<unknown> }
type AnyOp = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown>

/** The operation a log entry names, on a sandbox (port operations and the sandbox's own). */
const invoke = (sandbox: Sandbox.SandboxOps, call: Call): Effect.Effect<unknown, unknown> => {
  const own: Record<string, AnyOp> = {
    // The catalog is logged in its JSON form (a decoded one holds bigint rationals).
    seedCustomer: (c, catalog) => {
      const decoded = decodeCatalog(catalog)
      return Result.isSuccess(decoded) ? sandbox.seedCustomer(c as Customer, decoded.success) : Effect.die(decoded.failure)
    },
    attachPaymentMethod: (id, token) => sandbox.attachPaymentMethod(String(id), String(token)),
    completeCheckout: (session, token) => sandbox.completeCheckout(String(session), String(token)),
    payInvoiceHosted: (id, token) => sandbox.payInvoiceHosted(String(id), ...(token === undefined || token === null ? [] : [String(token)])),
    finalizeInvoice: (id) => sandbox.finalizeInvoice(String(id)),
    voidInvoice: (id) => sandbox.voidInvoice(String(id)),
    state: () => sandbox.state
  }
  const op = own[call.operation] ?? (sandbox.port as unknown as Record<string, AnyOp>)[call.operation]
  return op === undefined ? Effect.die(`no sandbox operation ${call.operation}`) : op(...call.args)
}

/** The sandbox's durable form, with `flush` (a snapshot now, e.g. at shutdown). @example await sandbox.flush() */
export type DurableSandbox = Sandbox.SandboxOps & { readonly port: PaymentPort & TestClockPort; readonly flush: () => Promise<void> }

/**
 * Loads the sandbox from its log (snapshot, then the entries after it) and returns its
 * operations; each one is logged before it answers.
 *
 * @example const sandbox = await durableSandbox(store.sandbox); await Effect.runPromise(sandbox.state)
 */
export const durableSandbox = async (log: SandboxLog): Promise<DurableSandbox> => {
  let local = Sandbox.make()
  let applied = 0
  let logged = 0
  const mutex = makeBoundedLock()
  const catchUp = (c: CatchUp): void => {
    if (c.snapshot !== undefined) {
      const state = Sandbox.decodeState(c.snapshot.state)
      local = Sandbox.make(Result.isSuccess(state) ? state.success : Sandbox.emptyState)
    }
    // A replayed operation's outcome was already answered by the process that logged it.
    for (const entry of c.entries) Effect.runSync(Effect.result(invoke(local, entry)))
  }
  const run = <A, E>(call: Call, mutates: boolean): Effect.Effect<A, E> =>
    Effect.flatMap(
      Effect.promise(() => mutex("sandbox", 2 ** 31 - 1, async () => {
        const { value, seq } = await Effect.runPromise(log.append(() => applied, (c) => {
          catchUp(c)
          const outcome = Effect.runSync(Effect.result(invoke(local, call)))
          const due = mutates && ++logged % SNAPSHOT_EVERY === 0
          return { value: { outcome, state: due ? Effect.runSync(local.state) : undefined }, entry: mutates ? call : undefined }
        }))
        applied = seq
        if (value.state !== undefined) await Effect.runPromise(log.snapshot(seq, value.state))
        return value.outcome
      })),
      (held) => (held.held ? Effect.fromResult(held.value as Result.Result<A, E>) : Effect.die("sandbox lock not held"))
    )
  const port: PaymentPort & TestClockPort = {
    ...makePort((operation) => (request) => run({ operation, args: [request] }, !isReadOperation(operation))),
    advanceTestClock: (r) => run({ operation: "advanceTestClock", args: [r] }, true),
    testClockOf: (customerId) => run({ operation: "testClockOf", args: [customerId] }, false),
    setTestClock: (r) => run({ operation: "setTestClock", args: [r] }, true),
    setSubscriptionStatus: (r) => run({ operation: "setSubscriptionStatus", args: [r] }, true)
  }
  const ops: DurableSandbox = {
    port,
    state: run({ operation: "state", args: [] }, false),
    seedCustomer: (customer, catalog) => run({ operation: "seedCustomer", args: [customer, encodeCatalog(catalog)] }, true),
    attachPaymentMethod: (customerId, token) => run({ operation: "attachPaymentMethod", args: [customerId, token] }, true),
    completeCheckout: (session, token) => run({ operation: "completeCheckout", args: [session, token] }, true),
    payInvoiceHosted: (invoiceId, token) => run({ operation: "payInvoiceHosted", args: [invoiceId, token ?? null] }, true),
    finalizeInvoice: (invoiceId) => run({ operation: "finalizeInvoice", args: [invoiceId] }, true),
    voidInvoice: (invoiceId) => run({ operation: "voidInvoice", args: [invoiceId] }, true),
    flush: () =>
      mutex("sandbox", 2 ** 31 - 1, async () => {
        const { value, seq } = await Effect.runPromise(log.append(() => applied, (c) => {
          catchUp(c)
          return { value: Effect.runSync(local.state), entry: undefined }
        }))
        applied = seq
        if (seq > 0) await Effect.runPromise(log.snapshot(seq, value))
      }).then(() => undefined)
  }
  await Effect.runPromise(ops.state)
  return ops
}
