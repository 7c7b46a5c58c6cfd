/**
 * The bodies of `billing.attach` and `billing.multi_attach` (and of their previews), decoded onto
 * this library's attach request. See docs/autumn-compat.md for the field-by-field table.
 *
 * @example
 * Autumn.decodeAttachBody({ customer_id: "cus_1", plan_id: "pro" })
 * // Result.succeed({ customerId: "cus_1", request: { customerId: "cus_1", plans: [{ planId: "pro" }] }, … })
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { invalidInputs } from "./ApiError.ts"
import {
  type AttachCall, CustomerDataSchema, customerDataUnsupported, type Decoded, decodeWith, EntityData, rejectUnsupported, type RequestInput, unsupportedField
} from "./Requests.ts"

const opt = Schema.optionalKey
const Str = Schema.String
const Num = Schema.Number
const Bool = Schema.Boolean
/** A field Autumn defines that this server does not carry out: present → 400. */
const Unsupported = opt(Schema.Unknown)

const FeatureQuantity = Schema.Struct({ feature_id: Str, quantity: opt(Num), adjustable: opt(Bool) })

const FreeTrialParams = Schema.Struct({
  duration_length: Num,
  duration_type: opt(Schema.Literals(["day", "month", "year"])),
  card_required: opt(Bool),
  on_end: opt(Schema.Literals(["bill", "revert"]))
})

const InvoiceMode = Schema.Struct({
  enabled: Bool,
  enable_plan_immediately: opt(Bool),
  finalize: opt(Bool),
  invoice_template_id: Unsupported,
  net_terms_days: opt(Num)
})

const AttachDiscount = Schema.Struct({ reward_id: opt(Str), promotion_code: opt(Str) })

const CustomLineItem = Schema.Struct({ amount: Num, description: Str })

const RedirectMode = Schema.Literals(["always", "if_required", "never"])
const ProrationBehavior = Schema.Literals(["prorate_immediately", "none"])
const PlanSchedule = Schema.Literals(["immediate", "end_of_cycle"])

/** The fields shared by `billing.attach` and `billing.multi_attach` (and their previews). */
const common = {
  customer_id: Str,
  entity_id: opt(Str),
  free_trial: opt(Schema.NullOr(FreeTrialParams)),
  invoice_mode: opt(InvoiceMode),
  proration_behavior: opt(ProrationBehavior),
  redirect_mode: opt(RedirectMode),
  discounts: opt(Schema.Array(AttachDiscount)),
  success_url: opt(Str),
  new_billing_subscription: opt(Bool),
  billing_cycle_anchor: opt(Schema.Union([Str, Num])),
  plan_schedule: opt(PlanSchedule),
  checkout_session_params: opt(Schema.Record(Str, Schema.Unknown)),
  custom_line_items: opt(Schema.Array(CustomLineItem)),
  enable_plan_immediately: opt(Bool),
  currency: opt(Str),
  customer_data: opt(CustomerDataSchema),
  entity_data: opt(EntityData),
  starts_at: Unsupported
}

/** Schema of the body of `billing.attach` and `billing.preview_attach`. @example Schema.decodeUnknownSync(AttachBodySchema)({ customer_id: "cus_1", plan_id: "pro" }) */
export const AttachBodySchema = Schema.Struct({
  ...common,
  plan_id: Str,
  feature_quantities: opt(Schema.Array(FeatureQuantity)),
  version: opt(Num),
  metadata: opt(Schema.Record(Str, Str)),
  customize: Unsupported,
  subscription_id: Unsupported,
  ends_at: Unsupported,
  long_lived_checkout: Unsupported,
  processor_subscription_id: Unsupported,
  carry_over_balances: Unsupported,
  carry_over_usages: Unsupported,
  license_quantities: Unsupported,
  no_billing_changes: Unsupported,
  tax_rate_id: Unsupported,
  remove_plan_ids: Unsupported
})

const MultiAttachPlan = Schema.Struct({
  plan_id: Str,
  feature_quantities: opt(Schema.Array(FeatureQuantity)),
  version: opt(Num),
  entity_id: opt(Schema.NullOr(Str)),
  customize: Unsupported,
  subscription_id: Unsupported
})

