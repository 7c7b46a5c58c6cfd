/**
 * Every {@link DecodeError} is built here, from structured issues — where (the path as keys and
 * indexes), what was expected, what was given — and rendered in one of two ways: for this
 * library's documents (`catalog.plans[0].id: expected …, got …`) and for Autumn's API (the
 * request's own snake_case path, "(body)" for the whole body).
 *
 * @example
 * import { decodeError } from "./decodeIssues.ts"
 * decodeError([{ kind: "mismatch", path: ["request", "at"], expected: "an ISO-8601 instant", actual: '"yesterday"' }]).message
 * // 'request.at: expected an ISO-8601 instant, got "yesterday"'
 */
import type * as SchemaIssue from "effect/SchemaIssue"
import { DecodeError, type DecodeIssue } from "../Errors.ts"

/** Where a problem is: object keys and array indexes from the document's root. @example const p: IssuePath = ["plans", 0, "id"] */
export type IssuePath = ReadonlyArray<string | number>

/**
 * One problem found while decoding: a value of the wrong kind (`mismatch`: what was expected and
 * what was given, described), a required field absent, a field the document does not have, or a
 * rule across fields broken (its message says which).
 *
 * @example const i: Issue = { kind: "missing", path: ["customer", "id"] }
 */
export type Issue =
  | { readonly kind: "mismatch"; readonly path: IssuePath; readonly expected: string; readonly actual: string }
  | { readonly kind: "missing"; readonly path: IssuePath }
  | { readonly kind: "unexpected"; readonly path: IssuePath }
  | { readonly kind: "rule"; readonly path: IssuePath; readonly message: string }

const TOO_BIG = Symbol("too big")

/**
 * A short description of a given value; bounded work even for huge or shared-reference inputs.
 *
 * @example describeValue("yesterday") // '"yesterday"'
 */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return "nothing"
  let budget = 100
  try {
    const json = JSON.stringify(value, (_key, v: unknown) => {
      if (--budget < 0) throw TOO_BIG
      return v
    })
    if (json === undefined) return typeof value
    return json.length > 60 ? json.slice(0, 57) + "..." : json
  } catch (e) {
    return e === TOO_BIG ? (Array.isArray(value) ? "a large array" : "a large object") : typeof value
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/**
 * A path as this library's documents print it: `plans[0].id`, `["a b"]`, `(document)` for the root.
 *
 * @example renderPath(["catalog", "plans", 0, "id"]) // "catalog.plans[0].id"
 */
export const renderPath = (path: ReadonlyArray<PropertyKey>, root = "(document)"): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "string" && IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out === "" ? root : out
}

/**
 * The path a {@link renderPath} string names (for issues that were written as strings).
 *
 * @example parsePath('catalog.plans[0]["a b"]') // ["catalog", "plans", 0, "a b"]
 */
export const parsePath = (text: string): IssuePath => {
  if (text === "(document)") return []
  const out: Array<string | number> = []
  const token = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_$][\w$]*)/y
  let m: RegExpExecArray | null
  while (token.lastIndex < text.length && (m = token.exec(text)) !== null) {
    out.push(m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? (JSON.parse(m[2]) as string) : (m[3] as string))
  }
  // Not a path this library prints: keep it whole.
  return token.lastIndex === text.length && renderPath(out) === text ? out : [text]
}

const expectedOf = (annotations: unknown): string | undefined => {
  if (typeof annotations !== "object" || annotations === null) return undefined
  const a = annotations as { readonly expected?: unknown; readonly message?: unknown }
  return typeof a.expected === "string" ? a.expected : typeof a.message === "string" ? a.message : undefined
}

const astExpected = (ast: unknown): string => {
  const a = ast as { readonly annotations?: unknown; readonly _tag?: string; readonly literal?: unknown; readonly types?: ReadonlyArray<unknown> }
  const exp = expectedOf(a.annotations)
  if (exp !== undefined) return exp
  if (a._tag === "Literal") return JSON.stringify(a.literal)
  if (a._tag === "Union" && a.types !== undefined) return a.types.map(astExpected).join(" | ")
  if (a._tag === "Objects") return "an object"
  if (a._tag === "Arrays") return "an array"
  return (a._tag ?? "a value").toLowerCase()
}

