/**
 * fast-check generators of plans, instants and amounts for the property suites
 * (`test/properties-*.test.ts`), with an exact oracle of docs/spec.md §6 `isUpgrade` over the generated
 * plans. Amounts are generated as integer ten-thousandths of a major unit so the oracle works in
 * exact bigint fractions, and rendered as the decimal strings a catalog holds.
 *
 * @example
 * fc.sample(planShapeArb, 1).map((s) => planDoc("pro", s)) // [{ id: "pro", price: { amount: "12.5000", … }, items: […] }]
 */
import fc from "fast-check"
import { DAY, FEATURES, iso, type Obj } from "./build.ts"

const BASE = Date.parse("2015-01-01T00:00:00Z")

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

/** The catalog JSON of a generated plan (features of `test/support/build.ts`). */
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
// The oracle of docs/spec.md §6 isUpgrade, in exact fractions (independent of src/Pricing.ts)
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

// ---------------------------------------------------------------------------------------------
// Whole valid attach documents, using every optional field of docs/spec.md §3–§5
// ---------------------------------------------------------------------------------------------

const opt = <A>(arb: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> => fc.option(arb, { nil: undefined })
/** `undefined` four times in five. */
const rare = <A>(arb: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb })
/** An object without the keys whose value is `undefined` (absent optional fields). */
const defined = (o: Readonly<Record<string, unknown>>): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))

/** Ids, names and descriptions, including unicode and spaces. */
const idArb = fc.oneof(fc.constantFrom("pro", "team", "free", "ws_1", "über-plan", "計画", "a b"), fc.string({ minLength: 1, maxLength: 8 }))
const textArb = fc.oneof(fc.constantFrom("Pro", "Équipe", "🚀 Rocket", ""), fc.string({ maxLength: 12 }))

/** A decimal as a JSON string ("12.3400", "1e2", " 7") or number (12.34), at most 12 places. */
export const decimalDocArb: fc.Arbitrary<string | number> = fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 }))
  .map(([n, scale, form]) => {
    const text = scale === 0 ? String(n) : `${Math.floor(n / 10 ** scale)}.${String(n % 10 ** scale).padStart(scale, "0")}`
    if (form === 0) return Number(text)
    if (form === 1) return `${n}e-${scale}`
    return text
  })

const currencyArb = fc.constantFrom("usd", "USD", "eur", "Jpy", "kwd", "xyz")
const currenciesArb = opt(fc.dictionary(fc.constantFrom("eur", "GBP", "jpy", "kwd"), decimalDocArb, { maxKeys: 3 }))
const unitArb = fc.constantFrom("day", "week", "month", "quarter", "semi_annual", "year")
const priceIntervalArb = fc.oneof({ weight: 5, arbitrary: unitArb }, { weight: 1, arbitrary: fc.constant("one_off") })

/** An instant in one of the ISO-8601 forms the decoder accepts. */
export const instantDocArb: fc.Arbitrary<string> = fc.tuple(instantArb, fc.integer({ min: 0, max: 4 })).map(([t, form]) => {
  const s = new Date(t).toISOString()
  switch (form) {
    case 0: return s
    case 1: return s.slice(0, 10)
    case 2: return `${s.slice(0, 16)}Z`
    case 3: return `${s.slice(0, 19)}+01:00`
    default: return `${s.slice(0, 23)}000-0230`
  }
})

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

const appliedDiscountArb = fc.record({ discountId: idArb, appliedAt: instantDocArb })
const quantitiesArb = fc.array(fc.record({ featureId: idArb, quantity: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(1_000_000)) }), { maxLength: 2 })

const subscriptionDocArb: fc.Arbitrary<Obj> = fc.record({
  id: idArb,
  planId: idArb,
  version: opt(fc.integer({ min: 1, max: 3 })),
  entityId: opt(fc.option(idArb, { nil: null })),
  status: fc.constantFrom("active", "trialing", "past_due", "scheduled", "expired"),
  billingAnchor: instantDocArb,
  startedAt: instantDocArb,
  startsAt: opt(instantDocArb),
  trialEndsAt: opt(instantDocArb),
  cancelAtPeriodEnd: opt(fc.boolean()),
  endsAt: opt(instantDocArb),
  featureQuantities: opt(quantitiesArb),
  usage: opt(fc.array(fc.record({ featureId: idArb, used: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 2 })),
  providerSubscriptionId: opt(idArb),
  discounts: opt(fc.array(appliedDiscountArb, { maxLength: 2 }))
}).map(defined)

/** A valid customer document (docs/spec.md §4). */
export const customerDocArb = (id: string): fc.Arbitrary<Obj> => fc.record({
  currency: opt(currencyArb),
  hasPaymentMethod: opt(fc.boolean()),
  fingerprint: opt(textArb),
  creditBalance: opt(fc.integer({ min: 0, max: 1_000_000 })),
  trialsUsed: opt(fc.array(idArb, { maxLength: 2 })),
  subscriptions: opt(fc.array(subscriptionDocArb, { maxLength: 3 })),
  discounts: opt(fc.array(appliedDiscountArb, { maxLength: 2 }))
}).map((c) => defined({ id, ...c }))

const paramsArb: fc.Arbitrary<Obj> = fc.dictionary(
  fc.string({ maxLength: 6 }),
  fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.record({ nested: fc.string({ maxLength: 4 }) })),
  { maxKeys: 3 }
)

