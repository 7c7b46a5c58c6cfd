/**
 * The store port (issue #13; docs/operations.md): durable customers, pending plans and their
 * journal, idempotency records and the sandbox provider's state, in memory, in PGlite or on a
 * PostgreSQL server.
 *
 * @example
 * import * as Store from "attach-planner/store"
 * const store = await Store.openStore("./.attach-planner")
 */
export { CustomerBusy, IDEMPOTENCY_TTL_MS, type IdempotencyRecord, type JournalEvent, type SandboxRead, type SandboxRecord, type SandboxRef, type SandboxTables, type SandboxWrite, Store, type StoreOps } from "./Store.ts"
export { memoryStore } from "./memoryStore.ts"
export { sqlStore } from "./sqlStore.ts"
export { DEFAULT_STORE, isPostgresUrl, openStore, redactUrl } from "./open.ts"
export { migrate, MIGRATIONS, type Migration } from "./migrations.ts"
export { openPglite, openPostgres, type Queryable, type SqlDatabase, type SqlValue } from "./Sql.ts"
export { durableSandbox, type DurableSandbox } from "./durableSandbox.ts"
