/**
 * The catalog and the steps of the Stripe walks (the local server's and the live one): plans with
 * a base price, prepaid seats past one included, and messages billed in arrears, in one currency.
 * Amounts per currency are major units: usd (2 decimals), jpy (0) and kwd (3).
 *
 * @example walkCatalog("jpy") // { defaultCurrency: "jpy", plans: [...] }
 */
import { type Obj, catalog, freePlan, monthly, prepaidItem, usageItem } from "../support/build.ts"
import type { Step } from "./walk.ts"

const AMOUNTS = {
  usd: { lite: "10", pro: "20", premium: "50", seat: "5", message: "0.10", cheapMessage: "0.05" },
  jpy: { lite: "1500", pro: "2980", premium: "7450", seat: "750", message: "15", cheapMessage: "8" },
  kwd: { lite: "3.050", pro: "6.125", premium: "15.375", seat: "1.555", message: "0.031", cheapMessage: "0.015" }
} as const

/** A currency of the walks. */
export type WalkCurrency = keyof typeof AMOUNTS

const seats = (amount: string): Obj => prepaidItem("seats", { amount }, { included: 1 })
const messages = (included: number, amount: string): Obj => usageItem("messages", { amount }, { included, reset: { interval: "month" } })

/** The amounts of a walk's catalog, major units. */
export type WalkAmounts = { readonly [K in keyof (typeof AMOUNTS)["usd"]]: string }

/** The walk's catalog in one currency (its amounts, or others given). @example walkCatalog("kwd") */
export const walkCatalog = (currency: WalkCurrency, amounts?: WalkAmounts): Obj => {
  const a = amounts ?? AMOUNTS[currency]
  return catalog([
    freePlan(),
    monthly("lite", a.lite, { items: [seats(a.seat)] }),
    monthly("pro", a.pro, { items: [seats(a.seat), messages(100, a.message)] }),
    monthly("premium", a.premium, { items: [seats(a.seat), messages(1000, a.cheapMessage)] })
  ], { defaultCurrency: currency })
}

const withSeats = (planId: string, quantity: number): ReadonlyArray<Obj> => [{ planId, featureQuantities: [{ featureId: "seats", quantity }] }]

/**
 * The walk: Jan 16 new pro with 3 seats; Jan 26 upgrade to premium (150 messages used on pro, 50
 * past its 100 included); Feb 1 seats up to 5; Feb 3 seats down to 2; Feb 5 downgrade to lite at
 * the period's end (a schedule); Feb 7 cancel (free at the period's end).
 */
export const WALK: ReadonlyArray<Step> = [
  { name: "new", at: "2025-01-16T00:00:00.000Z", plans: withSeats("pro", 3) },
  { name: "upgrade with usage", at: "2025-01-26T00:00:00.000Z", plans: withSeats("premium", 3), usage: { planId: "pro", used: 150 } },
  { name: "seats up", at: "2025-02-01T00:00:00.000Z", plans: withSeats("premium", 5) },
  { name: "seats down", at: "2025-02-03T00:00:00.000Z", plans: withSeats("premium", 2) },
  { name: "scheduled downgrade", at: "2025-02-05T00:00:00.000Z", plans: withSeats("lite", 2) },
  { name: "cancel", at: "2025-02-07T00:00:00.000Z", plans: "free" }
]
