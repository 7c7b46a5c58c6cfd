/**
 * A pricing table row in the words of Autumn's API: the `customer_eligibility` object of a plan
 * listed for a customer (`plans.list` / `plans.get` with `customer_id`), whose `scenario` is also
 * the `scenario` of a product in the 0.x `products` listing.
 *
 * @example
 * import { customerEligibility } from "attach-planner"
 * // customerEligibility(row) → { scenario: "upgrade", attach_action: "upgrade" }
 */
import type { PricingTableEntry } from "./entry.ts"

/**
 * Autumn's `attach_action`: what attaching the plan would do.
 * @example const action: AutumnAttachAction = "upgrade"
 */
export type AutumnAttachAction = "activate" | "upgrade" | "downgrade" | "none" | "purchase"

/**
 * Autumn's attach scenarios (the 0.x `ProductScenario`).
 * @example const scenario: AutumnScenario = "renew"
 */
export type AutumnScenario = "scheduled" | "active" | "new" | "renew" | "upgrade" | "downgrade" | "cancel"

/**
 * Autumn's `customer_eligibility` object, on the wire (snake_case, absent fields left out).
 * @example const eligibility: AutumnCustomerEligibility = { scenario: "new", attach_action: "activate", trial_available: true }
 */
export interface AutumnCustomerEligibility {
  readonly scenario?: AutumnScenario
  readonly attach_action: AutumnAttachAction
  readonly status?: "active" | "scheduled"
  readonly canceling?: boolean
  readonly trialing?: boolean
  readonly trial_available?: boolean
}

const attachActionOf = (row: PricingTableEntry): AutumnAttachAction => {
  if (row.kind === "one_off") return "purchase"
  if (row.held !== null) return "none"
  switch (row.scenario) {
    case "upgrade":
      return "upgrade"
    case "downgrade":
    case "cancel":
      return "downgrade"
    case "new":
      return "activate"
    default:
      return "none"
  }
}

/**
 * The `customer_eligibility` of a row: `attach_action` is `purchase` for a one-off plan, `none`
 * for a plan the customer holds (current or scheduled, any version), else from the scenario
 * (`new` → `activate`, `cancel` → `downgrade`); `status`, `canceling` and `trialing` describe the
 * held instance; `trial_available` is present when the plan has a trial.
 *
 * @example customerEligibility(row) // { scenario: "new", attach_action: "activate", trial_available: true }
 */
export const customerEligibility = (row: PricingTableEntry): AutumnCustomerEligibility => {
  const held = row.held
  const current = held !== null && held.status !== "scheduled"
  const scenario: AutumnScenario | undefined = row.scenario === null ? undefined : row.scenario === "update_prepaid_quantity" ? "active" : row.scenario
  return {
    ...(scenario === undefined ? {} : { scenario }),
    attach_action: attachActionOf(row),
    ...(held === null ? {} : { status: current ? "active" : "scheduled" }),
    ...(current ? { canceling: held.canceling, trialing: held.trialing } : {}),
    ...(row.trial === null ? {} : { trial_available: row.trialAvailable })
  }
}
