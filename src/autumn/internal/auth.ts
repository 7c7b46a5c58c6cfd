/**
 * The API key check of every route (Autumn's and the sandbox's): `Authorization: Bearer <key>`
 * read from the headers alone (before a byte of the body), compared in constant time with every
 * accepted key.
 *
 * @example
 * const who = authenticate(request.headers.get("authorization"), ["am_sk_test_1"])
 * typeof who === "number" ? who : who.code // 0, or "invalid_secret_key"
 */

/** A refused key. @example const r: AuthFailure = { status: 401, code: "invalid_secret_key", message: "Invalid secret key" } */
export interface AuthFailure {
  readonly status: 401
  readonly code: string
  readonly message: string
}

/**
 * Whether two keys are equal, in a time that depends on their lengths only, never on where they
 * differ.
 *
 * @example sameKey("am_sk_1", "am_sk_1") // true
 */
export const sameKey = (a: string, b: string): boolean => {
  let diff = a.length ^ b.length
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return diff === 0
}

/**
 * The index of the key an `Authorization` header carries among `keys`, or why it is refused.
 * Every key is compared (no early exit), so the time does not tell which one matched.
 *
 * @example authenticate("Bearer am_sk_1", ["am_sk_1"]) // 0
 */
export const authenticate = (header: string | null, keys: ReadonlyArray<string>): number | AuthFailure => {
  if (header === null || header.trim() === "") {
    return { status: 401, code: "no_auth_header", message: "Authorization header missing: send Authorization: Bearer <secret key>" }
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (match === null) return { status: 401, code: "invalid_auth_header", message: "Authorization header must be Bearer <secret key>" }
  const given = match[1] ?? ""
  let found = -1
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? ""
    if (sameKey(key, given) && key !== "" && found < 0) found = i
  }
  return found < 0 ? { status: 401, code: "invalid_secret_key", message: "Invalid secret key" } : found
}
