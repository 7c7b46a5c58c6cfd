/**
 * Scenarios for the executor tests (test/execute/*.test.ts): one attach document per provider
 * flow, with what the customer does between two executions (complete a checkout, pay on the
 * hosted page, add a card), and a runner that executes a scenario against a sandbox — optionally
 * through a port that fails at chosen calls, retrying the same plan as a host would.
 *
 * @example
 * const run = await runScenario(SCENARIOS.upgrade)
 * run.final.applied // true
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { Customer } from "../../src/Customer.ts"
import type { ExecuteResult } from "../../src/Execute.ts"
import { PaymentProviderError, executeAttach } from "../../src/Execute.ts"
import { billingView } from "../../src/internal/billingView.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import type { PaymentPort, ProviderError } from "../../src/Provider.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { withFaults } from "../../src/testing/index.ts"
import {
  FEB1, JAN1, JAN16, type Obj, addOn, catalog, customer, doc, freePlan, monthly, oneOff, prepaidItem, request, subscription, usageItem
} from "./build.ts"
import { decoded, ok } from "./run.ts"

/** The catalog of every scenario. */
export const CATALOG = catalog([
  freePlan(),
  monthly("lite", "10"),
  monthly("pro", "20", { items: [usageItem("messages", { amount: "0.10" }, { included: 100, reset: { interval: "month" } })] }),
  monthly("premium", "50"),
  monthly("ultra", "100"),
  monthly("trialPro", "20", { freeTrial: { length: 14, unit: "day" } }),
  monthly("team", "20", { group: "teams", items: [prepaidItem("storage", { amount: "1" }, { included: 10 })] }),
  monthly("teamLater", "20", { group: "teams2", items: [prepaidItem("storage", { amount: "1" }, { included: 10, proration: { onIncrease: "next_cycle" } })] }),
  addOn("extra", "10"),
  oneOff("boost", "30")
])

/** The decoded catalog (for projections). */
export const CATALOG_MODEL = decoded(CATALOG)

const pendingDowngrade = [
  subscription("premium", JAN1, { cancelAtPeriodEnd: true, endsAt: FEB1 }),
  subscription("pro", JAN1, { id: "sub_pro_scheduled", status: "scheduled", startedAt: FEB1, startsAt: FEB1 })
]

/** What the customer does between the first and the second execution. */
export type CustomerStep = (sandbox: Sandbox.SandboxOps, first: ExecuteResult) => Effect.Effect<unknown, ProviderError>

/** One provider flow. */
export interface Scenario {
  readonly document: Obj
  /** The customer's default card in the sandbox (replacing the one seeded from `hasPaymentMethod`). */
  readonly card?: string
  /** The plan's action types, in order. */
  readonly actions: ReadonlyArray<string>
  readonly step?: CustomerStep
  /** The final outcome: applied, or the code of the required action. */
  readonly outcome: "applied" | "payment_method_required" | "3ds_required" | "payment_failed" | "payment_processing"
}

const payHosted: CustomerStep = (sandbox, first) => sandbox.payInvoiceHosted(first.invoice?.id ?? "none", "pm_card_visa")
const pay3ds: CustomerStep = (sandbox, first) => sandbox.payInvoiceHosted(first.invoice?.id ?? "none")
const newCard: CustomerStep = (sandbox) => sandbox.attachPaymentMethod("cus_1", "pm_card_visa")
const checkout: CustomerStep = (sandbox, first) => sandbox.completeCheckout(first.paymentUrl ?? "none", "pm_card_visa")
const finalizeAndPay: CustomerStep = (sandbox, first) =>
  Effect.flatMap(sandbox.finalizeInvoice(first.invoice?.id ?? "none"), (inv) => sandbox.payInvoiceHosted(inv.id, "pm_card_visa"))

const onPro = customer([subscription("pro", JAN1, { usage: [{ featureId: "messages", used: 150 }] })])

