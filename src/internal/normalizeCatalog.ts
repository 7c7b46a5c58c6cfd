import type * as C from "../Catalog.ts"
import type { DecodeIssue } from "../Errors.ts"
import type { Interval, IntervalUnit } from "../Interval.ts"
import * as Money from "../Money.ts"
import { policyOf } from "../ProrationPolicy.ts"
import * as Rational from "../Rational.ts"
import { emptyFacts, type FactsInProgress, workOutFacts } from "./planFacts.ts"
import { parseDecimal } from "./decimalText.ts"

type Raw = typeof import("../Catalog.ts").CatalogSchema.Type
type RawFeature = Raw["features"][number]
type RawPlan = Raw["plans"][number]
type RawDiscount = NonNullable<Raw["discounts"]>[number]
type RawItem = NonNullable<RawPlan["items"]>[number]
type RawItemPrice = NonNullable<RawItem["price"]>
/** A plan built with its facts still to be worked out (they need every currency of the catalog). */
type DraftPlan = C.Plan & { readonly facts: FactsInProgress }

const dec = (v: string | number): Rational.Rational => parseDecimal(v) ?? Rational.zero

const toInterval = (unit: IntervalUnit | "one_off", count: number | undefined): C.PriceInterval =>
  unit === "one_off" ? "one_off" : { unit, count: count ?? 1 }

const currencyMap = (currencies: Readonly<Record<string, string | number>> | undefined): ReadonlyMap<string, Rational.Rational> => {
  const map = new Map<string, Rational.Rational>()
  if (currencies !== undefined) for (const [code, v] of Object.entries(currencies)) map.set(Money.normalizeCurrency(code), dec(v))
  return map
}

/**
 * Turns a structurally valid catalog into the model, collecting every cross-field violation of
 * docs/spec.md §3. The raw catalog may be the caller's input itself (internal/fastDecode.ts): the
 * model is built of new values only and keeps none of its objects.
 */
export const normalizeCatalog = (raw: Raw, base: string, issues: Array<DecodeIssue>): C.Catalog => {
  const features = raw.features.map(normalizeFeature)
  const featureById = indexFeatures(features, base, issues)
  const defaultCurrency = Money.normalizeCurrency(raw.defaultCurrency)
  const plans = raw.plans.map((p, i) => normalizePlan(p, `${base}.plans[${i}]`, featureById, issues))
  const currencies = catalogCurrencies(plans, defaultCurrency)
  for (const plan of plans) workOutFacts(plan, plan.facts, currencies, { defaultCurrency })
  const plansById = indexPlans(plans, base, issues)
  const discounts = (raw.discounts ?? []).map((d, i) => normalizeDiscount(d, `${base}.discounts[${i}]`, plansById, issues))
  const { discountsById, discountsByCode } = indexDiscounts(discounts, base, issues)
  const catalog: C.Catalog = {
    defaultCurrency,
    features,
    plans,
    discounts,
    plansById,
    latestPlans: plans.filter((p) => plansById.get(p.id)?.at(-1) === p),
    discountsById,
    discountsByCode
  }
  return raw.prorationPolicy === undefined ? catalog : { ...catalog, prorationPolicy: policyOf(raw.prorationPolicy) }
}

const normalizeFeature = (f: RawFeature): C.Feature => ({
  id: f.id,
  name: f.name ?? f.id,
  type: f.type,
  consumable: f.type === "metered" && f.consumable === true,
  display: f.display === undefined ? undefined : { singular: f.display.singular, plural: f.display.plural }
})

/** Features by id; a repeated id is an issue and the later feature wins. */
const indexFeatures = (features: ReadonlyArray<C.Feature>, base: string, issues: Array<DecodeIssue>): ReadonlyMap<string, C.Feature> => {
  const featureById = new Map<string, C.Feature>()
  features.forEach((f, i) => {
    if (featureById.has(f.id)) issues.push({ path: `${base}.features[${i}].id`, message: `duplicate feature id "${f.id}"` })
    featureById.set(f.id, f)
  })
  return featureById
}

