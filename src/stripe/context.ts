/**
 * What every Stripe operation of the adapter shares: the client, the catalog, the price and
 * customer look-ups, and the metadata the adapter keeps on Stripe objects so that the port's view
 * of a subscription (its items, its pending phase) reads back exactly as it was written.
 *
 * @example const items = itemsOf(subscription) // the ProviderItems written by the adapter
 */
import type Stripe from "stripe"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type { Catalog } from "../Catalog.ts"
import { type Phase, PhaseSchema, type ProviderItem, ProviderItemSchema, ProviderRejected } from "../Provider.ts"
import { type PriceRef, pricedItems } from "./prices.ts"

/** The adapter's shared state. @example ctx.stripe.invoices.retrieve(id) */
export interface StripeContext {
  readonly stripe: Stripe
  readonly catalog: Catalog
  readonly priceOf: (ref: PriceRef) => Promise<string>
  readonly customerOf: (customerId: string) => Promise<string>
  readonly successUrl: string
}

/** Epoch seconds of an ISO instant (Stripe's timestamps). @example seconds("2025-01-01T00:00:00.000Z") // 1735689600 */
export const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000)
/** The ISO instant of epoch seconds. @example isoOf(1735689600) // "2025-01-01T00:00:00.000Z" */
export const isoOf = (s: number): string => new Date(s * 1000).toISOString()

/** The id of an expandable Stripe field. @example idOf(sub.customer) // "cus_…" */
export const idOf = (x: string | { readonly id: string }): string => (typeof x === "string" ? x : x.id)

const canonical = (item: ProviderItem): string =>
  JSON.stringify([item.planId, item.version, item.entityId, [...item.quantities].map((q) => [q.featureId, q.quantity]).sort()])

/** Whether two lists hold the same items, in any order. @example sameItems(itemsOf(sub), request.previousItems) */
export const sameItems = (a: ReadonlyArray<ProviderItem>, b: ReadonlyArray<ProviderItem>): boolean =>
  a.length === b.length && JSON.stringify(a.map(canonical).sort()) === JSON.stringify(b.map(canonical).sort())

/** Whether two pending phases are the same change. @example samePhase(phaseOf(schedule), { at, items }) */
export const samePhase = (a: Phase | null, b: Phase): boolean => a !== null && Date.parse(a.at) === Date.parse(b.at) && sameItems(a.items, b.items)

const decodeItems = Schema.decodeUnknownResult(Schema.fromJsonString(Schema.Array(ProviderItemSchema)))
const decodePhase = Schema.decodeUnknownResult(Schema.fromJsonString(PhaseSchema))

/** The provider items the adapter recorded on a subscription (`metadata.ap_items`). @example itemsOf(sub) */
export const itemsOf = (sub: Stripe.Subscription): ReadonlyArray<ProviderItem> => {
  const r = decodeItems(sub.metadata?.["ap_items"] ?? "[]")
  if (Result.isFailure(r)) throw new ProviderRejected({ code: "foreign_subscription", message: `Subscription ${sub.id} was not written by attach-planner (metadata.ap_items)` })
  return r.success
}

const recordedPhase = (schedule: Stripe.SubscriptionSchedule | null): Phase | null => {
  if (schedule === null || (schedule.status !== "active" && schedule.status !== "not_started")) return null
  const r = decodePhase(schedule.metadata?.["ap_phase"] ?? "")
  return Result.isSuccess(r) ? r.success : null
}

/** Whether the phase the adapter recorded on a live schedule has started (Stripe renewed into it). */
const started = (schedule: Stripe.SubscriptionSchedule, phase: Phase): boolean =>
  schedule.current_phase !== null && schedule.current_phase.start_date >= seconds(phase.at)

/** The pending phase the adapter recorded on a live schedule (`metadata.ap_phase`), until it starts. @example phaseOf(schedule) */
export const phaseOf = (schedule: Stripe.SubscriptionSchedule | null): Phase | null => {
  const phase = recordedPhase(schedule)
  return phase === null || schedule === null || started(schedule, phase) ? null : phase
}

/** A live schedule the adapter made whose phase has started: it only waits to be released. @example isSpent(schedule) */
export const isSpent = (schedule: Stripe.SubscriptionSchedule | null): schedule is Stripe.SubscriptionSchedule => {
  const phase = recordedPhase(schedule)
  return phase !== null && schedule !== null && started(schedule, phase)
}

/** The revision counter the adapter bumps on each write of a subscription (part of its idempotency keys). @example revOf(sub) // 3 */
export const revOf = (sub: Stripe.Subscription): number => Number(sub.metadata?.["ap_rev"] ?? "0") || 0

/** The Stripe items `{ price, quantity }` of provider items in a currency. @example await stripeItems(ctx, items, "usd") */
export const stripeItems = async (ctx: StripeContext, items: ReadonlyArray<ProviderItem>, currency: string): Promise<Array<{ price: string; quantity: number }>> => {
  const priced = pricedItems(ctx.catalog, items, currency)
  if (priced instanceof ProviderRejected) throw priced
  const out: Array<{ price: string; quantity: number }> = []
  for (const p of priced) out.push({ price: await ctx.priceOf(p.ref), quantity: p.quantity })
  return out
}
