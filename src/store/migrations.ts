/**
 * The store's schema, as numbered SQL migrations run at start-up on PGlite and on PostgreSQL
 * alike. A migration runs once per database (recorded in `attach_planner_migrations`), inside a
 * transaction holding an advisory lock, so servers starting together apply it once. Migrations
 * are only ever appended: a released one is never edited (docs/operations.md, "Migrate").
 *
 * @example
 * import * as Store from "attach-planner/store"
 * Store.MIGRATIONS.map((m) => m.version) // [1, 2, 3]
 */
import type { SqlDatabase } from "./Sql.ts"

/** A numbered schema change. @example const m: Migration = { version: 1, name: "initial", sql: "CREATE TABLE …" } */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Every migration, oldest first. @example MIGRATIONS[0]?.name // "initial" */
export const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "initial",
    // States are stored as the JSON text the library wrote (jsonb would reorder keys, and the
    // fingerprint compare-and-set compares against the text's own fingerprint column anyway).
    sql: `
      CREATE TABLE customers (
        id text PRIMARY KEY,
        seq bigserial UNIQUE,
        state text NOT NULL,
        fingerprint text NOT NULL,
        profile text
      );
      CREATE TABLE pending_plans (
        customer_id text PRIMARY KEY,
        plan text NOT NULL,
        since timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE execution_journal (
        seq bigserial PRIMARY KEY,
        customer_id text NOT NULL,
        event text NOT NULL,
        plan_based_on text,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX execution_journal_customer ON execution_journal (customer_id, seq);
      CREATE TABLE idempotency_records (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status integer,
        response text,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);
      CREATE TABLE sandbox_log (
        seq bigserial PRIMARY KEY,
        operation text NOT NULL,
        args text NOT NULL
      );
      CREATE TABLE sandbox_snapshots (
        seq bigint PRIMARY KEY,
        state text NOT NULL
      );
    `
  },
  {
    version: 2,
    name: "idempotency execution",
    // The plan a keyed request executes, journaled under its key until it answers.
    sql: "ALTER TABLE idempotency_records ADD COLUMN execution text;"
  },
  {
    version: 3,
    name: "sandbox by customer",
    // The sandbox's state one customer's part per row (a server keeps none of it in memory):
    // the objects that lead to a customer, the id counter, and its idempotency records by key,
    // expiring as the store's do. The log and snapshots of migration 1 are converted at start-up.
    sql: `
      CREATE TABLE sandbox_customers (
        customer_id text PRIMARY KEY,
        seq bigserial UNIQUE,
        state text NOT NULL
      );
      CREATE TABLE sandbox_objects (
        id text PRIMARY KEY,
        customer_id text NOT NULL
      );
      CREATE TABLE sandbox_counter (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        next_id bigint NOT NULL
      );
      INSERT INTO sandbox_counter (next_id) VALUES (1);
      CREATE TABLE sandbox_idempotency (
        key text PRIMARY KEY,
        seq bigserial UNIQUE,
        record text NOT NULL,
        expires_ms bigint NOT NULL
      );
      CREATE INDEX sandbox_idempotency_expiry ON sandbox_idempotency (expires_ms);
    `
  }
]

/** The advisory lock space of migrations (customers and the sandbox use others). */
const MIGRATION_LOCK = 3

/**
 * Applies the migrations the database has not seen; resolves with the versions applied now.
 *
 * @example const applied = await migrate(sql) // [1] on a new database, [] after
 */
export const migrate = (sql: SqlDatabase, migrations: ReadonlyArray<Migration> = MIGRATIONS): Promise<ReadonlyArray<number>> =>
  sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1, 0)", [MIGRATION_LOCK])
    await tx.query("CREATE TABLE IF NOT EXISTS attach_planner_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", [])
    const seen = new Set((await tx.query<{ readonly version: number }>("SELECT version FROM attach_planner_migrations", [])).rows.map((r) => r.version))
    const applied: Array<number> = []
    for (const m of migrations) {
      if (seen.has(m.version)) continue
      for (const statement of m.sql.split(";").map((s) => s.trim()).filter((s) => s !== "")) await tx.query(statement, [])
      await tx.query("INSERT INTO attach_planner_migrations (version, name) VALUES ($1, $2)", [m.version, m.name])
      applied.push(m.version)
    }
    return applied
  })
