import type { AttachRequest } from "../AttachRequest.ts"
import type { Customer, Subscription } from "../Customer.ts"
import type { Action, AttachPreview } from "../Preview.ts"
import { fnv1a64 } from "./working.ts"

interface ActionCtx {
  readonly request: AttachRequest
}

interface ActionFacts {
  readonly releasedSchedules: ReadonlyArray<Subscription>
  readonly newKeys: ReadonlySet<string>
  readonly customerBefore: Customer
}

type Draft = { readonly type: string; readonly [field: string]: unknown }

/** A deterministic prefix for the idempotency keys of one request. */
export const requestKey = (request: AttachRequest): string =>
  fnv1a64(JSON.stringify([request.customerId, request.at, request.plans, request.entityId ?? null, request.discounts ?? null, request.planSchedule ?? null]))

/**
 * The provider-neutral actions that carry out a preview, in execution order (SPEC §11), each
 * with a deterministic idempotency key derived from the request and its position.
 */
export const planActions = (ctx: ActionCtx, p: Omit<AttachPreview, "actions" | "basedOn">, facts: ActionFacts): Array<Action> => {
  const drafts: Array<Draft> = []
  const after = p.customerAfter.subscriptions ?? []
  const before = new Map((facts.customerBefore.subscriptions ?? []).map((s) => [s.id, s]))
  const created = after.filter((s) => !before.has(s.id))
  const immediate = p.changes.filter((c) => c.timing === "immediate")
  const invoiceMode = ctx.request.invoiceMode
  const invoice = (): void => {
    if (p.lines.length === 0) return
    drafts.push({
      type: "createInvoice",
      currency: p.currency,
      lines: p.lines,
      total: p.total,
      collection: invoiceMode?.enabled === true ? "send_invoice" : "charge_automatically",
      finalize: invoiceMode?.enabled === true ? invoiceMode.finalize !== false : true,
      ...(invoiceMode?.enabled === true ? { netTermsDays: invoiceMode.netTermsDays ?? 30 } : {})
    })
    if (invoiceMode?.enabled !== true && p.amountDue > 0) drafts.push({ type: "payInvoice", amount: p.amountDue, creditApplied: p.creditApplied })
  }

  if (p.checkout === "provider_checkout") {
    drafts.push({
      type: "createCheckoutSession",
      mode: created.some((s) => s.status !== "scheduled" && s.billingAnchor !== undefined && p.nextCycle !== null) ? "subscription" : "payment",
      customerId: p.customerId,
      currency: p.currency,
      lines: p.lines,
      planIds: immediate.map((c) => c.planId),
      trialEndsAt: p.trialEndsAt,
      ...(ctx.request.successUrl === undefined ? {} : { successUrl: ctx.request.successUrl }),
      ...(ctx.request.checkoutSessionParams === undefined ? {} : { params: ctx.request.checkoutSessionParams })
    })
    return keyed(ctx.request, drafts)
  }

  for (const s of facts.releasedSchedules) drafts.push({ type: "releaseSchedule", subscriptionId: s.providerSubscriptionId ?? s.id, planId: s.planId })
  const newBilling = created.filter((s) => s.status !== "scheduled" && facts.newKeys.has(s.providerSubscriptionId ?? `anchor:${Date.parse(s.billingAnchor)}`))
  if (newBilling.length > 0) {
    const first = newBilling[0] as Subscription
    drafts.push({
      type: "createSubscription",
      customerId: p.customerId,
      currency: p.currency,
      subscriptionIds: newBilling.map((s) => s.id),
      planIds: newBilling.map((s) => s.planId),
      billingAnchor: first.billingAnchor,
      trialEndsAt: first.trialEndsAt ?? null,
      featureQuantities: newBilling.flatMap((s) => s.featureQuantities ?? [])
    })
  }
  for (const c of p.changes) {
    const target = after.find((s) => s.planId === c.planId && !before.has(s.id))
    const replaced = c.replaces === null ? undefined : [...before.values()].find((s) => s.planId === c.replaces && (s.entityId ?? null) === c.entityId)
    const subscriptionId = replaced?.providerSubscriptionId ?? target?.providerSubscriptionId ?? replaced?.id ?? target?.id ?? null
    if (c.timing === "immediate" && (c.scenario === "upgrade" || (c.scenario === "new" && target !== undefined && !newBilling.includes(target) && target.status !== "scheduled" && p.nextCycle !== null))) {
      drafts.push({ type: "updateSubscription", subscriptionId, addPlanId: c.planId, removePlanId: c.replaces, prorationBehavior: ctx.request.prorationBehavior ?? "prorate_immediately" })
    } else if (c.scenario === "renew") {
      drafts.push({ type: "updateSubscription", subscriptionId: [...before.values()].find((s) => s.planId === c.planId)?.providerSubscriptionId ?? null, cancelAtPeriodEnd: false })
    } else if (c.scenario === "update_prepaid_quantity") {
      const sub = after.find((s) => s.planId === c.planId && (s.entityId ?? null) === c.entityId)
      drafts.push({ type: "updateSubscription", subscriptionId: sub?.providerSubscriptionId ?? sub?.id ?? null, featureQuantities: sub?.featureQuantities ?? [] })
    } else if (c.timing === "end_of_cycle") {
      if (c.scenario === "cancel") drafts.push({ type: "cancelSubscription", subscriptionId, planId: c.replaces, atPeriodEnd: true, at: c.effectiveAt })
      drafts.push({ type: "scheduleChange", subscriptionId, fromPlanId: c.replaces, toPlanId: c.planId, at: c.effectiveAt })
    }
  }
  invoice()
  return keyed(ctx.request, drafts)
}

const keyed = (request: AttachRequest, drafts: ReadonlyArray<Draft>): Array<Action> => {
  const prefix = requestKey(request)
  return drafts.map((d, i) => ({ ...d, idempotencyKey: `ap_${prefix}_${i}_${d.type}` }))
}
