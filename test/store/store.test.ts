/**
 * The store port (issue #13): one suite run against the in-memory store, PGlite in a temporary
 * directory, and a real PostgreSQL 15 server started for the test (skipped, with the reason
 * printed, where no PostgreSQL binaries exist).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type AddressInfo, type Socket, createServer } from "node:net"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Customer } from "../../src/Customer.ts"
import { customerFingerprint } from "../../src/internal/fingerprint.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import { durableSandbox } from "../../src/store/durableSandbox.ts"
import { memoryStore } from "../../src/store/memoryStore.ts"
import { MIGRATIONS, migrate } from "../../src/store/migrations.ts"
import { openStore } from "../../src/store/open.ts"
import PgModule from "pg"
import { openPostgres } from "../../src/store/Sql.ts"
import { sqlStore } from "../../src/store/sqlStore.ts"
import type { StoreOps } from "../../src/store/Store.ts"
import { freePort, startPostgres, type TestPostgres } from "../support/postgres.ts"

const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)
const result = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(Effect.result(e)).then((r) => ({ result: r, failure: Result.isFailure(r) ? r.failure : undefined }))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const ada: Customer = { id: "cus_ada", hasPaymentMethod: true }
const plan = { customerId: "cus_ada", basedOn: "fp_1", actions: [] } as unknown as AttachPreview

let pg: TestPostgres | string = "not started"
const dirs: Array<string> = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "attach-planner-store-"))
  dirs.push(d)
  return d
}

beforeAll(async () => {
  pg = await startPostgres()
  if (typeof pg === "string") console.log(`PostgreSQL store tests skipped: ${pg}`)
}, 120_000)
afterAll(() => {
  if (typeof pg !== "string") pg.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const opened = async (location: string): Promise<StoreOps> => {
  const s = await openStore(location)
  if (typeof s === "string") throw new Error(s)
  return s
}

const kinds: ReadonlyArray<readonly [string, () => Promise<StoreOps | undefined>]> = [
  ["memory", async () => memoryStore()],
  ["PGlite", () => opened(tempDir())],
  ["PostgreSQL", async () => (typeof pg === "string" ? undefined : opened(pg.database(`suite_${Date.now()}`)))]
]

interface KindStore {
  readonly s: () => StoreOps
  readonly skipped: () => boolean
}

/** The store of one kind, opened before its tests and closed after them; skipped where it cannot be opened. */
const openedPerKind = (make: () => Promise<StoreOps | undefined>): KindStore => {
  let store: StoreOps | undefined
  beforeAll(async () => {
    store = await make()
  }, 120_000)
  afterAll(async () => {
    if (store !== undefined) await run(store.close)
  })
  const s = () => {
    if (store === undefined) throw new Error("no store")
    return store
  }
  const skipped = () => store === undefined
  return { s, skipped }
}

