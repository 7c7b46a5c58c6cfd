/**
 * The customer routes of Autumn's API: `customers.get`, `customers.get_or_create`,
 * `customers.list` and `customers.update` (autumn-js 1.x), and `GET /customers/:id`,
 * `POST /customers`, `POST /customers/:id`, `GET /customers` (0.x). A customer is shown with its
 * profile (what `customer_data` set) and its plans: as `subscriptions` / `purchases` (v2 shape)
 * or as `products` (v1 shape, also selected by `x-api-version` below 2.1). Instants are epoch
 * milliseconds. Balances and feature flags are outside this library (always `{}`).
 *
 * @example
 * const body = await Effect.runPromise(Autumn.getCustomer(options, { customer_id: "cus_1" }).pipe(Effect.provideService(Autumn.CustomerStore, store)))
 * // { id: "cus_1", name: "Ada", subscriptions: [{ plan_id: "pro", status: "active", … }], … }
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { findPlan } from "../Catalog.ts"
import { type Customer, isCurrent, type Subscription } from "../Customer.ts"
import { type Period, periodAt } from "../Interval.ts"
import { isOneOff, planPrices, recurringInterval } from "../Pricing.ts"
import { AutumnApiError, customerNotFound, invalidInputs } from "./ApiError.ts"
import { type CustomerProfile, CustomerStore } from "./CustomerStore.ts"
import { type AutumnOptions, clockOf, defaultNewCustomer, profileFromData } from "./AutumnOptions.ts"
import { productView, type ProductItem } from "./ProductView.ts"
import { type CustomerData, CustomerDataSchema, decodeWith, rejectUnsupported } from "./Requests.ts"

type Shape = "v1" | "v2"

const ms = (iso: string | undefined): number | null => (iso === undefined ? null : Date.parse(iso))

const quantityOf = (s: Subscription): number => {
  const q = s.featureQuantities ?? []
  return q.length === 0 ? 1 : Math.max(...q.map((x) => x.quantity))
}

/**
 * The current period of a subscription at `at` (epoch ms): the trial while trialing, else the
 * shortest recurring price's period; `null`s for a scheduled or one-off plan.
 *
 * @example currentPeriodOf(options, proSubscription, Date.parse("2025-01-16T00:00:00Z")) // { start: 1735689600000, end: 1738368000000 }
 */
export const currentPeriodOf = (options: AutumnOptions, s: Subscription, at: number): { readonly start: number | null; readonly end: number | null } => {
  const plan = findPlan(options.catalog, s.planId, s.version)
  if (plan === undefined || s.status === "scheduled") return { start: null, end: null }
  const trialEnd = ms(s.trialEndsAt)
  if (trialEnd !== null && trialEnd > at) return { start: Date.parse(s.startedAt), end: trialEnd }
  let best: Period | undefined
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval === undefined) continue
    const period = periodAt(Date.parse(s.billingAnchor), interval, at)
    if (best === undefined || period.end < best.end) best = period
  }
  return best === undefined ? { start: null, end: null } : { start: best.start, end: best.end }
}

/** The customer's plans that Autumn lists: current and scheduled ones. */
const listed = (customer: Customer): ReadonlyArray<Subscription> =>
  (customer.subscriptions ?? []).filter((s) => isCurrent(s) || s.status === "scheduled")

const subscriptionView = (options: AutumnOptions, at: number) => (s: Subscription) => {
  const plan = findPlan(options.catalog, s.planId, s.version)
  const period = currentPeriodOf(options, s, at)
  return {
    id: s.id,
    plan_id: s.planId,
    auto_enable: plan?.autoEnable ?? false,
    add_on: plan?.addOn ?? false,
    status: s.status === "scheduled" ? "scheduled" : "active",
    past_due: s.status === "past_due",
    canceled_at: s.cancelAtPeriodEnd === true ? ms(s.endsAt) ?? period.end : null,
    expires_at: s.cancelAtPeriodEnd === true ? ms(s.endsAt) ?? period.end : null,
    trial_ends_at: ms(s.trialEndsAt),
    started_at: Date.parse(s.startsAt ?? s.startedAt),
    current_period_start: period.start,
    current_period_end: period.end,
    quantity: quantityOf(s),
    ...(s.entityId === undefined || s.entityId === null ? {} : { entity_id: s.entityId })
  }
}

const productOfSubscription = (options: AutumnOptions, customer: Customer, at: number) => (s: Subscription) => {
  const plan = findPlan(options.catalog, s.planId, s.version)
  const items: ReadonlyArray<ProductItem> = plan === undefined ? [] : productView({ catalog: options.catalog, env: options.env ?? "sandbox", currency: customer.currency ?? options.catalog.defaultCurrency }, plan, { scenario: undefined, hasTrial: false }).items
  const period = currentPeriodOf(options, s, at)
  return {
    id: s.planId,
    name: plan?.name ?? s.planId,
    group: plan === undefined || plan.group === "" ? null : plan.group,
    status: s.status,
    canceled_at: s.cancelAtPeriodEnd === true ? ms(s.endsAt) ?? period.end : null,
    started_at: Date.parse(s.startsAt ?? s.startedAt),
    version: s.version ?? plan?.version ?? 1,
    subscription_ids: [s.providerSubscriptionId ?? s.id],
    current_period_start: period.start,
    current_period_end: period.end,
    ...(s.trialEndsAt === undefined ? {} : { trial_ends_at: Date.parse(s.trialEndsAt) }),
    ...(s.entityId === undefined || s.entityId === null ? {} : { entity_id: s.entityId }),
    is_add_on: plan?.addOn ?? false,
    is_default: plan?.autoEnable ?? false,
    items,
    quantity: quantityOf(s)
  }
}

