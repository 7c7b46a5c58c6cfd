/**
 * The two SQL databases the store runs on, behind one small interface: PGlite (PostgreSQL
 * compiled to WebAssembly, in a directory — one process at a time) and a PostgreSQL server
 * through `pg` (any number of processes). Both speak the same SQL, so one set of migrations and
 * one store implementation serve both.
 *
 * @example
 * const sql = await openPostgres("postgres://app@127.0.0.1:5432/billing")
 * const rows = await sql.query<{ n: number }>("SELECT 1 AS n", [])
 */
import { PGlite } from "@electric-sql/pglite"
import pg from "pg"

/** A parameter of a query. @example const p: SqlValue = "cus_1" */
export type SqlValue = string | number | null

/** Something that runs queries: the database, or one of its connections. @example await q.query("SELECT 1", []) */
export interface Queryable {
  readonly query: <R>(text: string, params: ReadonlyArray<SqlValue>) => Promise<{ readonly rows: ReadonlyArray<R>; readonly count: number }>
}

/**
 * A database: queries, transactions, and `exclusive` — a task run while holding an advisory lock
 * `(space, key)` across every process on the database, waiting at most `waitMs` (then `false`).
 *
 * @example const held = await sql.exclusive(1, "cus_1", 5000, async () => { … })
 */
export interface SqlDatabase extends Queryable {
  readonly kind: "pglite" | "postgres"
  readonly transaction: <A>(task: (tx: Queryable) => Promise<A>) => Promise<A>
  /**
   * A transaction holding the advisory transaction lock `(space, 0)` across every process on the
   * database (PostgreSQL: taken in the same round trip as BEGIN); on PGlite, one process's
   * database, a plain transaction.
   */
  readonly lockedTransaction: <A>(space: number, task: (tx: Queryable) => Promise<A>) => Promise<A>
  readonly exclusive: <A>(space: number, key: string, waitMs: number, task: () => Promise<A>) => Promise<{ readonly held: true; readonly value: A } | { readonly held: false }>
  readonly close: () => Promise<void>
}

/**
 * Opens (creating if needed) a PGlite database in `dir`. PGlite is one process's database: the
 * store's directory lock (`openStore`) keeps a second process out. Advisory locks are not needed
 * within one process (the store locks in memory first), so `exclusive` only runs the task.
 *
 * @example const sql = await openPglite("./.attach-planner/db")
 */
export const openPglite = async (dir: string | undefined): Promise<SqlDatabase> => {
  const db = dir === undefined ? await PGlite.create() : await PGlite.create(dir)
  const wrap = (q: { query: <R>(text: string, params?: Array<unknown>) => Promise<{ rows: Array<R>; affectedRows?: number }> }): Queryable => ({
    query: async <R>(text: string, params: ReadonlyArray<SqlValue>) => {
      const r = await q.query<R>(text, [...params])
      return { rows: r.rows, count: r.affectedRows ?? r.rows.length }
    }
  })
  const root = wrap(db)
  return {
    kind: "pglite",
    query: root.query,
    transaction: (task) => db.transaction((tx) => task(wrap(tx))),
    lockedTransaction: (_space, task) => db.transaction((tx) => task(wrap(tx))),
    exclusive: async (_space, _key, _waitMs, task) => ({ held: true, value: await task() }),
    close: () => db.close()
  }
}

const LOCK_NOT_AVAILABLE = "55P03"

/** How long a lock waits for a connection of the lock pool. */
const CONNECTION_WAIT_MS = 60_000

const isLockTimeout = (cause: unknown): boolean =>
  typeof cause === "object" && cause !== null && (cause as { readonly code?: unknown }).code === LOCK_NOT_AVAILABLE

/** A pool or one of its connections, as a {@link Queryable}. */
const queryableOf = (q: pg.Pool | pg.PoolClient): Queryable => ({
  query: async <R>(text: string, params: ReadonlyArray<SqlValue>) => {
    const r = await q.query(text, [...params])
    return { rows: r.rows as Array<R>, count: r.rowCount ?? r.rows.length }
  }
})

/**
 * Runs `task` in a transaction on a connection of `pool`, committed when it succeeds and rolled
 * back when it fails. `begin` is sent as one simple query (no parameters): BEGIN and, for a
 * locked transaction, the lock.
 */
const inTransaction = async <A>(pool: pg.Pool, begin: string, task: (tx: Queryable) => Promise<A>): Promise<A> => {
  const client = await pool.connect()
  try {
    await client.query(begin)
    const value = await task(queryableOf(client))
    await client.query("COMMIT")
    return value
  } catch (cause) {
    await client.query("ROLLBACK").catch(() => {})
    throw cause
  } finally {
    client.release()
  }
}