const mismatch = (path: IssuePath, expected: string, input: unknown): Issue => ({ kind: "mismatch", path, expected, actual: describeValue(input) })

const keysOf = (path: ReadonlyArray<PropertyKey>): IssuePath => path.map((k) => (typeof k === "symbol" ? String(k) : k))

/**
 * The structured issues of a Schema failure (its leaves), each path under `prefix`.
 *
 * @example schemaIssues(failure.issue, ["customer"]) // [{ kind: "missing", path: ["customer", "id"] }]
 */
export const schemaIssues = (issue: SchemaIssue.Issue, prefix: IssuePath = [], out: Array<Issue> = []): Array<Issue> => {
  switch (issue._tag) {
    case "Pointer":
      schemaIssues(issue.issue, [...prefix, ...keysOf(issue.path)], out)
      break
    case "Composite":
      for (const i of issue.issues) schemaIssues(i, prefix, out)
      break
    case "Encoding":
      schemaIssues(issue.issue, prefix, out)
      break
    case "Filter": {
      const inner = issue.issue
      if (inner._tag === "InvalidValue" || inner._tag === "InvalidType") {
        out.push(mismatch(prefix, expectedOf(issue.filter.annotations) ?? expectedOf(inner._tag === "InvalidValue" ? inner.annotations : undefined) ?? "a valid value", issue.input))
      } else schemaIssues(inner, prefix, out)
      break
    }
    case "AnyOf":
      if (issue.issues.length === 1 && issue.issues[0] !== undefined && issue.issues[0]._tag !== "InvalidType") schemaIssues(issue.issues[0], prefix, out)
      else out.push(mismatch(prefix, astExpected(issue.ast), issue.input))
      break
    case "MissingKey":
      out.push({ kind: "missing", path: prefix })
      break
    case "UnexpectedKey":
      out.push({ kind: "unexpected", path: prefix })
      break
    case "InvalidType":
      out.push(mismatch(prefix, astExpected(issue.ast), issue.input))
      break
    case "InvalidValue":
      out.push(mismatch(prefix, expectedOf(issue.annotations) ?? "a valid value", issue.input))
      break
    default:
      out.push({ kind: "rule", path: prefix, message: "is not valid" })
  }
  return out
}

/** How issues are printed: the root path, and what a document is called. */
interface Rendering {
  readonly root: string
  readonly document: "document" | "request"
}

/** This library's documents: `catalog.plans[0].id`, `(document)` for the root. */
const LIBRARY: Rendering = { root: "(document)", document: "document" }
/** An Autumn request body: its own (snake_case) path, `(body)` for the whole body. */
const AUTUMN_BODY: Rendering = { root: "(body)", document: "request" }

/** An issue in a document's own terms, or one already written as `{ path, message }` text (kept as written). */
type AnyIssue = Issue | DecodeIssue

const messageOf = (issue: Issue, r: Rendering): string => {
  switch (issue.kind) {
    case "mismatch":
      return `expected ${issue.expected}, got ${issue.actual}`
    case "missing":
      return "is required but missing"
    case "unexpected":
      return `is not a field of this ${r.document} (check its spelling)`
    case "rule":
      return issue.message
  }
}

const isText = (issue: AnyIssue): issue is DecodeIssue => typeof issue.path === "string"

const rendered = (issue: AnyIssue, r: Rendering): DecodeIssue =>
  isText(issue) ? { path: issue.path, message: issue.message } : { path: renderPath(issue.path, r.root), message: messageOf(issue, r) }

/**
 * An issue as this library's documents print it.
 *
 * @example renderIssue({ kind: "missing", path: ["customer", "id"] }) // { path: "customer.id", message: "is required but missing" }
 */