const emptyProfile: CustomerProfile = { name: null, email: null, fingerprint: null, metadata: {}, createdAt: 0 }

/**
 * A customer as Autumn's API shows it, in the v2 shape (`subscriptions`, `purchases`) or the v1
 * shape (`products`).
 *
 * @example customerView(options, customer, profile, "v2").subscriptions[0]?.plan_id // "pro"
 */
export const customerView = (options: AutumnOptions, customer: Customer, profile: CustomerProfile | undefined, shape: Shape) => {
  const p = profile ?? emptyProfile
  const at = Date.parse(clockOf(options))
  const common = {
    id: customer.id,
    name: p.name,
    email: p.email,
    created_at: p.createdAt,
    fingerprint: p.fingerprint ?? customer.fingerprint ?? null,
    stripe_id: null,
    env: options.env ?? "sandbox",
    metadata: p.metadata,
    send_email_receipts: false,
    billing_controls: {}
  }
  const subs = listed(customer)
  if (shape === "v1") return { ...common, products: subs.map(productOfSubscription(options, customer, at)), features: {} }
  const oneOff = (s: Subscription) => {
    const plan = findPlan(options.catalog, s.planId, s.version)
    return plan !== undefined && isOneOff(plan)
  }
  return {
    ...common,
    subscriptions: subs.filter((s) => !oneOff(s)).map(subscriptionView(options, at)),
    purchases: subs.filter(oneOff).map((s) => ({ plan_id: s.planId, expires_at: null, started_at: Date.parse(s.startedAt), quantity: quantityOf(s) })),
    licenses: [],
    balances: {},
    flags: {}
  }
}

const CustomerIdBody = Schema.Struct({ customer_id: Schema.String, expand: Schema.optionalKey(Schema.Array(Schema.String)) })

const CreateBody = Schema.Struct({
  ...CustomerDataSchema.fields,
  customer_id: Schema.optionalKey(Schema.NullOr(Schema.String)),
  id: Schema.optionalKey(Schema.NullOr(Schema.String)),
  expand: Schema.optionalKey(Schema.Array(Schema.String)),
  errorOnNotFound: Schema.optionalKey(Schema.Boolean)
})

const UpdateBody = Schema.Struct({
  ...CustomerDataSchema.fields,
  customer_id: Schema.String,
  new_customer_id: Schema.optionalKey(Schema.Unknown)
})

const find = (id: string) =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const customer = yield* store.get(id)
    if (customer === undefined) return yield* customerNotFound(id)
    return { customer, profile: yield* store.getProfile(id) }
  })

const validId = (id: string | null | undefined, field: string): Effect.Effect<string, AutumnApiError> =>
  typeof id === "string" && id.length > 0 ? Effect.succeed(id) : Effect.fail(invalidInputs(field, "is required: a customer id"))

const dataUnsupported = (d: CustomerData): AutumnApiError | undefined =>
  rejectUnsupported([["auto_enable_plan_id", d.auto_enable_plan_id], ["billing_controls", d.billing_controls]])

/** Creates the customer, or returns the stored one (then `customer_data` does not change it). */
const getOrCreate = (options: AutumnOptions, id: string, data: CustomerData) =>
  Effect.gen(function* () {
    const store = yield* CustomerStore
    const stored = yield* store.get(id)
    if (stored !== undefined) return { customer: stored, profile: yield* store.getProfile(id) }
    const customer = (options.newCustomer ?? defaultNewCustomer)(id, data)
    const profile = profileFromData(data, clockOf(options))
    if (options.onCustomerCreated !== undefined) yield* options.onCustomerCreated(customer, data)
    yield* store.create(customer, profile).pipe(Effect.mapError((e) => new AutumnApiError({ status: 409, code: "customer_already_exists", message: e.message })))
    return { customer, profile }
  })

const shapeOf = (params: Readonly<Record<string, string>>, fallback: Shape): Shape =>
  params["__shape"] === "v1" ? "v1" : params["__shape"] === "v2" ? "v2" : fallback

/**
 * `customers.get` (1.x) and `GET /customers/:customer_id` (0.x): the customer, or 404.
 *
 * @example Autumn.getCustomer(options, { customer_id: "cus_1" }, {})
 */
export const getCustomer = (options: AutumnOptions, body: unknown, params: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function* () {
    const id = params["customer_id"] ?? (yield* Effect.fromResult(decodeWith(CustomerIdBody, body))).customer_id
    const { customer, profile } = yield* find(id)
    return customerView(options, customer, profile, shapeOf(params, params["customer_id"] === undefined ? "v2" : "v1"))
  })

