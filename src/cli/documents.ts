/**
 * The document plumbing of the command line: reading files, parsing JSON, and turning one parsed
 * document into a preview or error document. Nothing here throws: every failure — an unreadable
 * file, invalid JSON, a bad document, even an unexpected defect of the engine — becomes an error
 * document `{ error: { _tag, message, … } }` (docs/spec.md §13).
 *
 * @example
 * const previewer = catalogPreviewer(catalog)
 * const out = previewParsed(previewer, JSON.parse(line)) // AttachPreview | ErrorDocument
 */
import { readFile } from "node:fs/promises"
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { decodeAttachDocument, decodeBesideGuardedCatalog, decodeCatalog, decodeCustomerAndRequest } from "../Document.ts"
import { guardedValues } from "../internal/inputGuard.ts"
import { type Matcher, sameJson, sameJsonAs } from "./internal/sameJson.ts"
import { DecodeError, type ErrorDocument, errorDocument } from "../Errors.ts"
import { planAttach } from "../Planner.ts"
import type { AttachPreview } from "../Preview.ts"

/**
 * What the CLI prints for one input: a preview, or an error document.
 * @example const output: Output = { error: { _tag: "UnknownPlan", message: 'No plan "enterprise" in the catalog', planId: "enterprise" } }
 */
export type Output = AttachPreview | ErrorDocument

/**
 * Turns one parsed JSON document into its output.
 * @example const previewer: Previewer = catalogPreviewer(catalog) // previewer(JSON.parse(line)): a preview or an error document
 */
export type Previewer = (document: unknown) => Output

/**
 * A value or the error document explaining why there is none.
 * @example parseJson("[1]", "doc.json") // { ok: true, value: [1] }; parseJson("{", "doc.json").ok is false, with a DecodeError document
 */
export type Loaded<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: ErrorDocument }

const MAX_MESSAGE = 300

const clip = (s: string): string => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s)

const messageOf = (cause: unknown): string => clip(cause instanceof Error ? cause.message : String(cause))

/**
 * An error document for a whole input that could not be read or parsed (path `(document)`).
 *
 * @example documentError("invalid JSON: Unexpected end of JSON input").error._tag // "DecodeError"
 */
export const documentError = (message: string): ErrorDocument =>
  errorDocument(new DecodeError({ message, path: "(document)", issues: [{ path: "(document)", message }] }))

/**
 * Whether an output is an error document.
 * @example isErrorDocument(documentError("invalid JSON")) // true
 */
export const isErrorDocument = (output: Output): output is ErrorDocument => "error" in output

/**
 * Parses JSON text (a leading byte-order mark is ignored); `where` prefixes the error message.
 *
 * @example parseJson('{"a":1}', "doc.json") // { ok: true, value: { a: 1 } }
 */
export const parseJson = (text: string, where: string): Loaded<unknown> => {
  try {
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown }
  } catch (cause) {
    return { ok: false, error: documentError(`${where}: invalid JSON: ${messageOf(cause)}`) }
  }
}

/**
 * Reads a UTF-8 text file; `-` reads standard input to its end.
 *
 * @example await readText("examples/new.json")
 */
export const readText = async (file: string): Promise<Loaded<string>> => {
  try {
    if (file === "-") {
      const chunks: Array<Buffer> = []
      for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer))
      return { ok: true, value: Buffer.concat(chunks).toString("utf8") }
    }
    return { ok: true, value: await readFile(file, "utf8") }
  } catch (cause) {
    return { ok: false, error: documentError(`cannot read ${file === "-" ? "standard input" : file}: ${messageOf(cause)}`) }
  }
}

/**
 * Reads and parses a JSON file.
 *
 * @example await readJsonFile("examples/new.json")
 */
export const readJsonFile = async (file: string): Promise<Loaded<unknown>> => {
  const text = await readText(file)
  return text.ok ? parseJson(text.value, file === "-" ? "standard input" : file) : text
}

/**
 * Reads and decodes a catalog file (just the catalog, docs/spec.md §3) once; `json` is the parsed file,
 * which worker threads decode again on their side.
 *
 * @example await loadCatalogSource("examples/catalog.json") // { ok: true, value: { catalog, json } }
 */
export const loadCatalogSource = async (file: string): Promise<Loaded<{ readonly catalog: Catalog; readonly json: unknown }>> => {
  const json = await readJsonFile(file)
  if (!json.ok) return json
  const catalog = decodeCatalog(json.value)
  return Result.isSuccess(catalog) ? { ok: true, value: { catalog: catalog.success, json: json.value } } : { ok: false, error: errorDocument(catalog.failure) }
}

/**
 * Reads and decodes a catalog file (just the catalog, docs/spec.md §3) once.
 *
 * @example await loadCatalog("examples/catalog.json")
 */
export const loadCatalog = async (file: string): Promise<Loaded<Catalog>> => {
  const loaded = await loadCatalogSource(file)
  return loaded.ok ? { ok: true, value: loaded.value.catalog } : loaded
}

/**
 * The last catalog decoded, with its JSON and, once that JSON came again, a matcher for it and
 * the values the input guard counts in it.
 */
