/**
 * A hand-written decoder for the common, valid shape of a customer and a request. It mirrors
 * `CustomerSchema` and `AttachRequestSchema` (same accepted values, same output: objects with
 * the keys in schema order, optional keys only when present) but gives up — returns
 * {@link NOT_FAST} — on anything it is not sure of: a bad value, an unknown key, a symbol key, an
 * object with another prototype, a request with `checkoutSessionParams`. The caller then runs
 * the Schema decoder, which either accepts the input too or words the error; so the fast path
 * changes speed only, never an answer.
 *
 * @example
 * fastCustomer({ id: "cus_1", hasPaymentMethod: true }, false) // { id: "cus_1", hasPaymentMethod: true }
 * fastCustomer({ id: "" }, false) === NOT_FAST // true: Schema words the error
 */
import * as Schema from "effect/Schema"
import type { AttachRequest } from "../AttachRequest.ts"
import type { Customer } from "../Customer.ts"
import { PRESETS, TimeZoneSchema } from "../ProrationPolicy.ts"
import {
  CurrencyCode, Id, Instant, isCurrencyCode, isId, isInstant, isNonNegativeInt, isNonNegativeNumber, isPositiveInt, isQuantity,
  NonNegativeInt, NonNegativeNumber, PositiveInt, Quantity
} from "./schemaKit.ts"
import { isTimeZone } from "./zonedDays.ts"

/** The answer of a fast decoder that is not sure: decode with Schema instead. */
export const NOT_FAST: unique symbol = Symbol("not on the fast path")

type Decoder = (u: unknown) => unknown

/**
 * What a fast decoder accepts, for test/codec/fastDecode-schema.test.ts, which holds every one to the
 * schema it mirrors: the same field names in the same order, the same optionality, the same
 * literals; a `Leaf` accepts what its schema accepts or less, `GivesUp` nothing.
 *
 * @example fastShapes.request._tag // "Struct"
 */
export type FastShape =
  | { readonly _tag: "Leaf"; readonly schema: Schema.Top; readonly accepts: (u: unknown) => boolean }
  | { readonly _tag: "Literals"; readonly literals: ReadonlyArray<string | boolean> }
  | { readonly _tag: "NullOr"; readonly type: FastShape }
  | { readonly _tag: "Array"; readonly item: FastShape; readonly minLength: number }
  | { readonly _tag: "Struct"; readonly fields: ReadonlyArray<FastField> }
  | { readonly _tag: "FirstOf"; readonly members: ReadonlyArray<FastShape> }
  | { readonly _tag: "GivesUp" }

/** A field of a {@link FastShape} struct. @example fastShapes.request._tag === "Struct" && fastShapes.request.fields[0] // { name: "customerId", optional: false, type: … } */
export interface FastField {
  readonly name: string
  readonly optional: boolean
  readonly type: FastShape
}

// Shapes are kept beside the decoders, not inside them: the decoders stay plain closures.
const shapes = new WeakMap<Decoder, FastShape>()
const shaped = (decode: Decoder, shape: FastShape): Decoder => {
  shapes.set(decode, shape)
  return decode
}
const shapeOf = (decode: Decoder): FastShape => shapes.get(decode) ?? { _tag: "GivesUp" }

/** A decoder of the values `ok` accepts, which are (a subset of) those `schema` accepts. */
const leaf = (schema: Schema.Top, ok: (u: unknown) => boolean): Decoder => shaped((u) => (ok(u) ? u : NOT_FAST), { _tag: "Leaf", schema, accepts: ok })

const anyString = leaf(Schema.String, (u) => typeof u === "string")
const boolean = leaf(Schema.Boolean, (u) => typeof u === "boolean")
const id = leaf(Id, isId)
const instant = leaf(Instant, (u) => typeof u === "string" && isInstant(u))
const currency = leaf(CurrencyCode, (u) => typeof u === "string" && isCurrencyCode(u))
const positiveInt = leaf(PositiveInt, isPositiveInt)
const nonNegativeInt = leaf(NonNegativeInt, isNonNegativeInt)
const nonNegativeNumber = leaf(NonNegativeNumber, isNonNegativeNumber)
const quantity = leaf(Quantity, isQuantity)
const timeZone = leaf(TimeZoneSchema, (u) => typeof u === "string" && isTimeZone(u))
// Schema.Number also takes NaN and ±Infinity, which never come from JSON: left to Schema.
const stringOrFiniteNumber = leaf(Schema.Union([Schema.String, Schema.Number]), (u) => typeof u === "string" || (typeof u === "number" && Number.isFinite(u)))

const literals = (values: ReadonlyArray<string | boolean>): Decoder => {
  const set = new Set<unknown>(values)
  return shaped((u) => (set.has(u) ? u : NOT_FAST), { _tag: "Literals", literals: values })
}

const nullOr = (decode: Decoder): Decoder => shaped((u) => (u === null ? null : decode(u)), { _tag: "NullOr", type: shapeOf(decode) })

