/**
 * A local, stateful Stripe-compatible test server on 127.0.0.1, spoken to through the official
 * SDK (`new Stripe(key, { host: "127.0.0.1", port, protocol: "http" })`). It keeps customers,
 * payment methods, prices, subscriptions and their items, schedules, invoice items, invoices,
 * Checkout Sessions and events (test/stripe/fakeObjects.ts); it refuses any parameter the SDK's
 * own type definitions do not name for the endpoint (test/stripe/sdkParams.ts), and keeps
 * idempotency keys as Stripe does: a key replays the first answer of a request that ran (a
 * success or a card error), a key reused with other parameters is an `idempotency_error`, a
 * request refused before it ran (an unknown parameter, an injected outage "before") keeps no answer.
 *
 * Faults: `faults.calls` lists request numbers (from 0) that fail — `"before"`: a 500 and nothing
 * done; `"after"`: done, then the connection is dropped (the answer is lost).
 *
 * @example
 * const fake = await startFakeStripe(); const stripe = fake.client()
 * await stripe.customers.create({}); await fake.close()
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http"
import type { AddressInfo } from "node:net"
import Stripe from "stripe"
import { BILLING_ROUTES } from "./fakeBilling.ts"
import { COUPON_ROUTES } from "./fakeDiscounts.ts"
import { type FakeState, type Json, attachToken, chargeInvoice, emit, emptyFakeState, newId } from "./fakeObjects.ts"
import { FakeError, type Route, customers, expanded, need, schedules, subscriptions } from "./fakeRoutes.ts"
import { loadParams } from "./sdkParams.ts"

const ROUTES: ReadonlyArray<Route> = [...customers, ...subscriptions, ...schedules, ...BILLING_ROUTES, ...COUPON_ROUTES]
const check = loadParams()

const arrays = (v: unknown): unknown => {
  if (typeof v !== "object" || v === null) return v
  const entries = Object.entries(v).map(([k, x]) => [k, arrays(x)] as const)
  return entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))
    ? entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, x]) => x)
    : Object.fromEntries(entries)
}

/** Decodes the SDK's form encoding (`items[0][price]=…`) into nested objects and arrays. */
export const decodeForm = (text: string): Record<string, unknown> => {
  const root: Record<string, unknown> = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, "").split("[")
    let node = root
    path.forEach((seg, i) => {
      if (i === path.length - 1) node[seg] = value
      else node = (node[seg] ??= {}) as Record<string, unknown>
    })
  }
  return arrays(root) as Record<string, unknown>
}

/** The running test server. */
export interface FakeStripe {
  readonly base: string
  readonly port: number
  readonly state: FakeState
  /** Requests that fail, by number from 0; `when` the server fails them. */
  faults: { calls: ReadonlyArray<number>; when: "before" | "after" }
  /**
   * The next write (a request other than GET) fails, `before` or `after` acting; cleared once used.
   * After acting, the SDK's own immediate retry of that request on a fresh connection is dropped
   * too, so the answer is lost to the caller as in a real outage.
   */
  nextWrite: "before" | "after" | null
  /** Every request, "METHOD path", in order. */
  readonly calls: Array<string>
  /** An SDK client for this server (no retries: each outage reaches the adapter). */
  readonly client: () => Stripe
  /** The customer completes a Checkout Session with a test card token. */
  readonly completeCheckout: (sessionId: string, token: string) => void
  /** The customer pays an open invoice on its hosted page (3-D Secure passes there). */
  readonly payHosted: (invoiceId: string, token?: string) => "paid" | "declined" | "authentication_required" | "no_payment_method"
  readonly close: () => Promise<void>
}

const read = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

interface Answer { readonly status: number; readonly body: Json }

const run = (state: FakeState, route: Route, args: ReadonlyArray<string>, params: Record<string, unknown>, base: string): Answer => {
  try {
    return { status: 200, body: expanded(state, route.handle({ s: state, params, args, base }), params["expand"]) }
  } catch (e) {
    if (e instanceof FakeError) return { status: e.status, body: { error: e.body } }
    throw e
  }
}

/** The route that answers `method` on `pathname`, with the path's arguments; the first that matches. */
const findRoute = (method: string | undefined, pathname: string): { readonly route: Route; readonly args: ReadonlyArray<string> } | undefined => {
  for (const route of ROUTES) {
    const m = route.method === method ? route.path.exec(pathname) : null
    if (m !== null) return { route, args: m.slice(1).map(decodeURIComponent) }
  }
  return undefined
}

