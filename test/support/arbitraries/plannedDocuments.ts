/**
 * Plausible attach documents: generated plans, a customer holding some of them, a request for
 * some of them with random options (most of them plan to a preview, some to a tagged error).
 *
 * @example
 * fc.sample(plannedDocumentArb, 1) // [{ catalog: { plans: [p0, p1, p2, p3, p0 v2], … }, customer: {…}, request: {…} }]
 */
import fc from "fast-check"
import { DAY, FEATURES, iso, type Obj } from "../build.ts"
import { decimalDocArb, decimalOf } from "./amounts.ts"
import { instantArb } from "./instants.ts"
import { defined, opt, rare } from "./internal/optional.ts"
import { planDoc, planShapeArb, zeroed } from "./planShapes.ts"

const PLAN_IDS = ["p0", "p1", "p2", "p3"] as const

const scenarioPlanArb = fc.record({
  shape: fc.tuple(planShapeArb, fc.integer({ min: 0, max: 4 })).map(([s, n]) => (n === 0 ? zeroed(s) : s)),
  group: fc.constantFrom("", "", "g2"),
  addOn: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  oneOff: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  trial: opt(fc.record({ length: fc.integer({ min: 1, max: 30 }), unit: fc.constantFrom("day", "month"), cardRequired: opt(fc.boolean()) }).map(defined))
})

const planOf = (id: string, p: typeof scenarioPlanArb extends fc.Arbitrary<infer A> ? A : never, version?: number): Obj => {
  const base = planDoc(id, p.shape, defined({ group: p.group, addOn: p.addOn || undefined, freeTrial: p.trial, version }))
  // a one-off plan: a one-off base price and no recurring items
  const { items: _items, ...withoutItems } = base
  return p.oneOff ? { ...withoutItems, price: { amount: decimalOf(p.shape.parts.base.amount), interval: "one_off" } } : base
}

const heldArb = (at: number): fc.Arbitrary<Obj> => fc.record({
  planId: fc.constantFrom(...PLAN_IDS.slice(0, 2)),
  status: fc.constantFrom("active", "active", "trialing", "past_due", "scheduled", "expired"),
  daysBefore: fc.integer({ min: 0, max: 800 }),
  cancelAtPeriodEnd: opt(fc.boolean()),
  storage: fc.integer({ min: 0, max: 300 }),
  seats: fc.integer({ min: 0, max: 12 }),
  messages: fc.integer({ min: 0, max: 400 }),
  discount: opt(fc.constantFrom("PCT", "OFF", "MONTHS")),
  entityId: fc.constantFrom(undefined, undefined, "ws_1")
}).map((h) => {
  const anchor = at - h.daysBefore * DAY
  return defined({
    id: `sub_${h.planId}_${h.daysBefore}`,
    planId: h.planId,
    status: h.status,
    billingAnchor: iso(anchor),
    startedAt: iso(anchor),
    startsAt: h.status === "scheduled" ? iso(at + 5 * DAY) : undefined,
    trialEndsAt: h.status === "trialing" ? iso(at + 3 * DAY) : undefined,
    cancelAtPeriodEnd: h.cancelAtPeriodEnd,
    entityId: h.entityId,
    featureQuantities: [{ featureId: "storage", quantity: h.storage }],
    usage: [{ featureId: "seats", used: h.seats }, { featureId: "messages", used: h.messages }],
    discounts: h.discount === undefined ? undefined : [{ discountId: h.discount, appliedAt: iso(anchor) }]
  })
})

/**
 * A plausible attach document over generated plans `p0`…`p3` (and version 2 of `p0`), discounts
 * `PCT`, `OFF` (code `SAVE`) and `MONTHS`, a customer holding some of them and a request for one
 * or two of them with random options.
 */
export const plannedDocumentArb: fc.Arbitrary<Obj> = fc.record({
  plans: fc.tuple(scenarioPlanArb, scenarioPlanArb, scenarioPlanArb, scenarioPlanArb, scenarioPlanArb),
  percent: fc.integer({ min: 0, max: 10_000 }).map((n) => (n / 100).toFixed(2)),
  amountOff: fc.integer({ min: 0, max: 50_000 }).map((n) => (n / 100).toFixed(2)),
  months: fc.integer({ min: 1, max: 12 }),
  at: instantArb
}).chain(({ plans, percent, amountOff, months, at }) => fc.record({
  held: fc.array(heldArb(at), { maxLength: 3 }),
  creditBalance: opt(fc.integer({ min: 0, max: 50_000 })),
  hasPaymentMethod: fc.boolean(),
  trialsUsed: opt(fc.subarray([...PLAN_IDS])),
  requested: fc.uniqueArray(fc.record({
    planId: fc.constantFrom(...PLAN_IDS),
    version: opt(fc.constantFrom(1, 2)),
    storage: opt(fc.integer({ min: 0, max: 300 }))
  }), { minLength: 1, maxLength: 2, selector: (r) => r.planId }),
  options: fc.record({
    entityId: rare(fc.constant("ws_1")),
    planSchedule: opt(fc.constantFrom("immediate", "end_of_cycle")),
    prorationBehavior: rare(fc.constantFrom("prorate_immediately", "none")),
    billingCycleAnchor: rare(fc.constant("now")),
    newBillingSubscription: rare(fc.boolean()),
    redirectMode: rare(fc.constantFrom("always", "if_required", "never")),
    invoiceMode: rare(fc.record({ enabled: fc.constant(true), finalize: opt(fc.boolean()), enablePlanImmediately: opt(fc.boolean()) }).map(defined)),
    freeTrial: rare(fc.option(fc.record({ length: fc.integer({ min: 1, max: 14 }), unit: fc.constant("day") }), { nil: null })),
    discounts: opt(fc.subarray([{ discountId: "PCT" }, { promotionCode: "SAVE" }, { discountId: "MONTHS" }])),
    customLineItems: rare(fc.array(fc.record({ amount: decimalDocArb, description: fc.constant("Setup") }), { minLength: 1, maxLength: 2 }))
  })
}).map(({ held, creditBalance, hasPaymentMethod, trialsUsed, requested, options }) => {
  const [p0, p1, p2, p3, p0v2] = plans
  const storageOf = (id: string): boolean => {
    const i = PLAN_IDS.indexOf(id as (typeof PLAN_IDS)[number])
    const p = plans[i]
    return p !== undefined && p.shape.storage && !p.oneOff
  }
  return {
    catalog: {
      defaultCurrency: "usd",
      features: FEATURES,
      plans: [planOf("p0", p0, 1), planOf("p1", p1), planOf("p2", p2), planOf("p3", p3), planOf("p0", p0v2, 2)],
      discounts: [
        { id: "PCT", percentOff: percent, duration: "forever" },
        { id: "OFF", amountOff, duration: "once", promotionCodes: ["SAVE"] },
        { id: "MONTHS", percentOff: "10", duration: { months } }
      ]
    },
    customer: defined({ id: "cus_1", hasPaymentMethod, creditBalance, trialsUsed, subscriptions: held }),
    request: defined({
      customerId: "cus_1",
      at: iso(at),
      plans: requested.map((r) => defined({
        planId: r.planId,
        version: r.planId === "p0" ? r.version : undefined,
        featureQuantities: r.storage !== undefined && storageOf(r.planId) ? [{ featureId: "storage", quantity: r.storage }] : undefined
      })),
      ...defined(options)
    })
  }
}))
