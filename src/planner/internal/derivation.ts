/**
 * The derivation of a line (docs/proration.md §15): how its amount came about, kept exact while
 * the line is built and written out with the line. Recomputing from it alone gives the line:
 * `exact = base × numerator / denominator` (or `base` when nothing was prorated); for a credit
 * drawn on the ledger, `exact = −min(−base × numerator / denominator, ledger.paidShare,
 * ledger.open)`; `amount` is `exact` rounded half away from zero, and `roundingDelta = exact −
 * amount`.
 *
 * @example exactText(Rational.make(-32000n, 31n)) // "-32000/31"
 */
import type { Catalog, ItemPrice, Tier } from "../../Catalog.ts"
import type { DerivationTier, LineDerivation, LineDiscountDerivation } from "../../Preview.ts"
import { type FractionLeft, fractionBounds } from "../../ProrationPolicy.ts"
import { type TierBreakdown, packsFor, tierShares } from "../../Tiers.ts"
import * as Money from "../../Money.ts"
import * as Rational from "../../Rational.ts"
import { type LedgerBasis, creditedOf } from "./ledger.ts"
import { parseDecimal } from "../../internal/schemaKit.ts"

/** A line's derivation while the line is built (exact rationals, instants in ms). */
export interface DraftDerivation {
  /** The full-period amount in minor units, signed as the line (negative for a credit). */
  readonly base: Rational.Rational
  /** The unrounded amount in minor units. */
  readonly exact: Rational.Rational
  readonly fraction?: FractionLeft | undefined
  readonly policy?: string | undefined
  readonly tiers?: ReadonlyArray<DerivationTier> | undefined
  /** For a credit drawn on the ledger: the entries and the share of their unused value it may take. */
  readonly ledger?: { readonly basis: LedgerBasis; readonly ratio: Rational.Rational } | undefined
  /** For arrears of recorded usage at the next cycle: the usage may still grow. */
  readonly usageToDate?: true | undefined
}

/**
 * A derivation with every field, in one order, an absent one undefined: the planner builds each
 * derivation here (or as the same literal), so that all of them have one shape.
 *
 * @example draftDerivation({ base: Rational.fromInt(2000), exact: Rational.fromInt(2000) }).fraction // undefined
 */
export const draftDerivation = (d: DraftDerivation): DraftDerivation => ({
  base: d.base,
  exact: d.exact,
  fraction: d.fraction,
  policy: d.policy,
  tiers: d.tiers,
  ledger: d.ledger,
  usageToDate: d.usageToDate
})

/**
 * The derivation of a custom line of `amount` major units: its exact minor units.
 *
 * @example customDerivation(Rational.make(12345n, 1000n), Money.currencyUnit("usd")).exact // 2469/2 (1234.5)
 */
export const customDerivation = (amount: Rational.Rational, unit: Money.CurrencyUnit): DraftDerivation => {
  const exact = Rational.mul(amount, unit.minorPerMajor)
  return draftDerivation({ base: exact, exact })
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** The greatest common divisor of `|a|` and `b > 0`: in doubles when both are safe integers (exact there), else in bigints. */
const gcd = (a: bigint, b: bigint): bigint => {
  const x = a < 0n ? -a : a
  if (x <= MAX_SAFE && b <= MAX_SAFE) {
    let p = Number(x)
    let q = Number(b)
    while (q !== 0) {
      const r = p % q
      p = q
      q = r
    }
    return BigInt(p)
  }
  let p = x
  let q = b
  while (q !== 0n) {
    const r = p % q
    p = q
    q = r
  }
  return p
}

const TEN_POWERS: ReadonlyArray<bigint> = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i))
const tenPower = (places: number): bigint => TEN_POWERS[places] ?? 10n ** BigInt(places)

/**
 * How numerators over one reduced denominator `d` are written: `places` decimal places and the
 * `factor` (10^places / d) that makes them whole, or `places` −1 when `d` has a prime factor
 * other than 2 and 5 (written `n/d`).
 */
interface Denominator {
  readonly d: bigint
  readonly places: number
  readonly factor: bigint
  /** `factor` and 10^places as doubles, or 0 when either is not a safe integer (then bigints write it). */
  readonly factorN: number
  readonly unitN: number
}

const INTEGER: Denominator = { d: 1n, places: 0, factor: 1n, factorN: 1, unitN: 1 }
const MAX_PLACES_N = 15