/** Every version of a plan under its id, oldest first; the same id at the same version twice is an issue. */
const indexPlans = (plans: ReadonlyArray<C.Plan>, base: string, issues: Array<DecodeIssue>): ReadonlyMap<string, ReadonlyArray<C.Plan>> => {
  const plansById = new Map<string, Array<C.Plan>>()
  plans.forEach((p, i) => {
    const list = plansById.get(p.id) ?? []
    if (list.some((q) => q.version === p.version)) {
      issues.push({ path: `${base}.plans[${i}].id`, message: `duplicate plan id "${p.id}" at version ${p.version}` })
    }
    list.push(p)
    plansById.set(p.id, list)
  })
  for (const list of plansById.values()) list.sort((a, b) => a.version - b.version)
  return plansById
}

const normalizeDiscount = (d: RawDiscount, path: string, plansById: ReadonlyMap<string, unknown>, issues: Array<DecodeIssue>): C.Discount => {
  if ((d.percentOff === undefined) === (d.amountOff === undefined)) {
    issues.push({ path, message: "a discount needs exactly one of percentOff or amountOff" })
  }
  const percentOff = d.percentOff === undefined ? undefined : dec(d.percentOff)
  if (percentOff !== undefined && Rational.compare(percentOff, Rational.fromInt(100)) > 0) {
    issues.push({ path: `${path}.percentOff`, message: `expected a percentage from 0 to 100, got ${JSON.stringify(d.percentOff)}` })
  }
  for (const [j, planId] of (d.appliesTo ?? []).entries()) {
    if (!plansById.has(planId)) issues.push({ path: `${path}.appliesTo[${j}]`, message: `unknown plan id "${planId}"` })
  }
  return {
    id: d.id,
    name: d.name ?? d.id,
    percentOff,
    amountOff: d.amountOff === undefined ? undefined : dec(d.amountOff),
    duration: typeof d.duration === "string" ? d.duration : { months: d.duration.months },
    appliesTo: d.appliesTo === undefined ? undefined : [...d.appliesTo],
    promotionCodes: d.promotionCodes === undefined ? [] : [...d.promotionCodes]
  }
}

/** Discounts by id and by promotion code; a repeated id or code is an issue and the later discount wins. */
const indexDiscounts = (
  discounts: ReadonlyArray<C.Discount>,
  base: string,
  issues: Array<DecodeIssue>
): Pick<C.Catalog, "discountsById" | "discountsByCode"> => {
  const discountsById = new Map<string, C.Discount>()
  const discountsByCode = new Map<string, C.Discount>()
  discounts.forEach((d, i) => {
    if (discountsById.has(d.id)) issues.push({ path: `${base}.discounts[${i}].id`, message: `duplicate discount id "${d.id}"` })
    discountsById.set(d.id, d)
    for (const code of d.promotionCodes) {
      if (discountsByCode.has(code)) issues.push({ path: `${base}.discounts[${i}].promotionCodes`, message: `duplicate promotion code "${code}"` })
      discountsByCode.set(code, d)
    }
  })
  return { discountsById, discountsByCode }
}

/** The default currency and every currency a price of the decoded catalog has its own amount in. */
const catalogCurrencies = (plans: ReadonlyArray<C.Plan>, defaultCurrency: string): ReadonlySet<string> => {
  const codes = new Set([defaultCurrency])
  const add = (amount: C.PriceAmount | undefined): void => {
    if (amount !== undefined) for (const code of amount.currencies.keys()) codes.add(code)
  }
  for (const p of plans) {
    add(p.price)
    for (const item of p.items) add(item.price?.amount)
  }
  return codes
}