interface KnownCatalog {
  readonly json: unknown
  readonly catalog: Catalog
  same: Matcher | undefined
  values: number
}

const isKnown = (known: KnownCatalog, json: unknown): boolean => {
  if (known.same !== undefined) return known.same(json)
  if (!sameJson(known.json, json)) return false
  // The catalog repeats: the matcher, built once, tests the next lines faster, and the guard
  // counts its values without walking it again.
  known.same = sameJsonAs(known.json)
  known.values = guardedValues(known.json) ?? Number.POSITIVE_INFINITY
  return true
}

/** The customer and request of `document` decoded against the known catalog its catalog repeats. */
const decodeBesideKnown = (known: KnownCatalog, document: Record<string, unknown>, json: object): ReturnType<typeof decodeCustomerAndRequest> =>
  decodeBesideGuardedCatalog(known.catalog, document, { value: json, values: known.values })

/** The document's catalog when it is an object: only an object decodes as a catalog, so only one can repeat a known catalog. */
const catalogJsonOf = (document: unknown): object | undefined => {
  const json = isRecordLike(document) && "catalog" in document ? document["catalog"] : undefined
  return typeof json === "object" && json !== null ? json : undefined
}

/**
 * A previewer of whole attach documents that keeps the last catalog it decoded (see
 * {@link documentPreviewer}); `decodeDocument` decodes the documents whose catalog it has not
 * just seen (tests count its calls).
 *
 * @example const previewer = rememberingPreviewer(decodeAttachDocument)
 */
export const rememberingPreviewer = (decodeDocument: typeof decodeAttachDocument): Previewer => {
  let known: KnownCatalog | undefined
  return (document) => {
    const json = catalogJsonOf(document)
    const seen = known !== undefined && json !== undefined && isKnown(known, json) ? { known, json } : undefined
    // The same answer as decodeAttachDocument: it too guards the whole document, then decodes the catalog.
    const input = seen !== undefined && isRecordLike(document) ? decodeBesideKnown(seen.known, document, seen.json) : decodeDocument(document)
    if (Result.isFailure(input)) return errorDocument(input.failure)
    if (seen === undefined && json !== undefined) known = { json, catalog: input.success.catalog, same: undefined, values: Number.POSITIVE_INFINITY }
    return outputOf(planAttach(input.success))
  }
}

const isRecordLike = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * The previewer of whole attach documents `{ catalog, customer, request }`, answering as
 * `previewDocument` does. A stream of documents often carries one catalog on every line: the last
 * catalog decoded is kept with the JSON it came from, and a document whose catalog is the same
 * JSON is planned against it without decoding the catalog again (decoding is a function of the
 * JSON alone, so the answer is the same). Given values straight from `JSON.parse`.
 *
 * @example previewParsed(documentPreviewer, JSON.parse(line))
 */
export const documentPreviewer: Previewer = rememberingPreviewer(decodeAttachDocument)

/**
 * The previewer of `{ customer, request }` documents against an already decoded catalog.
 *
 * @example catalogPreviewer(catalog)({ customer, request })
 */
export const catalogPreviewer = (catalog: Catalog): Previewer => (document) => {
  // Previewers are given values straight from JSON.parse.
  const input = decodeCustomerAndRequest(catalog, document)
  return Result.isFailure(input) ? errorDocument(input.failure) : outputOf(planAttach(input.success))
}

const outputOf = (preview: ReturnType<typeof planAttach>): Output => (Result.isSuccess(preview) ? preview.success : errorDocument(preview.failure))

/**
 * Runs a previewer, turning an unexpected exception (a defect of the engine) into an error
 * document with `_tag: "Defect"` so that one document never stops a stream.
 *
 * @example previewParsed(documentPreviewer, { catalog, customer, request })
 */
export const previewParsed = (previewer: Previewer, document: unknown): Output => {
  try {
    return previewer(document)
  } catch (cause) {
    return { error: { _tag: "Defect", message: `internal error while previewing: ${messageOf(cause)}` } }
  }
}

/**
 * Serialises an output as compact JSON (one line); a value that cannot be serialised becomes a
 * `Defect` error document instead of an exception.
 *
 * @example toJsonLine({ error: { _tag: "UnknownPlan", message: "…" } })
 */
export const toJson = (output: Output, indent?: number): string => {
  try {
    return JSON.stringify(output, undefined, indent)
  } catch (cause) {
    return JSON.stringify({ error: { _tag: "Defect", message: `internal error while serialising the preview: ${messageOf(cause)}` } }, undefined, indent)
  }
}

/**
 * A usage error: the message and the command's usage on standard error; resolves to exit code 2.
 *
 * @example if (typeof options === "string") return usageFailure(options, PRICING_USAGE)
 */
export const usageFailure = (message: string, usage: string): number => {
  process.stderr.write(`attach-planner: ${message}\n\n${usage}`)
  return 2
}

/**
 * Prints an error document on `out` and resolves to exit code 1 (bad input).
 *
 * @example const fail = failWith(print); if (!json.ok) return fail(json.error)
 */
export const failWith = (out: (text: string) => Promise<void>) => async (error: ErrorDocument): Promise<number> => {
  await out(toJson(error, 2) + "\n")
  return 1
}

