/**
 * A small valid attach document and the helpers that mutate a fresh copy of it, for the decoding
 * tests: each test changes one field and checks the DecodeError names exactly that field's path.
 *
 * @example
 * expectDecodeError(withValue(["request", "at"], "yesterday"), "request.at", /got "yesterday"/)
 */
import * as Result from "effect/Result"
import { expect } from "vitest"
import { decodeAttachDocument } from "../../src/Document.ts"
import type { DecodeError } from "../../src/Errors.ts"

/** A key of an object or an index of an array. */
export type Key = string | number
/** The keys from the document's root to one of its values. */
export type Path = ReadonlyArray<Key>

/** Plan pro: a base price with a euro price, sso, seats billed by use with one included, api calls in tiers, a trial. */
const proPlan = () => ({
  id: "pro",
  name: "Pro",
  group: "main",
  price: { amount: "20", interval: "month", currencies: { eur: "18" } },
  items: [
    { featureId: "sso" },
    {
      featureId: "seats",
      included: 1,
      price: { amount: 10, interval: "month", billingMethod: "usage_based" },
      proration: { onIncrease: "prorate", onDecrease: "next_cycle" }
    },
    {
      featureId: "api",
      included: 1000,
      reset: { interval: "month" },
      price: {
        tiers: [
          { upTo: 100, amount: "0.10" },
          { upTo: 500, amount: "0.05", flatAmount: "1" },
          { upTo: "inf", amount: "0.02" }
        ],
        tierBehavior: "graduated",
        interval: "month",
        billingMethod: "usage_based"
      }
    }
  ],
  freeTrial: { length: 14, unit: "day", cardRequired: false }
})

/** The catalog of validDocument: features seats, api, sso; plans free, pro, credits; the discount half. */
const validCatalog = () => ({
  defaultCurrency: "usd",
  features: [
    { id: "seats", type: "metered", display: { singular: "seat", plural: "seats" } },
    { id: "api", name: "API calls", type: "metered", consumable: true },
    { id: "sso", type: "boolean" }
  ],
  plans: [
    {
      id: "free",
      group: "main",
      autoEnable: true,
      items: [{ featureId: "api", included: 100, reset: { interval: "month" } }]
    },
    proPlan(),
    {
      id: "credits",
      addOn: true,
      items: [{ featureId: "api", price: { amount: "5", interval: "one_off", billingUnits: 1000, billingMethod: "prepaid" } }]
    }
  ],
  discounts: [{ id: "half", percentOff: "50", duration: { months: 3 }, appliesTo: ["pro"], promotionCodes: ["HALF"] }]
})

/**
 * A fresh valid attach document, each call a new copy to mutate:
 * catalog.plans[0] = free, [1] = pro (base price + seats + api tiers), [2] = credits (one-off pack)
 * catalog.features[0] = seats (metered, non-consumable), [1] = api (consumable), [2] = sso (boolean)
 */
export const validDocument = () => ({
  catalog: validCatalog(),
  customer: {
    id: "cus_1",
    currency: "usd",
    hasPaymentMethod: true,
    subscriptions: [
      {
        id: "sub_1",
        planId: "free",
        status: "active",
        billingAnchor: "2025-01-01T00:00:00Z",
        startedAt: "2025-01-01T00:00:00.000Z",
        usage: [{ featureId: "api", used: 40 }]
      }
    ]
  },
  request: {
    customerId: "cus_1",
    at: "2025-01-16T00:00:00Z",
    plans: [{ planId: "pro", featureQuantities: [{ featureId: "seats", quantity: 3 }] }],
    redirectMode: "if_required"
  }
})

/** An object or an array, whose values a path can reach. */
export const isContainer = (u: unknown): u is Record<Key, unknown> => typeof u === "object" && u !== null

const parentOf = (root: unknown, path: Path): [Record<Key, unknown>, Key] => {
  let node: unknown = root
  for (const key of path.slice(0, -1)) {
    if (!isContainer(node) || !(key in node)) throw new Error(`test bug: no ${String(key)} in path ${path.join(".")}`)
    node = node[key]
  }
  const last = path[path.length - 1]
  if (!isContainer(node) || last === undefined) throw new Error(`test bug: bad path ${path.join(".")}`)
  return [node, last]
}

/** A fresh valid document with the value at `path` replaced. */
export const withValue = (path: Path, value: unknown): unknown => {
  const doc = validDocument()
  const [parent, key] = parentOf(doc, path)
  parent[key] = value
  return doc
}
/** A fresh valid document without the field at `path`. */
export const without = (path: Path): unknown => {
  const doc = validDocument()
  const [parent, key] = parentOf(doc, path)
  if (!(key in parent)) throw new Error(`test bug: nothing to delete at ${path.join(".")}`)
  delete parent[key]
  return doc
}
/** A fresh valid document with `value` appended to the array at `path`. */
export const withPushed = (path: Path, value: unknown): unknown => {
  const doc = validDocument()
  const [parent, key] = parentOf(doc, path)
  const list = parent[key]
  if (!Array.isArray(list)) throw new Error(`test bug: not an array at ${path.join(".")}`)
  list.push(value)
  return doc
}

/** The DecodeError of a failed decode (a decode that succeeds fails the test). */
export const failureOf = (r: Result.Result<unknown, DecodeError>): DecodeError => {
  if (Result.isSuccess(r)) throw new Error("expected a DecodeError, but the document decoded")
  return r.failure
}

/** Asserts the document fails with a DecodeError at exactly `path`, whose message starts with the path. */
export const expectDecodeError = (input: unknown, path: string, message?: RegExp | string): DecodeError => {
  const error = failureOf(decodeAttachDocument(input))
  expect(error._tag).toBe("DecodeError")
  expect(error.path).toBe(path)
  expect(error.message.startsWith(`${path}: `)).toBe(true)
  expect(error.issues[0]?.path).toBe(path)
  if (message !== undefined) expect(error.message).toMatch(message)
  return error
}
