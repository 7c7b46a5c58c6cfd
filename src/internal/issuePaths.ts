/**
 * Schema failures as `{ path, message }` text issues, for code that still collects issues as
 * text (the Autumn catalog import); built on {@link schemaIssues} and printed like every other
 * decode error (internal/decodeIssues.ts).
 *
 * @example issueLeaves(failure.issue, ["products", 0]) // [{ path: "products[0].name", message: "expected string, got 1" }]
 */
import type * as SchemaIssue from "effect/SchemaIssue"
import type { DecodeIssue } from "../Errors.ts"
import { type IssuePath, renderIssue, renderPath, schemaIssues } from "./decodeIssues.ts"

/**
 * Flattens a Schema issue tree into `{ path, message }` leaves, message `expected X, got Y`.
 *
 * @example issueLeaves(failure.issue) // [{ path: "id", message: "is required but missing" }]
 */
export const issueLeaves = (issue: SchemaIssue.Issue, prefix: IssuePath = [], out: Array<DecodeIssue> = []): Array<DecodeIssue> => {
  for (const i of schemaIssues(issue, prefix)) out.push(renderIssue(i))
  return out
}

/** A path as documents print it. @example formatPath(["plans", 0]) // "plans[0]" */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string => renderPath(path)
