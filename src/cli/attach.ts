/**
 * `attach FILE --state PATH` (issue #4): plans the attach document in FILE and executes it
 * against the sandbox provider whose state is kept in PATH, together with the state of every
 * customer it has seen, so a customer can be walked through new → upgrade → downgrade from the
 * shell:
 *
 * - PATH is a store directory or a `postgres://` URL (./attachState.ts), or a JSON state file
 *   `{ "provider": <sandbox state>, "customers": { "<id>": <customer state> } }` (a name ending
 *   in `.json`), created when missing and rewritten — under a lock, durably — after every run.
 * - A customer already in STATE.json is planned from its stored state: FILE's `customer` is then
 *   ignored (and may be left out). A new customer is taken from FILE and seeded into the sandbox
 *   (its balance, a `pm_card_visa` card when `hasPaymentMethod`, its paid subscriptions).
 * - `--payment-method TOKEN` gives the customer a test card first (`pm_card_visa`,
 *   `pm_card_declined`, `pm_card_insufficient_funds`, `pm_card_3ds`).
 * - `--complete-checkout TOKEN` / `--pay-invoice TOKEN`: when the execution stops at a checkout or
 *   an open invoice, the customer completes it with that card and the same plan runs again.
 *
 * Prints the outcome as JSON (default) or `--format table`. Exit 0 when the plan was executed
 * (applied or waiting for the customer), 1 with an error document, 2 on a usage error.
 *
 * @example
 * // npm run --silent cli -- attach examples/new.json --state /tmp/sandbox.json --format table
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { Customer } from "../Customer.ts"
import { decodeAttachDocument } from "../Document.ts"
import { type ErrorDocument, errorDocument } from "../Errors.ts"
import { type ExecuteResult, executeAttach } from "../Execute.ts"
import { formatMinor } from "../Money.ts"
import { planAttach } from "../Planner.ts"
import type { AttachPreview } from "../Preview.ts"
import { PaymentProvider } from "../Provider.ts"
import type { AttachInput } from "../Document.ts"
import type * as Sandbox from "../Sandbox.ts"
import { type AttachState, openAttachState } from "./attachState.ts"
import { failWith, readJsonFile, usageFailure } from "./documents.ts"
import { onePositional, parseArgv } from "./internal/argv.ts"

/** The usage text of `attach`. @example process.stderr.write(ATTACH_USAGE) */
export const ATTACH_USAGE = `Usage: attach-planner attach FILE --state PATH [options]

Plans the attach document in FILE and executes it against the sandbox provider kept in PATH
(created when missing), which also stores every customer's state: a customer already in PATH is
planned from its stored state, not from FILE's "customer". PATH is a store directory (embedded
PostgreSQL, e.g. ./.attach-planner), a postgres:// URL, or a JSON state file (a name ending in
.json). Runs on one PATH take turns: none loses another's update.

Options:
  --state PATH                 The sandbox and customer states (required).
  --format json|table          Output (default json).
  --payment-method TOKEN       Give the customer this test card first: pm_card_visa,
                               pm_card_declined, pm_card_insufficient_funds, pm_card_3ds.
  --complete-checkout TOKEN    If the execution stops at a checkout, complete it with TOKEN
                               and execute the plan again.
  --pay-invoice TOKEN          If the execution stops at an open (or draft) invoice, pay it on
                               its hosted page with TOKEN and execute the plan again.

Exit codes: 0 executed (applied, or waiting for the customer), 1 error document, 2 usage error.
`

/** The options of `attach`. @example { file: "doc.json", state: "s.json", format: "table", paymentMethod: undefined, completeCheckout: undefined, payInvoice: undefined } */
export interface AttachOptions {
  readonly file: string
  readonly state: string
  readonly format: "json" | "table"
  readonly paymentMethod: string | undefined
  readonly completeCheckout: string | undefined
  readonly payInvoice: string | undefined
}

/**
 * Parses the arguments after `attach`; a string is a usage error.
 *
 * @example parseAttachArgs(["doc.json", "--state", "s.json"]) // { file: "doc.json", state: "s.json", format: "json", … }
 */
export const parseAttachArgs = (args: ReadonlyArray<string>): AttachOptions | string => {
  const argv = parseArgv(args, { state: "string", format: "string", "payment-method": "string", "complete-checkout": "string", "pay-invoice": "string" })
  if (typeof argv === "string") return argv
  const one = onePositional("attach", argv.positionals)
  if (typeof one === "string") return one
  const { values } = argv
  const file = one.file
  const format = values.get("--format") ?? "json"
  if (file === undefined) return "attach needs a FILE"
  if (format !== "json" && format !== "table") return `--format expects "json" or "table", got ${JSON.stringify(format)}`
  const state = values.get("--state")
  if (state === undefined) return "attach needs --state PATH (a store directory, a postgres:// URL or a .json file)"
  return { file, state, format, paymentMethod: values.get("--payment-method"), completeCheckout: values.get("--complete-checkout"), payInvoice: values.get("--pay-invoice") }
}

/** The attach document with the stored customer in place of the document's. */
const withStoredCustomer = async (document: unknown, find: AttachState["find"]): Promise<unknown> => {
  if (typeof document !== "object" || document === null) return document
  const doc = document as Record<string, unknown>
  const request = doc["request"]
  const id = typeof request === "object" && request !== null ? (request as Record<string, unknown>)["customerId"] : undefined
  const stored = typeof id === "string" ? await find(id) : undefined
  return stored === undefined ? doc : { ...doc, customer: stored }
}

