/**
 * The planner: one pure function of `(catalog, customer state, request)` that returns the full
 * preview document of an attach (docs/spec.md §6–§10). It reads no clock, does no I/O and uses no
 * randomness: the same input gives the same output. Its stages are in `src/planner/`.
 *
 * @example
 * import { decodeAttachDocument, planAttach } from "attach-planner"
 * import * as Result from "effect/Result"
 * const input = decodeAttachDocument(document)
 * const preview = Result.isSuccess(input) ? planAttach(input.success) : input
 */
import * as Result from "effect/Result"
import type { AttachInput } from "./Document.ts"
import { type AttachError, InvalidRequest } from "./Errors.ts"
import { documentInstants, InstantOutOfRange } from "./internal/instants.ts"
import type { AttachPreview } from "./Preview.ts"
import { plan } from "./planner/plan.ts"

/**
 * What an exception of the planner itself becomes: an instant past year 9999 (a next cycle, a
 * trial end), or an input no document decodes to (a cycle handed to planAttach directly).
 */
const unplannable = (e: unknown): AttachError =>
  e instanceof InstantOutOfRange
    ? new InvalidRequest({ reason: "instant_out_of_range", message: `request: ${e.message}` })
    : new InvalidRequest({ reason: "input_out_of_range", message: `request: cannot be planned (${e instanceof RangeError ? "it is too large or nests too deep" : "a value could not be read"})` })

/**
 * Plans an attach on a decoded document: the preview document, or a tagged error.
 *
 * @example
 * planAttach({ catalog, customer, request }) // Result<AttachPreview, AttachError>
 */
export const planAttach = (input: AttachInput): Result.Result<AttachPreview, AttachError> => {
  try {
    return documentInstants(() => plan(input))
  } catch (e) {
    return Result.fail(unplannable(e))
  }
}
