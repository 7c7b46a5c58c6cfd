/**
 * Calendar arithmetic on day numbers (proleptic Gregorian, days since 1970-01-01), after Howard
 * Hinnant's civil-date algorithms: exact for every year, and no Date objects on the hot path.
 *
 * @example
 * civilFromDays(20_104) // { year: 2025, month: 1, day: 16 }
 */

/** A calendar date (month 1–12). */
export interface CivilDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000

/** The calendar date of a day number. @example civilFromDays(0) // { year: 1970, month: 1, day: 1 } */
export const civilFromDays = (days: number): CivilDate => {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 }
}

export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

export const daysInMonth = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1] ?? 31