const normalizePlan = (p: RawPlan, path: string, featureById: ReadonlyMap<string, C.Feature>, issues: Array<DecodeIssue>): DraftPlan => {
  const seen = new Set<string>()
  const items: Array<C.PlanItem> = []
  for (const [i, item] of (p.items ?? []).entries()) {
    const itemPath = `${path}.items[${i}]`
    const feature = featureById.get(item.featureId)
    if (feature === undefined) {
      issues.push({ path: `${itemPath}.featureId`, message: `unknown feature id "${item.featureId}"` })
      continue
    }
    if (seen.has(item.featureId)) issues.push({ path: `${itemPath}.featureId`, message: `feature "${item.featureId}" appears twice in plan "${p.id}"` })
    seen.add(item.featureId)
    items.push(normalizeItem(item, itemPath, feature, issues))
  }
  const plan: DraftPlan = {
    id: p.id,
    name: p.name ?? p.id,
    group: p.group ?? "",
    addOn: p.addOn === true,
    autoEnable: p.autoEnable === true,
    version: p.version ?? 1,
    price: p.price === undefined ? undefined : {
      amount: dec(p.price.amount),
      currencies: currencyMap(p.price.currencies),
      interval: toInterval(p.price.interval, p.price.intervalCount)
    },
    items,
    freeTrial: p.freeTrial === undefined ? undefined : {
      length: p.freeTrial.length,
      unit: p.freeTrial.unit,
      cardRequired: p.freeTrial.cardRequired !== false
    },
    facts: emptyFacts()
  }
  return p.prorationPolicy === undefined ? plan : { ...plan, prorationPolicy: policyOf(p.prorationPolicy) }
}

const normalizeItem = (item: RawItem, path: string, feature: C.Feature, issues: Array<DecodeIssue>): C.PlanItem => {
  if (item.reset !== undefined && !feature.consumable) {
    issues.push({ path: `${path}.reset`, message: `a reset needs a consumable feature; "${feature.id}" is not consumable` })
  }
  const reset: Interval | undefined = item.reset === undefined ? undefined : { unit: item.reset.interval, count: item.reset.intervalCount ?? 1 }
  return {
    featureId: item.featureId,
    feature,
    included: item.included ?? 0,
    reset,
    price: item.price === undefined ? undefined : normalizeItemPrice(item.price, `${path}.price`, feature, issues),
    proration: {
      onIncrease: item.proration?.onIncrease ?? "prorate",
      onDecrease: item.proration?.onDecrease ?? "prorate"
    }
  }
}

const normalizeItemPrice = (price: RawItemPrice, path: string, feature: C.Feature, issues: Array<DecodeIssue>): C.ItemPrice => {
  if ((price.amount === undefined) === (price.tiers === undefined)) {
    issues.push({ path, message: "a price needs exactly one of amount or tiers" })
  }
  if (feature.consumable && price.billingMethod === "usage_based" && price.interval === "one_off") {
    issues.push({ path: `${path}.interval`, message: "a usage-based price of a consumable feature is billed in arrears and cannot be one_off" })
  }
  const tiers = price.tiers?.map((t): C.Tier => ({
    upTo: t.upTo,
    amount: dec(t.amount),
    flatAmount: t.flatAmount === undefined ? Rational.zero : dec(t.flatAmount)
  }))
  if (tiers !== undefined) validateTiers(tiers, `${path}.tiers`, issues)
  return {
    amount: price.amount === undefined ? undefined : { amount: dec(price.amount), currencies: currencyMap(price.currencies) },
    tiers,
    tierBehavior: price.tierBehavior ?? "graduated",
    interval: toInterval(price.interval, price.intervalCount),
    billingUnits: price.billingUnits ?? 1,
    billingMethod: price.billingMethod,
    maxPurchase: price.maxPurchase
  }
}

const validateTiers = (tiers: ReadonlyArray<C.Tier>, path: string, issues: Array<DecodeIssue>): void => {
  if (tiers.length === 0) {
    issues.push({ path, message: "expected at least one tier" })
    return
  }
  let previous = 0
  tiers.forEach((t, i) => {
    const last = i === tiers.length - 1
    if (last && t.upTo !== "inf") issues.push({ path: `${path}[${i}].upTo`, message: `the last tier's upTo must be "inf", got ${JSON.stringify(t.upTo)}` })
    if (!last && t.upTo === "inf") issues.push({ path: `${path}[${i}].upTo`, message: `only the last tier may be "inf"` })
    if (typeof t.upTo === "number") {
      if (t.upTo <= previous && i > 0) issues.push({ path: `${path}[${i}].upTo`, message: `tiers must ascend: ${t.upTo} is not above ${previous}` })
      previous = t.upTo
    }
  })
}