/** Schema of the body of `billing.multi_attach` and `billing.preview_multi_attach`. @example Schema.decodeUnknownSync(MultiAttachBodySchema)({ customer_id: "cus_1", plans: [{ plan_id: "pro" }] }) */
export const MultiAttachBodySchema = Schema.Struct({
  ...common,
  plans: Schema.Array(MultiAttachPlan),
  billing_behavior: opt(ProrationBehavior)
})

type AttachBody = typeof AttachBodySchema.Type
type MultiAttachBody = typeof MultiAttachBodySchema.Type

/** The fields of an attach body this server does not carry out, in the order a 400 names the first. */
const ATTACH_UNSUPPORTED = [
  "customize", "subscription_id", "ends_at", "long_lived_checkout", "processor_subscription_id", "carry_over_balances", "carry_over_usages",
  "license_quantities", "no_billing_changes", "tax_rate_id", "remove_plan_ids"
] as const satisfies ReadonlyArray<keyof AttachBody>

const featureQuantities = (list: ReadonlyArray<{ readonly feature_id: string; readonly quantity?: number }> | undefined) => {
  const given = (list ?? []).flatMap((q) => (q.quantity === undefined ? [] : [{ featureId: q.feature_id, quantity: q.quantity }]))
  return given.length === 0 ? {} : { featureQuantities: given }
}

const freeTrial = (t: typeof FreeTrialParams.Type | null | undefined): Decoded<Pick<RequestInput, "freeTrial">> => {
  if (t === undefined) return Result.succeed({})
  if (t === null) return Result.succeed({ freeTrial: null })
  if (t.on_end === "revert") return Result.fail(invalidInputs("free_trial.on_end", `"revert" is not supported by this server: a trial ends by billing the plan`))
  return Result.succeed({ freeTrial: { length: t.duration_length, unit: t.duration_type ?? "month", cardRequired: t.card_required ?? false } })
}

const invoiceMode = (mode: typeof InvoiceMode.Type | undefined, enableNow: boolean | undefined): Decoded<Pick<RequestInput, "invoiceMode">> => {
  if (mode === undefined || !mode.enabled) {
    return enableNow === true
      ? Result.fail(invalidInputs("enable_plan_immediately", "applies to invoice mode only: send invoice_mode { enabled: true }"))
      : Result.succeed({})
  }
  const now = mode.enable_plan_immediately ?? enableNow
  return Result.succeed({
    invoiceMode: {
      enabled: true,
      ...(mode.finalize === undefined ? {} : { finalize: mode.finalize }),
      ...(now === undefined ? {} : { enablePlanImmediately: now }),
      ...(mode.net_terms_days === undefined ? {} : { netTermsDays: mode.net_terms_days })
    }
  })
}

const discounts = (list: ReadonlyArray<typeof AttachDiscount.Type> | undefined): Decoded<Pick<RequestInput, "discounts">> => {
  if (list === undefined) return Result.succeed({})
  const out: Array<{ readonly discountId: string } | { readonly promotionCode: string }> = []
  for (const [i, d] of list.entries()) {
    if ((d.reward_id === undefined) === (d.promotion_code === undefined)) return Result.fail(invalidInputs(`discounts[${i}]`, "expected exactly one of reward_id and promotion_code"))
    out.push(d.reward_id !== undefined ? { discountId: d.reward_id } : { promotionCode: d.promotion_code ?? "" })
  }
  return Result.succeed({ discounts: out })
}

const billingCycleAnchor = (anchor: string | number | undefined): Decoded<Pick<RequestInput, "billingCycleAnchor">> =>
  anchor === undefined ? Result.succeed({}) : anchor === "now" ? Result.succeed({ billingCycleAnchor: "now" })
  : Result.fail(invalidInputs("billing_cycle_anchor", `only "now" is supported by this server, got ${JSON.stringify(anchor)}`))

const CommonSchema = Schema.Struct(common)
type Common = typeof CommonSchema.Type

