/**
 * The store port (issue #13): one suite run against the in-memory store, PGlite in a temporary
 * directory, and a real PostgreSQL 15 server started for the test (skipped, with the reason
 * printed, where no PostgreSQL binaries exist): customers, idempotency records and locks; then
 * PostgreSQL across processes and unreachable, and a PGlite directory. The sandbox's state in the
 * store: store-sandbox.test.ts.
 */
import { type AddressInfo, type Socket, createServer } from "node:net"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import type { Customer } from "../../src/Customer.ts"
import { customerFingerprint } from "../../src/internal/fingerprint.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import { MIGRATIONS, migrate } from "../../src/store/migrations.ts"
import { openStore } from "../../src/store/open.ts"
import PgModule from "pg"
import { openPostgres } from "../../src/store/Sql.ts"
import { sqlStore } from "../../src/store/sqlStore.ts"
import { freePort } from "../support/postgres.ts"
import { type KindStore, opened, openedPerKind, result, run, storeKinds } from "./storeKinds.ts"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const ada: Customer = { id: "cus_ada", hasPaymentMethod: true }
const plan = { customerId: "cus_ada", basedOn: "fp_1", actions: [] } as unknown as AttachPreview

const { kinds, tempDir, postgres } = storeKinds()

/** Customers: their state under compare-and-set, profiles and listing, pending plans (in one store, one after another). */
const customerTests = ({ s, skipped }: KindStore): void => {
  it("creates a customer once, and writes its state with compare-and-set on the fingerprint", async () => {
    if (skipped()) return console.log(`skipped: ${String(postgres())}`)
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

describe.each(kinds)("the store on %s", (_name, make) => {
  const store = openedPerKind(make)
  describe("customers", () => customerTests(store))
  describe("idempotency records and locks", () => idempotencyAndLockTests(store))
})

describe("PostgreSQL across processes", () => {
  it("serialises a customer across two stores on one database, and migrates once", async () => {
    const pg = postgres()
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
