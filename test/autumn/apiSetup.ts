/**
 * What the tests of the Autumn-compatible handler with plain `Request`s (api.test.ts,
 * api-execution.test.ts) share: a handler over a fresh sandbox and an in-memory store, a POST to
 * it, and the sandbox's state.
 *
 * Catalog (test/support/autumnCatalog.ts): pro $20/month, premium $50/month, seats $10/seat/month.
 *
 * @example
 * const s = setup({ customers: [{ id: "cus_1" }] })
 * const r = await post(s, "/v1/billing.attach", { customer_id: "cus_1", plan_id: "pro" })
 * r.status // 200
 */
import * as Effect from "effect/Effect"
import { type AutumnHandler, makeMemoryStore, sandboxCustomers } from "../../src/autumn/index.ts"
import type { Customer } from "../../src/Customer.ts"
import type { PaymentPort } from "../../src/Provider.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { autumnTestCatalog, handlerOf } from "../support/autumnCatalog.ts"

/**
 * The host's first API key (the second is `am_sk_other`).
 *
 * @example
 * post(s, "/v1/billing.attach", body, { authorization: `Bearer ${KEY}` })
 */
export const KEY = "am_sk_test_api"
/**
 * The decoded catalog of the handler.
 *
 * @example
 * Sandbox.make().seedCustomer(customer, catalog)
 */
export const catalog = autumnTestCatalog()

/** A handler with its sandbox and its customer store. */
export interface Setup {
  readonly sandbox: Sandbox.SandboxOps
  readonly customers: ReturnType<typeof makeMemoryStore>
  readonly handler: AutumnHandler
}

/**
 * A handler over a fresh sandbox; `clock` gives successive instants (a second apart by default).
 *
 * @example
 * const s = setup({ wrap: (port) => withFaults(port, { calls: [2], when: "after" }) })
 */
export const setup = (options: { readonly customers?: ReadonlyArray<Customer>; readonly wrap?: (port: PaymentPort) => PaymentPort } = {}): Setup => {
  const sandbox = Sandbox.make()
  const customers = makeMemoryStore(options.customers ?? [])
  let tick = 0
  const now = () => new Date(Date.parse("2025-01-01T00:00:00Z") + 1000 * tick++).toISOString()
  const provider = options.wrap === undefined ? sandbox.port : options.wrap(sandbox.port)
  return { sandbox, customers, handler: handlerOf({ catalog, keys: [KEY, "am_sk_other"], customers, provider, now, ...sandboxCustomers(sandbox) }) }
}

/** A response of the handler, its body parsed. */
export interface Answer {
  readonly status: number
  readonly headers: Response["headers"]
  readonly body: Record<string, unknown>
}

/**
 * POSTs a JSON body (or a raw string) to the handler, with the first key unless `headers` are given.
 *
 * @example
 * (await post(setup(), "/v1/billing.attach", "{nope")).status // 400
 */
export const post = async (s: Setup, path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }): Promise<Answer> => {
  const response = await s.handler(new Request(`http://localhost${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }))
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> }
}

/**
 * The sandbox's state: its log, charges, invoices.
 *
 * @example
 * (await state(s)).charges.map((c) => c.amount) // [2000]
 */
export const state = (s: Setup): Promise<Sandbox.SandboxState> => Effect.runPromise(s.sandbox.state)
