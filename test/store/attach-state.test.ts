/**
 * `attach --state PATH` with several runs at once on one PATH — processes, and runs within this
 * process, which take the same lock files (issue #13): none loses another's update and the state
 * stays readable — a JSON state file (written under `PATH.lock`, to a
 * temporary file of each run's own, fsync, rename) and a store directory (PGlite, its lock).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { runAttach } from "../../src/cli/attach.ts"
import { openStore } from "../../src/store/open.ts"
import { runCli } from "../support/runCli.ts"

const dir = mkdtempSync(join(tmpdir(), "attach-planner-state-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const newCustomer = JSON.parse(readFileSync(new URL("../../examples/new.json", import.meta.url), "utf8")) as { customer: { id: string }; request: { customerId: string } }
const documentFor = (id: string): string => {
  const file = join(dir, `${id}.json`)
  writeFileSync(file, JSON.stringify({ ...newCustomer, customer: { ...newCustomer.customer, id }, request: { ...newCustomer.request, customerId: id } }))
  return file
}

/** `n` runs at once in this process (the same locks as across processes: a lock file each). */
const inProcess = (state: string, n: number, prefix: string) =>
  Promise.all(Array.from({ length: n }, (_, i) => runAttach([documentFor(`${prefix}_${i}`), "--state", state], async () => {})))

/** `processes` processes, each running `runs` attaches one after another, all on `state`. */
const race = (state: string, processes: number, runs: number, prefix: string) =>
  Promise.all(Array.from({ length: processes }, async (_, p) => {
    const codes: Array<number | null> = []
    for (let r = 0; r < runs; r++) codes.push((await runCli(["attach", documentFor(`${prefix}_${p}_${r}`), "--state", state])).code)
    return codes
  }))

describe("several attach processes on one PATH", () => {
  it("a JSON state file keeps every run's customer and charge, and stays valid JSON", async () => {
    const state = join(dir, "state.json")
    const [processes, runs] = await Promise.all([race(state, 2, 1, "cus_file"), inProcess(state, 6, "cus_inproc")])
    expect([...processes.flat(), ...runs]).toEqual(new Array(8).fill(0))
    const saved = JSON.parse(readFileSync(state, "utf8")) as { customers: Record<string, unknown>; provider: { charges: ReadonlyArray<{ customerId: string; amount: number }> } }
    const expected = ["cus_file_0_0", "cus_file_1_0", ...Array.from({ length: 6 }, (_, i) => `cus_inproc_${i}`)]
    expect(Object.keys(saved.customers).sort()).toEqual(expected.sort())
    expect(saved.provider.charges.map((c) => c.amount)).toEqual(new Array(8).fill(2000))
  }, 240_000)

  it("a store directory keeps every run's customer and charge", async () => {
    const state = join(dir, "store")
    expect(await inProcess(state, 3, "cus_store")).toEqual([0, 0, 0])
    const store = await openStore(state)
    if (typeof store === "string") throw new Error(store)
    for (const id of ["cus_store_0", "cus_store_1", "cus_store_2"]) {
      expect((await Effect.runPromise(store.customers.get(id)))?.subscriptions?.map((s) => s.planId)).toEqual(["pro"])
    }
    await Effect.runPromise(store.close)
  }, 240_000)
})