export const renderIssue = (issue: AnyIssue): DecodeIssue => rendered(issue, LIBRARY)

/**
 * An issue that was written as `{ path, message }` strings, structured (a path this library
 * would not print stays one segment).
 *
 * @example issueOfText({ path: "catalog.plans[0].id", message: "duplicate plan id" }) // { kind: "rule", path: ["catalog", "plans", 0, "id"], message: "duplicate plan id" }
 */
export const issueOfText = (issue: DecodeIssue): Issue => ({ kind: "rule", path: parsePath(issue.path), message: issue.message })

const structuredOf = (issue: AnyIssue): Issue => (isText(issue) ? issueOfText(issue) : issue)

const structured = new WeakMap<DecodeError, ReadonlyArray<Issue>>()

/** What {@link decodeError} does besides rendering. @example decodeError(issues, { countOthers: false }) */
export interface DecodeErrorOptions {
  /** The issue reported when there is none (a failure that named nothing). */
  readonly ifNone?: AnyIssue
  /** Whether the message counts the issues after the first: `(and 2 more)`. Default true. */
  readonly countOthers?: boolean
}

const more = (count: number, countOthers: boolean): string => (countOthers && count > 1 ? ` (and ${count - 1} more)` : "")

/**
 * THE way to build a {@link DecodeError}: from structured issues (or issues already written as
 * text, kept as written), rendered for this library's documents. Its message and path are the
 * first issue's, counting the others.
 *
 * @example decodeError([{ kind: "missing", path: ["customer", "id"] }]).message // "customer.id: is required but missing"
 */
export const decodeError = (issues: ReadonlyArray<AnyIssue>, options: DecodeErrorOptions = {}): DecodeError => {
  const first = rendered(issues[0] ?? options.ifNone ?? { kind: "rule", path: [], message: "is not valid" }, LIBRARY)
  const message = `${first.path}: ${first.message}${more(issues.length, options.countOthers !== false)}`
  const error = new DecodeError({ message, path: first.path, issues: issues.map((i) => rendered(i, LIBRARY)) })
  structured.set(error, issues.map(structuredOf))
  return error
}

/**
 * The structured issues of a decode error: those it was built from, or its printed ones read back.
 *
 * @example issuesOf(decodeError([{ kind: "missing", path: ["id"] }])) // [{ kind: "missing", path: ["id"] }]
 */
export const issuesOf = (error: DecodeError): ReadonlyArray<Issue> =>
  structured.get(error) ?? (error.issues.length > 0 ? error.issues : [{ path: error.path, message: error.message }]).map(issueOfText)

/**
 * The first of a request body's issues in Autumn's terms, for an `invalid_inputs` answer.
 *
 * @example autumnBodyProblem([{ kind: "unexpected", path: ["plan_idd"] }]) // { path: "plan_idd", message: "is not a field of this request (check its spelling)" }
 */
export const autumnBodyProblem = (issues: ReadonlyArray<Issue>): DecodeIssue =>
  rendered(issues[0] ?? { kind: "rule", path: [], message: "is not valid" }, AUTUMN_BODY)

/**
 * A decode error of this library's customer and attach request, worded with Autumn's field
 * names: the request's paths without their `request` root, keys in snake_case
 * (`plans[0].feature_quantities: …`), the others counted.
 *
 * @example autumnMessage(decodeError([{ kind: "missing", path: ["request", "successUrl"] }])) // "success_url: is required but missing"
 */
export const autumnMessage = (error: DecodeError): string => {
  const issues = issuesOf(error)
  const first = renderIssue(issues[0] === undefined ? { path: error.path, message: error.message } : { ...issues[0], path: toAutumnPath(issues[0].path) })
  return `${first.path}: ${first.message}${more(issues.length, true)}`
}

const toAutumnPath = (path: IssuePath): IssuePath =>
  (path[0] === "request" ? path.slice(1) : path).map((k) => (typeof k === "string" ? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : k))