/** Every provider flow of the issue. */
export const SCENARIOS = {
  newSubscription: { document: doc(CATALOG, customer([]), request(JAN16, "pro")), actions: ["createSubscription", "createInvoice", "payInvoice"], outcome: "applied" },
  checkoutNotCompleted: {
    document: doc(CATALOG, customer([], { hasPaymentMethod: false }), request(JAN16, "pro", { successUrl: "https://app.example/done", checkoutSessionParams: { locale: "fr" } })),
    actions: ["createCheckoutSession", "awaitCheckout", "createSubscription", "createInvoice", "payInvoice"],
    outcome: "payment_method_required"
  },
  checkoutCompleted: {
    document: doc(CATALOG, customer([], { hasPaymentMethod: false }), request(JAN16, "pro")),
    actions: ["createCheckoutSession", "awaitCheckout", "createSubscription", "createInvoice", "payInvoice"],
    step: checkout,
    outcome: "applied"
  },
  upgrade: { document: doc(CATALOG, onPro, request(JAN16, "premium")), actions: ["updateSubscription", "createInvoice", "payInvoice"], outcome: "applied" },
  upgradeWithCredit: {
    document: doc(CATALOG, customer([subscription("pro", JAN1)], { creditBalance: 1000 }), request(JAN16, "premium")),
    actions: ["updateSubscription", "createInvoice", "payInvoice"],
    outcome: "applied"
  },
  upgradeDeclined: { document: doc(CATALOG, onPro, request(JAN16, "premium")), card: "pm_card_declined", actions: ["updateSubscription", "createInvoice", "payInvoice"], outcome: "payment_failed" },
  upgradeDeclinedThenNewCard: {
    document: doc(CATALOG, onPro, request(JAN16, "premium")), card: "pm_card_declined", actions: ["updateSubscription", "createInvoice", "payInvoice"], step: newCard, outcome: "applied"
  },
  upgrade3ds: { document: doc(CATALOG, onPro, request(JAN16, "premium")), card: "pm_card_3ds", actions: ["updateSubscription", "createInvoice", "payInvoice"], outcome: "3ds_required" },
  upgrade3dsAuthenticated: {
    document: doc(CATALOG, onPro, request(JAN16, "premium")), card: "pm_card_3ds", actions: ["updateSubscription", "createInvoice", "payInvoice"], step: pay3ds, outcome: "applied"
  },
  upgradeWithoutCard: {
    document: doc(CATALOG, customer([subscription("pro", JAN1)], { hasPaymentMethod: false }), request(JAN16, "premium")),
    actions: ["updateSubscription", "createInvoice", "payInvoice"],
    outcome: "payment_method_required"
  },
  newDeclined: { document: doc(CATALOG, customer([]), request(JAN16, "pro")), card: "pm_card_declined", actions: ["createSubscription", "createInvoice", "payInvoice"], outcome: "payment_failed" },
  upgradeFromTrial: {
    document: doc(CATALOG, customer([subscription("trialPro", JAN1, { status: "trialing", billingAnchor: "2025-01-15T00:00:00.000Z", trialEndsAt: "2025-01-15T00:00:00.000Z" })]), request("2025-01-10T00:00:00.000Z", "premium")),
    actions: ["createSubscription", "createInvoice", "payInvoice", "cancelSubscription"],
    outcome: "applied"
  },
  downgrade: { document: doc(CATALOG, customer([subscription("premium", JAN1)]), request(JAN16, "pro")), actions: ["scheduleChange"], outcome: "applied" },
  downgradeReplaced: { document: doc(CATALOG, customer(pendingDowngrade), request(JAN16, "lite")), actions: ["releaseSchedule", "scheduleChange"], outcome: "applied" },
  upgradeReplacesDowngrade: {
    document: doc(CATALOG, customer(pendingDowngrade), request(JAN16, "ultra")),
    actions: ["releaseSchedule", "updateSubscription", "createInvoice", "payInvoice"],
    outcome: "applied"
  },
  upgradeReplacesDowngradeDeclined: {
    document: doc(CATALOG, customer(pendingDowngrade), request(JAN16, "ultra")),
    card: "pm_card_declined",
    actions: ["releaseSchedule", "updateSubscription", "createInvoice", "payInvoice"],
    outcome: "payment_failed"
  },
  renewReleasesDowngrade: { document: doc(CATALOG, customer(pendingDowngrade), request(JAN16, "premium")), actions: ["releaseSchedule"], outcome: "applied" },
  cancel: { document: doc(CATALOG, customer([subscription("pro", JAN1)]), request(JAN16, "free")), actions: ["cancelSubscription"], outcome: "applied" },
  uncancel: { document: doc(CATALOG, customer([subscription("pro", JAN1, { cancelAtPeriodEnd: true, endsAt: FEB1 })]), request(JAN16, "pro")), actions: ["uncancelSubscription"], outcome: "applied" },
  addOn: { document: doc(CATALOG, customer([subscription("pro", JAN1)]), request(JAN16, "extra")), actions: ["updateSubscription", "createInvoice", "payInvoice"], outcome: "applied" },
  oneOff: { document: doc(CATALOG, customer([]), request(JAN16, "boost")), actions: ["createInvoice", "payInvoice"], outcome: "applied" },
  trial: { document: doc(CATALOG, customer([]), request(JAN16, "trialPro")), actions: ["createSubscription"], outcome: "applied" },
  multiPlan: { document: doc(CATALOG, customer([]), request(JAN16, [{ planId: "pro" }, { planId: "extra" }])), actions: ["createSubscription", "createInvoice", "payInvoice"], outcome: "applied" },
  quantityProrated: {
    document: doc(CATALOG, customer([subscription("team", JAN1, { featureQuantities: [{ featureId: "storage", quantity: 30 }] })]), request(JAN16, [{ planId: "team", featureQuantities: [{ featureId: "storage", quantity: 50 }] }])),
    actions: ["updateSubscription", "createInvoice", "payInvoice"],
    outcome: "applied"
  },
  quantityNextCycle: {
    document: doc(CATALOG, customer([subscription("teamLater", JAN1, { featureQuantities: [{ featureId: "storage", quantity: 30 }] })]), request(JAN16, [{ planId: "teamLater", featureQuantities: [{ featureId: "storage", quantity: 50 }] }])),
    actions: ["updateSubscription"],
    outcome: "applied"
  },
  immediateDowngradeCredit: {
    document: doc(CATALOG, customer([subscription("premium", JAN1)], { creditBalance: 500 }), request(JAN16, "pro", { planSchedule: "immediate" })),
    actions: ["updateSubscription", "createInvoice"],
    outcome: "applied"
  },
  invoiceSent: {
    document: doc(CATALOG, customer([], { hasPaymentMethod: false }), request(JAN16, "pro", { invoiceMode: { enabled: true, netTermsDays: 15 } })),
    actions: ["createInvoice", "awaitInvoicePaid", "createSubscription"],
    outcome: "payment_processing"
  },
  invoicePaid: {
    document: doc(CATALOG, customer([], { hasPaymentMethod: false }), request(JAN16, "pro", { invoiceMode: { enabled: true, netTermsDays: 15 } })),
    actions: ["createInvoice", "awaitInvoicePaid", "createSubscription"],
    step: payHosted,
    outcome: "applied"
  },
  invoiceDraft: {
    document: doc(CATALOG, customer([subscription("pro", JAN1)]), request(JAN16, "premium", { invoiceMode: { enabled: true, finalize: false } })),
    actions: ["createInvoice", "awaitInvoicePaid", "updateSubscription"],
    step: finalizeAndPay,
    outcome: "applied"
  },
  invoiceEnablesPlanNow: {
    document: doc(CATALOG, customer([subscription("pro", JAN1)]), request(JAN16, "premium", { invoiceMode: { enabled: true, enablePlanImmediately: true } })),
    actions: ["updateSubscription", "createInvoice"],
    outcome: "applied"
  }
} satisfies Record<string, Scenario>

