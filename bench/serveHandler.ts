/**
 * The `serve` handler in process, without HTTP (issue #13): `preview_attach` of 100 customers
 * who hold `pro` (to `premium` or `pro`), the bench's serve row, sent straight to the handler's
 * `raw` entry on the memory store — the server's own CPU per request, apart from the socket and
 * Node's HTTP parsing, which a shared machine disturbs far less than a load over HTTP.
 *
 * @example
 * npx tsx bench/serveHandler.ts            # 5 rounds of 20,000 previews, µs per request each
 * HANDLER_BENCH_REQUESTS=50000 HANDLER_BENCH_CONCURRENCY=50 npx tsx bench/serveHandler.ts
 */
import * as Result from "effect/Result"
import { storeHandler } from "../src/cli/serve.ts"
import { parseJsonBytes } from "../src/autumn/internal/body.ts"
import type { RawRequest, RawResponse } from "../src/autumn/internal/raw.ts"
import { decodeCatalog } from "../src/Document.ts"
import { memoryStore } from "../src/store/memoryStore.ts"
import { AUTUMN_TEST_CATALOG } from "../test/support/autumnCatalog.ts"

const KEY = "am_sk_bench"

/** A request as `serve` hands it over, with the body as bytes (parsed within the limits, as from a socket). */
const rawRequest = (path: string, body: unknown): RawRequest => {
  const bytes = Buffer.from(JSON.stringify(body))
  const headers: Record<string, string> = { authorization: `Bearer ${KEY}`, "content-type": "application/json", "content-length": String(bytes.byteLength) }
  return { method: "POST", url: path, header: (name) => headers[name] ?? null, readBody: (limits) => Promise.resolve(parseJsonBytes(bytes, limits)) }
}

/**
 * Runs `total` previews through `handler`, `concurrency` at a time: µs of wall time and of the
 * process's CPU time (user + system, GC threads included) per request.
 *
 * @example const us = await previewRound(handler, 20_000, 1)
 */
export const previewRound = async (handler: (r: RawRequest) => Promise<RawResponse>, total: number, concurrency: number): Promise<{ readonly wallUs: number; readonly cpuUs: number }> => {
  let next = 0
  const cpu = process.cpuUsage()
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++
      const response = await handler(rawRequest("/v1/billing.preview_attach", { customer_id: `cus_mem_${i % 100}`, plan_id: i % 2 === 0 ? "premium" : "pro" }))
      if (response.status !== 200) throw new Error(`preview answered ${response.status}: ${response.body}`)
    }
  }))
  const used = process.cpuUsage(cpu)
  return { wallUs: ((performance.now() - started) * 1000) / total, cpuUs: (used.user + used.system) / total }
}

const main = async (): Promise<void> => {
  const catalog = decodeCatalog(AUTUMN_TEST_CATALOG)
  if (Result.isFailure(catalog)) throw new Error(catalog.failure.message)
  const served = await storeHandler(catalog.success, KEY, memoryStore(), { testCard: "pm_card_visa" })
  if (Result.isFailure(served)) throw new Error(served.failure.message)
  const handler = served.success.handler.raw
  for (let i = 0; i < 100; i++) {
    const r = await handler(rawRequest("/v1/billing.attach", { customer_id: `cus_mem_${i}`, plan_id: "pro" }))
    if (r.status !== 200) throw new Error(`attach answered ${r.status}: ${r.body}`)
  }
  const total = Number(process.env["HANDLER_BENCH_REQUESTS"] ?? 20_000)
  const concurrency = Number(process.env["HANDLER_BENCH_CONCURRENCY"] ?? 1)
  await previewRound(handler, 5_000, concurrency)
  const rounds: Array<{ readonly wallUs: number; readonly cpuUs: number }> = []
  for (let round = 0; round < 5; round++) rounds.push(await previewRound(handler, total, concurrency))
  const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
  const list = (xs: ReadonlyArray<number>) => xs.map((x) => x.toFixed(1)).join(", ")
  process.stdout.write(`preview_attach through the handler (memory store, ${concurrency} at a time), µs/request — wall: ${list(rounds.map((r) => r.wallUs))} (median ${median(rounds.map((r) => r.wallUs)).toFixed(1)}); CPU: ${list(rounds.map((r) => r.cpuUs))} (median ${median(rounds.map((r) => r.cpuUs)).toFixed(1)})\n`)
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
