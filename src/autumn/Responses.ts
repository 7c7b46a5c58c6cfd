/**
 * The response bodies of Autumn's API, built from a preview (docs/spec.md §13) and an execution result
 * (docs/spec.md §11). Autumn speaks major units as JSON numbers and instants as epoch milliseconds; this
 * library keeps integer minor units and ISO strings. {@link toWireAmount} (a rational) and
 * {@link minorToMajor} (whole minor units) are the only places where an exact amount becomes a
 * float, through its exact decimal string (1549 cents → "15.49" → 15.49).
 *
 * @example
 * import * as Autumn from "attach-planner/autumn"
 * Autumn.minorToMajor(1549, "usd") // 15.49
 * Autumn.minorToMajor(1548, "jpy") // 1548
 */
import { type Catalog, findPlan } from "../Catalog.ts"
import type { Customer } from "../Customer.ts"
import type { ExecuteResult } from "../Execute.ts"
import { exponentOf } from "../Money.ts"
import type { AttachPreview, Change, Line, NextCycle } from "../Preview.ts"
import * as Rational from "../Rational.ts"
import { productInfoOf } from "./internal/productInfo.ts"
import { basePriceItem, type Product, type ProductItem, productItem, productView, type ViewContext } from "./ProductView.ts"
import type { RequestInput } from "./Requests.ts"

// ---------------------------------------------------------------------------------------------
// Amounts and instants on the wire
// ---------------------------------------------------------------------------------------------

/**
 * An exact amount in major units as the JSON number Autumn sends: the number whose shortest
 * decimal form is the amount's exact decimal expansion. Amounts of this library are decimals
 * (prices have at most 12 decimal places; totals are whole minor units), so the expansion ends;
 * a rational that does not end in base 10 is cut at 12 places.
 *
 * @example toWireAmount(Rational.make(1549n, 100n)) // 15.49
 */
export const toWireAmount = (major: Rational.Rational): number => {
  let places = 0
  let scale = 1n
  while (scale % major.d !== 0n && places < 12) {
    places++
    scale *= 10n
  }
  const scaled = (major.n * scale) / major.d // exact unless cut at 12 places (truncated toward zero)
  const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(places + 1, "0")
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`
  return Number(scaled < 0n ? `-${text}` : text)
}

/**
 * Integer minor units of `currency` as Autumn's major-unit number.
 *
 * @example minorToMajor(-1032, "usd") // -10.32
 */
export const minorToMajor = (minor: number | bigint, currency: string): number => {
  // A whole number of minor units is already a decimal: its digits with the point `places` from
  // the right are its exact expansion (what toWireAmount finds, without a rational's division).
  const places = exponentOf(currency)
  const whole = BigInt(minor)
  const digits = (whole < 0n ? -whole : whole).toString().padStart(places + 1, "0")
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`
  return Number(whole < 0n ? `-${text}` : text)
}

/** An ISO instant as epoch milliseconds. @example toMillis("2025-02-01T00:00:00Z") // 1738368000000 */
export const toMillis = (instant: string): number => Date.parse(instant)

// ---------------------------------------------------------------------------------------------
// billing.attach / billing.multi_attach
// ---------------------------------------------------------------------------------------------

/** The body of `billing.attach` and `billing.multi_attach`. @example { customer_id: "cus_1", payment_url: null, invoice: { status: "paid", … } } */
export interface AttachResponse {
  readonly customer_id: string
  readonly entity_id?: string
  readonly invoice?: {
    readonly status: string | null
    readonly stripe_id: string
    /** In minor units (cents), as Autumn's billing responses give it. */
    readonly total: number
    readonly currency: string
    readonly hosted_invoice_url: string | null
  }
  readonly payment_url: string | null
  readonly required_action?: { readonly code: string; readonly reason: string }
}

/**
 * The attach response of an execution. `invoice.stripe_id` is the payment provider's invoice id.
 *
 * @example attachResponse("cus_1", undefined, result).invoice?.total // 1549
 */
export const attachResponse = (customerId: string, entityId: string | undefined, result: ExecuteResult): AttachResponse => ({
  customer_id: customerId,
  ...(entityId === undefined ? {} : { entity_id: entityId }),
  ...(result.invoice === undefined ? {} : {
    invoice: {
      status: result.invoice.status,
      stripe_id: result.invoice.id,
      total: result.invoice.total,
      currency: result.invoice.currency,
      hosted_invoice_url: result.invoice.hostedUrl
    }
  }),
  payment_url: result.paymentUrl,
  ...(result.requiredAction === undefined ? {} : { required_action: { code: result.requiredAction.code, reason: result.requiredAction.reason } })
})

