/**
 * The sandbox's state kept in the store (issue #13), run against the in-memory store, PGlite in a
 * temporary directory, and a real PostgreSQL 15 server started for the test (skipped, with the
 * reason printed, where no PostgreSQL binaries exist); and a store written before migration 3
 * converted at start-up. The rest of the store port: store.test.ts.
 */
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { durableSandbox } from "../../src/store/durableSandbox.ts"
import { migrate } from "../../src/store/migrations.ts"
import { sqlStore } from "../../src/store/sqlStore.ts"
import { type KindStore, openedPerKind, result, run, storeKinds } from "./storeKinds.ts"

const { kinds, tempDir } = storeKinds()

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
  describe("the sandbox's state", () => sandboxStateTests(store))
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
