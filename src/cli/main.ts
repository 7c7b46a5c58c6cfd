#!/usr/bin/env node
/**
 * The command line (docs/spec.md §14): `preview FILE [--format json|table]`, `preview --jsonl`,
 * `preview --catalog CATALOG.json --jsonl`, `help`. Exit codes: 0 success, 1 bad input (the
 * error document is on stdout), 2 usage error. `attach FILE --state STATE.json` is in ./attach.ts,
 * `serve --catalog FILE --port N --key KEY` (Autumn's API for local development) in ./serve.ts,
 * `pricing FILE [--format table|json]` (the pricing table) in ./pricing.ts.
 *
 * @example
 * // npm run --silent cli -- preview examples/upgrade.json --format table
 */
import { type Command, parseArgs, USAGE } from "./args.ts"
import { catalogPreviewer, documentPreviewer, isErrorDocument, loadCatalogSource, type Previewer, previewParsed, readJsonFile, toJson } from "./documents.ts"
import { runJsonl } from "./jsonl.ts"
import { autoJobs, type WorkerSource } from "./jsonlPool.ts"
import { formatPreviewTable } from "./table.ts"

/** Writes to stdout and resolves once the text is handed to the OS (or the pipe is gone). */
const print = (text: string): Promise<void> =>
  new Promise((resolve) => {
    process.stdout.write(text, () => resolve())
  })

/** The previewer of a command, and what worker threads need to build the same one. */
const previewerFor = async (catalogFile: string | undefined): Promise<{ readonly previewer: Previewer; readonly source: WorkerSource } | { readonly error: string }> => {
  if (catalogFile === undefined) return { previewer: documentPreviewer, source: { hasCatalog: false } }
  const loaded = await loadCatalogSource(catalogFile)
  return loaded.ok
    ? { previewer: catalogPreviewer(loaded.value.catalog), source: { hasCatalog: true, catalog: loaded.value.json } }
    : { error: toJson(loaded.error, 2) }
}

const run = async (command: Command): Promise<number> => {
  switch (command._tag) {
    case "Help":
      process.stderr.write(USAGE)
      return 0
    case "UsageError":
      process.stderr.write(`attach-planner: ${command.message}\n\n${USAGE}`)
      return 2
    case "PreviewJsonl": {
      const chosen = await previewerFor(command.catalog)
      if ("error" in chosen) {
        await print(chosen.error + "\n")
        return 1
      }
      const jobs = command.jobs === undefined || command.jobs === "auto" ? autoJobs() : command.jobs
      const options = { jobs, source: chosen.source, ...(command.parallelAfter === undefined ? {} : { parallelAfter: command.parallelAfter, waitForWorkers: true }) }
      const stats = await runJsonl(process.stdin, process.stdout, chosen.previewer, options)
      if (stats.failure === undefined) return 0
      process.stderr.write(`attach-planner: a --jsonl worker thread failed after ${stats.lines} output lines: ${stats.failure}\n`)
      return 1
    }
    case "PreviewFile": {
      const chosen = await previewerFor(command.catalog)
      if ("error" in chosen) {
        await print(chosen.error + "\n")
        return 1
      }
      const json = await readJsonFile(command.file)
      const output = json.ok ? previewParsed(chosen.previewer, json.value) : json.error
      if (isErrorDocument(output)) {
        await print(toJson(output, 2) + "\n")
        return 1
      }
      await print(command.format === "table" ? formatPreviewTable(output, { explain: command.explain === true }) : toJson(output, 2) + "\n")
      return 0
    }
  }
}

// A reader that goes away (`… | head`) is not an error of ours: stop quietly.
// (runJsonl notices the failed output and stops reading.)
process.stdout.on("error", () => {})

const argv = process.argv.slice(2)
const serve = async (args: ReadonlyArray<string>): Promise<number> => {
  if (args.includes("--help") || args.includes("-h")) {
    process.stderr.write((await import("./serveArgs.ts")).SERVE_USAGE)
    return 0
  }
  return (await import("./serve.ts")).runServe(args, print)
}
// Each command's module is loaded when that command runs: `preview` (every worker of a JSONL
// stream too) does not load the server, the store, the sandbox or the Autumn layer.
/** Commands with their own module: the arguments after the name to the exit code. */
const commands: Readonly<Record<string, (args: ReadonlyArray<string>) => Promise<number>>> = {
  attach: async (args) => (await import("./attach.ts")).runAttach(args, print),
  serve,
  pricing: async (args) => (await import("./pricing.ts")).runPricing(args, print),
  timeline: async (args) => (await import("./timeline.ts")).runTimeline(args, print),
  "what-if": async (args) => (await import("./whatIf.ts")).runWhatIfCli(args, print)
}
const advance = async (args: ReadonlyArray<string>): Promise<number> => (await import("./advance.ts")).runAdvance(args, print)
// `attach --state … advance --to DATE` advances the sandbox's clock instead of attaching.
const own = argv[0] === "attach" && argv.includes("advance") ? advance : argv[0] !== undefined && Object.hasOwn(commands, argv[0]) ? commands[argv[0]] : undefined
;(own === undefined ? run(parseArgs(argv)) : own(argv.slice(1))).then(
  (code) => {
    process.exitCode = code
  },
  (cause: unknown) => {
    process.stdout.write(toJson({ error: { _tag: "Defect", message: `internal error: ${cause instanceof Error ? cause.message : String(cause)}` } }) + "\n")
    process.exitCode = 1
  }
)