/** A field of a struct: its name, its decoder and whether it may be absent. */
type Field = readonly [name: string, decode: Decoder, optional?: "optional"]

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const proto: unknown = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/**
 * How the decoders treat their input:
 * - any value: keys listed with `Reflect.ownKeys` (so symbol and non-enumerable keys give up
 *   too), and the output is always a fresh copy, like Schema's;
 * - a value straight from `JSON.parse`, which nobody else holds: keys listed with the much
 *   cheaper `Object.keys`, and an object or array whose every value decodes to itself, with the
 *   keys already in schema order, is returned as it is instead of copied.
 */
interface Mode {
  readonly listKeys: (o: object) => ReadonlyArray<string | symbol>
  readonly reuse: boolean
}

const array = (mode: Mode, decode: Decoder, minLength = 0): Decoder => shaped((u) => {
  if (!Array.isArray(u) || u.length < minLength) return NOT_FAST
  let out: Array<unknown> | undefined
  for (let i = 0; i < u.length; i++) {
    const raw: unknown = u[i]
    const v = decode(raw)
    if (v === NOT_FAST) return NOT_FAST
    if (out === undefined && v !== raw) out = u.slice(0, i)
    out?.push(v)
  }
  return out ?? (mode.reuse ? u : u.slice())
}, { _tag: "Array", item: shapeOf(decode), minLength })

/**
 * A struct with `onExcessProperty: "error"`: every listed key must be a field, every required
 * field present. The output has the fields in declaration order, like Schema's.
 */
const struct = (mode: Mode, fields: ReadonlyArray<Field>): Decoder => {
  const indexOf = new Map(fields.map(([name], i) => [name, i]))
  const required = fields.filter((f) => f[2] === undefined).length
  const fresh = (): Array<unknown> => new Array<unknown>(fields.length).fill(NOT_FAST)
  const shape: FastShape = { _tag: "Struct", fields: fields.map(([name, decode, optional]) => ({ name, optional: optional !== undefined, type: shapeOf(decode) })) }
  return shaped((u) => {
    if (!isPlainObject(u)) return NOT_FAST
    const keys = mode.listKeys(u)
    // The decoded values by field index; only needed once the input cannot be copied as it is.
    let values: Array<unknown> | undefined
    let present = 0
    let last = -1
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]
      const i = typeof key === "string" ? indexOf.get(key) : undefined
      if (i === undefined) return NOT_FAST
      const field = fields[i] as Field
      const raw = u[key as string]
      const v = field[1](raw)
      if (v === NOT_FAST) return NOT_FAST
      if (values === undefined && (v !== raw || i < last)) {
        values = fresh()
        for (let j = 0; j < k; j++) values[indexOf.get(keys[j] as string) as number] = u[keys[j] as string]
      }
      if (values !== undefined) values[i] = v
      last = i
      if (field[2] === undefined) present++
    }
    if (present !== required) return NOT_FAST
    if (values === undefined) {
      if (mode.reuse) return u
      // In schema order with every value itself: a spread copies it, unless a field is not enumerable.
      if (Object.keys(u).length === keys.length) return { ...u }
      values = fresh()
      for (const key of keys) values[indexOf.get(key as string) as number] = u[key as string]
    }
    const out: Record<string, unknown> = {}
    for (let i = 0; i < fields.length; i++) {
      const v = values[i]
      if (v !== NOT_FAST) out[(fields[i] as Field)[0]] = v
    }
    return out
  }, shape)
}

/** A union of structs: the first that decodes (with excess keys refused, at most one does). */
const firstOf = (members: ReadonlyArray<Decoder>): Decoder => shaped((u) => {
  for (const decode of members) {
    const v = decode(u)
    if (v !== NOT_FAST) return v
  }
  return NOT_FAST
}, { _tag: "FirstOf", members: members.map(shapeOf) })

const never: Decoder = () => NOT_FAST

