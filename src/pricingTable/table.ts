/**
 * The pricing table on decoded inputs: one row per listed plan, in catalog order, each the
 * preview of attaching that plan alone (`planAttach`) for the same customer, instant, scope and
 * currency. What depends on the catalog only (the listed plans) is computed once per decoded
 * catalog; what depends on the customer only (its held plans, the currency, the checks of its
 * subscriptions) once per table.
 *
 * @example
 * import { decodeCatalog, planPricingTable } from "attach-planner"
 * // planPricingTable({ catalog, customer, at: "2025-01-16T00:00:00Z" }) → Result<PricingTable, AttachError>
 */
import * as Result from "effect/Result"
import type { AttachRequest } from "../AttachRequest.ts"
import { type Catalog, type Plan, findPlan } from "../Catalog.ts"
import { type Customer, type Subscription, isCurrent } from "../Customer.ts"
import { type AttachError, UnknownPlan } from "../Errors.ts"
import * as Money from "../Money.ts"
import { planAttach } from "../Planner.ts"
import { entryOf, type HeldPlan, type PricingTableEntry } from "./entry.ts"

/**
 * A pricing table request on decoded inputs.
 * @example const input: PricingTableInput = { catalog, customer, at: "2025-01-16T00:00:00Z", currency: "eur" } // catalog and customer decoded
 */
export interface PricingTableInput {
  readonly catalog: Catalog
  readonly customer: Customer
  /** The instant the table is priced at (ISO-8601). */
  readonly at: string
  /** Price for this entity (workspace, seat…) of the customer instead of the customer itself. */
  readonly entityId?: string | undefined
  /** The invoice currency; default the customer's, then the catalog's. */
  readonly currency?: string | undefined
  /** List every version of every plan, not only the highest one. */
  readonly allVersions?: boolean | undefined
}

/**
 * The pricing table of one customer.
 * @example Result.map(planPricingTable(input), (t) => t.plans.map((p) => p.planId)) // Success(["free", "pro", "premium"])
 */
export interface PricingTable {
  readonly customerId: string
  readonly entityId: string | null
  readonly currency: string
  readonly at: string
  readonly plans: ReadonlyArray<PricingTableEntry>
}

/**
 * The plans a table lists, in catalog order: every plan with `allVersions`, else the highest
 * version of each id (`Catalog.latestPlans`, worked out by `decodeCatalog`).
 *
 * @example listedPlans(catalog, false).map((p) => p.id) // ["free", "pro", "premium"]
 */
export const listedPlans = (catalog: Catalog, allVersions: boolean): ReadonlyArray<Plan> =>
  allVersions ? catalog.plans : catalog.latestPlans

/** The planner's error for a held plan missing from the catalog, which fails every row alike. */
const missingHeldPlan = (catalog: Catalog, customer: Customer): UnknownPlan | undefined => {
  for (const sub of customer.subscriptions ?? []) {
    if (sub.status === "expired" || findPlan(catalog, sub.planId, sub.version) !== undefined) continue
    const version = sub.version === undefined ? "" : ` version ${sub.version}`
    return new UnknownPlan({
      planId: sub.planId,
      ...(sub.version === undefined ? {} : { version: sub.version }),
      message: `Subscription "${sub.id}" holds plan "${sub.planId}"${version}, which is not in the catalog`
    })
  }
  return undefined
}

/**
 * The customer's instance of each plan id in a scope: a current one first, else a scheduled one.
 *
 * @example heldPlans(catalog, customer, null).get("pro") // { version: 1, status: "active", canceling: false, trialing: false }
 */
export const heldPlans = (catalog: Catalog, customer: Customer, scope: string | null): ReadonlyMap<string, HeldPlan> => {
  const out = new Map<string, HeldPlan>()
  for (const sub of customer.subscriptions ?? []) {
    if ((sub.entityId ?? null) !== scope || sub.status === "expired") continue
    const had = out.get(sub.planId)
    if (had !== undefined && (had.status !== "scheduled" || !isCurrent(sub))) continue
    out.set(sub.planId, heldOf(catalog, sub))
  }
  return out
}

const heldOf = (catalog: Catalog, sub: Subscription): HeldPlan => ({
  version: sub.version ?? findPlan(catalog, sub.planId)?.version ?? 1,
  status: sub.status,
  canceling: sub.cancelAtPeriodEnd === true,
  trialing: sub.status === "trialing"
})

/**
 * The pricing table of a customer: one row per listed plan, each equal to what previewing the
 * attach of that plan alone returns. Fails only when every row would fail alike (the customer
 * holds a plan the catalog does not have).
 *
 * @example
 * const r = planPricingTable({ catalog, customer, at: "2025-01-16T00:00:00Z" })
 * Result.isSuccess(r) && r.success.plans.map((p) => `${p.planId}: ${p.action}`) // ["free: downgrade", "pro: current", "premium: upgrade"]
 */
export const planPricingTable = (input: PricingTableInput): Result.Result<PricingTable, AttachError> => {
  const { catalog, customer, at } = input
  const missing = missingHeldPlan(catalog, customer)
  if (missing !== undefined) return Result.fail(missing)
  const scope = input.entityId ?? null
  const currency = Money.normalizeCurrency(input.currency ?? customer.currency ?? catalog.defaultCurrency)
  const held = heldPlans(catalog, customer, scope)
  const plans = listedPlans(catalog, input.allVersions === true)
  const rows: Array<PricingTableEntry> = []
  for (const plan of plans) {
    const request: AttachRequest = {
      customerId: customer.id,
      at,
      plans: [{ planId: plan.id, version: plan.version }],
      ...(input.entityId === undefined ? {} : { entityId: input.entityId }),
      ...(input.currency === undefined ? {} : { currency: input.currency })
    }
    rows.push(entryOf(plan, planAttach({ catalog, customer, request }), held.get(plan.id) ?? null))
  }
  return Result.succeed({ customerId: customer.id, entityId: scope, currency, at, plans: rows })
}
