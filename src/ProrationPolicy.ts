/**
 * Proration policy as data (docs/proration.md §14): how the part of a period left after an
 * instant is counted — by the millisecond (`exact`, the default), by whole seconds (`stripe`), or
 * by calendar days in a time zone (`lago`: inclusive, in the customer's time zone; `killbill`:
 * end-exclusive), or any `{ clock, dayCount, timeZone }`. The request's policy wins over the
 * plan's, which wins over the catalog's.
 *
 * @example
 * import { ProrationPolicy } from "attach-planner"
 * const period = { start: Date.parse("2024-03-01T00:00:00Z"), end: Date.parse("2024-04-01T00:00:00Z") }
 * const left = ProrationPolicy.fractionLeft(ProrationPolicy.policyOf("lago"), "UTC", period, Date.parse("2024-03-20T08:30:00Z"))
 * // left.numerator 12, left.denominator 31, left.unit "day"
 * ProrationPolicy.fractionBounds(left) // { from: "2024-03-20", to: "2024-03-31" }
 */
import * as Schema from "effect/Schema"
import type { Period } from "./Interval.ts"
import { iso } from "./internal/instants.ts"
import { dayIn, isTimeZone } from "./internal/zonedDays.ts"
import * as Rational from "./Rational.ts"

/** The preset names. @example PRESETS.includes("lago") // true */
export const PRESETS = ["exact", "stripe", "lago", "killbill"] as const
/** A preset name. @example const preset: PresetName = "stripe" */
export type PresetName = (typeof PRESETS)[number]

/** What a policy counts in. @example const clock: Clock = "day" */
export type Clock = "millisecond" | "second" | "day"
/** How calendar days are counted: the change day and the period's last day both counted, the end day not, or 30-day months. @example const dayCount: DayCount = "fixed30" */
export type DayCount = "inclusive" | "endExclusive" | "fixed30"

/** Schema of an IANA time zone name (checked with `Intl`). @example Schema.decodeUnknownSync(TimeZoneSchema)("Europe/Paris") // "Europe/Paris" */
export const TimeZoneSchema = Schema.String.check(Schema.makeFilter(isTimeZone, { expected: "an IANA time zone (e.g. \"Europe/Paris\", \"UTC\")" }))

/** Schema of a policy on input: a preset name, or `{ clock, dayCount?, timeZone? }`. @example Schema.decodeUnknownSync(ProrationPolicySchema)({ clock: "day" }) // { clock: "day" } */
export const ProrationPolicySchema = Schema.Union([
  Schema.Literals(PRESETS),
  Schema.Struct({
    clock: Schema.Literals(["millisecond", "second", "day"]),
    dayCount: Schema.optionalKey(Schema.Literals(["inclusive", "endExclusive", "fixed30"])),
    timeZone: Schema.optionalKey(TimeZoneSchema)
  })
])
/** A policy as in documents. @example const input: ProrationPolicyInput = { clock: "day", dayCount: "fixed30", timeZone: "Europe/Paris" } // or a preset name, "lago" */
export type ProrationPolicyInput = typeof ProrationPolicySchema.Type

/** A policy, decoded: `timeZone` `"customer"` means the customer's `timeZone` (else UTC). @example const policy: ProrationPolicy = { name: "custom", clock: "day", dayCount: "fixed30", timeZone: "UTC" } // policyOf({ clock: "day", dayCount: "fixed30" }) */
export interface ProrationPolicy {
  /** The preset it came from, or `"custom"`. */
  readonly name: PresetName | "custom"
  readonly clock: Clock
  readonly dayCount: DayCount
  readonly timeZone: string
}

const PRESET: Record<PresetName, ProrationPolicy> = {
  exact: { name: "exact", clock: "millisecond", dayCount: "endExclusive", timeZone: "UTC" },
  stripe: { name: "stripe", clock: "second", dayCount: "endExclusive", timeZone: "UTC" },
  lago: { name: "lago", clock: "day", dayCount: "inclusive", timeZone: "customer" },
  killbill: { name: "killbill", clock: "day", dayCount: "endExclusive", timeZone: "UTC" }
}

/** The default policy: the millisecond. @example exact.clock // "millisecond" */
export const exact: ProrationPolicy = PRESET.exact

/**
 * The policy of a document value.
 *
 * @example policyOf({ clock: "day", dayCount: "fixed30" }) // { name: "custom", clock: "day", dayCount: "fixed30", timeZone: "UTC" }
 */
export const policyOf = (input: ProrationPolicyInput): ProrationPolicy =>
  typeof input === "string"
    ? PRESET[input]
    : { name: "custom", clock: input.clock, dayCount: input.dayCount ?? "endExclusive", timeZone: input.timeZone ?? "UTC" }

/**
 * The policy that applies to a plan's prices: the request's, else the plan's, else the catalog's,
 * else {@link exact}.
 *
 * @example resolvePolicy(undefined, lago, undefined) // lago
 */
export const resolvePolicy = (request: ProrationPolicy | undefined, plan: ProrationPolicy | undefined, catalog: ProrationPolicy | undefined): ProrationPolicy =>
  request ?? plan ?? catalog ?? exact