/** Customers: their state under compare-and-set, profiles and listing, pending plans (in one store, one after another). */
const customerTests = ({ s, skipped }: KindStore): void => {
  it("creates a customer once, and writes its state with compare-and-set on the fingerprint", async () => {
    if (skipped()) return console.log(`skipped: ${String(pg)}`)
    const c = s().customers
    await run(c.create(ada, { name: "Ada", email: null, fingerprint: null, metadata: {}, createdAt: 1 }))
    expect((await result(c.create(ada))).failure?._tag).toBe("CustomerExists")
    expect(await run(c.get("cus_ada"))).toEqual(ada)
    const upgraded: Customer = { ...ada, creditBalance: 500 }
    // A writer holding a stale fingerprint loses; the one holding the stored one wins.
    expect((await result(c.put(upgraded, { ifFingerprint: "stale" }))).failure?._tag).toBe("CustomerChanged")
    await run(c.put(upgraded, { ifFingerprint: customerFingerprint(ada) }))
    expect(await run(c.get("cus_ada"))).toEqual(upgraded)
    expect((await result(c.put(ada, { ifFingerprint: customerFingerprint(ada) }))).failure?._tag).toBe("CustomerChanged")
    expect((await result(c.put({ id: "cus_nobody" }, { ifFingerprint: "x" }))).failure?._tag).toBe("CustomerChanged")
    expect(await run(c.get("cus_nobody"))).toBeUndefined()
  })

  it("keeps profiles and lists customers in creation order", async () => {
    if (skipped()) return
    const c = s().customers
    await run(c.create({ id: "cus_bob" }))
    await run(c.create({ id: "cus_amy" }))
    await run(c.putProfile("cus_bob", { name: "Bob", email: "b@x", fingerprint: null, metadata: { a: 1 }, createdAt: 2 }))
    await run(c.putProfile("cus_ghost", { name: "G", email: null, fingerprint: null, metadata: {}, createdAt: 3 }))
    expect(await run(c.getProfile("cus_bob"))).toMatchObject({ name: "Bob", metadata: { a: 1 } })
    expect(await run(c.getProfile("cus_ghost"))).toBeUndefined()
    const page = await run(c.list({ offset: 1, limit: 5 }))
    expect(page.total).toBe(3)
    expect(page.list.map((e) => e.customer.id)).toEqual(["cus_bob", "cus_amy"])
    expect((await run(c.list({ offset: 10, limit: 5 }))).list).toEqual([])
  })

  it("journals pending plans", async () => {
    if (skipped()) return
    const c = s().customers
    await run(c.setPending("cus_ada", plan))
    expect(await run(c.getPending("cus_ada"))).toEqual(plan)
    await run(c.setPending("cus_ada", undefined))
    expect(await run(c.getPending("cus_ada"))).toBeUndefined()
    expect(await run(s().readJournal("cus_ada"))).toEqual([{ event: "pending", planBasedOn: "fp_1" }, { event: "cleared", planBasedOn: null }])
  })
}

/** Idempotency records and the per-customer lock. */
const idempotencyAndLockTests = ({ s, skipped }: KindStore): void => {
  it("keeps idempotency records until they expire", async () => {
    if (skipped()) return
    const st = s()
    await run(st.putIdempotency("k0", "key-1", { requestHash: "h", response: { status: 200, body: { ok: [1] } }, expiresAt: 10_000 }))
    await run(st.putIdempotency("k0", "key-2", { requestHash: "h2", response: undefined, expiresAt: 20_000 }))
    expect(await run(st.getIdempotency("k0", "key-1", 9_999))).toEqual({ requestHash: "h", response: { status: 200, body: { ok: [1] } }, expiresAt: 10_000 })
    expect(await run(st.getIdempotency("k1", "key-1", 0))).toBeUndefined()
    expect(await run(st.getIdempotency("k0", "key-1", 10_000))).toBeUndefined()
    expect(await run(st.getIdempotency("k0", "key-2", 0))).toMatchObject({ response: undefined })
    expect(await run(st.pruneIdempotency(15_000))).toBe(1)
    await run(st.deleteIdempotency("k0", "key-2"))
    expect(await run(st.getIdempotency("k0", "key-2", 0))).toBeUndefined()
  })

  it("runs one task per customer at a time, and gives up after the wait", async () => {
    if (skipped()) return
    const st = s()
    const trace: Array<string> = []
    const task = (name: string, ms: number) => Effect.promise(async () => {
      trace.push(`${name}+`)
      await sleep(ms)
      trace.push(`${name}-`)
      return name
    })
    const [a, b, busy] = await Promise.all([
      run(st.withCustomer("cus_x", 5_000, task("a", 150))),
      run(st.withCustomer("cus_x", 5_000, task("b", 10))),
      result(st.withCustomer("cus_x", 50, task("c", 10)))
    ])
    expect([a, b]).toEqual(["a", "b"])
    expect(busy.failure?._tag).toBe("CustomerBusy")
    expect(trace).toEqual(["a+", "a-", "b+", "b-"])
    // A failing task's error comes out as it is, and frees the lock.
    expect((await result(st.withCustomer("cus_x", 1_000, Effect.fail("boom" as const)))).failure).toBe("boom")
    expect(await run(st.withCustomer("cus_x", 1_000, Effect.succeed(1)))).toBe(1)
  })
}

