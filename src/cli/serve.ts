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
 * Autumn's drive the sandbox as a customer would in a browser: `POST /v1/sandbox.complete_checkout`
 * `{ url, payment_method? }` completes a checkout session and the plan waiting for it takes
 * effect (what a provider's webhook does), and `POST /v1/sandbox.state` returns the sandbox's state.
 *
 * Also exports {@link toRequest} and {@link listen}, the small adapter from Node's
 * `IncomingMessage` to a web `Request`, used by the tests too.
 *
 * @example
 * // ATTACH_PLANNER_KEY=am_sk_test_1 npm run --silent cli -- serve --catalog examples/catalog.json --port 8787
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { Readable } from "node:stream"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { type AutumnHandler, type AutumnHandlerOptions, DEFAULT_MAX_BODY_BYTES, makeAutumnHandler } from "../autumn/Handler.ts"
import { authenticate } from "../autumn/internal/auth.ts"
import type { BodyLimits } from "../autumn/internal/body.ts"
import { nodeRawRequest } from "../autumn/internal/nodeRequest.ts"
import { fromRequest, type RawRequest, type RawResponse, splitTarget, toResponse } from "../autumn/internal/raw.ts"
import { jsonRaw, newRequestId } from "../autumn/internal/requestId.ts"
import { makeMemoryStore } from "../autumn/CustomerStore.ts"
import { importAutumnCatalog, isAutumnCatalog } from "../autumn/Products.ts"
import { sandboxCustomers } from "../autumn/SandboxCustomers.ts"
import type { Catalog } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"
import { errorDocument } from "../Errors.ts"
import * as Sandbox from "../Sandbox.ts"
import { durableSandbox } from "../store/durableSandbox.ts"
import { DEFAULT_STORE, openStore } from "../store/open.ts"
import type { StoreOps } from "../store/Store.ts"
import { readJsonFile, toJson, usageFailure } from "./documents.ts"
import { parseArgv } from "./internal/argv.ts"
import { chooseProvider, type StripeServeConfig, stripeServeHandler } from "./serveStripe.ts"

/** The usage text of `serve`. @example process.stderr.write(SERVE_USAGE) */
export const SERVE_USAGE = `Usage: attach-planner serve --catalog FILE --port N [--key KEY] [--host HOST] [--store STORE]
                            [--max-body BYTES] [--test-card PM] [--provider sandbox|stripe]

Serves Autumn's API (checkout, attach, cancel, billing.*, customers.*, plans.*, products; see
docs/autumn-compat.md) over the catalog in FILE, with the sandbox payment provider, for local
development. Customers, pending plans, idempotency records and the sandbox's state are kept in
STORE. Point Autumn's clients at http://HOST:N (autumn-js 1.x: serverURL; 0.x: url
"http://HOST:N/v1").

Options:
  --catalog FILE   This library's catalog JSON, or Autumn's products / plans JSON.
  --port N         The port (0 picks a free one; the URL is printed).
  --key KEY        The secret key clients send as "Authorization: Bearer KEY"
                   (default: the ATTACH_PLANNER_KEY environment variable).
  --host HOST      The address to listen on (default 127.0.0.1).
  --store STORE    A directory (embedded PostgreSQL; one process at a time), a
                   postgres:// URL (any number of servers on one database), or "memory"
                   (default: the DATABASE_URL environment variable, else ./.attach-planner).
  --max-body BYTES The largest request body accepted (default 1048576); larger is a 413.
  --test-card PM   Every new customer gets this sandbox test card (e.g. pm_card_visa), so paid
                   attaches charge it instead of answering a checkout url.
  --provider P     sandbox (default) or stripe: the Stripe adapter (STRIPE_SECRET_KEY,
                   STRIPE_WEBHOOK_SECRET; STRIPE_API_BASE for another API host), webhook at /webhooks/stripe.

New customers (customer_data) have no payment method unless
customer_data.metadata.test_payment_method is a sandbox test card: pm_card_visa,
pm_card_declined, pm_card_insufficient_funds, pm_card_3ds.
Sandbox routes: POST /v1/sandbox.complete_checkout { "url": …, "payment_method": "pm_card_visa" }
completes a checkout session and the plan waiting for it takes effect (as a provider's webhook
would); POST /v1/sandbox.state returns the sandbox's state.

Exit codes: 0 stopped (SIGINT/SIGTERM), 1 bad catalog or cannot listen, 2 usage error.
`

/** The options of `serve`. @example { catalog: "catalog.json", port: 8787, key: "sk_1", host: "127.0.0.1", store: "./.attach-planner", maxBody: 1048576 } */
export interface ServeOptions {
  readonly catalog: string
  readonly port: number
  readonly key: string
  readonly host: string
  readonly store: string
  readonly maxBody: number
  readonly testCard?: string
}

/**
 * Parses the arguments after `serve`; a string is a usage error.
 *
 * @example parseServeArgs(["--catalog", "c.json", "--port", "8787", "--key", "k"], {}) // { catalog: "c.json", port: 8787, key: "k", host: "127.0.0.1", store: "./.attach-planner", maxBody: 1048576 }
 */
export const parseServeArgs = (args: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): ServeOptions | string => {
  const argv = parseArgv(args, { catalog: "string", port: "string", key: "string", host: "string", "test-card": "string", store: "string", "max-body": "string" })
  if (typeof argv === "string") return argv
  const [stray] = argv.positionals
  if (stray !== undefined) return `unknown argument ${JSON.stringify(stray)}`
  const { values } = argv
  const catalog = values.get("--catalog")
  if (catalog === undefined) return "serve needs --catalog FILE"
  const portText = values.get("--port")
  if (portText === undefined) return "serve needs --port N"
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) return `--port expects a port number 0–65535, got ${JSON.stringify(portText)}`
  const key = values.get("--key") ?? env["ATTACH_PLANNER_KEY"]
  if (key === undefined || key === "") return "serve needs --key KEY (or the ATTACH_PLANNER_KEY environment variable)"
  const maxBodyText = values.get("--max-body") ?? String(DEFAULT_MAX_BODY_BYTES)
  if (!/^\d+$/.test(maxBodyText) || Number(maxBodyText) < 1) return `--max-body expects a number of bytes, got ${JSON.stringify(maxBodyText)}`
  const store = values.get("--store") ?? env["DATABASE_URL"] ?? DEFAULT_STORE
  const testCard = values.get("--test-card")
  return { catalog, port, key, host: values.get("--host") ?? "127.0.0.1", store, maxBody: Number(maxBodyText), ...(testCard === undefined ? {} : { testCard }) }
}

