/**
 * The parts of a decoded catalog written back in its JSON input shape (docs/spec.md §3), for
 * `encodeCatalog`: decimals as canonical strings, defaults written out, absent optional fields
 * left out.
 *
 * @example encodeFeature({ id: "seats", name: "Seats", type: "metered", consumable: false }) // { id: "seats", name: "Seats", type: "metered" }
 */
import type { Discount, Feature, ItemPrice, Plan, PlanItem, PriceInterval, Tier } from "../Catalog.ts"
import { encodePolicy } from "../ProrationPolicy.ts"
import * as Rational from "../Rational.ts"

/**
 * An exact decimal in canonical form: no exponent, no trailing zeros, no "+", e.g. "20", "0.5".
 * Every amount a catalog decodes to has a terminating decimal form of at most 12 places; a
 * rational without one (never the result of decoding) is written with 40 places, truncated.
 */
const decimalString = (r: Rational.Rational): string => {
  const sign = r.n < 0n ? "-" : ""
  const n = r.n < 0n ? -r.n : r.n
  let places = 0
  let scale = 1n
  while ((n * scale) % r.d !== 0n && places < 40) {
    scale *= 10n
    places++
  }
  const digits = ((n * scale) / r.d).toString()
  if (places === 0) return sign + digits
  const padded = digits.padStart(places + 1, "0")
  const fraction = padded.slice(-places).replace(/0+$/, "")
  return `${sign}${padded.slice(0, -places)}${fraction === "" ? "" : `.${fraction}`}`
}

type Json = Record<string, unknown>

const intervalFields = (interval: PriceInterval): Json =>
  interval === "one_off" ? { interval } : interval.count === 1 ? { interval: interval.unit } : { interval: interval.unit, intervalCount: interval.count }

const currencyFields = (currencies: ReadonlyMap<string, Rational.Rational>): Json =>
  currencies.size === 0 ? {} : { currencies: Object.fromEntries([...currencies].map(([code, v]) => [code, decimalString(v)])) }

export const encodeFeature = (f: Feature): Json => ({
  id: f.id,
  name: f.name,
  type: f.type,
  ...(f.consumable ? { consumable: true } : {}),
  ...(f.display === undefined ? {} : { display: { singular: f.display.singular, plural: f.display.plural } })
})

const encodeTier = (t: Tier): Json => ({
  upTo: t.upTo,
  amount: decimalString(t.amount),
  ...(Rational.isZero(t.flatAmount) ? {} : { flatAmount: decimalString(t.flatAmount) })
})

const encodeItemPrice = (p: ItemPrice): Json => ({
  ...(p.amount === undefined ? {} : { amount: decimalString(p.amount.amount) }),
  ...(p.tiers === undefined ? {} : { tiers: p.tiers.map(encodeTier) }),
  tierBehavior: p.tierBehavior,
  ...intervalFields(p.interval),
  billingUnits: p.billingUnits,
  billingMethod: p.billingMethod,
  ...(p.maxPurchase === undefined ? {} : { maxPurchase: p.maxPurchase }),
  ...(p.amount === undefined ? {} : currencyFields(p.amount.currencies))
})

const encodeItem = (item: PlanItem): Json => ({
  featureId: item.featureId,
  included: item.included,
  ...(item.reset === undefined ? {} : { reset: item.reset.count === 1 ? { interval: item.reset.unit } : { interval: item.reset.unit, intervalCount: item.reset.count } }),
  ...(item.price === undefined ? {} : { price: encodeItemPrice(item.price) }),
  proration: { onIncrease: item.proration.onIncrease, onDecrease: item.proration.onDecrease }
})

export const encodePlan = (p: Plan): Json => ({
  id: p.id,
  name: p.name,
  group: p.group,
  addOn: p.addOn,
  autoEnable: p.autoEnable,
  version: p.version,
  ...(p.price === undefined ? {} : { price: { amount: decimalString(p.price.amount), ...intervalFields(p.price.interval), ...currencyFields(p.price.currencies) } }),
  items: p.items.map(encodeItem),
  ...(p.freeTrial === undefined ? {} : { freeTrial: { length: p.freeTrial.length, unit: p.freeTrial.unit, cardRequired: p.freeTrial.cardRequired } }),
  ...(p.prorationPolicy === undefined ? {} : { prorationPolicy: encodePolicy(p.prorationPolicy) })
})

export const encodeDiscount = (d: Discount): Json => ({
  id: d.id,
  name: d.name,
  ...(d.percentOff === undefined ? {} : { percentOff: decimalString(d.percentOff) }),
  ...(d.amountOff === undefined ? {} : { amountOff: decimalString(d.amountOff) }),
  duration: typeof d.duration === "string" ? d.duration : { months: d.duration.months },
  ...(d.appliesTo === undefined ? {} : { appliesTo: [...d.appliesTo] }),
  promotionCodes: [...d.promotionCodes]
})
