/**
 * Checks of a parsed request made before any operation runs: customer ids are text a person can
 * read back (no control characters, no lone UTF-16 surrogates — they could not be told apart
 * once stored), and a request asks for a bounded number of plans.
 *
 * @example
 * checkRequest({ customer_id: "cus\u0000", plan_id: "pro" }, {}, 100) // { status: 400, code: "invalid_inputs", message: "customer_id: …" }
 */
import type { BodyFailure } from "./body.ts"

/** The default cap on plans per request. @example MAX_PLANS_PER_REQUEST // 100 */
export const MAX_PLANS_PER_REQUEST = 100

const UNREADABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Why an id is not acceptable, or `undefined`.
 *
 * @example idProblem("cus_1") // undefined
 */
export const idProblem = (id: string): string | undefined =>
  UNREADABLE.test(id) ? "must not hold control characters or invalid UTF-8" : undefined

const invalid = (field: string, problem: string): BodyFailure => ({ status: 400, code: "invalid_inputs", message: `${field}: ${problem}` })

/**
 * The first problem of a request's customer ids and plan count, or `undefined`.
 *
 * @example checkRequest({ plans: new Array(101).fill({ plan_id: "x" }) }, {}, 100)?.message // "plans: at most 100 plans per request, got 101"
 */
export const checkRequest = (body: unknown, params: Readonly<Record<string, string>>, maxPlans: number): BodyFailure | undefined => {
  for (const [name, value] of Object.entries(params)) {
    const problem = idProblem(value)
    if (problem !== undefined) return invalid(name, problem)
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined
  const fields = body as Readonly<Record<string, unknown>>
  for (const name of ["customer_id", "entity_id"]) {
    const value = fields[name]
    const problem = typeof value === "string" ? idProblem(value) : undefined
    if (problem !== undefined) return invalid(name, problem)
  }
  const plans = fields["plans"]
  if (Array.isArray(plans) && plans.length > maxPlans) return invalid("plans", `at most ${maxPlans} plans per request, got ${plans.length}`)
  return undefined
}
