/**
 * Finding and creating the rows of the sandbox's draft: ids it hands out, the customer it
 * creates on first sight, and the invoice, session or live subscription a request names.
 *
 * @example
 * const inv = findInvoice(s, "in_sbx_0001") // Outcome<Invoice>
 * customerOf(s, "cus_1").paymentMethod = "pm_card_visa"
 */
import * as Result from "effect/Result"
import { findBy } from "../../internal/rowIndex.ts"
import type { Invoice, Session, State, Subscription } from "./draft.ts"
import { type Outcome, rejected } from "./outcome.ts"

/** Where the sandbox's hosted pages (checkout, invoices) live. @example `${BASE_URL}/invoices/${inv.id}` */
export const BASE_URL = "https://sandbox.attach-planner.invalid"

/** The row index keys (module constants: `findBy` keeps one index per key function). @example findBy(s.invoices, BY_ID, id) */
export const BY_ID = (row: { readonly id: string }): string => row.id
/** @example findBy(s.idempotency, BY_KEY, key) */
export const BY_KEY = (row: { readonly key: string }): string => row.key
/** @example findBy(s.checkoutSessions, BY_URL, url) */
export const BY_URL = (row: { readonly url: string }): string => row.url

/** A new id with `prefix`, e.g. `in_sbx_0001`. @example newId(s, "in") */
export const newId = (s: State, prefix: string): string => `${prefix}_sbx_${String(s.nextId++).padStart(4, "0")}`

/** The customer `id`, created (no balance, no payment method) when the sandbox has not seen it. @example customerOf(s, "cus_1").balance */
export const customerOf = (s: State, id: string): State["customers"][number] => {
  const found = findBy(s.customers, BY_ID, id)
  if (found !== undefined) return found
  const created = { id, balance: 0, paymentMethod: null }
  s.customers.push(created)
  return created
}

/** The invoice `id`, or `resource_missing`. @example findInvoice(s, "in_sbx_0001") */
export const findInvoice = (s: State, id: string): Outcome<Invoice> => {
  const inv = findBy(s.invoices, BY_ID, id)
  return inv === undefined ? rejected("resource_missing", `No invoice ${id}`) : Result.succeed(inv)
}

/** The checkout session with this id or URL, or `resource_missing`. @example findSession(s, "cs_sbx_0001") */
export const findSession = (s: State, idOrUrl: string): Outcome<Session> => {
  const cs = findBy(s.checkoutSessions, BY_ID, idOrUrl) ?? findBy(s.checkoutSessions, BY_URL, idOrUrl)
  return cs === undefined ? rejected("resource_missing", `No checkout session ${idOrUrl}`) : Result.succeed(cs)
}

/** The subscription `id` when it is not canceled, or `resource_missing` / `subscription_canceled`. @example liveSubscription(s, "sub_sbx_0001") */
export const liveSubscription = (s: State, id: string): Outcome<Subscription> => {
  const sub = findBy(s.subscriptions, BY_ID, id)
  if (sub === undefined) return rejected("resource_missing", `No subscription ${id}`)
  return sub.status === "canceled" ? rejected("subscription_canceled", `Subscription ${id} is canceled`) : Result.succeed(sub)
}