/** A valid request document (docs/spec.md §5), every option at random. */
export const requestDocArb = (customerId: string): fc.Arbitrary<Obj> => fc.record({
  at: instantDocArb,
  plans: fc.array(fc.record({ planId: idArb, version: opt(fc.integer({ min: 1, max: 3 })), entityId: opt(idArb), featureQuantities: opt(quantitiesArb) }).map(defined), { minLength: 1, maxLength: 3 }),
  entityId: opt(idArb),
  currency: opt(currencyArb),
  freeTrial: opt(fc.option(fc.record({ length: fc.integer({ min: 1, max: 30 }), unit: fc.constantFrom("day", "month", "year"), cardRequired: opt(fc.boolean()) }).map(defined), { nil: null })),
  discounts: opt(fc.array(fc.oneof(fc.record({ discountId: idArb }), fc.record({ promotionCode: idArb })), { maxLength: 2 })),
  prorationBehavior: opt(fc.constantFrom("prorate_immediately", "none")),
  planSchedule: opt(fc.constantFrom("immediate", "end_of_cycle")),
  billingCycleAnchor: opt(fc.constant("now")),
  redirectMode: opt(fc.constantFrom("always", "if_required", "never")),
  invoiceMode: opt(fc.record({ enabled: fc.constant(true), finalize: opt(fc.boolean()), enablePlanImmediately: opt(fc.boolean()), netTermsDays: opt(fc.integer({ min: 0, max: 90 })) }).map(defined)),
  newBillingSubscription: opt(fc.boolean()),
  customLineItems: opt(fc.array(fc.record({ amount: fc.oneof(decimalDocArb, fc.constant("-3.5")), description: textArb }), { maxLength: 2 })),
  successUrl: opt(fc.constant("https://example.com/done?x=1")),
  checkoutSessionParams: opt(paramsArb)
}).map((r) => defined({ customerId, ...r }))

/** A valid attach document `{ catalog, customer, request }`. */
export const attachDocumentArb: fc.Arbitrary<Obj> = fc.tuple(catalogDocArb, idArb).chain(([catalogDoc, customerId]) =>
  fc.record({ customer: customerDocArb(customerId), request: requestDocArb(customerId) }).map(({ customer, request }) => ({ catalog: catalogDoc, customer, request })))

// ---------------------------------------------------------------------------------------------
// Plausible attach documents: generated plans, a customer holding some of them, a request for
// some of them with random options (most of them plan to a preview, some to a tagged error)
// ---------------------------------------------------------------------------------------------

const PLAN_IDS = ["p0", "p1", "p2", "p3"] as const

const scenarioPlanArb = fc.record({
  shape: fc.tuple(planShapeArb, fc.integer({ min: 0, max: 4 })).map(([s, n]) => (n === 0 ? zeroed(s) : s)),
  group: fc.constantFrom("", "", "g2"),
  addOn: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  oneOff: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  trial: opt(fc.record({ length: fc.integer({ min: 1, max: 30 }), unit: fc.constantFrom("day", "month"), cardRequired: opt(fc.boolean()) }).map(defined))
})

const planOf = (id: string, p: typeof scenarioPlanArb extends fc.Arbitrary<infer A> ? A : never, version?: number): Obj => {
  const base = planDoc(id, p.shape, defined({ group: p.group, addOn: p.addOn || undefined, freeTrial: p.trial, version }))
  // a one-off plan: a one-off base price and no recurring items
  const { items: _items, ...withoutItems } = base
  return p.oneOff ? { ...withoutItems, price: { amount: decimalOf(p.shape.parts.base.amount), interval: "one_off" } } : base
}