/** The printed outcome: the execution result with the plan's headline numbers. @example output.scenario // "upgrade" */
export type AttachOutput = { readonly customerId: string; readonly scenario: string; readonly total: number; readonly amountDue: number } & ExecuteResult

/**
 * The outcome as a few readable lines.
 *
 * @example formatAttachTable(output) // "Customer   cus_1\nScenario   upgrade\nOutcome    applied\n…"
 */
export const formatAttachTable = (o: AttachOutput, currency: string): string => {
  const rows: Array<[string, string]> = [
    ["Customer", o.customerId],
    ["Scenario", o.scenario],
    ["Outcome", o.applied ? "applied" : `not applied — ${o.requiredAction?.code ?? "waiting"}`],
    ["Due today", formatMinor(o.amountDue, currency)]
  ]
  if (o.invoice !== undefined) rows.push(["Invoice", `${o.invoice.id}  ${o.invoice.status}  ${formatMinor(o.invoice.total, currency)}`])
  if (o.requiredAction !== undefined) rows.push(["Reason", o.requiredAction.reason])
  if (o.paymentUrl !== null) rows.push(["Pay at", o.paymentUrl])
  rows.push(["Actions", o.completed.length === 0 ? "—" : o.completed.map((a) => a.type).join(", ")])
  for (const s of o.customer.subscriptions ?? []) {
    if (s.status === "expired") continue
    const extra = [s.cancelAtPeriodEnd === true ? `cancels ${s.endsAt ?? ""}` : "", s.startsAt === undefined ? "" : `starts ${s.startsAt}`].filter((x) => x !== "").join(", ")
    rows.push(["Plan", `${s.planId}  ${s.status}${extra === "" ? "" : `  (${extra})`}  ${s.providerSubscriptionId ?? ""}`.trimEnd()])
  }
  const width = Math.max(...rows.map(([k]) => k.length)) + 2
  return rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join("\n") + "\n"
}

const execute = (preview: AttachPreview, customer: Customer, sandbox: Sandbox.SandboxOps, options: AttachOptions) =>
  Effect.gen(function* () {
    const first = yield* executeAttach(preview, customer)
    const invoice = first.invoice
    if (first.requiredAction?.code === "payment_method_required" && first.invoice === undefined && options.completeCheckout !== undefined) {
      yield* sandbox.completeCheckout(first.paymentUrl ?? "", options.completeCheckout)
      return yield* executeAttach(preview, customer)
    }
    if (first.requiredAction !== undefined && invoice !== undefined && options.payInvoice !== undefined) {
      if (invoice.status === "draft") yield* sandbox.finalizeInvoice(invoice.id)
      yield* sandbox.payInvoiceHosted(invoice.id, options.payInvoice)
      return yield* executeAttach(preview, customer)
    }
    return first
  })

/**
 * Runs `attach` with the arguments after the command name; prints the outcome or an error
 * document and resolves with the exit code. Never throws.
 *
 * @example process.exitCode = await runAttach(["doc.json", "--state", "s.json"])
 */
export const runAttach = async (args: ReadonlyArray<string>, out: (text: string) => Promise<void>): Promise<number> => {
  const options = parseAttachArgs(args)
  if (typeof options === "string") {
    return usageFailure(options, ATTACH_USAGE)
  }
  const fail = failWith(out)
  const json = await readJsonFile(options.file)
  if (!json.ok) return fail(json.error)
  const state = await openAttachState(options.state)
  if ("error" in state) return fail(state)
  try {
    const input = decodeAttachDocument(await withStoredCustomer(json.value, state.find))
    if (Result.isFailure(input)) return fail(errorDocument(input.failure))
    return await executeAndStore(input.success, state, options, fail, out)
  } finally {
    await state.close()
  }
}

const executeAndStore = async (
  input: AttachInput, state: AttachState, options: AttachOptions, fail: (error: ErrorDocument) => Promise<number>, out: (text: string) => Promise<void>
): Promise<number> => {
  const sandbox = state.sandbox
  let customer = input.customer
  await Effect.runPromise(sandbox.seedCustomer(customer, input.catalog))
  if (options.paymentMethod !== undefined) {
    const attached = await Effect.runPromise(Effect.result(sandbox.attachPaymentMethod(customer.id, options.paymentMethod)))
    if (Result.isFailure(attached)) return fail(errorDocument(attached.failure))
    customer = { ...customer, hasPaymentMethod: true }
  }
  const preview = planAttach({ ...input, customer })
  if (Result.isFailure(preview)) return fail(errorDocument(preview.failure))
  const outcome = await Effect.runPromise(Effect.result(Effect.provideService(execute(preview.success, customer, sandbox, options), PaymentProvider, sandbox.port)))
  const stored = Result.isSuccess(outcome) ? outcome.success.customer : customer
  // the customer's test clock stands at its last attach (`attach --state … advance` starts there)
  if (Result.isSuccess(outcome) && outcome.success.applied) await Effect.runPromise(Effect.result(sandbox.port.setTestClock({ customerId: customer.id, at: input.request.at })))
  const saved = await state.commit(stored)
  if (saved !== undefined) return fail(saved)
  if (Result.isFailure(outcome)) return fail(errorDocument(outcome.failure))
  const p = preview.success
  const output: AttachOutput = { customerId: p.customerId, scenario: p.scenario, total: p.total, amountDue: p.amountDue, ...outcome.success }
  await out(options.format === "table" ? formatAttachTable(output, p.currency) : JSON.stringify(output, undefined, 2) + "\n")
  return 0
}
