/**
 * Tier pricing with billing units (docs/spec.md §8.2): billable units after the allowance, whole
 * packs, and the price of `n` units under flat, graduated or volume pricing — exact rationals in
 * major units.
 *
 * @example
 * import { Tiers } from "attach-planner"
 * Tiers.packsFor(701, 100) // 8n
 */
import type { Catalog, ItemPrice, Tier } from "./Catalog.ts"
import { amountIn } from "./Pricing.ts"
import * as Rational from "./Rational.ts"

/**
 * Billable units after the included allowance: `max(0, units − included)`; 0 when unlimited.
 *
 * @example billableUnits(800, 100) // 700
 */
export const billableUnits = (units: number, included: number | "unlimited"): number =>
  included === "unlimited" ? 0 : Math.max(0, units - included)

/**
 * Whole packs covering `units` billable units (rounded up).
 *
 * @example packsFor(701, 100) // 8
 */
export const packsFor = (units: number, billingUnits: number): bigint => {
  if (Number.isInteger(units) && Math.abs(units) <= SMALL && Number.isInteger(billingUnits) && billingUnits > 0 && billingUnits <= SMALL) {
    // Small whole numbers: the same ceiling in exact integer arithmetic on numbers.
    let q = Math.floor(units / billingUnits)
    let r = units - q * billingUnits
    while (r < 0) {
      q--
      r += billingUnits
    }
    while (r >= billingUnits) {
      q++
      r -= billingUnits
    }
    return BigInt(r === 0 ? q : q + 1)
  }
  return Rational.ceil(Rational.div(Rational.make(...decimalUnits(units)), Rational.fromInt(billingUnits)))
}

/** Below 2^31, products and differences of two such integers are exact in a double. */
const SMALL = 2 ** 31

const decimalUnits = (units: number): [bigint, bigint] => {
  if (Number.isInteger(units)) return [BigInt(units), 1n]
  const [whole = "0", frac = ""] = units.toFixed(12).split(".")
  const scale = 10n ** BigInt(frac.length)
  return [BigInt(whole) * scale + BigInt(frac), scale]
}

/**
 * The price, in major units of `currency`, of `n` billable units of an item price (docs/spec.md §8.2):
 * units round up to whole packs of `billingUnits`; a flat `amount` is per pack; graduated tiers
 * price the units in each tier per pack plus each touched tier's `flatAmount`; volume prices all
 * units at the rate of the tier containing them plus that tier's `flatAmount`.
 *
 * @example
 * // tiers [≤100 @0.10, ≤500 @0.05, ∞ @0.02], billingUnits 1
 * tierPrice(price, 250, "usd", catalog) // graduated: 35/2 (17.50); volume: 25/2 (12.50)
 */
export const tierPrice = (price: ItemPrice, n: number, currency: string, catalog: Catalog): Rational.Rational => {
  if (price.amount !== undefined) {
    const packs = packsFor(n, price.billingUnits)
    return packs === 0n ? Rational.zero : Rational.mul(Rational.fromBigInt(packs), amountIn(price.amount, currency, catalog) ?? price.amount.amount)
  }
  return tierShares(price, n).total
}

/**
 * A tier some units reached: the units priced in it and what they cost there (its flat fee included), in major units.
 * @example tierShares(price, 250).shares[1] // graduated [≤100 at $1, ≤500 at $0.50, ∞]: the ≤500 tier, units 150/1, cost 150/2 = $75 (decoded Rationals)
 */
export interface TierShare {
  readonly tier: Tier
  readonly units: Rational.Rational
  readonly cost: Rational.Rational
}

/**
 * The tiers of a tiered price that `n` billable units reach, and their total.
 * @example tierShares(price, 250).total // 350/2 = $175, a decoded Rational: 100 × $1 + 150 × $0.50 (graduated [≤100 at $1, ≤500 at $0.50, ∞])
 */
export interface TierBreakdown {
  readonly total: Rational.Rational
  readonly shares: ReadonlyArray<TierShare>
}

const NO_TIERS: TierBreakdown = { total: Rational.zero, shares: [] }

/**
 * How `n` billable units of a tiered price are priced (docs/spec.md §8.2): rounded up to whole
 * packs, then graduated (every tier reached, each priced per pack plus its flat fee) or volume
 * (the one tier holding all units). The flat `amount` of a price is ignored here.
 *
 * @example tierShares(price, 250).shares.map((s) => s.units) // graduated [≤100, ≤500, ∞]: [100/1, 150/1]
 */
export const tierShares = (price: ItemPrice, n: number): TierBreakdown => {
  const packs = packsFor(n, price.billingUnits)
  if (packs === 0n) return NO_TIERS
  const bu = BigInt(price.billingUnits)
  const u = packs * bu
  const tiers = price.tiers ?? []
  if (price.tierBehavior === "volume") {
    const tier = tiers.find((t) => t.upTo === "inf" || Rational.compare(Rational.make(...decimalUnits(t.upTo)), Rational.fromBigInt(u)) >= 0)
    if (tier === undefined) return NO_TIERS
    const cost = Rational.add(Rational.mul(Rational.make(u, bu), tier.amount), tier.flatAmount)
    return { total: cost, shares: [{ tier, units: Rational.fromBigInt(u), cost }] }
  }
  let total = Rational.zero
  let lower = Rational.zero
  const upper = Rational.fromBigInt(u)
  const shares: Array<TierShare> = []
  for (const tier of tiers) {
    const top = tier.upTo === "inf" ? upper : Rational.make(...decimalUnits(tier.upTo))
    const ceiling = Rational.compare(top, upper) < 0 ? top : upper
    const inTier = Rational.sub(ceiling, lower)
    if (inTier.n > 0n) {
      const cost = Rational.add(Rational.mul(Rational.div(inTier, Rational.fromBigInt(bu)), tier.amount), tier.flatAmount)
      total = Rational.add(total, cost)
      shares.push({ tier, units: inTier, cost })
    }
    if (Rational.compare(top, upper) >= 0) break
    lower = top
  }
  return { total, shares }
}
