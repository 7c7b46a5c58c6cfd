/**
 * The plan's provider actions (issue #4, docs/spec.md §11): what each scenario asks the provider
 * to do, on new and held subscriptions, and the idempotency keys. Executing them: execute.test.ts.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import type { Customer } from "../../src/Customer.ts"
import { executeAttach } from "../../src/Execute.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import type { ActionOf, ProviderAction } from "../../src/Provider.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { itEffect } from "../support/itEffect.ts"
import { CATALOG, CATALOG_MODEL, SCENARIOS, type Scenario, customerOf, item } from "../support/execute.ts"
import { FEB1, JAN1, JAN16, customer, doc, request, subscription } from "../support/build.ts"
import { ok } from "../support/run.ts"

const action = <T extends ProviderAction["type"]>(p: AttachPreview, type: T): ActionOf<T> =>
  p.actions.find((a) => a.type === type) as ActionOf<T>
const types = (p: AttachPreview): Array<string> => p.actions.map((a) => a.type)

describe("the plan's provider actions (docs/spec.md §11)", () => {
  it.each(Object.entries(SCENARIOS) as Array<[string, Scenario]>)("%s: the action types, in execution order", (_name, s) => {
    expect(types(ok(s.document))).toEqual(s.actions)
  })

  it("no change (active): no actions", () => {
    expect(ok(doc(CATALOG, customer([subscription("pro", JAN1)]), request(JAN16, "pro"))).actions).toEqual([])
  })

  it("new subscription: the items, the anchor, then an invoice of the planned lines, finalized and charged", () => {
    const p = ok(SCENARIOS.newSubscription.document)
    expect(action(p, "createSubscription")).toMatchObject({
      customerId: "cus_1", currency: "usd", planIds: ["pro"], items: [item("pro")], startsAt: JAN16, billingAnchor: JAN16,
      trialEndsAt: null, collection: "charge_automatically", netTermsDays: null, subscriptionIds: ["sub_pro_20250116T000000Z"]
    })
    expect(action(p, "createInvoice")).toMatchObject({ lines: p.lines, total: 2000, amountDue: 2000, creditApplied: 0, collection: "charge_automatically", finalize: true })
    expect(action(p, "payInvoice")).toMatchObject({ invoice: action(p, "createInvoice").idempotencyKey, amount: 2000 })
  })

  it("checkout: mode subscription, success URL and checkoutSessionParams passed through, then the rest waits for it", () => {
    const p = ok(SCENARIOS.checkoutNotCompleted.document)
    const session = action(p, "createCheckoutSession")
    expect(session).toMatchObject({
      mode: "subscription", items: [item("pro")], amountDue: 2000, lines: p.lines, trialEndsAt: null,
      successUrl: "https://app.example/done", params: { locale: "fr" }
    })
    expect(action(p, "awaitCheckout").session).toBe(session.idempotencyKey)
  })

  it("checkout of a one-off purchase: mode payment; of a trial needing a card: the trial end", () => {
    const boost = ok(doc(CATALOG, customer([], { hasPaymentMethod: false }), request(JAN16, "boost")))
    expect(action(boost, "createCheckoutSession")).toMatchObject({ mode: "payment", items: [], amountDue: 3000 })
    const trial = ok(doc(CATALOG, customer([], { hasPaymentMethod: false }), request(JAN16, "trialPro")))
    expect(action(trial, "createCheckoutSession")).toMatchObject({ mode: "subscription", trialEndsAt: "2025-01-30T00:00:00.000Z", amountDue: 0 })
    expect(action(trial, "createSubscription")).toMatchObject({ trialEndsAt: "2025-01-30T00:00:00.000Z", billingAnchor: "2025-01-30T00:00:00.000Z" })
  })

  it("invoice mode: send_invoice with net terms, draft or finalized; the plan waits for payment unless enabled now", () => {
    const sent = ok(SCENARIOS.invoiceSent.document)
    expect(action(sent, "createInvoice")).toMatchObject({ collection: "send_invoice", netTermsDays: 15, finalize: true })
    expect(action(sent, "createSubscription")).toMatchObject({ collection: "send_invoice", netTermsDays: 15 })
    expect(action(ok(SCENARIOS.invoiceDraft.document), "createInvoice")).toMatchObject({ collection: "send_invoice", netTermsDays: 30, finalize: false })
    expect(types(ok(SCENARIOS.invoiceEnablesPlanNow.document))).toEqual(["updateSubscription", "createInvoice"])
  })
})

describe("the plan's provider actions on a held subscription (docs/spec.md §11)", () => {
  it("upgrade: the items change without provider proration; the invoice holds arrears, credit and charge", () => {
    const p = ok(SCENARIOS.upgrade.document)
    expect(action(p, "updateSubscription")).toMatchObject({
      subscriptionId: "sub_pro_old", items: [item("premium")], previousItems: [item("pro")], prorationBehavior: "none"
    })
    expect(action(p, "createInvoice").lines.map((l) => l.kind)).toEqual(["arrears", "credit", "charge"])
    expect(action(p, "payInvoice").amount).toBe(p.amountDue)
  })

  it("downgrade: a schedule at the period end; a later attach releases it first", () => {
    expect(action(ok(SCENARIOS.downgrade.document), "scheduleChange")).toMatchObject({ subscriptionId: "sub_premium_old", at: FEB1, items: [item("pro")] })
    const p = ok(SCENARIOS.downgradeReplaced.document)
    expect(action(p, "releaseSchedule")).toMatchObject({ at: FEB1, items: [item("pro")] })
    expect(action(p, "scheduleChange")).toMatchObject({ at: FEB1, items: [item("lite")] })
  })

  it("cancel at period end, and uncancel", () => {
    expect(action(ok(SCENARIOS.cancel.document), "cancelSubscription")).toMatchObject({ subscriptionId: "sub_pro_old", atPeriodEnd: true, at: FEB1 })
    expect(action(ok(SCENARIOS.uncancel.document), "uncancelSubscription")).toMatchObject({ subscriptionId: "sub_pro_old", at: FEB1 })
  })

  it("a quantity change: the new quantity on the subscription; charged now when prorated, from the renewal when next_cycle", () => {
    expect(action(ok(SCENARIOS.quantityProrated.document), "updateSubscription").items).toEqual([item("team", [{ featureId: "storage", quantity: 50 }])])
    const later = ok(SCENARIOS.quantityNextCycle.document)
    expect(later.lines).toEqual([])
    expect(action(later, "updateSubscription")).toMatchObject({ items: [item("teamLater", [{ featureId: "storage", quantity: 50 }])], prorationBehavior: "none" })
  })

  it("upgrading out of a trial: a new subscription, and the trialing one cancelled immediately, after the payment", () => {
    const p = ok(SCENARIOS.upgradeFromTrial.document)
    expect(types(p).at(-1)).toBe("cancelSubscription")
    expect(action(p, "cancelSubscription")).toMatchObject({ subscriptionId: "sub_trialPro_old", atPeriodEnd: false })
  })
})

describe("the plan's provider actions: idempotency keys (docs/spec.md §11)", () => {
  it("idempotency keys: deterministic, distinct, derived from the request", () => {
    const p = ok(SCENARIOS.upgrade.document)
    const keys = p.actions.map((a) => a.idempotencyKey)
    expect(ok(SCENARIOS.upgrade.document).actions.map((a) => a.idempotencyKey)).toEqual(keys)
    expect(new Set(keys).size).toBe(keys.length)
    keys.forEach((k, i) => expect(k).toMatch(new RegExp(`^ap_[0-9a-f]{16}_${i}_${p.actions[i]?.type}$`)))
    const later = ok(doc(CATALOG, customer([subscription("pro", JAN1, { usage: [{ featureId: "messages", used: 150 }] })]), request("2025-01-17T00:00:00Z", "premium")))
    expect(later.actions[0]?.idempotencyKey).not.toBe(keys[0])
    const otherPlan = ok(doc(CATALOG, customer([subscription("pro", JAN1, { usage: [{ featureId: "messages", used: 150 }] })]), request(JAN16, "ultra")))
    expect(otherPlan.actions[0]?.idempotencyKey).not.toBe(keys[0])
  })

  itEffect("the same request planned against another state has the same keys: the provider refuses the other parameters", () =>
    Effect.gen(function* () {
      const a = SCENARIOS.upgrade
      const bCustomer = customer([subscription("pro", JAN1, { usage: [{ featureId: "messages", used: 151 }] })])
      const b = ok(doc(CATALOG, bCustomer, request(JAN16, "premium")))
      expect(b.actions.map((x) => x.idempotencyKey)).toEqual(ok(a.document).actions.map((x) => x.idempotencyKey))
      const sandbox = yield* Sandbox.Sandbox
      yield* sandbox.seedCustomer(customerOf(a), CATALOG_MODEL)
      yield* executeAttach(ok(a.document), customerOf(a))
      const r = yield* Effect.result(executeAttach(b, bCustomer as Customer))
      expect(Result.isFailure(r) && r.failure).toMatchObject({
        _tag: "PaymentProviderError", failed: { type: "createInvoice" }, providerError: { _tag: "ProviderRejected", code: "idempotency_key_reused" }
      })
      expect((yield* sandbox.state).charges).toHaveLength(1)
    }).pipe(Effect.provide(Sandbox.layer())))
})
