/**
 * What an operation on the sandbox's draft answers: its result, or the provider's error.
 *
 * @example
 * const found: Outcome<Invoice> = inv === undefined ? rejected("resource_missing", `No invoice ${id}`) : Result.succeed(inv)
 */
import * as Result from "effect/Result"
import { type ProviderError, ProviderRejected } from "../../Provider.ts"

/** An operation's answer. @example const answer: Outcome<void> = ok */
export type Outcome<A> = Result.Result<A, ProviderError>

/** The provider refuses the request with `code`. @example rejected("invoice_not_open", "Invoice in_sbx_0001 is void") */
export const rejected = (code: string, message: string): Outcome<never> => Result.fail(new ProviderRejected({ code, message }))

/** Done, with nothing to answer. @example return ok */
export const ok: Outcome<void> = Result.succeed(undefined)