/** A scenario's name. */
export type ScenarioName = keyof typeof SCENARIOS

/** The customer of a scenario's document. */
export const customerOf = (s: Scenario): Customer => s.document["customer"] as Customer

/**
 * A plan's item as the provider actions and the sandbox hold it (version 1, no entity).
 *
 * @example
 * item("team", [{ featureId: "storage", quantity: 50 }]) // { planId: "team", version: 1, entityId: null, quantities: [...] }
 */
export const item = (planId: string, quantities: ReadonlyArray<{ featureId: string; quantity: number }> = []) => ({ planId, version: 1, entityId: null, quantities })

/** What the provider holds for a customer: live subscriptions by id, with items sorted. */
export const providerHolds = (state: Sandbox.SandboxState, customerId: string): Array<unknown> =>
  state.subscriptions
    .filter((x) => x.customerId === customerId && x.status !== "canceled")
    .map((x) => ({ id: x.id, items: sortedItems(x.items), cancelAt: x.cancelAt, phase: x.phase === null ? null : { at: x.phase.at, items: sortedItems(x.phase.items) } }))
    .sort((a, b) => (a.id < b.id ? -1 : 1))

/** What the stored customer state says the provider holds, in the same shape. */
export const storedHolds = (customer: Customer): Array<unknown> =>
  billingView(customer, CATALOG_MODEL)
    .filter((b) => b.items.length > 0)
    .map((b) => ({ id: b.providerId, items: sortedItems(b.items), cancelAt: b.cancelAt, phase: b.phase === null ? null : { at: b.phase.at, items: sortedItems(b.phase.items) } }))
    .sort((a, b) => (a.id < b.id ? -1 : 1))

