/**
 * Whole valid catalog documents (docs/spec.md §3), using every optional field: features, plans
 * (several versions of one id too), their items and prices, and discounts.
 *
 * @example
 * fc.sample(catalogDocArb, 1) // e.g. [{ defaultCurrency: "Jpy", features: […], plans: […] }]
 */
import fc from "fast-check"
import type { Obj } from "../build.ts"
import { decimalDocArb } from "./amounts.ts"
import { currenciesArb, currencyArb, idArb, priceIntervalArb, textArb, unitArb } from "./internal/documentFields.ts"
import { defined, opt } from "./internal/optional.ts"

const featureArb = (id: string): fc.Arbitrary<Obj> => fc.record({
  name: opt(textArb),
  type: fc.constantFrom("boolean", "metered"),
  consumable: opt(fc.boolean()),
  display: opt(fc.record({ singular: textArb, plural: textArb }))
}).map((f) => defined({ id, ...f }))

const tiersDocArb = fc.tuple(
  fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 3 }),
  fc.array(fc.tuple(decimalDocArb, opt(decimalDocArb)), { minLength: 4, maxLength: 4 })
).map(([bounds, prices]) => [...[...bounds].sort((a, b) => a - b), "inf" as const].map((upTo, i) => {
  const [amount, flatAmount] = prices[i] ?? [0, undefined]
  return defined({ upTo, amount, flatAmount })
}))

const itemDocArb = (feature: Obj): fc.Arbitrary<Obj> => {
  const consumable = feature["type"] === "metered" && feature["consumable"] === true
  const price = fc.record({
    flat: fc.boolean(),
    amount: decimalDocArb,
    tiers: tiersDocArb,
    tierBehavior: opt(fc.constantFrom("graduated", "volume")),
    billingMethod: fc.constantFrom("prepaid", "usage_based"),
    interval: priceIntervalArb,
    intervalCount: opt(fc.integer({ min: 1, max: 4 })),
    billingUnits: opt(fc.integer({ min: 1, max: 100 })),
    maxPurchase: opt(fc.integer({ min: 0, max: 10_000 })),
    currencies: currenciesArb
  }).map(({ flat, amount, tiers, interval, billingMethod, ...rest }) => defined({
    ...(flat ? { amount } : { tiers }),
    billingMethod,
    // a consumable usage-based price is billed in arrears and cannot be one-off
    interval: consumable && billingMethod === "usage_based" && interval === "one_off" ? "month" : interval,
    ...rest
  }))
  return fc.record({
    included: opt(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant("unlimited" as const), fc.constant(2.5))),
    reset: consumable ? opt(fc.record({ interval: unitArb, intervalCount: opt(fc.integer({ min: 1, max: 3 })) }).map(defined)) : fc.constant(undefined),
    price: opt(price),
    proration: opt(fc.record({
      onIncrease: opt(fc.constantFrom("prorate", "charge_full", "next_cycle")),
      onDecrease: opt(fc.constantFrom("prorate", "none", "next_cycle"))
    }).map(defined))
  }).map((item) => defined({ featureId: feature["id"], ...item }))
}

const planDocArb = (id: string, version: number | undefined, features: ReadonlyArray<Obj>): fc.Arbitrary<Obj> => fc.record({
  name: opt(textArb),
  group: opt(fc.constantFrom("", "main", "support")),
  addOn: opt(fc.boolean()),
  autoEnable: opt(fc.boolean()),
  price: opt(fc.record({
    amount: decimalDocArb,
    interval: priceIntervalArb,
    intervalCount: opt(fc.integer({ min: 1, max: 4 })),
    currencies: currenciesArb
  }).map(defined)),
  items: opt(fc.subarray([...features]).chain((fs) => fc.tuple(...fs.map(itemDocArb)))),
  freeTrial: opt(fc.record({ length: fc.integer({ min: 1, max: 30 }), unit: fc.constantFrom("day", "month", "year"), cardRequired: opt(fc.boolean()) }).map(defined))
}).map((p) => defined({ id, version, ...p }))

const discountDocArb = (id: string, planIds: ReadonlyArray<string>, codes: ReadonlyArray<string>): fc.Arbitrary<Obj> => fc.record({
  name: opt(textArb),
  off: fc.oneof(
    fc.integer({ min: 0, max: 10_000 }).map((n) => ({ percentOff: (n / 100).toFixed(2) })),
    decimalDocArb.map((amountOff) => ({ amountOff }))
  ),
  duration: fc.oneof(fc.constantFrom("once", "forever"), fc.integer({ min: 1, max: 36 }).map((months) => ({ months }))),
  appliesTo: opt(fc.subarray([...planIds])),
  promotionCodes: codes.length === 0 ? fc.constant(undefined) : fc.constant([...codes])
}).map(({ off, ...d }) => defined({ id, ...off, ...d }))

/** A valid catalog document (docs/spec.md §3) with 0–4 plans (several versions of one id too) and discounts. */
export const catalogDocArb: fc.Arbitrary<Obj> = fc.record({
  defaultCurrency: currencyArb,
  featureIds: fc.uniqueArray(fc.constantFrom("messages", "seats", "storage", "sso", "données", "🚀"), { maxLength: 5 }),
  planKeys: fc.uniqueArray(fc.tuple(idArb, opt(fc.integer({ min: 1, max: 3 }))), { maxLength: 4, selector: ([id, v]) => `${id}@${v ?? 1}` }),
  discountIds: fc.uniqueArray(idArb, { maxLength: 3 }),
  codes: fc.uniqueArray(fc.constantFrom("SAVE", "BLACKFRIDAY", "été"), { maxLength: 3 })
}).chain(({ defaultCurrency, featureIds, planKeys, discountIds, codes }) =>
  fc.tuple(...featureIds.map(featureArb)).chain((features) => {
    const planIds = [...new Set(planKeys.map(([id]) => id))]
    // each promotion code belongs to one discount at most
    const codesOf = (i: number): Array<string> => codes.filter((_, k) => k % Math.max(1, discountIds.length) === i)
    return fc.record({
      plans: fc.tuple(...planKeys.map(([id, v]) => planDocArb(id, v, features))),
      discounts: opt(fc.tuple(...discountIds.map((id, i) => discountDocArb(id, planIds, codesOf(i)))))
    }).map(({ plans, discounts }) => defined({ defaultCurrency, features, plans, discounts }))
  }))