/** The durable sandbox's state kept in the store. */
const sandboxStateTests = ({ s, skipped }: KindStore): void => {
  it("keeps the sandbox's state in the store: a second sandbox on the same store sees the first one's charges", async () => {
    if (skipped()) return
    const one = await durableSandbox(s().sandbox)
    const two = await durableSandbox(s().sandbox)
    await run(one.attachPaymentMethod("cus_sbx", "pm_card_visa"))
    const invoice = await run(one.port.createInvoice({
      idempotencyKey: "inv_1", customerId: "cus_sbx", currency: "usd", description: "Pro", lines: [], subtotal: 2000, discountTotal: 0,
      total: 2000, creditApplied: 0, amountDue: 2000, collection: "charge_automatically", finalize: true, netTermsDays: null
    }))
    // The second sandbox pays it (it applies the first one's log first); paying again with the key replays.
    await run(two.port.payInvoice({ idempotencyKey: "pay_1", invoiceId: invoice.id, amount: 2000, creditApplied: 0 }))
    await run(one.port.payInvoice({ idempotencyKey: "pay_1", invoiceId: invoice.id, amount: 2000, creditApplied: 0 }))
    const charges = (await run(one.state)).charges
    expect(charges.map((c) => c.amount)).toEqual([2000])
    await two.flush()
    const three = await durableSandbox(s().sandbox)
    expect((await run(three.state)).charges).toEqual(charges)
    expect(await run(three.port.retrieveInvoice(invoice.id))).toMatchObject({ status: "paid" })
    const refused = await result(three.port.payInvoice({ idempotencyKey: "pay_1", invoiceId: invoice.id, amount: 1, creditApplied: 0 }))
    expect((refused.failure as { readonly _tag?: string } | undefined)?._tag).toBe("ProviderRejected")
    // What one process wrote, another reads at its next operation.
    await run(three.attachPaymentMethod("cus_sbx_2", "pm_card_visa"))
    await three.flush()
    await run(three.attachPaymentMethod("cus_sbx_3", "pm_card_visa"))
    // Every table is the store's; the call log is each process's own (its last calls).
    const { log: ownLog, ...seenByOne } = await run(one.state)
    const { log: threeLog, ...seenByThree } = await run(three.state)
    expect(seenByOne).toEqual(seenByThree)
    expect(ownLog.map((e) => e.idempotencyKey)).toEqual(["inv_1", "pay_1"])
    expect(threeLog).toEqual([])
  })
}

describe.each(kinds)("the store on %s", (_name, make) => {
  const store = openedPerKind(make)
  describe("customers", () => customerTests(store))
  describe("idempotency records and locks", () => idempotencyAndLockTests(store))
  describe("the sandbox's state", () => sandboxStateTests(store))
})

describe("PostgreSQL across processes", () => {
  it("serialises a customer across two stores on one database, and migrates once", async () => {
    if (typeof pg === "string") return console.log(`skipped: ${pg}`)
    const url = pg.database(`cross_${Date.now()}`)
    const [a, b] = await Promise.all([openPostgres(url), openPostgres(url)])
    const applied = await Promise.all([migrate(a), migrate(b)])
    expect(applied.map((v) => v.length).sort()).toEqual([0, MIGRATIONS.length])
    const one = sqlStore(a, url)
    const two = sqlStore(b, url)
    const trace: Array<string> = []
    const task = (name: string) => Effect.promise(async () => {
      trace.push(`${name}+`)
      await sleep(100)
      trace.push(`${name}-`)
    })
    const outcomes = await Promise.all([
      result(one.withCustomer("cus_shared", 5_000, task("one"))),
      (async () => {
        await sleep(20)
        return result(two.withCustomer("cus_shared", 5_000, task("two")))
      })(),
      (async () => {
        await sleep(20)
        return result(two.withCustomer("cus_shared", 30, task("late")))
      })()
    ])
    expect(trace).toEqual(["one+", "one-", "two+", "two-"])
    expect(outcomes[2]?.failure?._tag).toBe("CustomerBusy")
    await Promise.all([run(one.close), run(two.close)])
  })
})

