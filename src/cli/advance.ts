/**
 * `attach --state STATE.json advance --to DATE --catalog FILE [--customer ID] [--from DATE]
 * [--trial-end-without-card cancel|checkout] [--format json|table]` (issue #15): advances a
 * customer's test clock in the sandbox kept in STATE.json (see ./attach.ts) to DATE. Every
 * renewal falling due is invoiced and charged through the sandbox, scheduled changes take effect,
 * trials end; the customer's new state and the sandbox's are written back.
 *
 * The clock starts where the customer's last `attach --state` (or `advance`) left it; `--from`
 * sets it for a customer the sandbox has no clock for. `--catalog` is a catalog file or an attach
 * document (its `catalog`). `--customer` may be left out when STATE.json holds one customer.
 * Exit 0 advanced, 1 with an error document, 2 on a usage error.
 *
 * @example
 * // npm run --silent cli -- attach --state /tmp/s.json advance --to 2025-04-01 --catalog examples/upgrade.json
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { decodeCatalog } from "../Document.ts"
import { errorDocument } from "../Errors.ts"
import { formatMinor } from "../Money.ts"
import { advanceClockPromise, type ClockResult } from "../timeline/clock.ts"
import type { Catalog } from "../Catalog.ts"
import type { ErrorDocument } from "../Errors.ts"
import { type AttachState, openAttachState } from "./attachState.ts"
import { documentError, failWith, readJsonFile, usageFailure } from "./documents.ts"
import { parseArgv } from "./internal/argv.ts"
import { formatInstant } from "./table.ts"

/** The usage text of `attach … advance`. @example process.stderr.write(ADVANCE_USAGE) */
export const ADVANCE_USAGE = `Usage: attach-planner attach --state STATE.json advance --to DATE --catalog FILE [options]

Advances the customer's test clock in the sandbox kept in STATE.json to DATE: renewals are
invoiced and charged, scheduled changes take effect, trials end, discounts run out.

Options:
  --to DATE                           Where the clock goes (ISO-8601; required).
  --catalog FILE                      The catalog, or an attach document with one (required).
  --customer ID                       The customer (default: the only one in STATE.json).
  --from DATE                         Where the clock stands, when the sandbox has no clock for
                                      the customer yet (default: its last attach --state).
  --trial-end-without-card cancel|checkout
                                      What a trial ending without a card does (default cancel).
  --format json|table                 Output (default json).

Exit codes: 0 advanced, 1 error document, 2 usage error.
`

/** The options of `advance`. @example { state: "s.json", to: "2025-04-01", catalog: "c.json", format: "json" } */
export interface AdvanceOptions {
  readonly state: string
  readonly to: string
  readonly catalog: string
  readonly customer: string | undefined
  readonly from: string | undefined
  readonly trialEndWithoutCard: "cancel" | "checkout"
  readonly format: "json" | "table"
}

const OPTIONS = { state: "string", to: "string", catalog: "string", customer: "string", from: "string", "trial-end-without-card": "string", format: "string" } as const

/**
 * Parses the arguments of `attach … advance` (with `advance` itself among them); a string is a usage error.
 *
 * @example parseAdvanceArgs(["--state", "s.json", "advance", "--to", "2025-04-01", "--catalog", "c.json"])
 */
export const parseAdvanceArgs = (args: ReadonlyArray<string>): AdvanceOptions | string => {
  const parsed = parseArgv(args, OPTIONS)
  if (typeof parsed === "string") return parsed
  const file = parsed.positionals.find((p) => p !== "advance")
  if (file !== undefined) return `advance takes no FILE, got ${JSON.stringify(file)}`
  const values = parsed.values
  const state = values.get("--state")
  const to = values.get("--to")
  const catalog = values.get("--catalog")
  if (state === undefined) return "advance needs --state STATE.json"
  if (to === undefined) return "advance needs --to DATE"
  if (catalog === undefined) return "advance needs --catalog FILE"
  const format = values.get("--format") ?? "json"
  if (format !== "json" && format !== "table") return `--format expects "json" or "table", got ${JSON.stringify(format)}`
  const trial = values.get("--trial-end-without-card") ?? "cancel"
  if (trial !== "cancel" && trial !== "checkout") return `--trial-end-without-card expects "cancel" or "checkout", got ${JSON.stringify(trial)}`
  return { state, to, catalog, customer: values.get("--customer"), from: values.get("--from"), trialEndWithoutCard: trial, format }
}

