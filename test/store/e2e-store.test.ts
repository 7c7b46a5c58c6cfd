/**
 * Several servers, one database, and crashes (issue #13, points 2 and 5), end to end: real
 * `serve` processes on 127.0.0.1 over one real PostgreSQL 15 database (skipped, with the reason
 * printed, where no PostgreSQL binaries exist).
 *
 * - two servers, 200 concurrent attaches for one customer spread over both: every charge
 *   matches exactly one paid response, nothing else is charged;
 * - then 200 customers at once: each charged once, $20.00;
 * - the same Idempotency-Key sent 50 times to both at once: one execution, 50 equal answers;
 * - `serve` killed with SIGKILL four times during 100 attaches and restarted, every
 *   request retried with its key until it is answered: every answer a 200 with the invoice that
 *   was charged, nothing charged twice, nothing lost.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { openStore } from "../../src/store/open.ts"
import { AUTUMN_TEST_CATALOG } from "../support/autumnCatalog.ts"
import { startPostgres, type TestPostgres } from "../support/postgres.ts"
import { root } from "../support/runCli.ts"

const KEY = "am_sk_e2e"
let pg: TestPostgres | string = "not started"
let dir = ""
let catalogFile = ""

beforeAll(async () => {
  pg = await startPostgres()
  if (typeof pg === "string") console.log(`end-to-end store tests skipped: ${pg}`)
  dir = mkdtempSync(join(tmpdir(), "attach-planner-e2e-"))
  catalogFile = join(dir, "catalog.json")
  writeFileSync(catalogFile, JSON.stringify(AUTUMN_TEST_CATALOG))
}, 120_000)
afterAll(() => {
  if (typeof pg !== "string") pg.stop()
  rmSync(dir, { recursive: true, force: true })
})

interface Server {
  readonly url: string
  readonly child: ChildProcessWithoutNullStreams
}

const serve = async (store: string, port = 0): Promise<Server> => {
  // One process (tsx as a loader, not tsx's own launcher, which would run the server in a child
  // of its own): SIGKILL then kills the server itself.
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--catalog", catalogFile, "--port", String(port), "--key", KEY, "--store", store], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })
  child.stderr.resume()
  const [chunk] = (await once(child.stdout, "data")) as [Buffer]
  const url = chunk.toString().trim()
  if (!url.startsWith("http://")) throw new Error(`serve did not start: ${url}`)
  return { url, child }
}

const stop = async (s: Server, signal: NodeJS.Signals = "SIGTERM"): Promise<void> => {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return
  const exited = once(s.child, "exit")
  s.child.kill(signal)
  await exited
}

interface Answer {
  readonly status: number
  readonly body: { readonly invoice?: { readonly status: string; readonly stripe_id: string; readonly total: number }; readonly code?: string }
}

const post = async (url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
  const r = await fetch(`${url}${path}`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, ...headers }, body: JSON.stringify(body) })
  return { status: r.status, body: (await r.json()) as Answer["body"] }
}

type Charge = { readonly customerId: string; readonly invoiceId: string; readonly amount: number }
const charges = async (url: string): Promise<ReadonlyArray<Charge>> =>
  ((await (await fetch(`${url}/v1/sandbox.state`, { method: "POST", headers: { authorization: `Bearer ${KEY}` } })).json()) as { readonly charges: ReadonlyArray<Charge> }).charges

const card = { metadata: { test_payment_method: "pm_card_visa" } }

/** Runs `tasks` with at most `limit` at a time. */
const pool = async <A>(limit: number, tasks: ReadonlyArray<() => Promise<A>>): Promise<Array<A>> => {
  const out: Array<A> = new Array<A>(tasks.length)
  let next = 0
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) {
      const i = next++
      out[i] = await (tasks[i] as () => Promise<A>)()
    }
  }))
  return out
}

/** Every paid response's invoice is charged exactly once, and nothing else is. */
const expectChargesMatchResponses = (answers: ReadonlyArray<Answer>, charged: ReadonlyArray<Charge>) => {
  const paid = answers.filter((a) => a.status === 200 && a.body.invoice?.status === "paid" && a.body.invoice.total > 0).map((a) => a.body.invoice?.stripe_id)
  expect([...charged.map((c) => c.invoiceId)].sort()).toEqual([...paid].sort())
}