describe("a PostgreSQL server that cannot be reached", () => {
  it("fails to open with the connection's error, and leaves neither pool open", async () => {
    const url = `postgres://app@127.0.0.1:${await freePort()}/billing`
    const made: Array<PgModule.Pool> = []
    const newPool = (connectionString: string, max: number) => {
      const pool = new PgModule.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 })
      made.push(pool)
      return pool
    }
    await expect(openPostgres(url, { newPool })).rejects.toMatchObject({ code: "ECONNREFUSED" })
    expect(made.map((pool) => pool.ended)).toEqual([true, true])
  })

  it("gives up on a host that accepts the connection and never answers, after the connect timeout", async () => {
    const sockets: Array<Socket> = []
    const silent = createServer((socket) => void sockets.push(socket))
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done))
    const port = (silent.address() as AddressInfo).port
    try {
      const started = Date.now()
      await expect(openPostgres(`postgres://app@127.0.0.1:${port}/billing`, { connectTimeoutMs: 300 })).rejects.toThrow(/timeout/i)
      // bounded: far under the default minute, whatever the machine's load
      expect(Date.now() - started).toBeLessThan(20_000)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((done) => silent.close(done))
    }
  })
})

describe("a PGlite directory", () => {
  it("is one process's at a time, and keeps its data", async () => {
    const dir = tempDir()
    const first = await opened(dir)
    expect(await openStore(dir)).toMatch(/is in use: .*lock is held by process \d+/)
    await run(first.customers.create(ada))
    await run(first.close)
    const again = await opened(dir)
    expect(await run(again.customers.get("cus_ada"))).toEqual(ada)
    await run(again.close)
  })
})

describe("a store written before migration 3", () => {
  it("has its sandbox log and snapshot converted to customers' rows at start-up: charges, invoices and keys kept", async () => {
    const { openPglite } = await import("../../src/store/Sql.ts")
    const sql = await openPglite(join(tempDir(), "pgdata"))
    await migrate(sql)
    const snapshot = { version: 1, nextId: 1, customers: [{ id: "cus_snap", balance: 500, paymentMethod: null }], subscriptions: [], invoices: [], checkoutSessions: [], charges: [], idempotency: [], log: [], clocks: [] }
    const invoice = {
      idempotencyKey: "inv_old", customerId: "cus_old", currency: "usd", description: "Pro", lines: [], subtotal: 2000, discountTotal: 0,
      total: 2000, creditApplied: 0, amountDue: 2000, collection: "charge_automatically" as const, finalize: true, netTermsDays: null
    }
    await sql.query("INSERT INTO sandbox_snapshots (seq, state) VALUES (1, $1)", [JSON.stringify(snapshot)])
    for (const [seq, operation, args] of [
      [1, "attachPaymentMethod", ["cus_before_snapshot", "pm_card_visa"]], [2, "attachPaymentMethod", ["cus_old", "pm_card_visa"]],
      [3, "createInvoice", [invoice]], [4, "payInvoice", [{ idempotencyKey: "pay_old", invoiceId: "in_sbx_0001", amount: 2000, creditApplied: 0 }]]
    ] as const) await sql.query("INSERT INTO sandbox_log (seq, operation, args) VALUES ($1, $2, $3)", [seq, operation, JSON.stringify(args)])
    const sandbox = await durableSandbox(sqlStore(sql, "pglite").sandbox)
    const state = await run(sandbox.state)
    expect(state.customers.map((c) => [c.id, c.balance, c.paymentMethod])).toEqual([["cus_snap", 500, null], ["cus_old", 0, "pm_card_visa"]])
    expect(state.charges.map((c) => [c.customerId, c.invoiceId, c.amount])).toEqual([["cus_old", "in_sbx_0001", 2000]])
    expect(state.nextId).toBe(3)
    // The converted keys replay; new ids continue the counter.
    expect(await run(sandbox.port.payInvoice({ idempotencyKey: "pay_old", invoiceId: "in_sbx_0001", amount: 2000, creditApplied: 0 }))).toMatchObject({ status: "paid" })
    expect(await run(sandbox.port.createInvoice({ ...invoice, idempotencyKey: "inv_new", finalize: false }))).toMatchObject({ id: "in_sbx_0003" })
    expect((await run(sandbox.state)).charges).toHaveLength(1)
    expect((await sql.query("SELECT seq FROM sandbox_log UNION ALL SELECT seq FROM sandbox_snapshots", [])).rows).toEqual([])
    await sql.close()
  })
})