const heldArb = (at: number): fc.Arbitrary<Obj> => fc.record({
  planId: fc.constantFrom(...PLAN_IDS.slice(0, 2)),
  status: fc.constantFrom("active", "active", "trialing", "past_due", "scheduled", "expired"),
  daysBefore: fc.integer({ min: 0, max: 800 }),
  cancelAtPeriodEnd: opt(fc.boolean()),
  storage: fc.integer({ min: 0, max: 300 }),
  seats: fc.integer({ min: 0, max: 12 }),
  messages: fc.integer({ min: 0, max: 400 }),
  discount: opt(fc.constantFrom("PCT", "OFF", "MONTHS")),
  entityId: fc.constantFrom(undefined, undefined, "ws_1")
}).map((h) => {
  const anchor = at - h.daysBefore * DAY
  return defined({
    id: `sub_${h.planId}_${h.daysBefore}`,
    planId: h.planId,
    status: h.status,
    billingAnchor: iso(anchor),
    startedAt: iso(anchor),
    startsAt: h.status === "scheduled" ? iso(at + 5 * DAY) : undefined,
    trialEndsAt: h.status === "trialing" ? iso(at + 3 * DAY) : undefined,
    cancelAtPeriodEnd: h.cancelAtPeriodEnd,
    entityId: h.entityId,
    featureQuantities: [{ featureId: "storage", quantity: h.storage }],
    usage: [{ featureId: "seats", used: h.seats }, { featureId: "messages", used: h.messages }],
    discounts: h.discount === undefined ? undefined : [{ discountId: h.discount, appliedAt: iso(anchor) }]
  })
})

/**
 * A plausible attach document over generated plans `p0`…`p3` (and version 2 of `p0`), discounts
 * `PCT`, `OFF` (code `SAVE`) and `MONTHS`, a customer holding some of them and a request for one
 * or two of them with random options.
 */
export const plannedDocumentArb: fc.Arbitrary<Obj> = fc.record({
  plans: fc.tuple(scenarioPlanArb, scenarioPlanArb, scenarioPlanArb, scenarioPlanArb, scenarioPlanArb),
  percent: fc.integer({ min: 0, max: 10_000 }).map((n) => (n / 100).toFixed(2)),
  amountOff: fc.integer({ min: 0, max: 50_000 }).map((n) => (n / 100).toFixed(2)),
  months: fc.integer({ min: 1, max: 12 }),
  at: instantArb
}).chain(({ plans, percent, amountOff, months, at }) => fc.record({
  held: fc.array(heldArb(at), { maxLength: 3 }),
  creditBalance: opt(fc.integer({ min: 0, max: 50_000 })),
  hasPaymentMethod: fc.boolean(),
  trialsUsed: opt(fc.subarray([...PLAN_IDS])),
  requested: fc.uniqueArray(fc.record({
    planId: fc.constantFrom(...PLAN_IDS),
    version: opt(fc.constantFrom(1, 2)),
    storage: opt(fc.integer({ min: 0, max: 300 }))
  }), { minLength: 1, maxLength: 2, selector: (r) => r.planId }),
  options: fc.record({
    entityId: rare(fc.constant("ws_1")),
    planSchedule: opt(fc.constantFrom("immediate", "end_of_cycle")),
    prorationBehavior: rare(fc.constantFrom("prorate_immediately", "none")),
    billingCycleAnchor: rare(fc.constant("now")),
    newBillingSubscription: rare(fc.boolean()),
    redirectMode: rare(fc.constantFrom("always", "if_required", "never")),
    invoiceMode: rare(fc.record({ enabled: fc.constant(true), finalize: opt(fc.boolean()), enablePlanImmediately: opt(fc.boolean()) }).map(defined)),
    freeTrial: rare(fc.option(fc.record({ length: fc.integer({ min: 1, max: 14 }), unit: fc.constant("day") }), { nil: null })),
    discounts: opt(fc.subarray([{ discountId: "PCT" }, { promotionCode: "SAVE" }, { discountId: "MONTHS" }])),
    customLineItems: rare(fc.array(fc.record({ amount: decimalDocArb, description: fc.constant("Setup") }), { minLength: 1, maxLength: 2 }))
  })
}).map(({ held, creditBalance, hasPaymentMethod, trialsUsed, requested, options }) => {
  const [p0, p1, p2, p3, p0v2] = plans
  const storageOf = (id: string): boolean => {
    const i = PLAN_IDS.indexOf(id as (typeof PLAN_IDS)[number])
    const p = plans[i]
    return p !== undefined && p.shape.storage && !p.oneOff
  }
  return {
    catalog: {
      defaultCurrency: "usd",
      features: FEATURES,
      plans: [planOf("p0", p0, 1), planOf("p1", p1), planOf("p2", p2), planOf("p3", p3), planOf("p0", p0v2, 2)],
      discounts: [
        { id: "PCT", percentOff: percent, duration: "forever" },
        { id: "OFF", amountOff, duration: "once", promotionCodes: ["SAVE"] },
        { id: "MONTHS", percentOff: "10", duration: { months } }
      ]
    },
    customer: defined({ id: "cus_1", hasPaymentMethod, creditBalance, trialsUsed, subscriptions: held }),
    request: defined({
      customerId: "cus_1",
      at: iso(at),
      plans: requested.map((r) => defined({
        planId: r.planId,
        version: r.planId === "p0" ? r.version : undefined,
        featureQuantities: r.storage !== undefined && storageOf(r.planId) ? [{ featureId: "storage", quantity: r.storage }] : undefined
      })),
      ...defined(options)
    })
  }
}))
