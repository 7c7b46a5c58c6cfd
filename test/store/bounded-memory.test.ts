/**
 * What a server process keeps per customer on a SQL store (issue #13): nothing but a bounded
 * cache. Attaches of many new customers on PGlite with a small customer cache leave the cache at
 * its capacity, the sandbox's call log at its bound, and the heap where it was — the customers'
 * sandbox state (subscriptions, invoices, charges, idempotency records) is in the store.
 */
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { makeAutumnHandler } from "../../src/autumn/Handler.ts"
import { sandboxCustomers } from "../../src/autumn/SandboxCustomers.ts"
import { cachedCustomers } from "../../src/store/cache.ts"
import { durableSandbox } from "../../src/store/durableSandbox.ts"
import { migrate } from "../../src/store/migrations.ts"
import { openPglite } from "../../src/store/Sql.ts"
import { sqlStore } from "../../src/store/sqlStore.ts"
import { autumnTestCatalog } from "../support/autumnCatalog.ts"

const KEY = "am_sk_bounded"

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

/** The heap after collecting garbage, in bytes. */
const heapAfterGc = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((r) => setImmediate(r))
  }
  return process.memoryUsage().heapUsed
}

describe("a server process on a SQL store", () => {
  it("keeps at most its cache of customers: the heap does not grow with new customers' attaches", async () => {
    const sql = await openPglite(undefined)
    await migrate(sql)
    const store = sqlStore(sql, "memory://pglite")
    const customers = cachedCustomers(store.customers, 50)
    const sandbox = await durableSandbox(store.sandbox)
    const handler = Result.getOrThrow(makeAutumnHandler({
      catalog: autumnTestCatalog(), keys: [KEY], customers, store, provider: sandbox.port, ...sandboxCustomers(sandbox)
    }))
    let n = 0
    const attaches = async (count: number) => {
      for (let i = 0; i < count; i += 10) {
        const batch = Array.from({ length: 10 }, async () => {
          const id = `cus_bounded_${n++}`
          const r = await handler(new Request("http://x/v1/billing.attach", {
            method: "POST", headers: { authorization: `Bearer ${KEY}`, "idempotency-key": `order-${id}` },
            body: JSON.stringify({ customer_id: id, plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } })
          }))
          expect(r.status).toBe(200)
          await r.text()
        })
        await Promise.all(batch)
      }
    }
    try {
      await attaches(300)
      const warm = await heapAfterGc()
      await attaches(600)
      const grown = await heapAfterGc() - warm
      expect(customers.cacheSizes().states).toBeLessThanOrEqual(50)
      expect(customers.cacheSizes().pending).toBeLessThanOrEqual(50)
      // Every charge is in the store, none in the process.
      const state = await Effect.runPromise(sandbox.state)
      expect(state.charges.length).toBe(900)
      expect(state.log.length).toBeLessThanOrEqual(2_000)
      console.log(`heap growth over 600 attaches: ${Math.round(grown / 1024)} KiB (${Math.round(grown / 600)} B per attach)`)
      // Keeping every customer's sandbox state in the process cost 4.7 KiB of heap per attach here (16 KiB of RSS in serve); 1.1 KiB now (the call log filling up, compiled code).
      expect(grown / 600).toBeLessThan(3_072)
    } finally {
      await sql.close()
    }
  }, 300_000)
})
