import type { Plan } from "../Catalog.ts"
import type { Subscription } from "../Customer.ts"
import { isCurrent } from "../Customer.ts"
import { periodAt } from "../Interval.ts"
import { type PlanPrice, planPrices, recurringInterval } from "../Pricing.ts"
import type { Priced } from "../planner/internal/lines.ts"
import { iso, ms } from "./instants.ts"
import { type SubscriptionFacts, subscriptionFacts } from "./subscriptionFacts.ts"

/** A subscription of the customer as the attach goes, with its decoded facts and its catalog plan. */
export interface Entry {
  readonly sub: Subscription
  /** The instants and billing key of `sub`, decoded once. */
  readonly facts: SubscriptionFacts
  readonly plan: Plan | undefined
  /**
   * For a subscription this attach started: what its charged prices cost for a full period, as
   * today's charges priced them for `sub` (the object then: a later change replaces the object,
   * and the prices no longer apply).
   */
  readonly priced?: { readonly sub: Subscription; readonly byPrice: ReadonlyMap<PlanPrice, Priced> }
}

/**
 * The entry of a subscription document and its plan, its facts decoded.
 *
 * @example entryOf(sub, pro).facts.billingAnchor // 1735689600000
 */
export const entryOf = (sub: Subscription, plan: Plan | undefined): Entry => ({ sub, facts: subscriptionFacts(sub), plan })

/** Which billing subscription a plan instance belongs to: the provider's id, or its anchor. */
export const billingKey = (sub: Subscription): string => sub.providerSubscriptionId ?? `anchor:${ms(sub.billingAnchor)}`

/** Fields a planned change sets on a subscription. */
export type SubscriptionPatch = { readonly [K in keyof Subscription]?: Subscription[K] }

/**
 * `{ ...withoutKeys(sub, drop), ...patch }` built by a loop: the same keys in the same order (the
 * subscription's own keys in place, new ones appended in patch order), several times faster than
 * an object spread of a decoded subscription.
 *
 * @example patched(sub, { status: "expired", endsAt: "2025-01-16T00:00:00.000Z" }, ["cancelAtPeriodEnd", "endsAt"])
 */
export const patched = (sub: Subscription, patch: SubscriptionPatch, drop: ReadonlyArray<keyof Subscription> = []): Subscription => {
  const source = sub as Record<string, unknown>
  const changes = patch as Record<string, unknown>
  const changed = Object.keys(changes)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(source)) {
    if (drop.length > 0 && drop.includes(key as keyof Subscription)) continue
    out[key] = changed.includes(key) ? changes[key] : source[key]
  }
  for (const key of changed) if (!Object.hasOwn(out, key)) out[key] = changes[key]
  return out as unknown as Subscription
}

/**
 * The end of the current period of a subscription at `at`: the trial end while trialing, else
 * the earliest next boundary of its recurring prices (`at` when it has none).
 */
export const currentPeriodEnd = ({ facts }: WithFacts, plan: Plan, at: number): number => {
  if (facts.trialEndsAt !== undefined && facts.trialEndsAt > at) return facts.trialEndsAt
  const anchor = facts.billingAnchor
  let end = Number.POSITIVE_INFINITY
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval !== undefined) end = Math.min(end, periodAt(anchor, interval, at).end)
  }
  return Number.isFinite(end) ? end : at
}

/** Whether a subscription is trialing at `at` (so it has paid nothing for the period). */
export const isTrialingAt = ({ sub, facts }: WithFacts, at: number): boolean =>
  sub.status === "trialing" || (facts.trialEndsAt !== undefined && facts.trialEndsAt > at && isCurrent(sub))

/** A subscription document with its decoded facts (an entry, a held plan). */
export interface WithFacts {
  readonly sub: Subscription
  readonly facts: SubscriptionFacts
}

/** `20250116T000000Z` for an instant: its ISO form without separators and milliseconds. */
const stampOf = (at: number): string => {
  const text = iso(at)
  const first = text.charCodeAt(0)
  if (text.length === 24 && first >= 0x30 && first <= 0x39) {
    return `${text.slice(0, 4)}${text.slice(5, 7)}${text.slice(8, 13)}${text.slice(14, 16)}${text.slice(17, 19)}Z`
  }
  return text.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")
}

/**
 * The subscription ids of a working state: those taken, and per id base the suffix last given
 * (ids are only ever added, so the first free suffix never goes down: probing starts there, and
 * attaching N copies of a plan costs N steps, not N²).
 */
export interface SubscriptionIds {
  readonly taken: Set<string>
  readonly lastSuffix: Map<string, number>
}

/** The ids of subscriptions already in a state. */
export const subscriptionIds = (ids: Iterable<string>): SubscriptionIds => ({ taken: new Set(ids), lastSuffix: new Map() })

/** A deterministic subscription id for a plan attached at an instant — `sub_<plan>_<stamp>`, then `_2`, `_3`, … — now taken. */
export const newSubscriptionId = (planId: string, at: number, ids: SubscriptionIds): string => {
  const base = `sub_${planId}_${stampOf(at)}`
  // A base never given a suffix is at 1 (kept implicit: most attaches give none).
  let i = ids.lastSuffix.size === 0 ? 1 : ids.lastSuffix.get(base) ?? 1
  let id = i === 1 ? base : `${base}_${i}`
  while (ids.taken.has(id)) id = `${base}_${++i}`
  if (i !== 1) ids.lastSuffix.set(base, i)
  ids.taken.add(id)
  return id
}

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
