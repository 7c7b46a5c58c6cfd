/**
 * Generated plans as shapes: which priced parts a plan has (a base price, allocated seats, prepaid
 * storage packs, messages in arrears) with amounts in ten-thousandths, and the catalog JSON of one
 * over the features of `test/support/build.ts`.
 *
 * @example
 * fc.sample(planShapeArb, 1).map((s) => planDoc("pro", s)) // [{ id: "pro", price: { amount: "12.5000", … }, items: […] }]
 */
import fc from "fast-check"
import type { Obj } from "../build.ts"
import { decimalOf, tenThousandthsArb } from "./amounts.ts"

/** A recurring interval's unit. */
export type Unit = "day" | "week" | "month" | "quarter" | "semi_annual" | "year"
/** A recurring interval: `count` units. */
export interface RecurringInterval {
  readonly unit: Unit
  readonly count: number
}
/** Every unit, 1 to 3 of it. */
export const recurringIntervalArb: fc.Arbitrary<RecurringInterval> = fc.record({
  unit: fc.constantFrom<Unit>("day", "week", "month", "quarter", "semi_annual", "year"),
  count: fc.integer({ min: 1, max: 3 })
})

/** A storage price: a flat amount per pack, or ascending tiers (graduated or volume). */
export type StoragePrice =
  | { readonly kind: "flat"; readonly amount: number }
  | { readonly kind: "tiers"; readonly behavior: "graduated" | "volume"; readonly tiers: ReadonlyArray<{ readonly upTo: number | "inf"; readonly amount: number; readonly flat: number | null }> }

/**
 * Every priced part a generated plan can have (amounts in ten-thousandths):
 * a base price, allocated `seats` (non-consumable usage-based), prepaid `storage` packs and
 * `messages` billed in arrears (consumable usage-based, monthly).
 */
export interface PlanParts {
  readonly base: { readonly amount: number; readonly interval: RecurringInterval }
  readonly seats: { readonly included: number; readonly amount: number; readonly interval: RecurringInterval }
  readonly storage: { readonly included: number; readonly pack: number; readonly price: StoragePrice; readonly interval: RecurringInterval }
  readonly messages: { readonly included: number; readonly amount: number }
}

/** Which parts a plan has. */
export interface PlanShape {
  readonly parts: PlanParts
  readonly base: boolean
  readonly seats: boolean
  readonly storage: boolean
  readonly messages: boolean
}

const tiersArb = fc.tuple(
  fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 0, maxLength: 3 }),
  fc.array(fc.tuple(tenThousandthsArb, fc.option(tenThousandthsArb, { nil: null })), { minLength: 4, maxLength: 4 }),
  fc.constantFrom<"graduated" | "volume">("graduated", "volume")
).map(([bounds, prices, behavior]): StoragePrice => {
  const ups: Array<number | "inf"> = [...[...bounds].sort((x, y) => x - y), "inf"]
  return { kind: "tiers", behavior, tiers: ups.map((upTo, i) => ({ upTo, amount: prices[i]?.[0] ?? 0, flat: prices[i]?.[1] ?? null })) }
})

/** Every priced part at random. */
export const planPartsArb: fc.Arbitrary<PlanParts> = fc.record({
  base: fc.record({ amount: tenThousandthsArb, interval: recurringIntervalArb }),
  seats: fc.record({ included: fc.integer({ min: 0, max: 5 }), amount: tenThousandthsArb, interval: recurringIntervalArb }),
  storage: fc.record({
    included: fc.integer({ min: 0, max: 50 }),
    pack: fc.integer({ min: 1, max: 20 }),
    price: fc.oneof(tenThousandthsArb.map((amount): StoragePrice => ({ kind: "flat", amount })), tiersArb),
    interval: recurringIntervalArb
  }),
  messages: fc.record({ included: fc.integer({ min: 0, max: 200 }), amount: tenThousandthsArb })
})

/** A main (recurring or free) plan: any subset of the parts. */
export const planShapeArb: fc.Arbitrary<PlanShape> = fc.record({
  parts: planPartsArb,
  base: fc.boolean(),
  seats: fc.boolean(),
  storage: fc.boolean(),
  messages: fc.boolean()
})

/** The same shape with every amount 0 (a free plan). */
export const zeroed = (s: PlanShape): PlanShape => {
  const p = s.parts
  const price: StoragePrice = p.storage.price.kind === "flat"
    ? { kind: "flat", amount: 0 }
    : { ...p.storage.price, tiers: p.storage.price.tiers.map((t) => ({ ...t, amount: 0, flat: null })) }
  return {
    ...s,
    parts: {
      base: { ...p.base, amount: 0 },
      seats: { ...p.seats, amount: 0 },
      storage: { ...p.storage, price },
      messages: { ...p.messages, amount: 0 }
    }
  }
}

const intervalFields = (i: RecurringInterval): Obj => ({ interval: i.unit, intervalCount: i.count })

const storagePriceDoc = (p: StoragePrice): Obj => p.kind === "flat"
  ? { amount: decimalOf(p.amount) }
  : {
      tierBehavior: p.behavior,
      tiers: p.tiers.map((t) => t.flat === null
        ? { upTo: t.upTo, amount: decimalOf(t.amount) }
        : { upTo: t.upTo, amount: decimalOf(t.amount), flatAmount: decimalOf(t.flat) })
    }

/** The catalog JSON of a generated plan (features of `test/support/build.ts`). */
export const planDoc = (id: string, s: PlanShape, extra: Obj = {}): Obj => {
  const p = s.parts
  const items: Array<Obj> = []
  if (s.seats) items.push({ featureId: "seats", included: p.seats.included, price: { amount: decimalOf(p.seats.amount), ...intervalFields(p.seats.interval), billingMethod: "usage_based" } })
  if (s.storage) {
    items.push({
      featureId: "storage",
      included: p.storage.included,
      price: { ...storagePriceDoc(p.storage.price), ...intervalFields(p.storage.interval), billingMethod: "prepaid", billingUnits: p.storage.pack }
    })
  }
  if (s.messages) items.push({ featureId: "messages", included: p.messages.included, price: { amount: decimalOf(p.messages.amount), interval: "month", billingMethod: "usage_based" } })
  return {
    id,
    ...(s.base ? { price: { amount: decimalOf(p.base.amount), ...intervalFields(p.base.interval) } } : {}),
    ...(items.length > 0 ? { items } : {}),
    ...extra
  }
}
