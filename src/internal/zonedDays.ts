/**
 * Calendar dates of instants in an IANA time zone, through `Intl` (no time zone data of our own).
 * UTC takes the arithmetic path of `civil.ts`.
 *
 * @example dayIn(Date.parse("2024-03-20T23:30:00Z"), "Europe/Paris") // { year: 2024, month: 3, day: 21, days: 19803 }
 */
import { DAY_MS, civilFromDays, daysFromCivil } from "./civil.ts"

/** A calendar date and its day number (days since 1970-01-01). */
export interface ZonedDay {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly days: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterOf = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, calendar: "gregory", numberingSystem: "latn", year: "numeric", month: "numeric", day: "numeric", era: "short" })
    formatters.set(zone, f)
  }
  return f
}

/**
 * Whether `zone` names a time zone `Intl` knows (`Intl` signals an unknown one by a RangeError,
 * which stays here).
 *
 * @example isTimeZone("Europe/Paris") // true
 */
export const isTimeZone = (zone: string): boolean => {
  if (zone.length === 0) return false
  try {
    formatterOf(zone)
    return true
  } catch {
    return false
  }
}

const isUtc = (zone: string): boolean => zone === "UTC" || zone === "Etc/UTC"

/**
 * The calendar date of `t` in `zone`.
 *
 * @example dayIn(0, "UTC") // { year: 1970, month: 1, day: 1, days: 0 }
 */
export const dayIn = (t: number, zone: string): ZonedDay => {
  if (isUtc(zone)) {
    const days = Math.floor(t / DAY_MS)
    const { year, month, day } = civilFromDays(days)
    return { year, month, day, days }
  }
  let year = 0
  let month = 0
  let day = 0
  let bc = false
  for (const part of formatterOf(zone).formatToParts(t)) {
    if (part.type === "year") year = Number(part.value)
    else if (part.type === "month") month = Number(part.value)
    else if (part.type === "day") day = Number(part.value)
    else if (part.type === "era") bc = part.value.startsWith("B")
  }
  if (bc) year = 1 - year
  return { year, month, day, days: daysFromCivil(year, month, day) }
}
