/**
 * `serve --catalog FILE --port N --key KEY` (issue #6): runs the Autumn-compatible fetch handler
 * on Node's HTTP server, with the sandbox payment provider and in-memory customers, for local
 * development against Autumn's official clients. The catalog is this library's catalog JSON or
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
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { type AutumnHandler, makeAutumnHandler } from "../autumn/Handler.ts"
import { makeMemoryStore } from "../autumn/CustomerStore.ts"
import { importAutumnCatalog, isAutumnCatalog } from "../autumn/Products.ts"
import { sandboxCustomers } from "../autumn/SandboxCustomers.ts"
import type { Catalog } from "../Catalog.ts"
import { decodeCatalog } from "../Document.ts"
import { errorDocument } from "../Errors.ts"
import * as Sandbox from "../Sandbox.ts"
import { readJsonFile, toJson } from "./documents.ts"
import { parseArgv } from "./internal/argv.ts"

/** The usage text of `serve`. @example process.stderr.write(SERVE_USAGE) */
export const SERVE_USAGE = `Usage: attach-planner serve --catalog FILE --port N [--key KEY] [--host HOST] [--test-card PM]

Serves Autumn's API (checkout, attach, cancel, billing.*, customers.*, plans.*,
products; see docs/autumn-compat.md)
over the catalog in FILE, with the sandbox payment provider and in-memory customers, for local
development. Point Autumn's
clients at http://HOST:N (autumn-js 1.x: serverURL; 0.x: url "http://HOST:N/v1").

Options:
  --catalog FILE   This library's catalog JSON, or Autumn's products / plans JSON.
  --port N         The port (0 picks a free one; the URL is printed).
  --key KEY        The secret key clients send as "Authorization: Bearer KEY"
                   (default: the ATTACH_PLANNER_KEY environment variable).
  --host HOST      The address to listen on (default 127.0.0.1).
  --test-card PM   Every new customer gets this sandbox test card (e.g. pm_card_visa), so paid
                   attaches charge it instead of answering a checkout url.

New customers (customer_data) have no payment method unless
customer_data.metadata.test_payment_method is a sandbox test card: pm_card_visa,
pm_card_declined, pm_card_insufficient_funds, pm_card_3ds.
Sandbox routes: POST /v1/sandbox.complete_checkout { "url": …, "payment_method": "pm_card_visa" }
completes a checkout session and the plan waiting for it takes effect (as a provider's webhook
would); POST /v1/sandbox.state returns the sandbox's state.

Exit codes: 0 stopped (SIGINT/SIGTERM), 1 bad catalog or cannot listen, 2 usage error.
`

/** The options of `serve`. @example { catalog: "catalog.json", port: 8787, key: "sk_1", host: "127.0.0.1" } */
export interface ServeOptions {
  readonly catalog: string
  readonly port: number
  readonly key: string
  readonly host: string
  readonly testCard?: string
}

/**
 * Parses the arguments after `serve`; a string is a usage error.
 *
 * @example parseServeArgs(["--catalog", "c.json", "--port", "8787", "--key", "k"], {}) // { catalog: "c.json", port: 8787, key: "k", host: "127.0.0.1" }
 */
export const parseServeArgs = (args: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): ServeOptions | string => {
  const argv = parseArgv(args, { catalog: "string", port: "string", key: "string", host: "string", "test-card": "string" })
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
  const testCard = values.get("--test-card")
  return { catalog, port, key, host: values.get("--host") ?? "127.0.0.1", ...(testCard === undefined ? {} : { testCard }) }
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
 * A web `Request` for a Node request (the body is read in full).
 *
 * @example const request = await toRequest(req, "http://127.0.0.1:8787")
 */
export const toRequest = async (req: IncomingMessage, origin: string): Promise<Request> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  const method = req.method ?? "GET"
  return new Request(new URL(req.url ?? "/", origin), {
    method, headers, ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) })
  })
}

const send = async (res: ServerResponse, response: Response): Promise<void> => {
  res.statusCode = response.status
  response.headers.forEach((value, name) => res.setHeader(name, value))
  res.end(Buffer.from(await response.arrayBuffer()))
}

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
export const listen = (handler: (request: Request) => Promise<Response>, options: { readonly port: number; readonly host: string }): Promise<Listening> =>
  new Promise((resolve, reject) => {
    let origin = ""
    const server = createServer((req, res) => {
      toRequest(req, origin).then(handler).then((response) => send(res, response)).catch((cause: unknown) => {
        res.statusCode = 500
        res.setHeader("content-type", "application/json")
        res.end(JSON.stringify({ code: "internal_error", message: cause instanceof Error ? cause.message : String(cause) }))
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

/**
 * The sandbox routes of `serve` in front of the Autumn handler (same key).
 *
 * @example const handler = withSandboxRoutes(autumnHandler, sandbox, "sk_1")
 */
export const withSandboxRoutes = (handler: AutumnHandler, sandbox: Sandbox.SandboxOps, key: string) =>
  async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname
    if (path !== "/v1/sandbox.complete_checkout" && path !== "/v1/sandbox.state") return handler(request)
    const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })
    if (request.headers.get("authorization") !== `Bearer ${key}`) return reply(401, { code: "invalid_secret_key", message: "Invalid secret key" })
    if (path === "/v1/sandbox.state") return reply(200, await Effect.runPromise(sandbox.state))
    const body = await request.json().catch(() => undefined) as { readonly url?: unknown; readonly payment_method?: unknown } | undefined
    if (typeof body?.url !== "string") return reply(400, { code: "invalid_inputs", message: "url: is required (the checkout URL)" })
    const token = typeof body.payment_method === "string" ? body.payment_method : "pm_card_visa"
    const done = await Effect.runPromise(Effect.result(sandbox.completeCheckout(body.url, token)))
    if (Result.isFailure(done)) return reply(400, { code: "checkout_failed", message: done.failure.message })
    // As the provider's webhook would: the plan waiting for this checkout takes effect now.
    const state = await Effect.runPromise(sandbox.state)
    const customerId = state.checkoutSessions.find((cs) => cs.id === done.success.id)?.customerId ?? ""
    const resumed = await handler.resume(customerId)
    return reply(resumed.status, resumed.body)
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
 * Runs `serve` with the arguments after the command name; resolves with the exit code once the
 * server stops (SIGINT or SIGTERM).
 *
 * @example process.exitCode = await runServe(["--catalog", "c.json", "--port", "8787"], print)
 */
export const runServe = async (args: ReadonlyArray<string>, out: (text: string) => Promise<void>): Promise<number> => {
  const options = parseServeArgs(args, process.env)
  if (typeof options === "string") {
    process.stderr.write(`attach-planner: ${options}\n\n${SERVE_USAGE}`)
    return 2
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
  const served = serveHandler(catalog.success, options.key, undefined, options.testCard)
  if (Result.isFailure(served)) {
    await out(toJson(errorDocument(served.failure), 2) + "\n")
    return 1
  }
  const { handler } = served.success
  let running: Listening
  try {
    running = await listen(handler, options)
  } catch (cause) {
    await out(toJson({ error: { _tag: "ListenError", message: cause instanceof Error ? cause.message : String(cause) } }, 2) + "\n")
    return 1
  }
  process.stderr.write(`attach-planner: serving Autumn's API at ${running.url} (sandbox provider, in-memory customers)\n`)
  await out(`${running.url}\n`)
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop)
      process.off("SIGTERM", stop)
      void running.close().then(resolve)
    }
    process.on("SIGINT", stop)
    process.on("SIGTERM", stop)
  })
  return 0
}
