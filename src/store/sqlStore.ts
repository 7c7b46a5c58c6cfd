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
import { customerFingerprint } from "../internal/fingerprint.ts"
import type { AttachPreview } from "../Preview.ts"
import { inSection, makeBoundedLock } from "./locks.ts"
import { busyMessage } from "./memoryStore.ts"
import type { Queryable, SqlDatabase } from "./Sql.ts"
import { CustomerBusy, type JournalEvent, type SandboxRecord, type SandboxTables, type SandboxWrite, type StoreOps } from "./Store.ts"

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

type ReadRow = { readonly kind: "c" | "n" | "r"; readonly k: string | null; readonly v: string; readonly e: string | number | null }

// One query for what an operation reads: the customer's part (by id, or by one of their
// objects), the id counter, and the live records of its keys.
const READ = `SELECT 'c' AS kind, s.customer_id AS k, s.state AS v, NULL::bigint AS e FROM sandbox_customers s
  WHERE s.customer_id = COALESCE($1::text, (SELECT o.customer_id FROM sandbox_objects o WHERE o.id = $2::text))
  UNION ALL SELECT 'n', NULL, next_id::text, NULL FROM sandbox_counter
  UNION ALL SELECT 'r', key, record, expires_ms FROM sandbox_idempotency WHERE key IN ($3::text, $4::text) AND expires_ms > $5::bigint`

// One statement for what it writes (JSON arrays for the lists; both databases have the functions).
const WRITE = `WITH c AS (INSERT INTO sandbox_customers (customer_id, state) SELECT $1::text, $2::text WHERE $1::text IS NOT NULL
    ON CONFLICT (customer_id) DO UPDATE SET state = excluded.state),
  o AS (INSERT INTO sandbox_objects (id, customer_id) SELECT x, $1::text FROM json_array_elements_text($3::json) AS x WHERE $1::text IS NOT NULL
    ON CONFLICT (id) DO NOTHING),
  d AS (DELETE FROM sandbox_idempotency WHERE key IN (SELECT json_array_elements_text($4::json))),
  p AS (INSERT INTO sandbox_idempotency (key, record, expires_ms) SELECT r.key, r.record, r.expires_ms FROM json_to_recordset($5::json) AS r(key text, record text, expires_ms bigint)
    ON CONFLICT (key) DO UPDATE SET record = excluded.record, expires_ms = excluded.expires_ms)
  UPDATE sandbox_counter SET next_id = $6::bigint`

const writeSandbox = (tx: Queryable, w: SandboxWrite): Promise<unknown> =>
  tx.query(WRITE, [
    w.customer?.id ?? null, w.customer?.slice ?? null, JSON.stringify(w.objects), JSON.stringify(w.remove),
    JSON.stringify(w.put.map((r) => ({ key: r.key, record: r.record, expires_ms: r.expiresAt }))), w.nextId
  ])

const recordOf = (r: { readonly k: string | null; readonly v: string; readonly e: string | number | null }): SandboxRecord =>
  ({ key: r.k ?? "", record: r.v, expiresAt: Number(r.e) })

const sandboxOn = (sql: SqlDatabase): SandboxTables => {
  // One operation at a time in this process: a queue here instead of connections waiting on the lock.
  const local = makeBoundedLock()
  const serial = <A>(task: () => Promise<A>): Promise<A> =>
    local("sandbox", 2 ** 31 - 1, task).then((h) => (h.held ? h.value : Promise.reject(new Error("sandbox lock not held"))))
  return {
    transact: (ref, keys, now, task) =>
      Effect.promise(() => serial(() => sql.lockedTransaction(SANDBOX_LOCK, async (tx) => {
        const byId = "customerId" in ref ? ref.customerId : null
        const rows = (await tx.query<ReadRow>(READ, [byId, "objectId" in ref ? ref.objectId : null, keys[0] ?? null, keys[1] ?? null, now])).rows
        const slice = rows.find((r) => r.kind === "c")
        const { value, write } = task({
          customerId: byId ?? slice?.k ?? undefined, slice: slice?.v, nextId: Number(rows.find((r) => r.kind === "n")?.v ?? 1),
          records: rows.filter((r) => r.kind === "r").map(recordOf)
        })
        if (write !== undefined) await writeSandbox(tx, write)
        return value
      }))),
    all: (now) =>
      Effect.promise(() => serial(() => sql.lockedTransaction(SANDBOX_LOCK, async (tx) => {
        const slices = (await tx.query<{ readonly state: string }>("SELECT state FROM sandbox_customers ORDER BY seq", [])).rows.map((r) => r.state)
        const counter = (await tx.query<{ readonly n: string | number }>("SELECT next_id AS n FROM sandbox_counter", [])).rows[0]?.n ?? 1
        const records = (await tx.query<{ readonly k: string; readonly v: string; readonly e: string | number }>(
          "SELECT key AS k, record AS v, expires_ms AS e FROM sandbox_idempotency WHERE expires_ms > $1::bigint ORDER BY seq", [now])).rows.map(recordOf)
        return { slices, nextId: Number(counter), records }
      }))),
    legacy: (convert) =>
      Effect.promise(() => serial(() => sql.lockedTransaction(SANDBOX_LOCK, async (tx) => {
        const snap = (await tx.query<{ readonly state: string }>("SELECT state FROM sandbox_snapshots ORDER BY seq DESC LIMIT 1", [])).rows[0]
        const since = (await tx.query<{ readonly seq: string | number }>("SELECT coalesce(max(seq), 0) AS seq FROM sandbox_snapshots", [])).rows[0]?.seq ?? 0
        const entries = (await tx.query<{ readonly operation: string; readonly args: string }>(
          "SELECT operation, args FROM sandbox_log WHERE seq > $1 ORDER BY seq", [Number(since)])).rows
        if (snap === undefined && entries.length === 0) return 0
        const writes = convert({ snapshot: snap === undefined ? undefined : parse<unknown>(snap.state), entries: entries.map((e) => ({ operation: e.operation, args: parse<ReadonlyArray<unknown>>(e.args) })) })
        for (const w of writes) await writeSandbox(tx, w)
        await tx.query("DELETE FROM sandbox_log", [])
        await tx.query("DELETE FROM sandbox_snapshots", [])
        return writes.length
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
      Effect.promise(async () => {
        await sql.query("DELETE FROM sandbox_idempotency WHERE expires_ms <= $1::bigint", [now])
        return (await sql.query("DELETE FROM idempotency_records WHERE expires_at <= to_timestamp($1::float8 / 1000)", [now])).count
      }),
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
