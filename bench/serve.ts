/**
 * The server's speed (issue #13 point 6), with real `serve` processes on 127.0.0.1 and a load
 * generator in this process (50 concurrent clients, Node's fetch):
 *
 * - `preview_attach` requests/s and latency p50/p99 (one server, PGlite store);
 * - `attach` requests/s — each a new customer with the sandbox's test card, charged $20.00 — on
 *   PGlite, and on a PostgreSQL 15 server (a throwaway cluster, `test/support/postgres.ts`) with
 *   one and with two server processes; the rate of the first and last quarter of the run shows
 *   whether it stays flat, and the servers' RSS at the end whether memory does.
 *
 * The client shares the machine's two cores with the servers (and PostgreSQL), so the figures
 * are lower bounds of what the server alone would do.
 *
 * @example
 * npm run bench -- --only=serve
 * npm run bench -- --only=serve --quick
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { AUTUMN_TEST_CATALOG } from "../test/support/autumnCatalog.ts"
import { startPostgres } from "../test/support/postgres.ts"

const KEY = "am_sk_bench"
const root = fileURLToPath(new URL("../", import.meta.url))

/** One measured load. */
export interface LoadResult {
  readonly label: string
  readonly requests: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Requests/s over the first and the last quarter of the run. */
  readonly firstQuarterPerSecond: number
  readonly lastQuarterPerSecond: number
  readonly failures: number
  /** Peak RSS of each server process at the end (MiB). */
  readonly serverRssMiB: ReadonlyArray<number>
}

/** The section's result: the rows, or why the PostgreSQL rows were skipped. */
export interface ServeBenchResult {
  readonly rows: ReadonlyArray<LoadResult>
  readonly skipped: string | undefined
}

interface Server {
  readonly url: string
  readonly child: ChildProcessWithoutNullStreams
}

const serve = async (catalog: string, store: string): Promise<Server> => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--catalog", catalog, "--port", "0", "--key", KEY, "--store", store], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })
  child.stderr.resume()
  const [chunk] = (await once(child.stdout, "data")) as [Buffer]
  const url = chunk.toString().trim()
  if (!url.startsWith("http://")) throw new Error(`serve did not start: ${url}`)
  return { url, child }
}

const rssMiB = (pid: number | undefined): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmHWM:")) ?? ""
    return Math.round(Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024)
  } catch {
    return 0
  }
}

const stop = async (s: Server): Promise<void> => {
  if (s.child.exitCode !== null) return
  const exited = once(s.child, "exit")
  s.child.kill("SIGTERM")
  await exited
}

const quantile = (sorted: ReadonlyArray<number>, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

/** Sends `total` requests from `clients` concurrent clients, round robin over `urls`. */
const load = async (label: string, servers: ReadonlyArray<Server>, path: string, total: number, body: (i: number) => unknown, clients = 50): Promise<LoadResult> => {
  const latencies: Array<number> = new Array<number>(total)
  const doneAt: Array<number> = new Array<number>(total)
  let next = 0
  let failures = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < total) {
      const i = next++
      const url = (servers[i % servers.length] as Server).url
      const t = performance.now()
      try {
        const r = await fetch(`${url}${path}`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify(body(i)) })
        await r.arrayBuffer()
        if (r.status !== 200) failures++
      } catch {
        failures++
      }
      const end = performance.now()
      latencies[i] = end - t
      doneAt[i] = end - started
    }
  }))
  const seconds = (performance.now() - started) / 1000
  const sorted = [...latencies].sort((a, b) => a - b)
  const order = [...doneAt].sort((a, b) => a - b)
  const quarter = Math.floor(total / 4)
  const rate = (from: number, to: number) => (to - from) / (((order[to - 1] ?? 0) - (order[from] ?? 0)) / 1000 || 1)
  return {
    label, requests: total, perSecond: total / seconds, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99),
    firstQuarterPerSecond: rate(0, quarter), lastQuarterPerSecond: rate(total - quarter, total), failures,
    serverRssMiB: servers.map((s) => rssMiB(s.child.pid))
  }
}

const attachBody = (prefix: string) => (i: number) => ({ customer_id: `${prefix}_${i}`, plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } })

/**
 * Runs the section.
 *
 * @example const result = await runServeBench({ quick: true })
 */
export const runServeBench = async (options: { readonly quick: boolean }): Promise<ServeBenchResult> => {
  const dir = mkdtempSync(join(tmpdir(), "attach-planner-bench-serve-"))
  const catalog = join(dir, "catalog.json")
  writeFileSync(catalog, JSON.stringify(AUTUMN_TEST_CATALOG))
  const previews = options.quick ? 2_000 : 10_000
  const attaches = options.quick ? 400 : 2_000
  const rows: Array<LoadResult> = []
  let skipped: string | undefined
  try {
    const lite = await serve(catalog, join(dir, "pglite"))
    try {
      // Warm-up, then the measured runs.
      await load("warm-up", [lite], "/v1/billing.preview_attach", 500, () => ({ customer_id: "cus_preview", plan_id: "pro" }))
      rows.push(await load("preview_attach, PGlite, 1 process", [lite], "/v1/billing.preview_attach", previews, (i) => ({ customer_id: `cus_preview_${i % 100}`, plan_id: i % 2 === 0 ? "pro" : "premium" })))
      rows.push(await load("attach, PGlite, 1 process", [lite], "/v1/billing.attach", attaches, attachBody("cus_lite")))
    } finally {
      await stop(lite)
    }
    const pg = await startPostgres()
    if (typeof pg === "string") skipped = pg
    else {
      try {
        for (const processes of [1, 2]) {
          const url = pg.database(`bench_${processes}_${Date.now()}`)
          const servers: Array<Server> = []
          for (let i = 0; i < processes; i++) servers.push(await serve(catalog, url))
          try {
            await load("warm-up", servers, "/v1/billing.attach", 100, attachBody(`cus_warm${processes}`))
            rows.push(await load(`attach, PostgreSQL, ${processes} process${processes === 1 ? "" : "es"}`, servers, "/v1/billing.attach", attaches, attachBody(`cus_pg${processes}`)))
            if (processes === 1) rows.push(await load("preview_attach, PostgreSQL, 1 process", servers, "/v1/billing.preview_attach", previews, (i) => ({ customer_id: `cus_pg1_${i % 100}`, plan_id: "premium" })))
          } finally {
            await Promise.all(servers.map(stop))
          }
        }
      } finally {
        pg.stop()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { rows, skipped }
}
