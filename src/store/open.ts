/**
 * Opens the store a location names: `memory`, a PostgreSQL URL (`postgres://…`), or a directory
 * holding an embedded PGlite database (created when missing). The schema's migrations run first.
 * A directory is one process's at a time: its lock file names the process holding it; another
 * process waits for it (at most `waitMs`), a lock left by a process that died is taken over.
 *
 * @example
 * const store = await openStore(process.env.DATABASE_URL ?? "./.attach-planner")
 * console.log(store.kind, store.location)
 */
import { mkdir, open, readFile, rm } from "node:fs/promises"
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { cachedCustomers } from "./cache.ts"
import { memoryStore } from "./memoryStore.ts"
import { migrate } from "./migrations.ts"
import { openPglite, openPostgres } from "./Sql.ts"
import { sqlStore } from "./sqlStore.ts"
import type { StoreOps } from "./Store.ts"

/** The default store directory of `serve` and `attach`. @example DEFAULT_STORE // "./.attach-planner" */
export const DEFAULT_STORE = "./.attach-planner"

/**
 * Whether a location is a PostgreSQL URL.
 *
 * @example isPostgresUrl("postgres://127.0.0.1/db") // true
 */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location)

/**
 * A URL with its password hidden, for logs.
 *
 * @example redactUrl("postgres://app:secret@db/billing") // "postgres://app:***@db/billing"
 */
export const redactUrl = (url: string): string => url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/i, "$1:***@")

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return (cause as { readonly code?: unknown }).code === "EPERM"
  }
}

/**
 * Takes the lock file `path` (an exclusive create holding this process's id), waiting at most
 * `waitMs` for another live process to release it; a lock left by a process that died is taken
 * over. Resolves with its release, or why it could not be had.
 *
 * @example const release = await lockFile("state.json.lock", 30_000); if (typeof release !== "string") await release()
 */
export const lockFile = async (path: string, waitMs: number): Promise<(() => Promise<void>) | string> => {
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      const handle = await open(path, "wx")
      await handle.writeFile(`${process.pid}\n`)
      await handle.sync()
      await handle.close()
      return () => rm(path, { force: true })
    } catch (cause) {
      if ((cause as { readonly code?: unknown }).code !== "EEXIST") throw cause
    }
    const holder = Number((await readFile(path, "utf8").catch(() => "")).trim())
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      await rm(path, { force: true })
      continue
    }
    if (Date.now() >= deadline) return `${path} is held by process ${holder}`
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * Opens a store; a string is why it could not be opened.
 *
 * @example const store = await openStore("memory")
 */
export const openStore = async (location: string, options: { readonly waitMs?: number } = {}): Promise<StoreOps | string> => {
  if (location === "memory") return memoryStore()
  try {
    if (isPostgresUrl(location)) {
      const sql = await openPostgres(location)
      await migrate(sql)
      return sqlStore(sql, redactUrl(location))
    }
    const dir = resolve(location)
    await mkdir(dir, { recursive: true })
    const release = await lockFile(join(dir, "lock"), options.waitMs ?? 0)
    if (typeof release === "string") return `the store ${dir} is in use: ${release} (one process per directory; use PostgreSQL for several)`
    try {
      const sql = await openPglite(join(dir, "pgdata"))
      await migrate(sql)
      const store = sqlStore(sql, dir)
      // This process is the directory's only writer (its lock): reads may come from memory.
      return { ...store, customers: cachedCustomers(store.customers), close: Effect.andThen(store.close, Effect.promise(release)) }
    } catch (cause) {
      await release()
      throw cause
    }
  } catch (cause) {
    return `cannot open the store ${isPostgresUrl(location) ? redactUrl(location) : location}: ${cause instanceof Error ? cause.message : String(cause)}`
  }
}
