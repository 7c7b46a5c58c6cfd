/**
 * `serve --catalog FILE --port N --key KEY [--store STORE]` (issues #6, #13): runs the
 * Autumn-compatible fetch handler on Node's HTTP server, with the sandbox payment provider, for
 * local development against Autumn's official clients. Customers, pending plans, idempotency
 * records and the sandbox's state live in STORE (docs/operations.md): a PGlite directory
 * (default `./.attach-planner`, printed at start), a PostgreSQL URL (also from `DATABASE_URL`;
 * several servers on one database behave as one), or `memory`. Requests are bounded: headers
 * within 5 s, the whole request within 15 s, bodies up to `--max-body` bytes. The catalog is this library's catalog JSON or
 * Autumn's product list (v1 products or v2 plans, docs/autumn-catalog.md). The key may come from
 * the `ATTACH_PLANNER_KEY` environment variable instead of `--key`.
 *
 * New customers (`customer_data`) have no payment method unless
 * `customer_data.metadata.test_payment_method` names a sandbox test card. Two routes beside
 * Autumn's drive the sandbox as a customer would in a browser (./sandboxRoutes.ts).
 *
 * The command's parts live by concept: its arguments in ./serveArgs.ts, the handler in
 * ./serveHandler.ts, Node's HTTP server in ./listen.ts ({@link toRequest}, {@link listen}, used
 * by the tests too); this module runs them, and exports them for ./main.ts, the tests and the bench.
 *
 * @example
 * // ATTACH_PLANNER_KEY=am_sk_test_1 npm run --silent cli -- serve --catalog examples/catalog.json --port 8787
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { importAutumnCatalog, isAutumnCatalog } from "../autumn/Products.ts"
import type { Catalog } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"
import { errorDocument } from "../Errors.ts"
import { openStore } from "../store/open.ts"
import { readJsonFile, toJson, usageFailure } from "./documents.ts"
import { type Listening, listen } from "./listen.ts"
import { parseServeArgs, SERVE_USAGE, type ServeOptions } from "./serveArgs.ts"
import { storeHandler } from "./serveHandler.ts"
import { chooseProvider, type StripeServeConfig, stripeServeHandler } from "./serveStripe.ts"

export { type Listening, listen, type ServedHandler, toRequest } from "./listen.ts"
export { withSandboxRoutes } from "./sandboxRoutes.ts"
export { parseServeArgs, SERVE_USAGE, type ServeOptions } from "./serveArgs.ts"
export { serveHandler, storeHandler } from "./serveHandler.ts"

/**
 * Decodes a catalog file's JSON: Autumn's products or plans when it looks like them, else this
 * library's catalog.
 *
 * @example catalogFromJson(JSON.parse(text)) // Result<Catalog, DecodeError>
 */
export const catalogFromJson = (json: unknown) =>
  isAutumnCatalog(json) ? importAutumnCatalog(json) : decodeCatalog(json)

/** Resolves once SIGINT or SIGTERM arrives, after `stop` ran. */
const untilStopped = (stop: () => Promise<void>): Promise<void> =>
  new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off("SIGINT", onSignal)
      process.off("SIGTERM", onSignal)
      void stop().then(resolve, resolve)
    }
    process.on("SIGINT", onSignal)
    process.on("SIGTERM", onSignal)
  })

/** `serve --provider stripe`: the Stripe adapter, customers in memory. */
const serveStripe = async (catalog: Catalog, options: ServeOptions, config: StripeServeConfig, out: (text: string) => Promise<void>): Promise<number> => {
  const served = await stripeServeHandler(catalog, options.key, config, options.testCard)
  if (Result.isFailure(served)) {
    await out(toJson(errorDocument(served.failure), 2) + "\n")
    return 1
  }
  let running: Listening
  try {
    running = await listen(served.success.handler, options)
  } catch (cause) {
    await out(toJson({ error: { _tag: "ListenError", message: cause instanceof Error ? cause.message : String(cause) } }, 2) + "\n")
    return 1
  }
  process.stderr.write(`attach-planner: serving Autumn's API at ${running.url} (Stripe provider, in-memory customers)\n`)
  await out(`${running.url}\n`)
  await untilStopped(() => running.close())
  return 0
}

/**
 * Runs `serve` with the arguments after the command name; resolves with the exit code once the
 * server stops (SIGINT or SIGTERM).
 *
 * @example process.exitCode = await runServe(["--catalog", "c.json", "--port", "8787"], print)
 */
export const runServe = async (args: ReadonlyArray<string>, out: (text: string) => Promise<void>): Promise<number> => {
  const chosen = chooseProvider(args, process.env)
  const options = typeof chosen === "string" ? chosen : parseServeArgs(chosen.rest, process.env)
  if (typeof options === "string") {
    return usageFailure(options, SERVE_USAGE)
  }
  const json = await readJsonFile(options.catalog)
  if (!json.ok) {
    await out(toJson(json.error, 2) + "\n")
    return 1
  }
  const catalog = catalogFromJson(json.value)
  if (Result.isFailure(catalog)) {
    await out(toJson(errorDocument(catalog.failure), 2) + "\n")
    return 1
  }
  const stripe = typeof chosen !== "string" && chosen.provider === "stripe" ? chosen.config : null
  if (stripe !== null) return serveStripe(catalog.success, options, stripe, out)
  const store = await openStore(options.store)
  if (typeof store === "string") {
    await out(toJson({ error: { _tag: "StoreError", message: store } }, 2) + "\n")
    return 1
  }
  const served = await storeHandler(catalog.success, options.key, store, { maxBodyBytes: options.maxBody, ...(options.testCard === undefined ? {} : { testCard: options.testCard }) })
  if (Result.isFailure(served)) {
    await out(toJson(errorDocument(served.failure), 2) + "\n")
    return 1
  }
  const { handler, flush } = served.success
  let running: Listening
  try {
    running = await listen(handler, options)
  } catch (cause) {
    await Effect.runPromise(store.close)
    await out(toJson({ error: { _tag: "ListenError", message: cause instanceof Error ? cause.message : String(cause) } }, 2) + "\n")
    return 1
  }
  process.stderr.write(`attach-planner: serving Autumn's API at ${running.url} (sandbox provider; store: ${store.kind} ${store.location})\n`)
  await out(`${running.url}\n`)
  await untilStopped(() => running.close().then(flush).finally(() => Effect.runPromise(store.close)))
  return 0
}
