/**
 * The oracle of docs/spec.md §6 `isUpgrade` over generated plan shapes, in exact fractions
 * (independent of src/Pricing.ts).
 *
 * @example
 * isUpgradeOracle(zeroed(shape), shape) // { rule: 1, upgrade: true } when shape has a non-zero price
 */
import type { PlanShape, RecurringInterval } from "./planShapes.ts"

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

/** Free: no price with a non-zero amount (docs/spec.md §3). */
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

/** Which rule of docs/spec.md §6 `isUpgrade` decided, and its answer. */
export interface UpgradeVerdict {
  readonly rule: 1 | 2 | 3 | 4 | 5
  readonly upgrade: boolean
}

/**
 * docs/spec.md §6 `isUpgrade(current, next)`: the first rule that fires.
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
