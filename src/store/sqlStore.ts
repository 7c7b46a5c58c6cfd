/**
 * The store on SQL — PGlite or a PostgreSQL server, one implementation over the schema of
 * ./migrations.ts. A customer's lock is held in this process first, then (PostgreSQL) as a
 * session advisory lock, so any number of processes on one database serialise a customer's
 * requests; states are written with compare-and-set on their fingerprint.
 *
 * @example
 * const sql = await openPostgres(url)
 * await migrate(sql)
 * const store = sqlStore(sql, "postgres://127.0.0.1/billing")
 */
import * as Effect from "effect/Effect"
import { CustomerChanged, CustomerExists, type CustomerProfile, type CustomerStoreOps } from "../autumn/CustomerStore.ts"
import type { Customer } from "../Customer.ts"
import { customerFingerprint } from "../internal/working.ts"
import type { AttachPreview } from "../Preview.ts"
import { inSection, makeBoundedLock } from "./locks.ts"
import { busyMessage } from "./memoryStore.ts"
import type { SqlDatabase } from "./Sql.ts"
import { CustomerBusy, type JournalEvent, type SandboxLogEntry, type StoreOps } from "./Store.ts"

/** Advisory lock spaces: customers, the sandbox (migrations use 3). */
const CUSTOMER_LOCK = 1
const SANDBOX_LOCK = 2

// Rows hold JSON the store itself wrote from decoded values, so reading them back is a parse.
const parse = <A>(text: string): A => JSON.parse(text) as A

const customersOn = (sql: SqlDatabase): CustomerStoreOps => ({
  get: (id) =>
    Effect.promise(async () => {
      const r = await sql.query<{ readonly state: string }>("SELECT state FROM customers WHERE id = $1", [id])
      const row = r.rows[0]
      return row === undefined ? undefined : parse<Customer>(row.state)
    }),
  create: (customer, profile) =>
    Effect.flatMap(
      Effect.promise(() =>
        sql.query("INSERT INTO customers (id, state, fingerprint, profile) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING", [
          customer.id, JSON.stringify(customer), customerFingerprint(customer), profile === undefined ? null : JSON.stringify(profile)
        ])),
      (r) => (r.count === 1 ? Effect.succeed(customer) : Effect.fail(new CustomerExists({ customerId: customer.id, message: `Customer ${customer.id} exists` })))
    ),
  put: (customer, options) =>
    Effect.flatMap(
      Effect.promise(() => {
        const state = JSON.stringify(customer)
        const fingerprint = customerFingerprint(customer)
        return options?.ifFingerprint === undefined
          ? sql.query("INSERT INTO customers (id, state, fingerprint) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET state = excluded.state, fingerprint = excluded.fingerprint", [customer.id, state, fingerprint])
          : sql.query("UPDATE customers SET state = $2, fingerprint = $3 WHERE id = $1 AND fingerprint = $4", [customer.id, state, fingerprint, options.ifFingerprint])
      }),
      (r) => (r.count === 1 ? Effect.void : Effect.fail(new CustomerChanged({ customerId: customer.id, message: `Customer ${customer.id} changed since it was read` })))
    ),
  getPending: (id) =>
    Effect.promise(async () => {
      const row = (await sql.query<{ readonly plan: string }>("SELECT plan FROM pending_plans WHERE customer_id = $1", [id])).rows[0]
      return row === undefined ? undefined : parse<AttachPreview>(row.plan)
    }),
  setPending: (id, plan) =>
    Effect.promise(() =>
      plan === undefined
        ? sql.query("WITH j AS (INSERT INTO execution_journal (customer_id, event, plan_based_on) VALUES ($1, 'cleared', NULL)) DELETE FROM pending_plans WHERE customer_id = $1", [id])
        : sql.query(
          "WITH j AS (INSERT INTO execution_journal (customer_id, event, plan_based_on) VALUES ($1, 'pending', $3)) INSERT INTO pending_plans (customer_id, plan) VALUES ($1, $2) ON CONFLICT (customer_id) DO UPDATE SET plan = excluded.plan, since = now()",
          [id, JSON.stringify(plan), plan.basedOn]
        )).pipe(Effect.asVoid),
  getProfile: (id) =>
    Effect.promise(async () => {
      const row = (await sql.query<{ readonly profile: string | null }>("SELECT profile FROM customers WHERE id = $1", [id])).rows[0]
      return row?.profile == null ? undefined : parse<CustomerProfile>(row.profile)
    }),
  putProfile: (id, profile) => Effect.asVoid(Effect.promise(() => sql.query("UPDATE customers SET profile = $2 WHERE id = $1", [id, JSON.stringify(profile)]))),
  list: ({ offset, limit }) =>
    Effect.promise(async () => {
      const page = await sql.query<{ readonly state: string; readonly profile: string | null }>(
        "SELECT state, profile FROM customers ORDER BY seq LIMIT $1 OFFSET $2", [limit, offset])
      const total = await sql.query<{ readonly n: string | number }>("SELECT count(*) AS n FROM customers", [])
      return {
        list: page.rows.map((r) => ({ customer: parse<Customer>(r.state), profile: r.profile === null ? undefined : parse<CustomerProfile>(r.profile) })),
        total: Number(total.rows[0]?.n ?? 0)
      }
    })
})

type LogRow = { readonly seq: string | number; readonly operation: string; readonly args: string }
const entryOf = (r: LogRow): SandboxLogEntry => ({ seq: Number(r.seq), operation: r.operation, args: parse<ReadonlyArray<unknown>>(r.args) })

