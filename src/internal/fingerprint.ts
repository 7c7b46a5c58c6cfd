/**
 * Hashes for idempotency keys and fingerprints: a stable 64-bit FNV-1a hash of a text, of a
 * value's JSON, and of a customer's state in canonical form (key order does not matter). Pure
 * functions; nothing is cached.
 */
import type { AttachRequest } from "../AttachRequest.ts"

/** A stable 64-bit hash (two FNV-1a 32-bit lanes), hex, for idempotency keys and fingerprints. */
export const fnv1a64 = (text: string): string => {
  const h = new Fnv64()
  h.text(text)
  return h.hex()
}

/**
 * The two FNV-1a lanes of {@link fnv1a64}, fed piece by piece: hashing the pieces of a text in
 * order gives the hash of the whole text, without building it.
 */
class Fnv64 {
  a = 0x811c9dc5
  b = 0x01000193 ^ 0x5bd1e995

  char(c: number): void {
    this.a = Math.imul(this.a ^ c, 0x01000193)
    this.b = Math.imul(this.b ^ c, 0x5bd1e995) ^ (this.b >>> 15)
  }

  text(text: string): void {
    let a = this.a
    let b = this.b
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15)
    }
    this.a = a
    this.b = b
  }

  /** A string as JSON (`JSON.stringify(text)`): quoted, escaped only when it needs escaping. */
  jsonString(text: string): void {
    const a0 = this.a
    const b0 = this.b
    let a = Math.imul(a0 ^ QUOTE, 0x01000193)
    let b = Math.imul(b0 ^ QUOTE, 0x5bd1e995) ^ (b0 >>> 15)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c < 0x20 || c === QUOTE || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
        // Something to escape: start this string again from its JSON text.
        this.a = a0
        this.b = b0
        return this.text(JSON.stringify(text))
      }
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15)
    }
    this.a = Math.imul(a ^ QUOTE, 0x01000193)
    this.b = Math.imul(b ^ QUOTE, 0x5bd1e995) ^ (b >>> 15)
  }

  hex(): string {
    return hex32(this.a) + hex32(this.b)
  }
}

const QUOTE = 0x22
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/** Eight lower-case hex digits of a 32-bit value (`(x >>> 0).toString(16).padStart(8, "0")`). */
const hex32 = (x: number): string =>
  (HEX_BYTE[(x >>> 24) & 0xff] as string) + (HEX_BYTE[(x >>> 16) & 0xff] as string) + (HEX_BYTE[(x >>> 8) & 0xff] as string) + (HEX_BYTE[x & 0xff] as string)

const byCodeUnits = (keys: Array<string>): Array<string> => {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string
    let j = i - 1
    if ((keys[j] as string) < key) continue
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string
      j--
    }
    keys[j + 1] = key
  }
  return keys
}

/**
 * Feeds the canonical JSON of a value to the hash: objects with their keys sorted (by UTF-16 code
 * units) and `undefined` members left out, arrays in order, leaves as `JSON.stringify` writes them.
 * The text itself is never built.
 */
const feedCanonical = (h: Fnv64, value: unknown): void => {
  if (typeof value === "string") return h.jsonString(value)
  if (typeof value === "number") return h.text(Number.isFinite(value) ? String(value) : "null")
  if (Array.isArray(value)) {
    h.char(0x5b) // [
    for (let i = 0; i < value.length; i++) {
      if (i > 0) h.char(0x2c) // ,
      feedCanonical(h, value[i])
    }
    return h.char(0x5d) // ]
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>
    const keys = byCodeUnits(Object.keys(record))
    h.char(0x7b) // {
    let first = true
    for (const key of keys) {
      const v = record[key]
      if (v === undefined) continue
      if (!first) h.char(0x2c)
      first = false
      h.jsonString(key)
      h.char(0x3a) // :
      feedCanonical(h, v)
    }
    return h.char(0x7d) // }
  }
  h.text(typeof value === "boolean" ? (value ? "true" : "false") : value === null ? "null" : JSON.stringify(value) ?? "null")
}

/**
 * `fnv1a64(JSON.stringify(value))` for plain JSON data (plain objects and arrays, strings, finite
 * or non-finite numbers, booleans, null), walking the value instead of building the text.
 * Anything `JSON.stringify` treats specially (`toJSON`, class instances, bigint) falls back to it.
 *
 * @example jsonHash({ a: [1, "x"] }) === fnv1a64('{"a":[1,"x"]}') // true
 */
export const jsonHash = (value: unknown): string => {
  const h = new Fnv64()
  // A plain object's `toJSON` can only be its own key or inherited from Object.prototype.
  const plainObjects = !("toJSON" in Object.prototype)
  return plainObjects && feedJson(h, value) ? h.hex() : fnv1a64(JSON.stringify(value))
}

/** Whether `JSON.stringify` leaves a member out (an array writes `null` in its place). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === "function" || typeof v === "symbol"

/**
 * Feeds `JSON.stringify(value)` to the hash; false (with the hash unusable) when the value is not
 * plain data. Objects are plain when their prototype is Object.prototype (checked free of `toJSON`
 * by the caller) or null, so only an own `toJSON` key can make `JSON.stringify` call one.
 */
const feedJson = (h: Fnv64, value: unknown): boolean => {
  if (typeof value === "string") {
    h.jsonString(value)
    return true
  }
  if (typeof value === "number") {
    h.text(Number.isFinite(value) ? String(value) : "null")
    return true
  }
  if (typeof value === "boolean") {
    h.text(value ? "true" : "false")
    return true
  }
  if (value === null) {
    h.text("null")
    return true
  }
  if (typeof value !== "object") return false
  const proto: unknown = Object.getPrototypeOf(value)
  if (Array.isArray(value)) {
    if (proto !== Array.prototype || typeof (value as { toJSON?: unknown }).toJSON === "function") return false
    h.char(0x5b)
    for (let i = 0; i < value.length; i++) {
      if (i > 0) h.char(0x2c)
      const v: unknown = value[i]
      if (omitted(v)) h.text("null")
      else if (!feedJson(h, v)) return false
    }
    h.char(0x5d)
    return true
  }
  if (proto !== Object.prototype && proto !== null) return false
  const record = value as Record<string, unknown>
  h.char(0x7b)
  let first = true
  for (const key of Object.keys(record)) {
    const v = record[key]
    if (omitted(v)) {
      if (key === "toJSON" && typeof v === "function") return false
      continue
    }
    if (!first) h.char(0x2c)
    first = false
    h.jsonString(key)
    h.char(0x3a)
    if (!feedJson(h, v)) return false
  }
  h.char(0x7d)
  return true
}

/**
 * A fingerprint of a customer's state: the same state (whatever its key order) gives the same
 * fingerprint, and any change to it gives another.
 *
 * @example customerFingerprint({ id: "cus_1" }) === customerFingerprint({ id: "cus_1" }) // true
 */
export const customerFingerprint = (customer: unknown): string => {
  const h = new Fnv64()
  feedCanonical(h, customer)
  return `cf_${h.hex()}`
}

/**
 * A deterministic prefix for the idempotency keys of one plan: a hash of the whole request
 * (customer, plans, instant and every option). The same request planned against another state
 * gets the same keys: a plan only runs against the state it was computed from (`basedOn`), and a
 * provider refuses a key reused with other parameters.
 *
 * @example requestKey(request) // "3f9c…"
 */
export const requestKey = (request: AttachRequest): string => jsonHash(request)