describe("two servers on one PostgreSQL database", () => {
  let a: Server | undefined
  let b: Server | undefined
  beforeAll(async () => {
    if (typeof pg === "string") return
    const url = pg.database(`e2e_two_${Date.now()}`)
    // The first one migrates; the second finds the schema there.
    a = await serve(url)
    b = await serve(url)
  }, 120_000)
  afterAll(async () => {
    await Promise.all([a, b].map((s) => (s === undefined ? undefined : stop(s))))
  })

  it("serialise 200 concurrent attaches of one customer: each charge is one paid response", async () => {
    if (a === undefined || b === undefined) return console.log(`skipped: ${String(pg)}`)
    const servers = [a.url, b.url]
    const first = await post(a.url, "/v1/billing.attach", { customer_id: "cus_one", plan_id: "pro", customer_data: card })
    expect(first).toMatchObject({ status: 200, body: { invoice: { status: "paid", total: 2000 } } })
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      post(servers[i % 2] as string, "/v1/billing.attach", { customer_id: "cus_one", plan_id: i % 2 === 0 ? "premium" : "pro" })))
    // Nothing failed inside: each is done (200), refused as already held (409), or busy (409).
    expect(answers.every((r) => r.status === 200 || r.status === 409)).toBe(true)
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThan(0)
    const charged = (await charges(b.url)).filter((c) => c.customerId === "cus_one")
    expectChargesMatchResponses([first, ...answers], charged)
  }, 180_000)

  it("attach 200 customers at once over both: each charged once, $20.00", async () => {
    if (a === undefined || b === undefined) return
    const servers = [a.url, b.url]
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      post(servers[i % 2] as string, "/v1/billing.attach", { customer_id: `cus_many_${i}`, plan_id: "pro", customer_data: card })))
    expect(answers.filter((r) => r.status !== 200)).toEqual([])
    const charged = (await charges(a.url)).filter((c) => c.customerId.startsWith("cus_many_"))
    expect(charged.length).toBe(200)
    expect(new Set(charged.map((c) => c.customerId)).size).toBe(200)
    expect(charged.every((c) => c.amount === 2000)).toBe(true)
    expectChargesMatchResponses(answers, charged)
  }, 180_000)

  it("execute one Idempotency-Key once, sent 50 times to both at once", async () => {
    if (a === undefined || b === undefined) return
    const servers = [a.url, b.url]
    const body = { customer_id: "cus_key", plan_id: "pro", customer_data: card }
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      post(servers[i % 2] as string, "/v1/billing.attach", body, { "idempotency-key": "order-50" })))
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200))
    expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1)
    const charged = (await charges(a.url)).filter((c) => c.customerId === "cus_key")
    expect(charged.map((c) => c.amount)).toEqual([2000])
  }, 180_000)
})

/** Pseudo-random numbers in [0, 1) from `seed`: the same every run. */
const seeded = (seed: number) => () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31

/** A server on `store` that is killed with SIGKILL and restarted while a run of attaches goes on. */
interface KilledServer {
  server: Server
  kills: number
  answered: number
  stopped: boolean
  readonly restartFailures: Array<string>
}

/** Serves `store` again after a kill, up to five attempts; the failures are kept. */
const restart = async (run: KilledServer, store: string): Promise<void> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      run.server = await serve(store)
      return
    } catch (cause) {
      run.restartFailures.push(String(cause))
    }
  }
}

/**
 * Kills as the run passes 10, 35, 60 and 85 answers (then a pseudo-random 0–100 ms later), so
 * that they fall mid-run however fast the server is; restarts the server after each.
 */
const killer = async (run: KilledServer, store: string): Promise<void> => {
  const random = seeded(13)
  for (const mark of [10, 35, 60, 85]) {
    while (!run.stopped && run.answered < mark) await new Promise((r) => setTimeout(r, 5))
    await new Promise((r) => setTimeout(r, random() * 100))
    if (run.stopped) break
    await stop(run.server, "SIGKILL")
    run.kills++
    await restart(run, store)
  }
}

/** Attaches pro for customer `i` under its own key, retried with that key until the server answers. */
const attachRetried = (run: KilledServer, i: number) => async (): Promise<Answer> => {
  const deadline = Date.now() + 120_000
  let last = ""
  for (let attempt = 0; Date.now() < deadline && attempt < 200; attempt++) {
    try {
      const r = await post(run.server.url, "/v1/billing.attach", { customer_id: `cus_kill_${i}`, plan_id: "pro", customer_data: card }, { "idempotency-key": `kill-${i}` })
      if (r.status < 500 && r.body.code !== "customer_busy") {
        run.answered++
        return r
      }
      last = `${r.status} ${JSON.stringify(r.body)}`
    } catch (cause) {
      // The server is down or was killed mid-request: retry with the same key.
      last = String(cause)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`attach ${i} never answered; last: ${last}`)
}

describe("a server killed with SIGKILL during 100 attaches", () => {
  it("loses nothing and charges nothing twice once every request is retried with its key", async () => {
    if (typeof pg === "string") return console.log(`skipped: ${pg}`)
    const store = pg.database(`e2e_kill_${Date.now()}`)
    const run: KilledServer = { server: await serve(store), kills: 0, answered: 0, stopped: false, restartFailures: [] }
    const killing = killer(run, store)
    const answers = await pool(10, Array.from({ length: 100 }, (_, i) => attachRetried(run, i)))
    run.stopped = true
    await killing
    expect(run.kills).toBeGreaterThanOrEqual(3)
    expect(run.restartFailures).toEqual([])
    // Every retried key answers the attach's outcome: 200 with the paid invoice — also when the
    // process died after storing the new state but before storing the answer under the key.
    expect(answers.filter((r) => r.status !== 200 || r.body.invoice?.status !== "paid")).toEqual([])
    const charged = (await charges(run.server.url)).filter((c) => c.customerId.startsWith("cus_kill_"))
    // Every customer charged exactly once, $20.00: nothing twice, nothing lost.
    expect([...charged.map((c) => c.customerId)].sort()).toEqual(Array.from({ length: 100 }, (_, i) => `cus_kill_${i}`).sort())
    expect(charged.every((c) => c.amount === 2000)).toBe(true)
    // Each answer names its customer's one charge: the answers and the charges are the same invoices.
    expectChargesMatchResponses(answers, charged)
    await stop(run.server)
    // Every customer's stored state is the one after its attach, with no plan left pending.
    const opened = await openStore(store)
    if (typeof opened === "string") throw new Error(opened)
    for (let i = 0; i < 100; i++) {
      const customer = await Effect.runPromise(opened.customers.get(`cus_kill_${i}`))
      expect(customer?.subscriptions?.map((s) => s.planId)).toEqual(["pro"])
      expect(await Effect.runPromise(opened.customers.getPending(`cus_kill_${i}`))).toBeUndefined()
    }
    await Effect.runPromise(opened.close)
  }, 300_000)
})