// ---------------------------------------------------------------------------------------------
// billing.preview_attach / billing.preview_multi_attach
// ---------------------------------------------------------------------------------------------

interface Period {
  readonly start: number
  readonly end: number
}

/** One line of a preview response. @example { display_name: "Premium", description: "Premium (Jan 16 – Feb 1, 2025)", subtotal: 25.81, total: 25.81, discounts: [], plan_id: "premium", feature_id: null, quantity: 1 } */
export interface PreviewLineItem {
  readonly display_name: string
  readonly description: string
  readonly subtotal: number
  readonly total: number
  readonly discounts: ReadonlyArray<{ readonly amount_off: number; readonly reward_id: string; readonly reward_name?: string }>
  readonly plan_id: string
  readonly feature_id: string | null
  readonly period?: Period
  readonly quantity: number
}

interface PlanChange {
  readonly plan_id: string
  readonly feature_quantities: ReadonlyArray<{ readonly feature_id: string; readonly quantity: number }>
  readonly effective_at: number | null
  readonly canceled_at: number | null
  readonly expires_at: number | null
}

/** The body of `billing.preview_attach` and `billing.preview_multi_attach`. @example preview.total // 15.49 */
export interface PreviewResponse {
  readonly customer_id: string
  readonly line_items: ReadonlyArray<PreviewLineItem>
  readonly subtotal: number
  readonly total: number
  readonly currency: string
  readonly next_cycle?: {
    readonly starts_at: number
    readonly subtotal: number
    readonly total: number
    readonly line_items: ReadonlyArray<PreviewLineItem>
    readonly usage_line_items: ReadonlyArray<{ readonly display_name: string; readonly plan_id: string; readonly feature_id: string | null }>
  }
  readonly incoming: ReadonlyArray<PlanChange>
  readonly outgoing: ReadonlyArray<PlanChange>
  readonly redirect_to_checkout: boolean
  readonly checkout_type: "stripe_checkout" | null
  readonly invoice_credits?: { readonly balance: number; readonly applied: number; readonly currency: string }
}

const planName = (catalog: Catalog, planId: string | null): string => (planId === null ? "" : findPlan(catalog, planId)?.name ?? planId)

const lineItem = (catalog: Catalog, currency: string, fallbackPlanId: string) => (l: Line): PreviewLineItem => ({
  display_name: l.featureId === null ? planName(catalog, l.planId ?? fallbackPlanId) : catalog.features.find((f) => f.id === l.featureId)?.name ?? l.featureId,
  description: l.description,
  subtotal: minorToMajor(l.amount, currency),
  total: minorToMajor(l.total, currency),
  discounts: l.discounts.map((d) => {
    const name = catalog.discountsById.get(d.discountId)?.name
    return { amount_off: minorToMajor(d.amount, currency), reward_id: d.discountId, ...(name === undefined ? {} : { reward_name: name }) }
  }),
  // A custom line belongs to no plan; Autumn's clients require a plan id: the first requested plan's.
  plan_id: l.planId ?? fallbackPlanId,
  feature_id: l.featureId,
  ...(l.period === null ? {} : { period: { start: toMillis(l.period.start), end: toMillis(l.period.end) } }),
  quantity: l.quantity
})

const nextCycle = (catalog: Catalog, currency: string, fallbackPlanId: string, n: NextCycle): NonNullable<PreviewResponse["next_cycle"]> => ({
  starts_at: toMillis(n.startsAt),
  subtotal: minorToMajor(n.subtotal, currency),
  total: minorToMajor(n.total, currency),
  line_items: n.lines.map(lineItem(catalog, currency, fallbackPlanId)),
  usage_line_items: n.usageLines.map((u) => ({
    display_name: catalog.features.find((f) => f.id === u.featureId)?.name ?? u.featureId, plan_id: u.planId, feature_id: u.featureId
  }))
})

const requestedQuantities = (request: RequestInput, planId: string) =>
  (request.plans.find((p) => p.planId === planId)?.featureQuantities ?? []).map((q) => ({ feature_id: q.featureId, quantity: q.quantity }))

const incoming = (request: RequestInput) => (c: Change): PlanChange => ({
  plan_id: c.planId, feature_quantities: requestedQuantities(request, c.planId),
  effective_at: toMillis(c.effectiveAt), canceled_at: null, expires_at: null
})

const outgoing = (c: Change): Array<PlanChange> => c.replaces === null ? [] : [{
  plan_id: c.replaces, feature_quantities: [], effective_at: null, canceled_at: toMillis(c.effectiveAt), expires_at: toMillis(c.effectiveAt)
}]

/**
 * The preview response of a plan. `total` is after discounts and before the customer's credit
 * balance, which `invoice_credits` reports when some of it is applied.
 *
 * @example previewResponse(catalog, customer, request, preview).total // 15.49
 */
