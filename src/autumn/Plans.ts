/**
 * The plan listings of Autumn's API, priced for a customer by the pricing table: `plans.list` and
 * `plans.get` (autumn-js 1.x, `POST /v1/plans.list`, `POST /v1/plans.get`) answer each plan with
 * `customer_eligibility` when the body names a `customer_id` (and optionally an `entity_id`), and
 * the 0.x `products` listing (`GET /v1/products_beta`, `GET /v1/products`, query `customer_id`)
 * answers each product with its `scenario`. Every eligibility is the pricing table's row for the
 * plan (`planPricingTable`), at the server's clock. A customer the store does not hold is priced
 * as the new customer its first attach would create (nothing is stored).
 *
 * @example
 * const body = await Effect.runPromise(Autumn.listPlans(options, { customer_id: "cus_1" }, {}).pipe(Effect.provideService(Autumn.CustomerStore, store)))
 * // { list: [{ id: "pro", …, customer_eligibility: { scenario: "active", attach_action: "none", status: "active", … } }, …] }
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { findPlan, type Plan } from "../Catalog.ts"
import { decodePricingRequest } from "../pricingTable/decode.ts"
import { customerEligibility } from "../pricingTable/eligibility.ts"
import type { PricingTableEntry } from "../pricingTable/entry.ts"
import { listedPlans, planPricingTable } from "../pricingTable/table.ts"
import { AutumnApiError, fromPlanError, invalidInputs } from "./ApiError.ts"
import { CustomerStore } from "./CustomerStore.ts"
import { planWire, type PlanWire } from "./internal/planView.ts"
import { type AutumnOptions, clockOf, defaultNewCustomer } from "./AutumnOptions.ts"
import { type Product, productView } from "./ProductView.ts"
import { decodeWith } from "./Requests.ts"

const Id = Schema.optionalKey(Schema.NullOr(Schema.String))

const ListPlansBody = Schema.Struct({
  customer_id: Id,
  entity_id: Id,
  include_archived: Schema.optionalKey(Schema.Boolean),
  all_versions: Schema.optionalKey(Schema.Boolean)
})

const GetPlanBody = Schema.Struct({
  plan_id: Schema.String,
  version: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  customer_id: Id,
  entity_id: Id
})

/** The query of the 0.x listing (values are strings). */
const ListProductsQuery = Schema.Struct({ customer_id: Id, entity_id: Id })

interface Scope {
  readonly customerId: string | null | undefined
  readonly entityId: string | null | undefined
  readonly allVersions: boolean
}

/** The customer's pricing table rows by `planId@version` (none without a customer), and its currency. */
interface Priced {
  readonly rows: ReadonlyMap<string, PricingTableEntry>
  readonly currency: string
}

const rowsFor = (options: AutumnOptions, scope: Scope): Effect.Effect<Priced, AutumnApiError, CustomerStore> =>
  Effect.gen(function* () {
    const customerId = scope.customerId
    if (customerId === undefined || customerId === null) return { rows: new Map(), currency: options.catalog.defaultCurrency }
    if (customerId === "") return yield* invalidInputs("customer_id", "is empty: a customer id")
    const store = yield* CustomerStore
    const customer = (yield* store.get(customerId)) ?? (options.newCustomer ?? defaultNewCustomer)(customerId, {})
    const document = { customer, at: clockOf(options), allVersions: scope.allVersions, ...(scope.entityId == null ? {} : { entityId: scope.entityId }) }
    const input = decodePricingRequest(options.catalog, document)
    if (Result.isFailure(input)) return yield* new AutumnApiError({ status: 500, code: "internal_error", message: `the stored customer does not decode: ${input.failure.message}` })
    const table = planPricingTable(input.success)
    if (Result.isFailure(table)) return yield* fromPlanError(table.failure)
    return { rows: new Map(table.success.plans.map((row) => [`${row.planId}@${row.version}`, row])), currency: table.success.currency }
  })

const rowOf = (rows: ReadonlyMap<string, PricingTableEntry>, plan: Plan): PricingTableEntry | undefined => rows.get(`${plan.id}@${plan.version}`)

const wire = (options: AutumnOptions, rows: ReadonlyMap<string, PricingTableEntry>) => (plan: Plan): PlanWire => {
  const row = rowOf(rows, plan)
  return planWire(options.catalog, options.env ?? "sandbox", plan, row === undefined ? undefined : customerEligibility(row))
}

/**
 * `plans.list` (1.x): every plan (the highest version of each, or all with `all_versions`), each
 * with `customer_eligibility` when `customer_id` is given. `include_archived` is accepted (the
 * catalog has no archived plans).
 *
 * @example Autumn.listPlans(options, { customer_id: "cus_1" }, {}) // Effect of { list: [...] }
 */
export const listPlans = (options: AutumnOptions, body: unknown, _params: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function* () {
    const b = yield* Effect.fromResult(decodeWith(ListPlansBody, body ?? {}))
    const allVersions = b.all_versions === true
    const { rows } = yield* rowsFor(options, { customerId: b.customer_id, entityId: b.entity_id, allVersions })
    return { list: listedPlans(options.catalog, allVersions).map(wire(options, rows)) }
  })

/**
 * `plans.get` (1.x): one plan (`version`, default the highest), with `customer_eligibility` when
 * `customer_id` is given; 404 `product_not_found` for a plan the catalog does not have.
 *
 * @example Autumn.getPlan(options, { plan_id: "pro", customer_id: "cus_1" }, {}) // Effect of { id: "pro", …, customer_eligibility: { … } }
 */
export const getPlan = (options: AutumnOptions, body: unknown, _params: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function* () {
    const b = yield* Effect.fromResult(decodeWith(GetPlanBody, body))
    const plan = findPlan(options.catalog, b.plan_id, b.version)
    if (plan === undefined) {
      const version = b.version === undefined ? "" : ` version ${b.version}`
      return yield* new AutumnApiError({ status: 404, code: "product_not_found", message: `plan_id: no plan "${b.plan_id}"${version}` })
    }
    const { rows } = yield* rowsFor(options, { customerId: b.customer_id, entityId: b.entity_id, allVersions: b.version !== undefined })
    return wire(options, rows)(plan)
  })

/**
 * The 0.x `products` listing (`GET /v1/products_beta`, `GET /v1/products`): every plan as a v1
 * product, each with the `scenario` attaching it would have for `customer_id` (when given) and
 * `free_trial.trial_available`.
 *
 * @example Autumn.listProducts(options, { customer_id: "cus_1" }, {}) // Effect of { list: [{ id: "pro", scenario: "active", … }] }
 */
export const listProducts = (options: AutumnOptions, query: unknown, _params: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function* () {
    const q = yield* Effect.fromResult(decodeWith(ListProductsQuery, query ?? {}))
    const { rows, currency } = yield* rowsFor(options, { customerId: q.customer_id, entityId: q.entity_id, allVersions: false })
    const at = { catalog: options.catalog, env: options.env ?? "sandbox", currency }
    const list: Array<Product> = listedPlans(options.catalog, false).map((plan) => {
      const row = rowOf(rows, plan)
      const eligibility = row === undefined ? undefined : customerEligibility(row)
      return productView(at, plan, { scenario: eligibility?.scenario, hasTrial: row?.trialAvailable ?? false })
    })
    return { list }
  })
