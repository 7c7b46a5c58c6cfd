/**
 * The server's speed (issue #13), with real `serve` processes on 127.0.0.1 and a load generator
 * in this process (50 concurrent clients on `node:http` with a keep-alive agent):
 *
 * - the client's own ceiling, against a server that answers `{}` at once;
 * - `preview_attach` requests/s and latency p50/p99 for 100 customers who hold a plan — on the
 *   memory store, PGlite, and PostgreSQL with one and two server processes;
 * - `attach` requests/s — each a new customer with the sandbox's test card, charged $20.00 — on
 *   PGlite, and on a PostgreSQL 15 server (a throwaway cluster, `test/support/postgres.ts`) with
 *   one and with two server processes; the rate of the first and last quarter of the run shows
 *   whether it stays flat, the servers' RSS after the first quarter and at the end whether
 *   memory does, and the CPU time per request what a request costs.
 *
 * The client shares the machine's cores with the servers (and PostgreSQL), so the figures are
 * lower bounds of what the server alone would do. Environment: `SERVE_BENCH_ONLY` (a list of
 * ceiling, memory, pglite, pg1, pg2), `SERVE_BENCH_PREVIEWS`, `SERVE_BENCH_ATTACHES` (requests
 * per row), `SERVE_MAIN` (another build of the CLI, e.g. `dist/cli/main.js`), `SERVE_NODE_ARGS`
 * (node flags for the servers, e.g. `--cpu-prof`). Each row also records its rate, the servers' RSS
 * and the load average per quarter (printed as it runs, on stderr) and the first answers of each
 * failing status.
 *
 * @example
 * npm run bench -- --only=serve
 * SERVE_BENCH_ONLY=pg1 SERVE_BENCH_ATTACHES=100000 npm run bench -- --only=serve
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { once } from "node:events"
import { Agent, request as httpRequest } from "node:http"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
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
  /** The failed requests by status (0: no answer — the connection failed). */
  readonly failedBy: Readonly<Record<string, number>>
  /** Peak RSS of each server process at the end (MiB). */
  readonly serverRssMiB: ReadonlyArray<number>
  /** RSS of each server process once the first quarter of the requests was answered, and at the end (MiB). */
  readonly rssFirstQuarterMiB: ReadonlyArray<number>
  readonly rssEndMiB: ReadonlyArray<number>
  /** Per quarter of the requests: its rate, each server's RSS when it ended (MiB), the load average then. */
  readonly quarters: ReadonlyArray<{ readonly perSecond: number; readonly rssMiB: ReadonlyArray<number>; readonly loadAverage: number }>
  /** The first answers of each failing status (up to 3), to see why. */
  readonly failedBodies: Readonly<Record<string, ReadonlyArray<string>>>
  /**
   * CPU time (user + system) per request of the servers together and of the load client: what a
   * request costs, which a busy machine changes far less than the rate.
   */
  readonly serverCpuUsPerRequest: number
  readonly clientCpuUsPerRequest: number
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

export const serve = async (catalog: string, store: string, extra: ReadonlyArray<string> = []): Promise<Server> => {
  // SERVE_MAIN runs another build of the CLI (e.g. dist/cli/main.js); SERVE_NODE_ARGS adds node flags (--cpu-prof).
  const words = (v: string | undefined) => (v ?? "").split(" ").filter((a) => a !== "")
  const main = process.env["SERVE_MAIN"] === undefined ? ["--import", "tsx", "src/cli/main.ts"] : words(process.env["SERVE_MAIN"])
  const child = spawn(process.execPath, [...words(process.env["SERVE_NODE_ARGS"]), ...main, "serve", "--catalog", catalog, "--port", "0", "--key", KEY, "--store", store, ...extra], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })
  child.stderr.resume()
  const [chunk] = (await once(child.stdout, "data")) as [Buffer]
  const url = chunk.toString().trim()
  if (!url.startsWith("http://")) throw new Error(`serve did not start: ${url}`)
  return { url, child }
}

const rssMiB = (pid: number | undefined, field = "VmHWM:"): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith(field)) ?? ""
    return Math.round(Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024)
  } catch {
    return 0
  }
}

export /** CPU time (user + system) a process used so far, in µs (0 when it cannot be read). */
const cpuUs = (pid: number | undefined): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ")
    // utime and stime are fields 14 and 15 of the line (12 and 13 after the command), in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return 0
  }
}

const stop = async (s: Pick<Server, "child">): Promise<void> => {
  if (s.child.exitCode !== null) return
  const exited = once(s.child, "exit")
  s.child.kill("SIGTERM")
  await exited
}

const quantile = (sorted: ReadonlyArray<number>, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

/** One POST on a keep-alive connection of `agent`: its status (0 when it failed) once the answer is read, and the answer when not a 200. */
const post = (agent: Agent, url: URL, path: string, body: string): Promise<{ readonly status: number; readonly text: string }> =>
  new Promise((resolve) => {
    const req = httpRequest({
      agent, host: url.hostname, port: url.port, path, method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) }
    }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => void (res.statusCode === 200 ? undefined : chunks.push(c)))
        .on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString().slice(0, 500) }))
        .on("error", (e) => resolve({ status: 0, text: String(e) }))
    })
    req.on("error", (e) => resolve({ status: 0, text: String(e) }))
    req.end(body)
  })

