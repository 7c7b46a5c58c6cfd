/**
 * Idempotency keys of the fetch handler (`Idempotency-Key` header): the first request with a key
 * runs; a later request with the same key and the same route and body gets the stored response
 * (even while the first is still running: it waits for it); the same key with another route or
 * body is refused. A response with a 5xx status is not kept: the request may be retried.
 *
 * @example
 * const keys = makeIdempotencyKeys()
 * const outcome = keys.claim("k1", fingerprint)   // { kind: "first", settle } | { kind: "replay", response } | { kind: "conflict" }
 */

/** A response as stored for replay. @example { status: 200, body: { customer_id: "cus_1", payment_url: null } } */
export interface StoredResponse {
  readonly status: number
  readonly body: unknown
}

/** What a request with an idempotency key does. @example claim.kind === "replay" && (await claim.response).status */
export type Claim =
  | { readonly kind: "first"; readonly settle: (response: StoredResponse) => void }
  | { readonly kind: "replay"; readonly response: Promise<StoredResponse> }
  | { readonly kind: "conflict" }

/** The keys seen by one handler. @example makeIdempotencyKeys().claim("k", "fp") */
export interface IdempotencyKeys {
  readonly claim: (key: string, fingerprint: string) => Claim
}

/** An in-memory record of keys, kept for the handler's lifetime. @example const keys = makeIdempotencyKeys() */
export const makeIdempotencyKeys = (): IdempotencyKeys => {
  const entries = new Map<string, { readonly fingerprint: string; readonly response: Promise<StoredResponse> }>()
  return {
    claim: (key, fingerprint) => {
      const seen = entries.get(key)
      if (seen !== undefined) return seen.fingerprint === fingerprint ? { kind: "replay", response: seen.response } : { kind: "conflict" }
      let resolve = (_: StoredResponse): void => {}
      const response = new Promise<StoredResponse>((r) => {
        resolve = r
      })
      const entry = { fingerprint, response }
      entries.set(key, entry)
      return {
        kind: "first",
        settle: (r) => {
          if (r.status >= 500 && entries.get(key) === entry) entries.delete(key)
          resolve(r)
        }
      }
    }
  }
}
