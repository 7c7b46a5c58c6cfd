/**
 * Autumn's rule for attaching what is already held: `billing.attach` / `multi_attach` of a
 * recurring plan the customer holds in that scope (the customer, or the entity) is refused with
 * 409 `plan_already_attached` before anything runs; quantities change through `billing.update`.
 * One-off plans can be bought again, and a plan cancelled at the end of its period can be
 * attached again (that renews it).
 */
import * as Effect from "effect/Effect"
import { type Catalog, findPlan } from "../../Catalog.ts"
import { type Customer, isCurrent } from "../../Customer.ts"
import { isOneOff } from "../../Pricing.ts"
import { AutumnApiError } from "../ApiError.ts"
import type { RequestInput } from "../Requests.ts"

/** The id of the first requested plan the customer already holds in the requested scope. */
export const heldPlanOf = (catalog: Catalog, customer: Customer, request: RequestInput): { planId: string; entityId: string | null } | undefined => {
  for (const wanted of request.plans) {
    const plan = findPlan(catalog, wanted.planId, wanted.version)
    if (plan === undefined || isOneOff(plan)) continue
    const entityId = wanted.entityId ?? request.entityId ?? null
    const held = (customer.subscriptions ?? []).some((s) =>
      s.planId === wanted.planId && isCurrent(s) && (s.entityId ?? null) === entityId && s.cancelAtPeriodEnd !== true)
    if (held) return { planId: wanted.planId, entityId }
  }
  return undefined
}

/** Fails with 409 `plan_already_attached` when a requested recurring plan is already held. */
export const refuseHeldPlans = (catalog: Catalog, customer: Customer, request: RequestInput): Effect.Effect<void, AutumnApiError> => {
  const held = heldPlanOf(catalog, customer, request)
  if (held === undefined) return Effect.void
  const scope = held.entityId === null ? `customer ${customer.id}` : `entity ${held.entityId} of customer ${customer.id}`
  return Effect.fail(new AutumnApiError({
    status: 409, code: "plan_already_attached",
    message: `Plan ${held.planId} is already attached to ${scope}; change its quantities with billing.update`
  }))
}