/**
 * Sends `total` requests from `clients` concurrent clients, round robin over `servers`, on
 * `node:http` with a keep-alive agent per server (one connection per client, reused).
 */
export const load = async (label: string, servers: ReadonlyArray<{ readonly url: string; readonly child?: ChildProcessWithoutNullStreams }>, path: string, total: number, body: (i: number) => unknown, clients = 50): Promise<LoadResult> => {
  const latencies: Array<number> = new Array<number>(total)
  const doneAt: Array<number> = new Array<number>(total)
  const targets = servers.map((s) => ({ url: new URL(s.url), agent: new Agent({ keepAlive: true, maxSockets: clients }) }))
  let next = 0
  let answered = 0
  let failures = 0
  const failedBy: Record<string, number> = {}
  let rssFirstQuarterMiB: ReadonlyArray<number> = []
  const quarters: Array<LoadResult["quarters"][number]> = []
  const failedBodies: Record<string, Array<string>> = {}
  const serverCpu = () => servers.reduce((sum, s) => sum + cpuUs(s.child?.pid), 0)
  const cpuBefore = { server: serverCpu(), client: process.cpuUsage() }
  const started = performance.now()
  let quarterStarted = started
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < total) {
      const i = next++
      const target = targets[i % targets.length] as (typeof targets)[number]
      const t = performance.now()
      const { status, text } = await post(target.agent, target.url, path, JSON.stringify(body(i)))
      if (status !== 200) {
        failures++
        failedBy[String(status)] = (failedBy[String(status)] ?? 0) + 1
        const seen = (failedBodies[String(status)] ??= [])
        if (seen.length < 3) seen.push(text)
      }
      if (++answered === Math.floor(total / 4)) rssFirstQuarterMiB = servers.map((s) => rssMiB(s.child?.pid, "VmRSS:"))
      if (answered % Math.max(1, Math.floor(total / 4)) === 0 && quarters.length < 4) {
        const now = performance.now()
        const q = { perSecond: Math.floor(total / 4) / ((now - quarterStarted) / 1000), rssMiB: servers.map((s) => rssMiB(s.child?.pid, "VmRSS:")), loadAverage: loadavg()[0] ?? 0 }
        quarterStarted = now
        quarters.push(q)
        if (total >= 1_000) process.stderr.write(`  ${label}: quarter ${quarters.length}: ${Math.round(q.perSecond)} req/s, RSS ${q.rssMiB.join(" + ")} MiB, load ${q.loadAverage.toFixed(1)}, failed ${failures} ${JSON.stringify(failedBy)}\n`)
      }
      const end = performance.now()
      latencies[i] = end - t
      doneAt[i] = end - started
    }
  }))
  const seconds = (performance.now() - started) / 1000
  const clientCpu = process.cpuUsage(cpuBefore.client)
  const serverCpuUs = serverCpu() - cpuBefore.server
  for (const t of targets) t.agent.destroy()
  const sorted = [...latencies].sort((a, b) => a - b)
  const order = [...doneAt].sort((a, b) => a - b)
  const quarter = Math.floor(total / 4)
  const rate = (from: number, to: number) => (to - from) / (((order[to - 1] ?? 0) - (order[from] ?? 0)) / 1000 || 1)
  return {
    label, requests: total, perSecond: total / seconds, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99),
    firstQuarterPerSecond: rate(0, quarter), lastQuarterPerSecond: rate(total - quarter, total), failures, failedBy,
    serverRssMiB: servers.map((s) => rssMiB(s.child?.pid)), rssFirstQuarterMiB, rssEndMiB: servers.map((s) => rssMiB(s.child?.pid, "VmRSS:")),
    quarters, failedBodies,
    serverCpuUsPerRequest: serverCpuUs / total, clientCpuUsPerRequest: (clientCpu.user + clientCpu.system) / total
  }
}

// A server that answers every request with a fixed small JSON body, reading the request first.
const TRIVIAL_SERVER = `
const http = require("node:http")
const server = http.createServer((req, res) => { req.on("data", () => {}).on("end", () => { res.writeHead(200, { "content-type": "application/json" }); res.end('{"ok":true}') }) })
server.listen(0, "127.0.0.1", () => process.stdout.write("http://127.0.0.1:" + server.address().port + "\\n"))
`

/**
 * The load client's own ceiling: the same 50 clients against a server that does nothing (a
 * child process, as `serve` is), so a figure near it says the client, not the server, was the limit.
 *
 * @example const row = await clientCeiling(20_000)
 */