/** The customer and request decoders of a {@link Mode}. */
const decoders = (mode: Mode): { readonly customer: Decoder; readonly request: Decoder } => {
  // Mirrors src/Customer.ts, field for field (test/codec/fastDecode-schema.test.ts holds it to the schemas).
  const featureQuantity = struct(mode, [["featureId", id], ["quantity", quantity]])
  const usage = struct(mode, [["featureId", id], ["used", nonNegativeNumber]])
  const appliedDiscount = struct(mode, [["discountId", id], ["appliedAt", instant]])
  const ledgerCredit = struct(mode, [["at", instant], ["amount", nonNegativeInt]])
  const billedEntry = struct(mode, [
    ["featureId", nullOr(id)],
    ["from", instant],
    ["to", instant],
    ["amount", nonNegativeInt],
    ["credits", array(mode, ledgerCredit), "optional"]
  ])

  const subscription = struct(mode, [
    ["id", id],
    ["planId", id],
    ["version", positiveInt, "optional"],
    ["entityId", nullOr(anyString), "optional"],
    ["status", literals(["active", "trialing", "past_due", "scheduled", "expired"])],
    ["billingAnchor", instant],
    ["startedAt", instant],
    ["startsAt", instant, "optional"],
    ["trialEndsAt", instant, "optional"],
    ["cancelAtPeriodEnd", boolean, "optional"],
    ["endsAt", instant, "optional"],
    ["featureQuantities", array(mode, featureQuantity), "optional"],
    ["usage", array(mode, usage), "optional"],
    ["providerSubscriptionId", anyString, "optional"],
    ["discounts", array(mode, appliedDiscount), "optional"],
    ["billed", array(mode, billedEntry), "optional"]
  ])

  const customer = struct(mode, [
    ["id", id],
    ["currency", currency, "optional"],
    ["hasPaymentMethod", boolean, "optional"],
    ["fingerprint", anyString, "optional"],
    ["creditBalance", nonNegativeInt, "optional"],
    ["trialsUsed", array(mode, id), "optional"],
    ["subscriptions", array(mode, subscription), "optional"],
    ["discounts", array(mode, appliedDiscount), "optional"],
    ["timeZone", timeZone, "optional"]
  ])

  // Mirrors src/AttachRequest.ts (and FreeTrialSchema of src/Catalog.ts).
  const requestedPlan = struct(mode, [
    ["planId", id],
    ["version", positiveInt, "optional"],
    ["entityId", anyString, "optional"],
    ["featureQuantities", array(mode, featureQuantity), "optional"],
    ["subscriptionId", id, "optional"]
  ])

  const freeTrial = struct(mode, [
    ["length", positiveInt],
    ["unit", literals(["day", "month", "year"])],
    ["cardRequired", boolean, "optional"]
  ])

  const request = struct(mode, [
    ["customerId", id],
    ["at", instant],
    ["plans", array(mode, requestedPlan, 1)],
    ["entityId", anyString, "optional"],
    ["currency", currency, "optional"],
    ["freeTrial", nullOr(freeTrial), "optional"],
    ["discounts", array(mode, firstOf([struct(mode, [["discountId", id]]), struct(mode, [["promotionCode", id]])])), "optional"],
    ["prorationBehavior", literals(["prorate_immediately", "none"]), "optional"],
    ["planSchedule", literals(["immediate", "end_of_cycle"]), "optional"],
    ["billingCycleAnchor", literals(["now"]), "optional"],
    ["redirectMode", literals(["always", "if_required", "never"]), "optional"],
    ["invoiceMode", struct(mode, [
      ["enabled", literals([true])],
      ["finalize", boolean, "optional"],
      ["enablePlanImmediately", boolean, "optional"],
      ["netTermsDays", nonNegativeInt, "optional"]
    ]), "optional"],
    ["newBillingSubscription", boolean, "optional"],
    ["customLineItems", array(mode, struct(mode, [["amount", stringOrFiniteNumber], ["description", anyString]])), "optional"],
    ["successUrl", anyString, "optional"],
    // A record of unknown values: rare, and Schema's copy rules for odd keys are not worth mirroring.
    ["checkoutSessionParams", never, "optional"],
    // A preset name; the object form is left to Schema.
    ["prorationPolicy", literals(PRESETS), "optional"]
  ])
  return { customer, request }
}

const anyValue = decoders({ listKeys: Reflect.ownKeys, reuse: false })
const jsonValue = decoders({ listKeys: Object.keys, reuse: true })

/**
 * What the fast customer and request decoders accept (both modes build the same decoders).
 *
 * @example fastShapes.customer._tag === "Struct" && fastShapes.customer.fields.map((f) => f.name) // ["id", "currency", …]
 */
export const fastShapes: { readonly customer: FastShape; readonly request: FastShape } = {
  customer: shapeOf(anyValue.customer),
  request: shapeOf(anyValue.request)
}

/**
 * Decodes a customer on the fast path, or gives up with {@link NOT_FAST}. `fromJson` promises
 * that the value comes straight from `JSON.parse` (cheaper key checks).
 *
 * @example fastCustomer({ id: "cus_1" }, false) // { id: "cus_1" }
 */
export const fastCustomer = (u: unknown, fromJson: boolean): Customer | typeof NOT_FAST =>
  (fromJson ? jsonValue : anyValue).customer(u) as Customer | typeof NOT_FAST

/**
 * Decodes an attach request on the fast path, or gives up with {@link NOT_FAST}.
 *
 * @example fastRequest({ customerId: "c", at: "2025-01-01T00:00:00Z", plans: [{ planId: "pro" }] }, false) // the same, copied
 */
export const fastRequest = (u: unknown, fromJson: boolean): AttachRequest | typeof NOT_FAST =>
  (fromJson ? jsonValue : anyValue).request(u) as AttachRequest | typeof NOT_FAST