/**
 * What advancing did, as a few readable lines: each renewal (date, total, outcome) and each event.
 *
 * @example formatAdvanceTable(result, "usd") // "Clock      Apr 1, 2025\n…"
 */
export const formatAdvanceTable = (r: ClockResult, currency: string): string => {
  const rows: Array<[string, string]> = [["Clock", formatInstant(r.at)]]
  for (const i of r.invoices) rows.push(["Renewal", `${formatInstant(i.at)}  ${formatMinor(i.total, currency)}  ${i.outcome}${i.failure === undefined ? "" : ` (${i.failure})`}  ${i.invoice.id}`])
  for (const e of r.events) rows.push(["Event", `${formatInstant(e.at)}  ${e.type}${"planId" in e ? ` ${e.planId}` : ""}${e.type === "trial_ended" ? ` (${e.outcome})` : ""}`])
  for (const s of r.customer.subscriptions ?? []) rows.push(["Plan", `${s.planId}  ${s.status}${s.endsAt === undefined ? "" : `, ends ${formatInstant(s.endsAt)}`}`])
  const width = Math.max(...rows.map(([k]) => k.length)) + 2
  return rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join("\n") + "\n"
}

const catalogOf = (json: unknown): unknown =>
  typeof json === "object" && json !== null && "catalog" in json ? (json as { readonly catalog: unknown }).catalog : json

/**
 * Runs `attach … advance`; prints the clock's result or an error document and resolves with the
 * exit code. Never throws.
 *
 * @example process.exitCode = await runAdvance(["--state", "s.json", "advance", "--to", "2025-04-01", "--catalog", "c.json"], print)
 */
export const runAdvance = async (args: ReadonlyArray<string>, out: (text: string) => Promise<void>): Promise<number> => {
  const options = parseAdvanceArgs(args)
  if (typeof options === "string") {
    return usageFailure(options, ADVANCE_USAGE)
  }
  const fail = failWith(out)
  const json = await readJsonFile(options.catalog)
  if (!json.ok) return fail(json.error)
  const catalog = decodeCatalog(catalogOf(json.value))
  if (Result.isFailure(catalog)) return fail(errorDocument(catalog.failure))
  const state = await openAttachState(options.state)
  if ("error" in state) return fail(state)
  try {
    return await advanceIn(state, options, catalog.success, fail, out)
  } finally {
    await state.close()
  }
}

const advanceIn = async (
  state: AttachState, options: AdvanceOptions, catalog: Catalog, fail: (error: ErrorDocument) => Promise<number>, out: (text: string) => Promise<void>
): Promise<number> => {
  const ids = options.customer === undefined ? await state.customerIds(2) : [options.customer]
  const id = ids.length === 1 ? ids[0] : undefined
  const customer = id === undefined ? undefined : await state.find(id)
  if (id === undefined || customer === undefined) {
    return fail(documentError(options.customer === undefined ? `${options.state} holds ${ids.length === 0 ? "no" : "several"} customers: name one with --customer` : `${options.state} holds no customer ${options.customer}`))
  }
  const sandbox = state.sandbox
  const at = (await Effect.runPromise(sandbox.port.testClockOf(id))) ?? options.from
  if (at === undefined) return fail(documentError(`the sandbox has no clock for ${id}: attach with --state first, or give --from`))
  const to = Number.isNaN(Date.parse(options.to)) ? options.to : new Date(Date.parse(options.to)).toISOString()
  const outcome = await advanceClockPromise({ catalog, customer, at }, to, sandbox.port, { trialEndWithoutCard: options.trialEndWithoutCard }).then(
    (r) => Result.succeed(r), (e: Parameters<typeof errorDocument>[0]) => Result.fail(e))
  // the sandbox's state is kept even after a provider failure: advancing again completes it
  const saved = await state.commit(Result.isSuccess(outcome) ? outcome.success.customer : customer)
  if (saved !== undefined) return fail(saved)
  if (Result.isFailure(outcome)) return fail(errorDocument(outcome.failure))
  await out(options.format === "table" ? formatAdvanceTable(outcome.success, customer.currency ?? catalog.defaultCurrency) : JSON.stringify(outcome.success, undefined, 2) + "\n")
  return 0
}