export const clientCeiling = async (total: number): Promise<LoadResult> => {
  const child = spawn(process.execPath, ["-e", TRIVIAL_SERVER], { stdio: ["pipe", "pipe", "pipe"] })
  const [chunk] = (await once(child.stdout, "data")) as [Buffer]
  const server = { url: chunk.toString().trim(), child }
  try {
    await load("warm-up", [server], "/", 2_000, () => ({ customer_id: "cus_1", plan_id: "pro" }))
    return await load("client ceiling: a server that answers {} at once", [server], "/", total, (i) => ({ customer_id: `cus_${i % 100}`, plan_id: "pro" }))
  } finally {
    await stop(server)
  }
}

const attachBody = (prefix: string) => (i: number) => ({ customer_id: `${prefix}_${i}`, plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } })

const previewBody = (prefix: string) => (i: number) => ({ customer_id: `${prefix}_${i % 100}`, plan_id: i % 2 === 0 ? "premium" : "pro" })

/** How many requests each row sends: `SERVE_BENCH_PREVIEWS` and `SERVE_BENCH_ATTACHES` override. */
const countsOf = (quick: boolean) => ({
  previews: Number(process.env["SERVE_BENCH_PREVIEWS"] ?? (quick ? 5_000 : 30_000)),
  attaches: Number(process.env["SERVE_BENCH_ATTACHES"] ?? (quick ? 400 : 5_000))
})

/**
 * The rows to run: `SERVE_BENCH_ONLY=ceiling,memory,pglite,pg1,pg2` (default all); `pglite-attach`,
 * `pg1-attach`, `pg2-attach` run only that store's attach row (a long run: `SERVE_BENCH_ATTACHES`).
 */
const only = (): ReadonlyArray<string> => (process.env["SERVE_BENCH_ONLY"] ?? "ceiling,memory,pglite,pg1,pg2").split(",")
const wanted = (row: string): boolean => only().includes(row) || only().includes(`${row}-attach`)
const previewsWanted = (row: string): boolean => only().includes(row)

/** Previews of 100 customers who each hold `pro` (attached first, not measured). */
const previewRow = async (label: string, servers: ReadonlyArray<Server>, prefix: string, total: number): Promise<LoadResult> => {
  await load("seed", servers, "/v1/billing.attach", 100, attachBody(prefix), 10)
  await load("warm-up", servers, "/v1/billing.preview_attach", 3_000, previewBody(prefix))
  return load(label, servers, "/v1/billing.preview_attach", total, previewBody(prefix))
}

const onPostgres = async (catalog: string, counts: ReturnType<typeof countsOf>, rows: Array<LoadResult>): Promise<string | undefined> => {
  const pg = await startPostgres()
  if (typeof pg === "string") return pg
  try {
    for (const processes of [1, 2]) {
      if (!wanted(`pg${processes}`)) continue
      const url = pg.database(`bench_${processes}_${Date.now()}`)
      const servers: Array<Server> = []
      for (let i = 0; i < processes; i++) servers.push(await serve(catalog, url))
      try {
        await load("warm-up", servers, "/v1/billing.attach", 200, attachBody(`cus_warm${processes}`))
        rows.push(await load(`attach, PostgreSQL, ${processes} process${processes === 1 ? "" : "es"}`, servers, "/v1/billing.attach", counts.attaches, attachBody(`cus_pg${processes}`)))
        if (previewsWanted(`pg${processes}`)) rows.push(await previewRow(`preview_attach, PostgreSQL, ${processes} process${processes === 1 ? "" : "es"}`, servers, `cus_pgp${processes}`, counts.previews))
      } finally {
        await Promise.all(servers.map(stop))
      }
    }
  } finally {
    pg.stop()
  }
  return undefined
}

/**
 * Runs the section.
 *
 * @example const result = await runServeBench({ quick: true })
 */
export const runServeBench = async (options: { readonly quick: boolean }): Promise<ServeBenchResult> => {
  const dir = mkdtempSync(join(tmpdir(), "attach-planner-bench-serve-"))
  const catalog = join(dir, "catalog.json")
  writeFileSync(catalog, JSON.stringify(AUTUMN_TEST_CATALOG))
  const counts = countsOf(options.quick)
  const rows: Array<LoadResult> = []
  let skipped: string | undefined
  try {
    if (wanted("ceiling")) rows.push(await clientCeiling(counts.previews))
    if (wanted("memory")) {
      const memory = await serve(catalog, "memory")
      try {
        rows.push(await previewRow("preview_attach, memory store, 1 process", [memory], "cus_mem", counts.previews))
      } finally {
        await stop(memory)
      }
    }
    if (wanted("pglite")) {
      const lite = await serve(catalog, join(dir, "pglite"))
      try {
        if (previewsWanted("pglite")) rows.push(await previewRow("preview_attach, PGlite, 1 process", [lite], "cus_litep", counts.previews))
        rows.push(await load("attach, PGlite, 1 process", [lite], "/v1/billing.attach", counts.attaches, attachBody("cus_lite")))
      } finally {
        await stop(lite)
      }
    }
    if (wanted("pg1") || wanted("pg2")) skipped = await onPostgres(catalog, counts, rows)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { rows, skipped }
}