/**
 * Decodes a catalog file's JSON: Autumn's products or plans when it looks like them, else this
 * library's catalog.
 *
 * @example catalogFromJson(JSON.parse(text)) // Result<Catalog, DecodeError>
 */
export const catalogFromJson = (json: unknown) =>
  isAutumnCatalog(json) ? importAutumnCatalog(json) : decodeCatalog(json)

/**
 * A web `Request` for a Node request. The body is not read here: it streams to whoever reads it
 * (the handler, after checking the key from the headers and within its size limit).
 *
 * @example const request = toRequest(req, "http://127.0.0.1:8787")
 */
export const toRequest = (req: IncomingMessage, origin: string): Request => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  const method = req.method ?? "GET"
  const body = method === "GET" || method === "HEAD" ? {} : { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" }
  return new Request(new URL(req.url ?? "/", origin), { method, headers, ...body } as RequestInit)
}

const send = async (req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> => {
  res.statusCode = response.status
  response.headers.forEach((value, name) => res.setHeader(name, value))
  // A body left unread (a refused request) is not drained: the connection closes after the answer.
  if (!req.complete) res.setHeader("connection", "close")
  res.end(Buffer.from(await response.arrayBuffer()))
}

/** How long a client may take to send its headers, and its whole request (Node's default is 5 minutes). */
const HEADERS_TIMEOUT_MS = 5_000
const REQUEST_TIMEOUT_MS = 15_000

/**
 * Writes a handler's own response; a body left unread closes the connection after it. The body
 * is encoded once, its length known (no chunked encoding), and the status line, the headers (as
 * Node's flat name/value list, no header map built) and the body go out in one write.
 */
const sendRaw = (req: IncomingMessage, res: ServerResponse, response: RawResponse): void => {
  const body = Buffer.from(response.body)
  const headers: Array<string> = []
  for (const [name, value] of Object.entries(response.headers)) headers.push(name, value)
  headers.push("content-length", String(body.byteLength))
  if (!req.complete) headers.push("connection", "close")
  res.writeHead(response.status, headers)
  res.end(body)
}

/**
 * A handler `listen` serves: a fetch handler, optionally with `raw` — the same handler on the
 * request's parts, which `listen` then calls directly (no web `Request` per request).
 *
 * @example const h: ServedHandler = Object.assign(fetchHandler, { raw: autumn.raw })
 */
export type ServedHandler = ((request: Request) => Promise<Response>) & { readonly raw?: (request: RawRequest) => Promise<RawResponse> }

/** A running server. @example const { url, close } = await listen(handler, { port: 0, host: "127.0.0.1" }) */
export interface Listening {
  readonly url: string
  readonly server: Server
  readonly close: () => Promise<void>
}

/**
 * Serves a fetch handler on Node's HTTP server; resolves once it listens (port 0: a free port).
 *
 * @example const { url, close } = await listen(handler, { port: 0, host: "127.0.0.1" })
 */
export const listen = (handler: ServedHandler, options: { readonly port: number; readonly host: string }): Promise<Listening> =>
  new Promise((resolve, reject) => {
    let origin = ""
    const raw = handler.raw
    const answer = raw === undefined
      ? (req: IncomingMessage, res: ServerResponse) => Promise.resolve().then(() => handler(toRequest(req, origin))).then((response) => send(req, res, response))
      : (req: IncomingMessage, res: ServerResponse) => raw(nodeRawRequest(req)).then((response) => sendRaw(req, res, response))
    const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000 }, (req, res) => {
      answer(req, res).catch((cause: unknown) => {
        process.stderr.write(`attach-planner: internal error: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}\n`)
        if (res.headersSent) return void res.destroy()
        res.statusCode = 500
        res.setHeader("content-type", "application/json")
        res.setHeader("connection", "close")
        res.end(JSON.stringify({ code: "internal_error", message: "Internal error; the server's log has the details" }))
      })
    })
    server.once("error", reject)
    server.listen(options.port, options.host, () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : options.port
      origin = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`
      resolve({
        url: origin, server,
        close: () => new Promise<void>((done) => {
          server.close(() => done())
          server.closeAllConnections()
        })
      })
    })
  })

const SANDBOX_BODY: BodyLimits = { maxBytes: 64 * 1024, timeoutMs: 10_000, maxDepth: 8 }

/**
 * The sandbox routes of `serve` in front of the Autumn handler: the same key, checked the same
 * way (headers only, constant time) before the body is read.
 *
 * @example const handler = withSandboxRoutes(autumnHandler, sandbox, "sk_1")
 */
export const withSandboxRoutes = (handler: AutumnHandler, sandbox: Sandbox.SandboxOps, key: string) => {
  const raw = async (request: RawRequest): Promise<RawResponse> => {
    const { path } = splitTarget(request.url)
    if (path !== "/v1/sandbox.complete_checkout" && path !== "/v1/sandbox.state") return handler.raw(request)
    const requestId = newRequestId()
    const reply = (status: number, body: unknown) => jsonRaw(status, body, requestId)
    const who = authenticate(request.header("authorization"), [key])
    if (typeof who !== "number") return reply(who.status, { code: who.code, message: who.message })
    if (path === "/v1/sandbox.state") return reply(200, await Effect.runPromise(sandbox.state))
    const read = await request.readBody(SANDBOX_BODY)
    if (!read.ok) return reply(read.failure.status, { code: read.failure.code, message: read.failure.message })
    const body = typeof read.value === "object" && read.value !== null ? read.value as { readonly url?: unknown; readonly payment_method?: unknown } : {}
    if (typeof body.url !== "string") return reply(400, { code: "invalid_inputs", message: "url: is required (the checkout URL)" })
    const token = typeof body.payment_method === "string" ? body.payment_method : "pm_card_visa"
    const done = await Effect.runPromise(Effect.result(sandbox.completeCheckout(body.url, token)))
    if (Result.isFailure(done)) return reply(400, { code: "checkout_failed", message: done.failure.message })
    // As the provider's webhook would: the plan waiting for this checkout takes effect now.
    const state = await Effect.runPromise(sandbox.state)
    const customerId = state.checkoutSessions.find((cs) => cs.id === done.success.id)?.customerId ?? ""
    const resumed = await handler.resume(customerId)
    return reply(resumed.status, resumed.body)
  }
  return Object.assign((request: Request) => raw(fromRequest(request)).then(toResponse), { raw })
}

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