/** The customer completes a Checkout Session with a test card token: a succeeded setup intent, and the session's event. */
const completeCheckout = (state: FakeState) => (sessionId: string, token: string): void => {
  const session = need(state.sessions, sessionId, "checkout session")
  const pm = attachToken(state, token, session.customer)
  if (pm === undefined) throw new Error(`unknown test card ${token}`)
  const intent = { id: newId(state, "seti"), object: "setup_intent" as const, customer: session.customer, payment_method: pm.id, status: "succeeded" as const, metadata: {} }
  state.setupIntents.set(intent.id, intent)
  Object.assign(session, { status: "complete", url: null, setup_intent: intent.id })
  emit(state, "checkout.session.completed", session)
}

/** The customer pays an open invoice on its hosted page, with `token` or else the default payment method. */
const payHosted = (state: FakeState) => (invoiceId: string, token?: string): ReturnType<FakeStripe["payHosted"]> => {
  const inv = need(state.invoices, invoiceId, "invoice")
  if (inv.status === "paid") return "paid" as const
  const customer = need(state.customers, inv.customer, "customer")
  const pm = token === undefined ? state.paymentMethods.get(customer.invoice_settings.default_payment_method ?? "") : attachToken(state, token, customer.id)
  return chargeInvoice(state, inv, pm, true)
}

/**
 * Starts the server on a free port of 127.0.0.1; its clock starts at `now` (epoch seconds).
 *
 * @example const fake = await startFakeStripe(Date.parse("2025-01-16T00:00:00Z") / 1000)
 */
export const startFakeStripe = async (now?: number): Promise<FakeStripe> => {
  const state = emptyFakeState(now)
  const keys = new Map<string, { readonly fingerprint: string; readonly answer: Answer }>()
  const calls: Array<string> = []
  let base = ""
  let lostAgain: string | null = null
  const fake = { faults: { calls: [] as ReadonlyArray<number>, when: "before" as "before" | "after" }, nextWrite: null as "before" | "after" | null }
  const send = (res: ServerResponse, a: Answer, replayed = false): void => {
    res.writeHead(a.status, { "content-type": "application/json", "request-id": `req_${calls.length}`, ...(replayed ? { "idempotent-replayed": "true" } : {}) })
    res.end(JSON.stringify(a.body))
  }
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const body = await read(req)
    const n = calls.push(`${req.method ?? ""} ${url.pathname}`) - 1
    const params = { ...decodeForm(url.search.slice(1)), ...decodeForm(body) }
    const found = findRoute(req.method, url.pathname)
    if (found === undefined) return send(res, { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method} ${url.pathname})` } } })
    const { route, args } = found
    const unknown = check(route.iface, route.file, params)
    if (unknown !== undefined) return send(res, { status: 400, body: { error: { type: "invalid_request_error", code: "parameter_unknown", param: unknown, message: `Received unknown parameter: ${unknown}` } } })
    const write = req.method !== "GET" ? fake.nextWrite : null
    if (write !== null) fake.nextWrite = null
    const again = lostAgain === `${req.method ?? ""} ${url.pathname}`
    lostAgain = write === "after" ? `${req.method ?? ""} ${url.pathname}` : null
    const faulty = fake.faults.calls.includes(n) || write !== null || again
    if (faulty && (write ?? (again ? "after" : fake.faults.when)) === "before") return send(res, { status: 500, body: { error: { type: "api_error", message: `Injected outage at request ${n}` } } })
    const key = req.method === "POST" ? req.headers["idempotency-key"] : undefined
    const fingerprint = `${req.method} ${url.pathname} ${body}`
    const seen = typeof key === "string" ? keys.get(key) : undefined
    if (seen !== undefined && seen.fingerprint !== fingerprint) {
      return send(res, { status: 400, body: { error: { type: "idempotency_error", message: `Keys for idempotent requests can only be used with the same parameters they were first used with (${String(key)})` } } })
    }
    const answer = seen?.answer ?? run(state, route, args, params, base)
    if (typeof key === "string" && seen === undefined) keys.set(key, { fingerprint, answer })
    if (faulty) return void res.socket?.destroy()
    send(res, answer, seen !== undefined)
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, { status: 500, body: { error: { type: "api_error", message: String(e) } } }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  base = `http://127.0.0.1:${port}`
  return Object.assign(fake, {
    base, port, state, calls,
    client: () => new Stripe("sk_test_fake", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0, telemetry: false }),
    completeCheckout: completeCheckout(state),
    payHosted: payHosted(state),
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  })
}
