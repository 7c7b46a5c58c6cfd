/**
 * The whole `serve` handler over the sandbox payment provider: the Autumn routes with the
 * sandbox routes (./sandboxRoutes.ts) in front, customers in memory ({@link serveHandler}) or
 * in a store ({@link storeHandler}).
 *
 * @example const served = serveHandler(catalog, "sk_1") // Result<{ handler, sandbox }, DecodeError>
 */
import * as Result from "effect/Result"
import { type AutumnHandlerOptions, makeAutumnHandler } from "../autumn/Handler.ts"
import { makeMemoryStore } from "../autumn/CustomerStore.ts"
import { sandboxCustomers } from "../autumn/SandboxCustomers.ts"
import type { Catalog } from "../Catalog.ts"
import * as Sandbox from "../Sandbox.ts"
import { durableSandbox } from "../store/durableSandbox.ts"
import type { StoreOps } from "../store/Store.ts"
import { withSandboxRoutes } from "./sandboxRoutes.ts"

/**
 * Makes the whole `serve` handler for a catalog: the Autumn routes over a fresh sandbox and
 * in-memory customers, plus the sandbox routes.
 *
 * @example const served = serveHandler(catalog, "sk_1") // Result<{ handler, sandbox }, DecodeError>
 */
export const serveHandler = (catalog: Catalog, key: string, now?: () => string, testCard?: string) => {
  const sandbox = Sandbox.make()
  const autumn = makeAutumnHandler({
    catalog, keys: [key], customers: makeMemoryStore(), provider: sandbox.port,
    ...sandboxCustomers(sandbox, testCard === undefined ? {} : { testCard }), ...(now === undefined ? {} : { now })
  })
  return Result.map(autumn, (made) => ({ handler: withSandboxRoutes(made, sandbox, key), sandbox }))
}

/**
 * The `serve` handler over a store: customers, locks, idempotency records and the sandbox's
 * state are the store's, so servers on one PostgreSQL database behave as one and a restarted
 * one loses nothing. `flush` (at shutdown) writes what the sandbox still holds; the sandbox on a store writes each operation as it runs, so there it has nothing left to write.
 *
 * @example const { handler, flush } = await storeHandler(catalog, "sk_1", store, { maxBodyBytes: 1 << 20 })
 */
export const storeHandler = async (
  catalog: Catalog, key: string, store: StoreOps,
  options: Pick<AutumnHandlerOptions, "maxBodyBytes" | "bodyTimeoutMs" | "now"> & { readonly testCard?: string } = {}
) => {
  const sandbox = await durableSandbox(store.sandbox)
  const { testCard, ...handlerOptions } = options
  const autumn = makeAutumnHandler({
    ...handlerOptions, catalog, keys: [key], customers: store.customers, store, provider: sandbox.port,
    ...sandboxCustomers(sandbox, testCard === undefined ? {} : { testCard })
  })
  return Result.map(autumn, (made) => ({ handler: withSandboxRoutes(made, sandbox, key), sandbox, flush: sandbox.flush }))
}