/**
 * A connection of the lock pool, or `undefined` when none is free within
 * {@link CONNECTION_WAIT_MS} (one that comes later is released at once).
 */
const lockConnection = async (locks: pg.Pool): Promise<pg.PoolClient | undefined> => {
  const connecting = locks.connect()
  const client = await Promise.race([connecting, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CONNECTION_WAIT_MS).unref())])
  if (client === undefined) connecting.then((late) => late.release(), () => {})
  return client
}

/** Takes the advisory lock `(space, key)` on `client`, waiting at most `waitMs`; when it is not taken, the connection is released. */
const takeLock = async (client: pg.PoolClient, space: number, key: string, waitMs: number): Promise<boolean> => {
  const left = Math.max(1, waitMs)
  try {
    // One round trip: the timeout and the lock (the key as an escaped literal).
    await client.query(`SET lock_timeout = ${Math.ceil(left)}; SELECT pg_advisory_lock(${Math.trunc(space)}, hashtext(${client.escapeLiteral(key)}))`)
    return true
  } catch (cause) {
    client.release()
    if (isLockTimeout(cause)) return false
    throw cause
  }
}

/** Runs `task` while `client` holds the lock `(space, key)`, then unlocks and releases the connection. */
const whileLocked = async <A>(client: pg.PoolClient, space: number, key: string, task: () => Promise<A>): Promise<A> => {
  let broken = false
  try {
    return await task()
  } finally {
    await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [space, key]).catch(() => {
      broken = true
    })
    // A connection whose unlock failed may still hold the lock: close it, the server frees it.
    client.release(broken)
  }
}

/** `exclusive` over the lock pool: each lock is held on a connection of its own. */
const exclusiveOn = (locks: pg.Pool): SqlDatabase["exclusive"] => async (space, key, waitMs, task) => {
  // Waiting for a free lock connection is the server's capacity, not the customer's
  // contention: it has a deadline of its own, and the lock's wait starts once connected.
  const client = await lockConnection(locks)
  if (client === undefined) return { held: false }
  if (!(await takeLock(client, space, key, waitMs))) return { held: false }
  return { held: true, value: await whileLocked(client, space, key, task) }
}

/** How {@link openPostgres} sizes and makes its pools. @example const options: PostgresOptions = { poolSize: 4, lockPoolSize: 16 } */
export interface PostgresOptions {
  readonly poolSize?: number
  readonly lockPoolSize?: number
  /**
   * How long a query may wait for a connection, connecting included, before it fails (default a
   * minute, as long as a lock waits for its connection): a host that accepts the connection and
   * never answers, or a pool that stays full, must not hang the store's start or a request.
   */
  readonly connectTimeoutMs?: number
  /** Makes a pool of at most `max` connections to `url`; a test passes one that keeps the pools it made, to see them closed. */
  readonly newPool?: (url: string, max: number) => pg.Pool
}

/**
 * Connects to a PostgreSQL server. Queries share a pool of `poolSize` connections; locks are held
 * on connections of their own (`lockPoolSize`), so a task holding a lock never waits for one of
 * its own queries' connections. A connection that cannot be had within a minute counts as a lock
 * not obtained.
 *
 * @example const sql = await openPostgres(process.env.DATABASE_URL ?? "")
 */
export const openPostgres = async (url: string, options: PostgresOptions = {}): Promise<SqlDatabase> => {
  const connectionTimeoutMillis = options.connectTimeoutMs ?? CONNECTION_WAIT_MS
  const newPool = options.newPool ?? ((connectionString, max) => new pg.Pool({ connectionString, max, connectionTimeoutMillis }))
  const pool = newPool(url, options.poolSize ?? 8)
  const locks = newPool(url, options.lockPoolSize ?? 32)
  // An idle connection the server dropped is replaced on the next checkout; the error is not fatal.
  pool.on("error", () => {})
  locks.on("error", () => {})
  // A server that cannot be reached leaves no pool open behind the rejection.
  await pool.query("SELECT 1").catch(async (e: unknown) => {
    await Promise.all([pool.end(), locks.end()])
    throw e
  })
  const root = queryableOf(pool)
  return {
    kind: "postgres",
    query: root.query,
    transaction: (task) => inTransaction(pool, "BEGIN", task),
    lockedTransaction: (space, task) => inTransaction(pool, `BEGIN; SELECT pg_advisory_xact_lock(${Math.trunc(space)}, 0)`, task),
    exclusive: exclusiveOn(locks),
    close: async () => {
      await Promise.all([pool.end(), locks.end()])
    }
  }
}