const denominatorOf = (d: bigint): Denominator => {
  if (d === 1n) return INTEGER
  let rest = d
  let twos = 0
  let fives = 0
  while ((rest & 1n) === 0n) { rest >>= 1n; twos++ }
  while (rest % 5n === 0n) { rest /= 5n; fives++ }
  if (rest !== 1n) return { d, places: -1, factor: 0n, factorN: 0, unitN: 0 }
  const places = twos > fives ? twos : fives
  const factor = tenPower(places) / d
  const safe = places <= MAX_PLACES_N && factor <= MAX_SAFE
  return { d, places, factor, factorN: safe ? Number(factor) : 0, unitN: safe ? 10 ** places : 0 }
}

/** `n / den.d` as text, `n / den.d` being in lowest terms. */
const textOver = (n: bigint, den: Denominator): string => {
  if (den.places === 0 || n === 0n) return n.toString()
  if (den.places < 0) return `${n}/${den.d}`
  // In doubles while the scaled numerator is a safe integer (exact there: every step is).
  const x = Number(n)
  const scaledN = x * den.factorN
  if (den.unitN > 0 && Number.isSafeInteger(x) && Number.isSafeInteger(scaledN)) {
    const absN = scaledN < 0 ? -scaledN : scaledN
    const fractionN = absN % den.unitN
    return `${scaledN < 0 ? "-" : ""}${(absN - fractionN) / den.unitN}.${String(fractionN).padStart(den.places, "0")}`
  }
  const scaled = n * den.factor
  const negative = scaled < 0n
  const abs = negative ? -scaled : scaled
  const unit = tenPower(den.places)
  const fraction = (abs % unit).toString()
  return `${negative ? "-" : ""}${abs / unit}.${"0".repeat(den.places - fraction.length)}${fraction}`
}

/**
 * An exact rational as text: a decimal when it has one (`"-1000.5"`), else `numerator/denominator`
 * in lowest terms (`"32000/31"`).
 *
 * @example exactText(Rational.make(2001n, 2n)) // "1000.5"
 */
export const exactText = (r: Rational.Rational): string => {
  if (r.d === 1n) return r.n.toString()
  const g = gcd(r.n, r.d)
  return textOver(r.n / g, denominatorOf(r.d / g))
}

const minorOf = (r: Rational.Rational, minor: Rational.Rational): string => exactText(Rational.mul(r, minor))

/** Whether every bound of a tier list is a whole number (or `inf`): then the breakdown of the amount is the derivation's. */
const wholeBounds = (tiers: ReadonlyArray<Tier>): boolean => {
  for (const t of tiers) if (t.upTo !== "inf" && !Number.isSafeInteger(t.upTo)) return false
  return true
}

/**
 * The derivation's tiers from the breakdown the amount was priced by ({@link tierShares}), in
 * minor units; undefined when the bounds are not all whole (then {@link tierParts} reads them).
 *
 * @example sharedTiers(price, tierShares(price, 250), Rational.fromInt(100))?.length // 2
 */
export const sharedTiers = (price: ItemPrice, breakdown: TierBreakdown, minor: Rational.Rational): ReadonlyArray<DerivationTier> | undefined => {
  if (price.tiers === undefined || !wholeBounds(price.tiers)) return undefined
  const out: Array<DerivationTier> = []
  for (const s of breakdown.shares) {
    out.push({
      upTo: s.tier.upTo, units: Number(s.units.n) / Number(s.units.d), unitPrice: minorOf(s.tier.amount, minor), flatAmount: minorOf(s.tier.flatAmount, minor),
      amount: minorOf(s.cost, minor)
    })
  }
  return out
}

/**
 * The tiers a tiered price of `n` billable units was priced at, in minor units: the units in each
 * tier, its price per pack, its flat fee and what it came to (graduated: every tier reached;
 * volume: the tier holding all units).
 *
 * @example tierParts(price, 250, Rational.fromInt(100)) // [{ upTo: 100, units: 100, … }, { upTo: 500, units: 150, … }]
 */
export const tierParts = (price: ItemPrice, n: number, minor: Rational.Rational): ReadonlyArray<DerivationTier> | undefined => {
  const tiers = price.tiers
  if (tiers === undefined) return undefined
  return sharedTiers(price, tierShares(price, n), minor) ?? decimalTierParts(price, tiers, n, minor)
}

