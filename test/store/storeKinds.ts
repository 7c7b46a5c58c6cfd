/**
 * The stores each per-kind suite of the store port runs against (store.test.ts,
 * store-sandbox.test.ts): the in-memory store, PGlite in a temporary directory, and a real
 * PostgreSQL 15 server started for the test file (skipped, with the reason printed, where no
 * PostgreSQL binaries exist); one store per kind, opened before its tests and closed after them.
 *
 * @example
 * const { kinds } = storeKinds()
 * describe.each(kinds)("the store on %s", (_name, make) => {
 *   const { s, skipped } = openedPerKind(make)
 *   it("…", async () => { if (skipped()) return; await run(s().customers.get("cus_1")) })
 * })
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { afterAll, beforeAll } from "vitest"
import { memoryStore } from "../../src/store/memoryStore.ts"
import { openStore } from "../../src/store/open.ts"
import type { StoreOps } from "../../src/store/Store.ts"
import { startPostgres, type TestPostgres } from "../support/postgres.ts"

/**
 * Runs an effect to a Promise.
 *
 * @example
 * await run(store.customers.get("cus_ada"))
 */
export const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)

/**
 * Runs an effect to its result, with the failure (if any) beside it.
 *
 * @example
 * (await result(c.create(ada))).failure?._tag // "CustomerExists"
 */
export const result = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(Effect.result(e)).then((r) => ({ result: r, failure: Result.isFailure(r) ? r.failure : undefined }))

/**
 * Opens the store at a location (a directory or a PostgreSQL URL); the test fails if it cannot.
 *
 * @example
 * const store = await opened(tempDir())
 */
export const opened = async (location: string): Promise<StoreOps> => {
  const s = await openStore(location)
  if (typeof s === "string") throw new Error(s)
  return s
}

/** The kinds of store of one test file, and what they are made in. */
export interface StoreKinds {
  /** By name, how to open a store of that kind (undefined where it cannot be opened). */
  readonly kinds: ReadonlyArray<readonly [string, () => Promise<StoreOps | undefined>]>
  /** A fresh temporary directory, deleted after the file's tests. */
  readonly tempDir: () => string
  /** The file's PostgreSQL server, or why there is none. */
  readonly postgres: () => TestPostgres | string
}

/**
 * Starts the file's PostgreSQL server before its tests and stops it (and deletes the temporary
 * directories) after them; call it once, at the top of a test file.
 *
 * @example
 * const { kinds, tempDir, postgres } = storeKinds()
 */
export const storeKinds = (): StoreKinds => {
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

  const kinds: StoreKinds["kinds"] = [
    ["memory", async () => memoryStore()],
    ["PGlite", () => opened(tempDir())],
    ["PostgreSQL", async () => (typeof pg === "string" ? undefined : opened(pg.database(`suite_${Date.now()}`)))]
  ]
  return { kinds, tempDir, postgres: () => pg }
}

/** The store of one kind, in the tests of its group. */
export interface KindStore {
  readonly s: () => StoreOps
  readonly skipped: () => boolean
}

/**
 * The store of one kind, opened before its tests and closed after them; skipped where it cannot be opened.
 *
 * @example
 * const store = openedPerKind(make)
 * describe("customers", () => customerTests(store))
 */
export const openedPerKind = (make: () => Promise<StoreOps | undefined>): KindStore => {
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