const sandboxOn = (sql: SqlDatabase): StoreOps["sandbox"] => {
  // One append at a time in this process: a queue here instead of connections waiting on the lock.
  const local = makeBoundedLock()
  const serial = <A>(task: () => Promise<A>): Promise<A> =>
    local("sandbox", 2 ** 31 - 1, task).then((h) => (h.held ? h.value : Promise.reject(new Error("sandbox lock not held"))))
  return {
    append: (applied, task) =>
      Effect.promise(() => serial(() => sql.lockedTransaction(SANDBOX_LOCK, async (tx) => {
        const since = applied()
        // One query for both: the newest snapshot taken since, and the log entries since.
        const rows = (await tx.query<LogRow & { readonly state: string | null }>(
          "SELECT seq, operation, args, NULL::text AS state FROM sandbox_log WHERE seq > $1 UNION ALL (SELECT seq, NULL, NULL, state FROM sandbox_snapshots WHERE seq > $1 ORDER BY seq DESC LIMIT 1)",
          [since])).rows
        const snap = rows.find((r) => r.state !== null)
        const snapshot = snap === undefined ? undefined : { seq: Number(snap.seq), state: parse<unknown>(snap.state ?? "null") }
        const from = snapshot?.seq ?? since
        const missed = rows.filter((r) => r.state === null && Number(r.seq) > from).map(entryOf).sort((a, b) => a.seq - b.seq)
        const { value, entry } = task({ snapshot, entries: missed })
        let seq = missed.at(-1)?.seq ?? snapshot?.seq ?? since
        if (entry !== undefined) {
          const r = await tx.query<{ readonly seq: string | number }>("INSERT INTO sandbox_log (operation, args) VALUES ($1, $2) RETURNING seq", [entry.operation, JSON.stringify(entry.args)])
          seq = Number(r.rows[0]?.seq ?? seq)
        }
        return { value, seq }
      }))),
    snapshot: (seq, state) =>
      Effect.promise(() => serial(() => sql.lockedTransaction(SANDBOX_LOCK, async (tx) => {
        await tx.query("INSERT INTO sandbox_snapshots (seq, state) VALUES ($1, $2) ON CONFLICT (seq) DO NOTHING", [seq, JSON.stringify(state)])
        await tx.query("DELETE FROM sandbox_snapshots WHERE seq < $1", [seq])
        await tx.query("DELETE FROM sandbox_log WHERE seq <= $1", [seq])
      })))
  }
}

/**
 * The store over a migrated SQL database; `location` is shown at start-up.
 *
 * @example const store = sqlStore(await openPglite("./.attach-planner/db"), "./.attach-planner")
 */
export const sqlStore = (sql: SqlDatabase, location: string): StoreOps => {
  const lock = makeBoundedLock()
  return {
    kind: sql.kind,
    location,
    customers: customersOn(sql),
    withCustomer: (customerId, waitMs, task) => {
      const started = Date.now()
      return inSection(
        // The wait covers both locks: this process's queue, then the database's advisory lock.
        (t) => lock(customerId, waitMs, () => sql.exclusive(CUSTOMER_LOCK, customerId, Math.max(1, waitMs - (Date.now() - started)), t)).then((outer) =>
          outer.held ? outer.value : outer),
        task,
        () => new CustomerBusy({ customerId, message: busyMessage(customerId, waitMs) })
      )
    },
    getIdempotency: (scope, key, now) =>
      Effect.promise(async () => {
        const row = (await sql.query<{ readonly request_hash: string; readonly status: number | null; readonly response: string | null; readonly expires_ms: string | number; readonly execution: string | null }>(
          "SELECT request_hash, status, response, (extract(epoch FROM expires_at) * 1000)::float8 AS expires_ms, execution FROM idempotency_records WHERE scope = $1 AND key = $2",
          [scope, key]
        )).rows[0]
        if (row === undefined || Number(row.expires_ms) <= now) return undefined
        return {
          requestHash: row.request_hash, expiresAt: Number(row.expires_ms),
          response: row.status === null || row.response === null ? undefined : { status: row.status, body: parse<unknown>(row.response) },
          ...(row.execution === null ? {} : { execution: parse<unknown>(row.execution) })
        }
      }),
    putIdempotency: (scope, key, record) =>
      Effect.asVoid(Effect.promise(() => sql.query(
        "INSERT INTO idempotency_records (scope, key, request_hash, status, response, expires_at, execution) VALUES ($1, $2, $3, $4, $5, to_timestamp($6::float8 / 1000), $7) ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status, response = excluded.response, expires_at = excluded.expires_at, execution = excluded.execution",
        [scope, key, record.requestHash, record.response?.status ?? null, record.response === undefined ? null : JSON.stringify(record.response.body), record.expiresAt,
          record.execution === undefined ? null : JSON.stringify(record.execution)]
      ))),
    deleteIdempotency: (scope, key) => Effect.asVoid(Effect.promise(() => sql.query("DELETE FROM idempotency_records WHERE scope = $1 AND key = $2", [scope, key]))),
    pruneIdempotency: (now) =>
      Effect.map(Effect.promise(() => sql.query("DELETE FROM idempotency_records WHERE expires_at <= to_timestamp($1::float8 / 1000)", [now])), (r) => r.count),
    readJournal: (customerId) =>
      Effect.map(
        Effect.promise(() => sql.query<{ readonly event: JournalEvent["event"]; readonly plan_based_on: string | null }>(
          "SELECT event, plan_based_on FROM execution_journal WHERE customer_id = $1 ORDER BY seq", [customerId])),
        (r) => r.rows.map((row) => ({ event: row.event, planBasedOn: row.plan_based_on }))
      ),
    sandbox: sandboxOn(sql),
    close: Effect.promise(() => sql.close())
  }
}
