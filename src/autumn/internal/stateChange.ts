/**
 * A plan that changes only the state of a customer's subscriptions — a cancellation at the end
 * of the period, or an immediate cancellation with its refund to the credit balance — and
 * charges nothing: the provider actions are derived from the states before and after, exactly as
 * an attach's are, so the executor carries it out with the same idempotency and failure handling.
 */
import type { AttachRequest } from "../../AttachRequest.ts"
import type { Catalog } from "../../Catalog.ts"
import type { Customer } from "../../Customer.ts"
import { planActions } from "../../planner/actions.ts"
import { customerFingerprint, requestKey } from "../../internal/fingerprint.ts"
import { ms } from "../../internal/instants.ts"
import type { AttachPreview, Line } from "../../Preview.ts"

/** What a state change does. `key` tells two different changes apart in the idempotency keys. */
export interface StateChange {
  readonly customer: Customer
  readonly customerAfter: Customer
  /** The plan the change concerns (the actions' request names it). */
  readonly planId: string
  readonly key: string
  readonly at: string
  readonly currency: string
  /** Credit lines shown (a refund of unused time); they add up to what the credit balance gains. */
  readonly lines?: ReadonlyArray<Line>
}

/**
 * The plan of a state change: its lines (credits only), the customer replaced by `customerAfter`.
 *
 * @example stateChangePlan(catalog, { customer, customerAfter, planId: "pro", key: "sub_1:cancel_end_of_cycle", at, currency: "usd" }).actions[0]?.type // "cancelSubscription"
 */
export const stateChangePlan = (catalog: Catalog, change: StateChange): AttachPreview => {
  const request: AttachRequest = {
    customerId: change.customer.id,
    at: change.at,
    plans: [{ planId: change.planId }],
    // Distinguishes this change from an attach of the same plan at the same instant in the keys.
    checkoutSessionParams: { stateChange: change.key }
  }
  const lines = change.lines ?? []
  const subtotal = lines.reduce((sum, l) => sum + l.total, 0)
  const preview: Omit<AttachPreview, "actions" | "basedOn"> = {
    customerId: change.customer.id, currency: change.currency, scenario: "cancel", changes: [], lines,
    subtotal, discountTotal: 0, total: subtotal, creditApplied: 0, amountDue: 0, trialEndsAt: null, nextCycle: null, checkout: "none",
    customerAfter: change.customerAfter
  }
  return { ...preview, actions: planActions({ request, catalog, at: ms(change.at), requestKey: requestKey(request) }, preview, { customerBefore: change.customer }), basedOn: customerFingerprint(change.customer) }
}
