/**
 * Argument parsing of the command line (docs/spec.md §14): turns `process.argv.slice(2)` into a
 * {@link Command}, or a usage error. Pure; no I/O.
 *
 * @example
 * parseArgs(["preview", "doc.json", "--format", "table"])
 * // { _tag: "PreviewFile", file: "doc.json", format: "table", catalog: undefined }
 */
import { type ArgvSpec, onePositional, parseArgv } from "./internal/argv.ts"

/**
 * How a single preview is printed.
 * @example const format: OutputFormat = "table" // --format table
 */
export type OutputFormat = "json" | "table"

/**
 * A parsed command line.
 * @example parseArgs(["preview", "doc.json", "--format", "table"]) // { _tag: "PreviewFile", file: "doc.json", format: "table", catalog: undefined }
 */
export type Command =
  | { readonly _tag: "Help" }
  | { readonly _tag: "PreviewFile"; readonly file: string; readonly format: OutputFormat; readonly catalog: string | undefined; readonly explain?: true }
  | {
      readonly _tag: "PreviewJsonl"
      readonly catalog: string | undefined
      /** Worker threads (`--jobs`); absent means `auto`. */
      readonly jobs?: number | "auto"
      /** Lines answered before workers start (hidden `--parallel-after`, for tests: the run then waits for the workers); absent means the default. */
      readonly parallelAfter?: number
    }
  | { readonly _tag: "UsageError"; readonly message: string }

/**
 * The usage text printed by `help` and on a usage error.
 * @example USAGE.split("\n")[0] // "Usage: attach-planner <command> [options]"
 */
export const USAGE = `Usage: attach-planner <command> [options]

Commands:
  preview FILE                     Preview the attach document in FILE ({ catalog, customer, request });
                                   prints the preview document as JSON. FILE "-" reads standard input.
  preview --jsonl                  Read attach documents from standard input, one JSON per line, and
                                   write one preview or error document per line, in order.
  preview --catalog CATALOG --jsonl
                                   Same, where each line is { customer, request } and the catalog is
                                   read from CATALOG and decoded once.
  preview --catalog CATALOG FILE   Preview FILE ({ customer, request }) against CATALOG.
  attach FILE --state STATE.json   Plan FILE and execute it against the sandbox provider kept in
                                   STATE.json (see "attach-planner attach --help").
  pricing FILE                     Print the pricing table of FILE ({ catalog, customer, at }): every
                                   plan's call to action and price (see "attach-planner pricing --help").
  serve --catalog FILE --port N --key KEY
                                   Serve Autumn's API (checkout, billing.attach, …) over FILE with the
                                   sandbox provider and in-memory customers; KEY may come from
                                   ATTACH_PLANNER_KEY (see "attach-planner serve --help").
  timeline FILE --cycles N         The attach's invoice, N later invoices and every event between
                                   (see "attach-planner timeline --help").
  attach --state STATE.json advance --to DATE --catalog FILE
                                   Advance the customer's test clock in the sandbox.
  what-if --from CATALOG --to CATALOG --at INSTANT < customers.jsonl
                                   Monthly revenue per customer under two catalogs, and a summary
                                   (see "attach-planner what-if --help").
  help                             Show this text.

Options:
  --format json|table              Output of a single preview (default json). "table" prints a
                                   readable invoice. Not available with --jsonl.
  --explain                        With --format table: each line followed by how its amount
                                   came about (base, fraction, tiers, ledger, rounding, discounts).
  --jobs N|auto                    With --jsonl: plan on N threads (this one and N - 1 worker
                                   threads) once the input has passed 10,000 lines; the output is
                                   the same, in order. auto (default): the number of cores, at
                                   most 4; 1: one thread, no workers.

Exit codes: 0 success (with --jsonl: even when some lines failed), 1 bad input (an error
document is printed on standard output) or, with --jsonl, a failed worker thread (the message is
on standard error, after the lines answered before it), 2 usage error.
`

const usageError = (message: string): Command => ({ _tag: "UsageError", message })