/**
 * `customers.get_or_create` (1.x) and `POST /customers` (0.x): creates the customer with the
 * properties given (Autumn's `customer_data` fields) or returns the one stored, unchanged.
 *
 * @example Autumn.getOrCreateCustomer(options, { customer_id: "cus_1", name: "Ada", email: "ada@example.com" }, {})
 */
export const getOrCreateCustomer = (options: AutumnOptions, body: unknown, params: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function* () {
    const b = yield* Effect.fromResult(decodeWith(CreateBody, body))
    const unsupported = dataUnsupported(b)
    if (unsupported !== undefined) return yield* unsupported
    const legacy = params["__route"] === "v1"
    const id = yield* validId(legacy ? b.id ?? b.customer_id : b.customer_id, legacy ? "id" : "customer_id")
    const { customer, profile } = yield* getOrCreate(options, id, b)
    return customerView(options, customer, profile, shapeOf(params, legacy ? "v1" : "v2"))
  })

/**
 * `customers.list` (1.x; `start_cursor` is an offset, `limit` at most 1000) and `GET /customers` (0.x).
 *
 * @example Autumn.listCustomers(options, { start_cursor: "0", limit: 10 }, {}) // { list: [...], next_cursor: null }
 */
export const listCustomers = (options: AutumnOptions, body: unknown, params: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function* () {
    const b = yield* Effect.fromResult(decodeWith(ListBody, params["__route"] === "v1" ? legacyListBody(body) : body ?? {}))
    const offset = b.start_cursor === undefined || b.start_cursor === "" ? 0 : Number(b.start_cursor)
    if (!Number.isSafeInteger(offset) || offset < 0) return yield* invalidInputs("start_cursor", `expected a cursor from a previous page, got ${JSON.stringify(b.start_cursor)}`)
    const limit = b.limit ?? 10
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) return yield* invalidInputs("limit", "expected a whole number from 1 to 1000")
    const store = yield* CustomerStore
    const page = yield* store.list({ offset, limit })
    const shape = shapeOf(params, "v2")
    const list = page.list.map((c) => customerView(options, c.customer, c.profile, shape))
    const next = offset + list.length < page.total ? String(offset + list.length) : null
    return shape === "v1" ? { list, total: page.total, offset, limit } : { list, next_cursor: next }
  })

/** The 0.x query `?limit=10&offset=20` as a 1.x body (numbers, `offset` as the cursor). */
const legacyListBody = (query: unknown): Record<string, unknown> => {
  const q = typeof query === "object" && query !== null ? (query as Record<string, unknown>) : {}
  const number = (v: unknown): unknown => (typeof v === "string" && /^\d{1,9}$/.test(v) ? Number(v) : v)
  return {
    ...(q["limit"] === undefined ? {} : { limit: number(q["limit"]) }),
    ...(q["offset"] === undefined ? {} : { start_cursor: String(q["offset"]) })
  }
}

const ListBody = Schema.Struct({
  start_cursor: Schema.optionalKey(Schema.String),
  limit: Schema.optionalKey(Schema.Number),
  offset: Schema.optionalKey(Schema.Unknown),
  plans: Schema.optionalKey(Schema.Unknown),
  subscription_status: Schema.optionalKey(Schema.Unknown),
  search: Schema.optionalKey(Schema.Unknown),
  processors: Schema.optionalKey(Schema.Unknown),
  sort_order: Schema.optionalKey(Schema.Unknown),
  created_at_range: Schema.optionalKey(Schema.Unknown)
})

/**
 * `customers.update` (1.x) and `POST /customers/:customer_id` (0.x): sets the given properties
 * (`name`, `email`, `fingerprint`, `metadata`); `new_customer_id` is not supported.
 *
 * @example Autumn.updateCustomer(options, { customer_id: "cus_1", name: "Ada L." }, {})
 */
export const updateCustomer = (options: AutumnOptions, body: unknown, params: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function* () {
    const raw = params["customer_id"] === undefined ? body : { ...(typeof body === "object" && body !== null ? body : {}), customer_id: params["customer_id"] }
    const b = yield* Effect.fromResult(decodeWith(UpdateBody, raw))
    const unsupported = dataUnsupported(b) ?? rejectUnsupported([["new_customer_id", b.new_customer_id]])
    if (unsupported !== undefined) return yield* unsupported
    const store = yield* CustomerStore
    const { customer, profile } = yield* find(b.customer_id)
    const p = profile ?? { ...emptyProfile, createdAt: Date.parse(clockOf(options)) }
    const next: CustomerProfile = {
      name: b.name === undefined ? p.name : b.name,
      email: b.email === undefined ? p.email : b.email,
      fingerprint: b.fingerprint === undefined ? p.fingerprint : b.fingerprint,
      metadata: b.metadata === undefined ? p.metadata : b.metadata ?? {},
      createdAt: p.createdAt
    }
    yield* store.putProfile(customer.id, next)
    return customerView(options, customer, next, shapeOf(params, params["customer_id"] === undefined ? "v2" : "v1"))
  })
