/**
 * The decoders of request bodies, built once per schema: a body that decodes takes the schema's
 * compiled decoder; any other body (and one whose reading throws) is Schema's, the only source of
 * error messages, so an error is worded as Schema words it.
 *
 * @example const decoder = decoderOf(CheckoutBodySchema); decoder.fast({ customer_id: 1 }) === GIVE_UP // true
 */
import * as Schema from "effect/Schema"
import type * as Result from "effect/Result"
import { compileDecoder, GIVE_UP } from "../../internal/compiledSchema.ts"

/** Schema's options for a request body: every issue, no field it does not define. @example Schema.decodeUnknownResult(schema)(json, decodeOptions) */
export const decodeOptions = { errors: "all", onExcessProperty: "error", reportInput: true } as const

/** A schema's two decoders. @example const d: BodyDecoder = decoderOf(CheckoutBodySchema) */
export interface BodyDecoder {
  /** The compiled decoder: the same value as Schema's on a valid body, else GIVE_UP. */
  readonly fast: (json: unknown) => unknown
  /** Schema's decoder: the only source of error messages. */
  readonly schema: (json: unknown, options: typeof decodeOptions) => Result.Result<unknown, Schema.SchemaError>
}

const decoders = new WeakMap<object, BodyDecoder>()

/** The decoders of `schema`, made at its first body. @example decoderOf(CheckoutBodySchema).schema({ customer_id: 1 }, decodeOptions) // Result.fail(SchemaError) */
export const decoderOf = (schema: Schema.Codec<unknown, unknown>): BodyDecoder => {
  const known = decoders.get(schema)
  if (known !== undefined) return known
  const compiled = compileDecoder(schema)
  const made: BodyDecoder = {
    fast: (json) => {
      try {
        return compiled(json)
      } catch {
        return GIVE_UP
      }
    },
    schema: Schema.decodeUnknownResult(schema)
  }
  decoders.set(schema, made)
  return made
}