const PREVIEW_OPTIONS: ArgvSpec = {
  jsonl: "boolean", explain: "boolean", format: "string", catalog: "string", jobs: "string", "parallel-after": "string", help: "boolean"
}

const got = (value: string | undefined): string => (value === undefined ? "nothing" : JSON.stringify(value))
const badFormat = (value: string | undefined): string => `--format expects "json" or "table", got ${got(value)}`
const badJobs = (value: string | undefined): string => `--jobs expects a number from 1 to 999 or "auto", got ${got(value)}`
const badParallelAfter = (value: string | undefined): string => `--parallel-after expects a number of lines, got ${got(value)}`

const missingPreviewValue = (option: string): string =>
  option === "--format" ? badFormat(undefined)
    : option === "--catalog" ? "--catalog expects a file name"
    : option === "--jobs" ? badJobs(undefined)
    : badParallelAfter(undefined)

interface PreviewValues {
  readonly format: OutputFormat | undefined
  readonly jobs: number | "auto" | undefined
  readonly parallelAfter: number | undefined
  readonly catalog: string | undefined
}

/** The `--format`, `--jobs` and `--parallel-after` values, checked; a string is the usage error. */
const previewValues = (values: ReadonlyMap<string, string>): PreviewValues | string => {
  const format = values.get("--format")
  if (format !== undefined && format !== "json" && format !== "table") return badFormat(format)
  const jobsText = values.get("--jobs")
  const jobs = jobsText === undefined || jobsText === "auto" ? jobsText : /^[1-9][0-9]{0,2}$/.test(jobsText) ? Number(jobsText) : undefined
  if (jobsText !== undefined && jobs === undefined) return badJobs(jobsText)
  const after = values.get("--parallel-after")
  if (after !== undefined && !/^[0-9]{1,9}$/.test(after)) return badParallelAfter(after)
  return { format, jobs, parallelAfter: after === undefined ? undefined : Number(after), catalog: values.get("--catalog") }
}

const parsePreview = (args: ReadonlyArray<string>): Command => {
  const argv = parseArgv(args, PREVIEW_OPTIONS, missingPreviewValue)
  if (typeof argv === "string") return usageError(argv)
  if (argv.flags.has("--help")) return { _tag: "Help" }
  const one = onePositional("preview", argv.positionals)
  if (typeof one === "string") return usageError(one)
  const checked = previewValues(argv.values)
  if (typeof checked === "string") return usageError(checked)
  const { format, jobs, parallelAfter, catalog } = checked
  const file = one.file
  if (argv.flags.has("--jsonl")) {
    if (file !== undefined) return usageError("preview --jsonl reads standard input; it takes no FILE")
    if (format === "table") return usageError("--format table is not available with --jsonl")
    return { _tag: "PreviewJsonl", catalog, ...(jobs === undefined ? {} : { jobs }), ...(parallelAfter === undefined ? {} : { parallelAfter }) }
  }
  if (jobs !== undefined || parallelAfter !== undefined) return usageError(`${jobs !== undefined ? "--jobs" : "--parallel-after"} is only available with --jsonl`)
  if (file === undefined) return usageError("preview needs a FILE (or --jsonl to read standard input)")
  const explain = argv.flags.has("--explain")
  if (explain && format !== "table") return usageError("--explain needs --format table (the JSON output always has each line's derivation)")
  return { _tag: "PreviewFile", file, format: format ?? "json", catalog, ...(explain ? { explain: true as const } : {}) }
}

/**
 * Parses the arguments after the program name.
 *
 * @example parseArgs(["preview", "--jsonl"]) // { _tag: "PreviewJsonl", catalog: undefined }
 * @example parseArgs([]) // { _tag: "UsageError", message: "no command given" }
 */
export const parseArgs = (argv: ReadonlyArray<string>): Command => {
  const [command, ...rest] = argv
  switch (command) {
    case undefined:
      return usageError("no command given")
    case "help":
    case "--help":
    case "-h":
      return { _tag: "Help" }
    case "preview":
      return parsePreview(rest)
    default:
      return usageError(`unknown command ${JSON.stringify(command)}`)
  }
}
