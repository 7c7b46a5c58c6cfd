import type * as SchemaIssue from "effect/SchemaIssue"
import type { DecodeIssue } from "../Errors.ts"

const TOO_BIG = Symbol("too big")

/** A short preview of a rejected value; bounded work even for huge or shared-reference inputs. */
const describe = (value: unknown): string => {
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

const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === "" ? key : `.${key}`
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out === "" ? "(document)" : out
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

/** Flattens a Schema issue tree into `{ path, message }` leaves, message `expected X, got Y`. */
export const issueLeaves = (issue: SchemaIssue.Issue, prefix: ReadonlyArray<PropertyKey> = [], out: Array<DecodeIssue> = []): Array<DecodeIssue> => {
  switch (issue._tag) {
    case "Pointer":
      issueLeaves(issue.issue, [...prefix, ...issue.path], out)
      break
    case "Composite":
      for (const i of issue.issues) issueLeaves(i, prefix, out)
      break
    case "Encoding":
      issueLeaves(issue.issue, prefix, out)
      break
    case "Filter": {
      const inner = issue.issue
      if (inner._tag === "InvalidValue" || inner._tag === "InvalidType") {
        const exp = expectedOf(issue.filter.annotations) ?? expectedOf(inner._tag === "InvalidValue" ? inner.annotations : undefined) ?? "a valid value"
        out.push({ path: formatPath(prefix), message: `expected ${exp}, got ${describe(issue.input)}` })
      } else issueLeaves(inner, prefix, out)
      break
    }
    case "AnyOf":
      if (issue.issues.length === 1 && issue.issues[0] !== undefined && issue.issues[0]._tag !== "InvalidType") {
        issueLeaves(issue.issues[0], prefix, out)
      } else {
        out.push({ path: formatPath(prefix), message: `expected ${astExpected(issue.ast)}, got ${describe(issue.input)}` })
      }
      break
    case "MissingKey":
      out.push({ path: formatPath(prefix), message: "is required but missing" })
      break
    case "UnexpectedKey":
      out.push({ path: formatPath(prefix), message: "is not a field of this document (check its spelling)" })
      break
    case "InvalidType":
      out.push({ path: formatPath(prefix), message: `expected ${astExpected(issue.ast)}, got ${describe(issue.input)}` })
      break
    case "InvalidValue":
      out.push({ path: formatPath(prefix), message: `expected ${expectedOf(issue.annotations) ?? "a valid value"}, got ${describe(issue.input)}` })
      break
    default:
      out.push({ path: formatPath(prefix), message: "is not valid" })
  }
  return out
}

export { formatPath }