/** {@link tierParts} for bounds that are not all whole numbers: those are read by the decimal parser. */
const decimalTierParts = (price: ItemPrice, tiers: ReadonlyArray<Tier>, n: number, minor: Rational.Rational): ReadonlyArray<DerivationTier> => {
  const bu = BigInt(price.billingUnits)
  const u = packsFor(n, price.billingUnits) * bu
  if (u === 0n) return []
  const part = (upTo: number | "inf", units: Rational.Rational, amount: Rational.Rational, flat: Rational.Rational): DerivationTier => ({
    upTo, units: Number(units.n) / Number(units.d), unitPrice: minorOf(amount, minor), flatAmount: minorOf(flat, minor),
    amount: minorOf(Rational.add(Rational.mul(Rational.div(units, Rational.fromBigInt(bu)), amount), flat), minor)
  })
  const upper = Rational.fromBigInt(u)
  const topOf = (upTo: number | "inf"): Rational.Rational =>
    upTo === "inf" ? upper : Number.isSafeInteger(upTo) ? Rational.fromInt(upTo) : parseDecimal(upTo) ?? Rational.zero
  if (price.tierBehavior === "volume") {
    const tier = tiers.find((t) => Rational.compare(topOf(t.upTo), upper) >= 0)
    return tier === undefined ? [] : [part(tier.upTo, upper, tier.amount, tier.flatAmount)]
  }
  const out: Array<DerivationTier> = []
  let lower = Rational.zero
  for (const tier of tiers) {
    const top = topOf(tier.upTo)
    const ceiling = Rational.compare(top, upper) < 0 ? top : upper
    const inTier = Rational.sub(ceiling, lower)
    if (inTier.n > 0n) out.push(part(tier.upTo, inTier, tier.amount, tier.flatAmount))
    if (Rational.compare(top, upper) >= 0) break
    lower = top
  }
  return out
}

const ledgerOf = (ledger: NonNullable<DraftDerivation["ledger"]>): NonNullable<LineDerivation["ledger"]> => ({
  entries: ledger.basis.draws.map((d) => ({
    from: d.entry.from,
    to: d.entry.to,
    amount: d.entry.amount,
    credited: Number(creditedOf(d.entry)),
    open: Number(d.open),
    unused: exactText(d.unused)
  })),
  unused: exactText(ledger.basis.unused),
  ratio: exactText(ledger.ratio),
  paidShare: exactText(Rational.mul(ledger.basis.unused, ledger.ratio)),
  open: Number(ledger.basis.open)
})

/** The discounts of a line with what each is in the catalog (percent or amount off). */
const discountsOf = (discounts: ReadonlyArray<{ readonly discountId: string; readonly amount: bigint }>, catalog: Catalog | undefined): Array<LineDiscountDerivation> =>
  discounts.map((d) => {
    const discount = catalog?.discountsById.get(d.discountId)
    if (discount?.percentOff !== undefined) return { discountId: d.discountId, percentOff: exactText(discount.percentOff), amount: Number(d.amount) }
    if (discount?.amountOff !== undefined) return { discountId: d.discountId, amountOff: exactText(discount.amountOff), amount: Number(d.amount) }
    return { discountId: d.discountId, amount: Number(d.amount) }
  })

/**
 * The document form of a derivation for a line of `amount` minor units and its discounts; a line
 * without one (none is built so) derives from its own amount.
 *
 * @example finalDerivation(undefined, 1234n, [], catalog) // { exact: "1234", roundingDelta: "0", base: "1234", discounts: [] }
 */
export const finalDerivation = (
  d: DraftDerivation | undefined, amount: bigint, discounts: ReadonlyArray<{ readonly discountId: string; readonly amount: bigint }>, catalog: Catalog | undefined
): LineDerivation => {
  const exact = d?.exact
  let exactT: string
  let deltaT: string
  if (exact === undefined || exact.d === 1n) {
    const n = exact === undefined ? amount : exact.n
    exactT = n.toString()
    deltaT = (n - amount).toString()
  } else {
    // Reduced once: the rounding delta (exact − amount) has the same denominator, still in lowest terms.
    const g = gcd(exact.n, exact.d)
    const n = exact.n / g
    const den = denominatorOf(exact.d / g)
    exactT = textOver(n, den)
    deltaT = textOver(n - amount * den.d, den)
  }
  const base = d?.base
  // In the documented key order: the amount, how it was prorated, then what came off it.
  const out: Record<string, unknown> = { exact: exactT, roundingDelta: deltaT, base: base === undefined || base === exact ? exactT : exactText(base) }
  if (d === undefined) {
    out["discounts"] = discountsOf(discounts, catalog)
    return out as unknown as LineDerivation
  }
  const f = d.fraction
  if (f !== undefined) {
    const bounds = fractionBounds(f)
    out["fraction"] = { numerator: f.numerator, denominator: f.denominator, unit: f.unit, from: bounds.from, to: bounds.to }
  }
  if (d.tiers !== undefined) out["tiers"] = d.tiers
  if (d.policy !== undefined) out["policy"] = d.policy
  out["discounts"] = discountsOf(discounts, catalog)
  if (d.ledger !== undefined) out["ledger"] = ledgerOf(d.ledger)
  if (d.usageToDate === true) out["usageToDate"] = true
  return out as unknown as LineDerivation
}
