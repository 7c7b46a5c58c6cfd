/**
 * A plan that changes only the state of a customer's subscriptions — a cancellation at the end
 * of the period, an immediate cancellation, or an uncancel — and bills nothing: the provider
 * actions are derived from the states before and after, exactly as an attach's are, so the
 * executor carries it out with the same idempotency and failure handling.
 */
import type { AttachRequest } from "../../AttachRequest.ts"
import type { Catalog } from "../../Catalog.ts"
import type { Customer, Subscription } from "../../Customer.ts"
import { planActions } from "../../internal/actions.ts"
import { customerFingerprint } from "../../internal/working.ts"
import type { AttachPreview } from "../../Preview.ts"

/** What a state change does, for its request key (so two different changes never share keys). */
export interface StateChange {
  readonly customer: Customer
  readonly subscriptionId: string
  readonly after: Subscription
  readonly at: string
  readonly currency: string
}

/**
 * The plan of a state change: no lines, the subscription replaced by `after`.
 *
 * @example stateChangePlan(catalog, { customer, subscriptionId: "sub_1", after: cancelled, at, currency: "usd" }).actions[0]?.type // "cancelSubscription"
 */
export const stateChangePlan = (catalog: Catalog, change: StateChange): AttachPreview => {
  const customerAfter: Customer = {
    ...change.customer,
    subscriptions: (change.customer.subscriptions ?? []).map((s) => (s.id === change.subscriptionId ? change.after : s))
  }
  const request: AttachRequest = {
    customerId: change.customer.id,
    at: change.at,
    plans: [{ planId: change.after.planId }],
    // Distinguishes this change from an attach of the same plan at the same instant in the keys.
    checkoutSessionParams: { stateChange: `${change.subscriptionId}:${change.after.status}:${change.after.cancelAtPeriodEnd === true}` }
  }
  const preview: Omit<AttachPreview, "actions" | "basedOn"> = {
    customerId: change.customer.id, currency: change.currency, scenario: "cancel", changes: [], lines: [],
    subtotal: 0, discountTotal: 0, total: 0, creditApplied: 0, amountDue: 0, trialEndsAt: null, nextCycle: null, checkout: "none",
    customerAfter
  }
  return { ...preview, actions: planActions({ request, catalog }, preview, { customerBefore: change.customer }), basedOn: customerFingerprint(change.customer) }
}