const sortedItems = (items: ReadonlyArray<unknown>): Array<unknown> => items.map((i) => JSON.stringify(i)).sort().map((s) => JSON.parse(s) as unknown)

/** The outcome of running a scenario. */
export interface Run {
  readonly plan: AttachPreview
  readonly final: ExecuteResult
  readonly first: ExecuteResult
  readonly state: Sandbox.SandboxState
  /** The provider failures met (each retried with the same plan). */
  readonly failures: ReadonlyArray<PaymentProviderError>
  /** Every port call, in order. */
  readonly calls: ReadonlyArray<string>
}

/**
 * Runs a scenario against a fresh sandbox seeded with the document's customer: execute, the
 * customer's step (if any), execute again. `wrap` may make the port fail; an execution that fails
 * with `PaymentProviderError` is retried with the same plan and the same customer state.
 */
export const runScenario = (s: Scenario, wrap: (port: PaymentPort, calls: Array<string>) => PaymentPort = (port, calls) => withFaults(port, { calls: [], when: "before" }, calls)): Promise<Run> => {
  const plan = ok(s.document)
  const customer = customerOf(s)
  const calls: Array<string> = []
  const failures: Array<PaymentProviderError> = []
  const execute = Effect.gen(function* () {
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = yield* Effect.result(executeAttach(plan, customer))
      if (Result.isSuccess(r)) return r.success
      if (!(r.failure instanceof PaymentProviderError)) return yield* Effect.die(r.failure)
      failures.push(r.failure)
    }
    return yield* Effect.die("still failing after 5 attempts")
  })
  const program = Effect.gen(function* () {
    const sandbox = yield* Sandbox.Sandbox
    yield* sandbox.seedCustomer(customer, CATALOG_MODEL)
    if (s.card !== undefined) yield* sandbox.attachPaymentMethod(customer.id, s.card)
    const first = yield* execute
    let final = first
    if (s.step !== undefined) {
      yield* Effect.orDie(s.step(sandbox, first))
      final = yield* execute
    }
    return { plan, first, final, state: yield* sandbox.state, failures, calls }
  })
  // The real sandbox, its port wrapped by `wrap` in the layer (the Sandbox service sees the same state).
  return Effect.runPromise(Effect.provide(program, Sandbox.layerWith((port) => wrap(port, calls))))
}
