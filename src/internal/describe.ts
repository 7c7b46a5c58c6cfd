import type { Feature, Plan } from "../Catalog.ts"
import type { Period } from "../Interval.ts"
import * as Money from "../Money.ts"
import { DAY_MS, civilFromDays } from "./civil.ts"
import type * as Rational from "../Rational.ts"

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** "Jan 16" and the UTC year of an instant. */
interface DayText {
  readonly text: string
  readonly year: number
}

const SLOTS = 1024
const dayAt = new Float64Array(SLOTS).fill(Number.NaN)
const dayTexts: Array<DayText> = new Array<DayText>(SLOTS).fill({ text: "", year: 0 })

/** The day text of an instant, from a small direct-mapped cache (the same boundaries recur). */
const dayOf = (t: number): DayText => {
  const days = Math.floor(t / DAY_MS)
  const slot = days & (SLOTS - 1)
  if (dayAt[slot] === t) return dayTexts[slot] as DayText
  const civil = civilFromDays(days)
  const d = { text: `${MONTHS[civil.month - 1] ?? ""} ${civil.day}`, year: civil.year }
  dayAt[slot] = t
  dayTexts[slot] = d
  return d
}

/** "Jan 16 – Feb 1, 2025", or "Dec 16, 2024 – Jan 1, 2025" across years. */
export const periodText = (p: Period): string => {
  const start = dayOf(p.start)
  const end = dayOf(p.end)
  return start.year === end.year ? `${start.text} – ${end.text}, ${end.year}` : `${start.text}, ${start.year} – ${end.text}, ${end.year}`
}

/** "1 seat" / "3 seats", from the feature's display names (or its name). */
export const unitsText = (feature: Feature, n: number): string => {
  const singular = feature.display?.singular ?? feature.name.toLowerCase()
  const plural = feature.display?.plural ?? (singular.endsWith("s") ? singular : `${singular}s`)
  return `${n} ${n === 1 ? singular : plural}`
}

const withPeriod = (text: string, period: Period | null): string => (period === null ? text : `${text} (${periodText(period)})`)

export const describeBaseCharge = (plan: Plan, period: Period | null): string => withPeriod(plan.name, period)

export const describeItemCharge = (plan: Plan, feature: Feature, units: number, period: Period | null): string =>
  withPeriod(`${plan.name} – ${unitsText(feature, units)}`, period)

export const describeCredit = (plan: Plan, feature: Feature | undefined, units: number, period: Period): string =>
  withPeriod(`Unused time on ${plan.name}${feature === undefined ? "" : ` – ${unitsText(feature, units)}`}`, period)

export const describeArrears = (feature: Feature, units: number, unitPrice: Rational.Rational | undefined, currency: string): string => {
  const name = feature.display?.plural ?? feature.name
  const capitalised = name.charAt(0).toUpperCase() + name.slice(1)
  if (unitPrice === undefined) return `${capitalised} overage: ${unitsText(feature, units)}`
  return `${capitalised} overage: ${units} × ${unitPriceText(unitPrice, currency)}`
}

/** Formatted unit prices by catalog amount (a stable object of the decoded catalog) and currency. */
const unitPrices = new WeakMap<Rational.Rational, Map<string, string>>()

/** "$0.10", or "$0.01 (rounded)" when the unit price has more digits than the currency. */
const unitPriceText = (unitPrice: Rational.Rational, currency: string): string => {
  let byCurrency = unitPrices.get(unitPrice)
  if (byCurrency === undefined) {
    byCurrency = new Map()
    unitPrices.set(unitPrice, byCurrency)
  }
  let text = byCurrency.get(currency)
  if (text === undefined) {
    const minor = Money.toMinor(unitPrice, currency)
    const exact = unitPrice.n * 10n ** BigInt(Money.exponentOf(currency)) % unitPrice.d === 0n
    text = exact ? Money.formatMinor(minor, currency) : `${Money.formatMinor(minor, currency)} (rounded)`
    byCurrency.set(currency, text)
  }
  return text
}