/** The parts of the request every attach body shares. */
const commonRequest = (b: Common, prorationBehavior: "prorate_immediately" | "none" | undefined): Decoded<Omit<RequestInput, "plans">> => {
  const unsupported = rejectUnsupported([["starts_at", b.starts_at], ["invoice_mode.invoice_template_id", b.invoice_mode?.invoice_template_id], ...customerDataUnsupported(b.customer_data), ["entity_data.billing_controls", b.entity_data?.billing_controls]])
  if (unsupported !== undefined) return Result.fail(unsupported)
  return Result.all([freeTrial(b.free_trial), invoiceMode(b.invoice_mode, b.enable_plan_immediately), discounts(b.discounts), billingCycleAnchor(b.billing_cycle_anchor)]).pipe(
    Result.map(([trial, invoice, discount, anchor]) => ({
      customerId: b.customer_id,
      ...(b.entity_id === undefined ? {} : { entityId: b.entity_id }),
      ...(b.currency === undefined ? {} : { currency: b.currency }),
      ...trial, ...invoice, ...discount, ...anchor,
      ...(prorationBehavior === undefined ? {} : { prorationBehavior }),
      ...(b.plan_schedule === undefined ? {} : { planSchedule: b.plan_schedule }),
      ...(b.redirect_mode === undefined ? {} : { redirectMode: b.redirect_mode }),
      ...(b.new_billing_subscription === undefined ? {} : { newBillingSubscription: b.new_billing_subscription }),
      ...(b.custom_line_items === undefined ? {} : { customLineItems: b.custom_line_items }),
      ...(b.success_url === undefined ? {} : { successUrl: b.success_url }),
      ...(b.checkout_session_params === undefined ? {} : { checkoutSessionParams: b.checkout_session_params })
    }))
  )
}

const callOf = (b: Common, request: RequestInput): AttachCall =>
  ({ customerId: b.customer_id, entityId: b.entity_id, customerData: b.customer_data, request })

/**
 * Decodes the body of `billing.attach` / `billing.preview_attach`.
 *
 * @example decodeAttachBody({ customer_id: "cus_1", plan_id: "pro", feature_quantities: [{ feature_id: "seats", quantity: 3 }] })
 */
export const decodeAttachBody = (json: unknown): Decoded<AttachCall> =>
  Result.flatMap(decodeWith(AttachBodySchema, json), (b: AttachBody) => {
    const unsupported = ATTACH_UNSUPPORTED.find((name) => b[name] !== undefined)
    if (unsupported !== undefined) return Result.fail(unsupportedField(unsupported))
    const plan = { planId: b.plan_id, ...(b.version === undefined ? {} : { version: b.version }), ...featureQuantities(b.feature_quantities) }
    return Result.map(commonRequest(b, b.proration_behavior), (rest) => callOf(b, { ...rest, plans: [plan] }))
  })

/**
 * Decodes the body of `billing.multi_attach` / `billing.preview_multi_attach`. `billing_behavior`
 * and `proration_behavior` are the same option (the former is the 1.x client's name).
 *
 * @example decodeMultiAttachBody({ customer_id: "cus_1", plans: [{ plan_id: "pro" }, { plan_id: "seats", feature_quantities: [{ feature_id: "seats", quantity: 5 }] }] })
 */
export const decodeMultiAttachBody = (json: unknown): Decoded<AttachCall> =>
  Result.flatMap(decodeWith(MultiAttachBodySchema, json), (b: MultiAttachBody) => {
    const unsupported = rejectUnsupported(b.plans.flatMap((p, i) => [[`plans[${i}].customize`, p.customize] as const, [`plans[${i}].subscription_id`, p.subscription_id] as const]))
    if (unsupported !== undefined) return Result.fail(unsupported)
    if (b.billing_behavior !== undefined && b.proration_behavior !== undefined && b.billing_behavior !== b.proration_behavior) {
      return Result.fail(invalidInputs("billing_behavior", "differs from proration_behavior; send one of them"))
    }
    const plans = b.plans.map((p) => ({
      planId: p.plan_id,
      ...(p.version === undefined ? {} : { version: p.version }),
      ...(p.entity_id === undefined || p.entity_id === null ? {} : { entityId: p.entity_id }),
      ...featureQuantities(p.feature_quantities)
    }))
    return Result.map(commonRequest(b, b.billing_behavior ?? b.proration_behavior), (rest) => callOf(b, { ...rest, plans }))
  })