/**
 * The part of a period left after `t`, as the counts it was computed from: `numerator /
 * denominator` in `unit`s, counted between the instants `from` and `to` (for days: the days of
 * those instants in `zone`, `to` being the last day counted), and the exact `share`, clamped to
 * [0, 1].
 * @example fractionLeft(policyOf("stripe"), "UTC", { start: 0, end: 4000 }, 1500) // { share: 3/4 (a decoded Rational), numerator: 3, denominator: 4, unit: "second", from: 1000, to: 4000, zone: "UTC" }
 */
export interface FractionLeft {
  readonly share: Rational.Rational
  readonly numerator: number
  readonly denominator: number
  readonly unit: Clock
  readonly from: number
  readonly to: number
  readonly zone: string
}

/**
 * The share `numerator / denominator` clamped to [0, 1], in lowest terms: reduced once here (in
 * doubles, exact for these counts), every amount prorated by it is a small fraction to reduce and write.
 */
const clamped = (numerator: number, denominator: number): Rational.Rational => {
  if (denominator <= 0 || numerator >= denominator) return Rational.one
  if (numerator <= 0) return Rational.zero
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) return Rational.make(BigInt(numerator), BigInt(denominator))
  let p = denominator
  let q = numerator
  while (q !== 0) {
    const r = p % q
    p = q
    q = r
  }
  return { n: BigInt(numerator / p), d: BigInt(denominator / p) }
}

/** Days of 30/360: each month 30 days, a day 31 counted as 30. */
const day30 = (t: number, zone: string): number => {
  const d = dayIn(t, zone)
  return d.year * 360 + (d.month - 1) * 30 + Math.min(d.day, 30)
}

/**
 * The `from` and `to` of a fraction as text: ISO instants, or `YYYY-MM-DD` days in its zone.
 *
 * @example fractionBounds(fractionLeft(policyOf("killbill"), "UTC", period, at)) // { from: "2023-05-23", to: "2023-06-14" }
 */
export const fractionBounds = (f: FractionLeft): { readonly from: string; readonly to: string } => {
  if (f.unit !== "day") return { from: iso(f.from), to: iso(f.to) }
  return { from: dateText(f.from, f.zone), to: dateText(f.to, f.zone) }
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"))

const dateText = (t: number, zone: string): string => {
  const d = dayIn(t, zone)
  const year = d.year >= 0 && d.year <= 9999 ? `${TWO[Math.floor(d.year / 100)] as string}${TWO[d.year % 100] as string}` : String(d.year).padStart(4, "0")
  return `${year}-${TWO[d.month] as string}-${TWO[d.day] as string}`
}

const daysLeft = (policy: ProrationPolicy, zone: string, period: Period, t: number): FractionLeft => {
  const last = period.end - 1
  if (policy.dayCount === "fixed30") {
    const numerator = day30(period.end, zone) - day30(t, zone)
    const denominator = day30(period.end, zone) - day30(period.start, zone)
    return { share: clamped(numerator, denominator), numerator, denominator, unit: "day", from: t, to: last, zone }
  }
  const extra = policy.dayCount === "inclusive" ? 1 : 0
  const end = dayIn(policy.dayCount === "inclusive" ? last : period.end, zone).days
  const numerator = end - dayIn(t, zone).days + extra
  const denominator = end - dayIn(period.start, zone).days + extra
  return { share: clamped(numerator, denominator), numerator, denominator, unit: "day", from: t, to: last, zone }
}

/**
 * The part of `period` left after `t` under `policy`, its day counts taken in `zone` (the
 * policy's time zone, the customer's for `"customer"`). `t` at or before the start leaves all of
 * it, at or after the end none.
 *
 * @example fractionLeft(policyOf("stripe"), "UTC", { start: 0, end: 4000 }, 1500).share // 3/4 (whole seconds)
 */
export const fractionLeft = (policy: ProrationPolicy, zone: string, period: Period, t: number): FractionLeft => {
  const at = t < period.start ? period.start : t
  if (at >= period.end) {
    const whole = fractionLeft(policy, zone, period, period.start)
    return { ...whole, share: Rational.zero, numerator: 0, from: period.end }
  }
  const clock = policy.clock
  if (clock === "day") return daysLeft(policy, zone, period, at)
  if (clock === "millisecond") {
    return { share: clamped(period.end - at, period.end - period.start), numerator: period.end - at, denominator: period.end - period.start, unit: clock, from: at, to: period.end, zone }
  }
  const end = Math.floor(period.end / 1000)
  const numerator = end - Math.floor(at / 1000)
  const denominator = end - Math.floor(period.start / 1000)
  return { share: clamped(numerator, denominator), numerator, denominator, unit: clock, from: Math.floor(at / 1000) * 1000, to: period.end, zone }
}

/**
 * The zone a policy counts days in: its own, or for `"customer"` the customer's (else UTC).
 *
 * @example zoneOf(policyOf("lago"), "Europe/Paris") // "Europe/Paris"
 */
export const zoneOf = (policy: ProrationPolicy, customerZone: string | undefined): string =>
  policy.timeZone === "customer" ? customerZone ?? "UTC" : policy.timeZone

/**
 * A policy back in its document form: the preset name, or the object with every field.
 *
 * @example encodePolicy(policyOf({ clock: "day" })) // { clock: "day", dayCount: "endExclusive", timeZone: "UTC" }
 */
export const encodePolicy = (policy: ProrationPolicy): ProrationPolicyInput =>
  policy.name === "custom" ? { clock: policy.clock, dayCount: policy.dayCount, timeZone: policy.timeZone } : policy.name
