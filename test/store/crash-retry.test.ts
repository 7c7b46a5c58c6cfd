/**
 * The crash window of a keyed attach (issue #13): a process that dies at any point of an attach
 * — between two provider calls, after storing the customer's new state, after clearing the
 * pending plan but before storing the answer under the key — leaves a retry with the same
 * Idempotency-Key that answers 200 with the invoice the first attempt charged, charges nothing
 * twice, and stores the customer once. "Dies" is an operation that never returns (the process
 * stops there); the "restarted" server is a new handler over the same store, with its own locks
 * and a sandbox loaded from the store's log.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { type AutumnHandler, makeAutumnHandler } from "../../src/autumn/Handler.ts"
import { sandboxCustomers } from "../../src/autumn/SandboxCustomers.ts"
import type { PaymentPort } from "../../src/Provider.ts"
import { durableSandbox } from "../../src/store/durableSandbox.ts"
import { inSection, makeBoundedLock } from "../../src/store/locks.ts"
import { memoryStore } from "../../src/store/memoryStore.ts"
import { CustomerBusy, type StoreOps } from "../../src/store/Store.ts"
import { autumnTestCatalog } from "../support/autumnCatalog.ts"

const KEY = "am_sk_crash"

/** The store as a new process sees it: the same data, locks of its own. */
const restarted = (store: StoreOps): StoreOps => {
  const lock = makeBoundedLock()
  return { ...store, withCustomer: (id, waitMs, task) => inSection((t) => lock(id, waitMs, t), task, () => new CustomerBusy({ customerId: id, message: "busy" })) }
}

type CrashPoint = "after the invoice is paid" | "after the new state is stored" | "after the pending plan is cleared" | "before the answer is stored"

/** The store and provider of a process that stops for good at `point`. */
const dying = (store: StoreOps, port: PaymentPort, point: CrashPoint): { readonly store: StoreOps; readonly port: PaymentPort } => {
  const never = Effect.never
  const inner = store.customers
  const customers: StoreOps["customers"] = {
    ...inner,
    create: (c, p) => (point === "after the new state is stored" ? Effect.andThen(inner.create(c, p), never) : inner.create(c, p)),
    setPending: (id, plan) => (point === "after the pending plan is cleared" && plan === undefined ? Effect.andThen(inner.setPending(id, plan), never) : inner.setPending(id, plan))
  }
  const putIdempotency: StoreOps["putIdempotency"] = (scope, key, record) =>
    point === "before the answer is stored" && record.response !== undefined ? never : store.putIdempotency(scope, key, record)
  const payInvoice: PaymentPort["payInvoice"] = (r) => (point === "after the invoice is paid" ? Effect.andThen(port.payInvoice(r), never) : port.payInvoice(r))
  return { store: { ...store, customers, putIdempotency }, port: { ...port, payInvoice } }
}

/** A server process over `store`: its own locks, its sandbox loaded from the store's log; it dies at `point`, if given. */
const processOn = async (shared: StoreOps, point?: CrashPoint) => {
  const sandbox = await durableSandbox(shared.sandbox)
  const own = restarted(shared)
  const { store, port } = point === undefined ? { store: own, port: sandbox.port } : dying(own, sandbox.port, point)
  const handler = Result.getOrThrow(makeAutumnHandler({
    catalog: autumnTestCatalog(), keys: [KEY], customers: store.customers, store, provider: port, lockWaitMs: 1_000, ...sandboxCustomers(sandbox)
  }))
  return { handler, charges: async () => (await Effect.runPromise(sandbox.state)).charges }
}

const attach = (handler: AutumnHandler, key: string) =>
  handler(new Request("http://x/v1/billing.attach", {
    method: "POST", headers: { authorization: `Bearer ${KEY}`, "idempotency-key": key },
    body: JSON.stringify({ customer_id: "cus_crash", plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } })
  }))

const POINTS: ReadonlyArray<CrashPoint> = ["after the invoice is paid", "after the new state is stored", "after the pending plan is cleared", "before the answer is stored"]

describe("a keyed attach cut off by the process's death", () => {
  it.each(POINTS)("%s: the retry answers 200 with the charged invoice, once", async (point) => {
    const store = memoryStore()
    const first = await processOn(store, point)
    // The first attempt never answers: the process died at `point`.
    const cutOff = await Promise.race([attach(first.handler, "order-1").then(() => "answered"), new Promise((r) => setTimeout(() => r("cut off"), 300))])
    expect(cutOff).toBe("cut off")
    const next = await processOn(store)
    const retry = await attach(next.handler, "order-1")
    const body = (await retry.json()) as { readonly invoice?: { readonly status: string; readonly stripe_id: string; readonly total: number } }
    expect(retry.status).toBe(200)
    expect(body.invoice).toMatchObject({ status: "paid", total: 2000 })
    const charged = await next.charges()
    expect(charged.map((c) => [c.invoiceId, c.amount])).toEqual([[body.invoice?.stripe_id, 2000]])
    // The answer is kept under the key, and the customer holds the plan once, nothing pending.
    const replay = await attach(next.handler, "order-1")
    expect(replay.headers.get("idempotent-replayed")).toBe("true")
    expect(await replay.json()).toEqual(body)
    const customer = await Effect.runPromise(store.customers.get("cus_crash"))
    expect(customer?.subscriptions?.map((s) => s.planId)).toEqual(["pro"])
    expect(await Effect.runPromise(store.customers.getPending("cus_crash"))).toBeUndefined()
  })
})
