/**
 * fast-check generators of plans, instants and amounts for the property suites
 * (`test/properties-*.test.ts`), with an exact oracle of SPEC §6 `isUpgrade` over the generated
 * plans. Amounts are generated as integer ten-thousandths of a major unit so the oracle works in
 * exact bigint fractions, and rendered as the decimal strings a catalog holds.
 *
 * @example
 * fc.sample(planShapeArb, 1).map((s) => planDoc("pro", s)) // [{ id: "pro", price: { amount: "12.5000", … }, items: […] }]
 */
import fc from "fast-check"
import type { Obj } from "./doc.ts"

export const DAY = 86_400_000
const BASE = Date.parse("2015-01-01T00:00:00Z")

/** The document form of an instant. */
export const iso = (t: number): string => new Date(t).toISOString()

/** An instant between 2015 and ~2035 (ms precision). */
export const instantArb = fc.tuple(fc.integer({ min: 0, max: 7300 }), fc.integer({ min: 0, max: DAY - 1 }))
  .map(([d, ms]) => BASE + d * DAY + ms)

/** An anchor and an instant at or after it, up to three years later. */
export const anchorAndAtArb = fc.tuple(instantArb, fc.integer({ min: 0, max: 3 * 365 }), fc.integer({ min: 0, max: DAY - 1 }))
  .map(([anchor, d, ms]) => ({ anchor, at: anchor + d * DAY + ms }))

/** An amount in ten-thousandths of a major unit, 0 … 1000.0000, zero one time in six. */
export const tenThousandthsArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 10_000_000 }) }
)

/** The catalog decimal of an amount in ten-thousandths, exactly: 125000 → "12.5000". */
export const decimalOf = (tenThousandths: number): string =>
  `${Math.floor(tenThousandths / 10_000)}.${String(tenThousandths % 10_000).padStart(4, "0")}`

export type Unit = "day" | "week" | "month" | "quarter" | "semi_annual" | "year"
export interface RecurringInterval {
  readonly unit: Unit
  readonly count: number
}
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

/** The catalog JSON of a generated plan (features of `test/support/doc.ts`). */
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

// ---------------------------------------------------------------------------------------------
// The oracle of SPEC §6 isUpgrade, in exact fractions (independent of src/Pricing.ts)
// ---------------------------------------------------------------------------------------------

/** A non-negative fraction n / d with d > 0. */
type Fraction = readonly [bigint, bigint]
const add = ([a, b]: Fraction, [c, d]: Fraction): Fraction => [a * d + c * b, b * d]
/** −1, 0 or 1 as x <, =, > y. */
export const compareFractions = ([a, b]: Fraction, [c, d]: Fraction): number => {
  const l = a * d
  const r = c * b
  return l < r ? -1 : l > r ? 1 : 0
}

/** A recurring interval in months (decisions.md rule 13): a day is 12/365, a week 84/365. */
export const monthsOf = (i: RecurringInterval): Fraction => {
  const c = BigInt(i.count)
  switch (i.unit) {
    case "day": return [12n * c, 365n]
    case "week": return [84n * c, 365n]
    case "month": return [c, 1n]
    case "quarter": return [3n * c, 1n]
    case "semi_annual": return [6n * c, 1n]
    case "year": return [12n * c, 1n]
  }
}

interface OraclePrice {
  readonly nonZero: boolean
  readonly arrears: boolean
  readonly interval: RecurringInterval
  /** The rate compared by rule 5, in ten-thousandths per interval. */
  readonly rate: number
}

const oraclePrices = (s: PlanShape): Array<OraclePrice> => {
  const p = s.parts
  const out: Array<OraclePrice> = []
  if (s.base) out.push({ nonZero: p.base.amount > 0, arrears: false, interval: p.base.interval, rate: p.base.amount })
  if (s.seats) out.push({ nonZero: p.seats.amount > 0, arrears: false, interval: p.seats.interval, rate: p.seats.amount })
  if (s.storage) {
    const sp = p.storage.price
    const nonZero = sp.kind === "flat" ? sp.amount > 0 : sp.tiers.some((t) => t.amount > 0 || (t.flat ?? 0) > 0)
    const rate = sp.kind === "flat" ? sp.amount : (sp.tiers[0]?.amount ?? 0)
    out.push({ nonZero, arrears: false, interval: p.storage.interval, rate })
  }
  if (s.messages) out.push({ nonZero: p.messages.amount > 0, arrears: true, interval: { unit: "month", count: 1 }, rate: 0 })
  return out
}

/** Free: no price with a non-zero amount (SPEC §3). */
export const isFreeShape = (s: PlanShape): boolean => !oraclePrices(s).some((p) => p.nonZero)

const allArrears = (s: PlanShape): boolean => {
  const ps = oraclePrices(s)
  return ps.length > 0 && ps.every((p) => p.arrears)
}

const longest = (s: PlanShape): Fraction =>
  oraclePrices(s).map((p) => monthsOf(p.interval)).reduce((m, x) => (compareFractions(x, m) > 0 ? x : m), [0n, 1n] as Fraction)

/** Rule 5's monthly-normalised total of the in-advance prices, in ten-thousandths per month. */
export const monthlyTotal = (s: PlanShape): Fraction =>
  oraclePrices(s).filter((p) => !p.arrears).reduce((t, p) => {
    const [n, d] = monthsOf(p.interval)
    return add(t, [BigInt(p.rate) * d, n])
  }, [0n, 1n] as Fraction)

/** Which rule of SPEC §6 `isUpgrade` decided, and its answer. */
export interface UpgradeVerdict {
  readonly rule: 1 | 2 | 3 | 4 | 5
  readonly upgrade: boolean
}

/**
 * SPEC §6 `isUpgrade(current, next)`: the first rule that fires.
 *
 * @example isUpgradeOracle(free, pro) // { rule: 1, upgrade: true }
 */
export const isUpgradeOracle = (current: PlanShape, next: PlanShape): UpgradeVerdict => {
  const currentFree = isFreeShape(current)
  const nextFree = isFreeShape(next)
  if (currentFree && !nextFree) return { rule: 1, upgrade: true }
  if (!currentFree && nextFree) return { rule: 2, upgrade: false }
  if (allArrears(current) && allArrears(next)) return { rule: 3, upgrade: true }
  if (compareFractions(longest(next), longest(current)) > 0) return { rule: 4, upgrade: true }
  return { rule: 5, upgrade: compareFractions(monthlyTotal(current), monthlyTotal(next)) <= 0 }
}
