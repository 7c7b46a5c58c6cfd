/**
 * A catalog plan in the shape of Autumn's 1.x `Plan` (`plans.list`, `plans.get`): snake_case,
 * prices in major units of the catalog's default currency with the others as
 * `additional_currencies`, every item with its feature.
 *
 * @example
 * import { planWire } from "./planView.ts"
 * // planWire(catalog, "sandbox", pro, undefined) → { id: "pro", price: { amount: 20, interval: "month" }, items: [...], … }
 */
import { type Catalog, findPlan, type ItemPrice, type Plan, type PlanItem, type PriceAmount, type PriceInterval } from "../../Catalog.ts"
import type { AutumnCustomerEligibility } from "../../pricingTable/eligibility.ts"
import { featureType } from "../ProductView.ts"
import { toWireAmount } from "../Responses.ts"
import { productInfoOf } from "./productInfo.ts"

/** An interval on the wire: `interval`, and `interval_count` when it is not 1. */
const intervalFields = (i: PriceInterval): { readonly interval: string; readonly interval_count?: number } =>
  i === "one_off" ? { interval: "one_off" } : i.count === 1 ? { interval: i.unit } : { interval: i.unit, interval_count: i.count }

const amountFields = (a: PriceAmount) => ({
  amount: toWireAmount(a.amount),
  ...(a.currencies.size === 0 ? {} : { additional_currencies: [...a.currencies].map(([currency, amount]) => ({ currency, amount: toWireAmount(amount) })) })
})

const itemPrice = (p: ItemPrice) => ({
  ...(p.amount === undefined ? {} : amountFields(p.amount)),
  ...(p.tiers === undefined ? {} : {
    tiers: p.tiers.map((t) => ({ to: t.upTo, amount: toWireAmount(t.amount), ...(t.flatAmount.n === 0n ? {} : { flat_amount: toWireAmount(t.flatAmount) }) })),
    tier_behavior: p.tierBehavior
  }),
  ...intervalFields(p.interval),
  billing_units: p.billingUnits,
  billing_method: p.billingMethod,
  max_purchase: p.maxPurchase ?? null
})

const planItem = (item: PlanItem) => ({
  feature_id: item.featureId,
  feature: { id: item.feature.id, name: item.feature.name, type: featureType(item.feature), display: item.feature.display ?? null },
  included: item.included === "unlimited" ? 0 : item.included,
  unlimited: item.included === "unlimited",
  pooled: false,
  reset: item.reset === undefined ? null : intervalFields(item.reset),
  price: item.price === undefined ? null : itemPrice(item.price)
})

/**
 * The plan as Autumn's 1.x `Plan`, with the customer's `customer_eligibility` when given.
 * `created_at` is the imported Autumn product's (else 0); `active` whether it is the highest
 * version; `archived` is false (the catalog has no archived plans).
 *
 * @example planWire(catalog, "sandbox", pro, { attach_action: "upgrade", scenario: "upgrade" }).customer_eligibility?.attach_action // "upgrade"
 */
export const planWire = (catalog: Catalog, env: "sandbox" | "live", plan: Plan, eligibility: AutumnCustomerEligibility | undefined) => ({
  id: plan.id,
  name: plan.name,
  description: null,
  group: plan.group === "" ? null : plan.group,
  version: plan.version,
  active: findPlan(catalog, plan.id) === plan,
  add_on: plan.addOn,
  auto_enable: plan.autoEnable,
  price: plan.price === undefined ? null : { ...amountFields(plan.price), ...intervalFields(plan.price.interval) },
  items: plan.items.map(planItem),
  ...(plan.freeTrial === undefined ? {} : {
    free_trial: { duration_length: plan.freeTrial.length, duration_type: plan.freeTrial.unit, card_required: plan.freeTrial.cardRequired, on_end: "bill" }
  }),
  created_at: productInfoOf(catalog, plan.id, plan.version)?.createdAt ?? 0,
  env,
  archived: false,
  config: { ignore_past_due: false },
  metadata: {},
  ...(eligibility === undefined ? {} : { customer_eligibility: eligibility }),
  base_variant_id: null
})

/** A plan as {@link planWire} shows it. @example const p: PlanWire = planWire(catalog, "sandbox", pro, undefined) */
export type PlanWire = ReturnType<typeof planWire>