export const previewResponse = (catalog: Catalog, customer: Customer, request: RequestInput, p: AttachPreview): PreviewResponse => {
  const first = request.plans[0]?.planId ?? ""
  return {
    customer_id: p.customerId,
    line_items: p.lines.map(lineItem(catalog, p.currency, first)),
    subtotal: minorToMajor(p.subtotal, p.currency),
    total: minorToMajor(p.total, p.currency),
    currency: p.currency,
    ...(p.nextCycle === null ? {} : { next_cycle: nextCycle(catalog, p.currency, first, p.nextCycle) }),
    incoming: p.changes.map(incoming(request)),
    outgoing: p.changes.flatMap(outgoing),
    redirect_to_checkout: p.checkout === "provider_checkout",
    checkout_type: p.checkout === "provider_checkout" ? "stripe_checkout" : null,
    ...(p.creditApplied === 0 ? {} : {
      invoice_credits: { balance: minorToMajor(customer.creditBalance ?? 0, p.currency), applied: minorToMajor(p.creditApplied, p.currency), currency: p.currency }
    })
  }
}

// ---------------------------------------------------------------------------------------------
// checkout (legacy)
// ---------------------------------------------------------------------------------------------

/** The body of the legacy `checkout`. @example checkout.url // the provider checkout, when the customer must pay there */
export interface CheckoutResponse {
  readonly url?: string
  readonly customer_id: string
  readonly has_prorations: boolean
  readonly lines: ReadonlyArray<{ readonly description: string; readonly amount: number; readonly item: ProductItem | null }>
  readonly total: number
  readonly currency: string
  readonly options: ReadonlyArray<{ readonly feature_id: string; readonly quantity: number }>
  readonly product: Product
  readonly current_product: Product | null
  readonly free_trial: boolean
  readonly next_cycle?: { readonly starts_at: number; readonly total: number }
}

const lineProductItem = (at: ViewContext, l: Line): ProductItem | null => {
  const plan = l.planId === null ? undefined : findPlan(at.catalog, l.planId)
  if (plan === undefined) return null
  const item = l.featureId === null ? undefined : plan.items.find((i) => i.featureId === l.featureId)
  if (item !== undefined) return productItem(at, productInfoOf(at.catalog, plan.id, plan.version))(item)
  return basePriceItem(at, plan) ?? null
}

/**
 * The legacy checkout response of a plan; `url` is the checkout session's when the customer must
 * pay through the provider's checkout (then the plan was executed up to it). `product` is the
 * first requested plan, `current_product` the plan it replaces.
 *
 * @example checkoutResponse(catalog, request, preview, "https://…/checkout/cs_1").url
 */
export const checkoutResponse = (
  catalog: Catalog, request: RequestInput, p: AttachPreview, url: string | null, env: "sandbox" | "live" = "sandbox"
): CheckoutResponse => {
  const at: ViewContext = { catalog, env, currency: p.currency }
  const first = p.changes[0]
  const plan = findPlan(catalog, first?.planId ?? request.plans[0]?.planId ?? "", request.plans[0]?.version)
  const replaced = first?.replaces === null || first?.replaces === undefined ? undefined : findPlan(catalog, first.replaces)
  const hasTrial = p.trialEndsAt !== null
  const empty: Product = {
    id: request.plans[0]?.planId ?? "", name: "", group: null, env, is_add_on: false, is_default: false, version: 1, created_at: 0, items: [],
    free_trial: null, base_variant_id: null, properties: { is_free: true, is_one_off: false, interval_group: "", has_trial: false, updateable: false }
  }
  return {
    ...(url === null ? {} : { url }),
    customer_id: p.customerId,
    has_prorations: p.lines.some((l) => l.kind === "credit"),
    // With a checkout url the provider's checkout page shows the lines: Autumn answers none.
    lines: url !== null ? [] : p.lines.map((l) => ({ description: l.description, amount: minorToMajor(l.total, p.currency), item: lineProductItem(at, l) })),
    total: minorToMajor(p.total, p.currency),
    currency: p.currency,
    options: request.plans.flatMap((rp) => (rp.featureQuantities ?? []).map((q) => ({ feature_id: q.featureId, quantity: q.quantity }))),
    product: plan === undefined ? empty : productView(at, plan, { scenario: first?.scenario, hasTrial }),
    current_product: replaced === undefined ? null : productView(at, replaced, { scenario: undefined, hasTrial: false }),
    free_trial: hasTrial,
    ...(p.nextCycle === null ? {} : { next_cycle: { starts_at: toMillis(p.nextCycle.startsAt), total: minorToMajor(p.nextCycle.total, p.currency) } })
  }
}
