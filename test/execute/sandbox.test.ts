/**
 * The sandbox provider on its own (issue #4, point 3): customers and test cards, subscriptions
 * and schedules, invoices and credit balance, checkout sessions, idempotency, and its JSON state.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect } from "vitest"
import type { ProviderItem, Request } from "../../src/Provider.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { withFaults } from "../../src/testing/index.ts"
import { itEffect } from "../support/itEffect.ts"

const pro: ProviderItem = { planId: "pro", version: 1, entityId: null, quantities: [] }
const premium: ProviderItem = { planId: "premium", version: 1, entityId: null, quantities: [] }

const invoice = (key: string, extra: Partial<Request<"createInvoice">> = {}): Request<"createInvoice"> => ({
  idempotencyKey: key, customerId: "cus_1", currency: "usd", description: "test", lines: [], subtotal: 2000, discountTotal: 0,
  total: 2000, creditApplied: 0, amountDue: 2000, collection: "charge_automatically", finalize: true, netTermsDays: null, ...extra
})
const subscription = (key: string): Request<"createSubscription"> => ({
  idempotencyKey: key, customerId: "cus_1", currency: "usd", ref: "anchor:0", planIds: ["pro"], subscriptionIds: ["sub_pro"], items: [pro],
  startsAt: "2025-01-01T00:00:00.000Z", billingAnchor: "2025-01-01T00:00:00.000Z", trialEndsAt: null, collection: "charge_automatically", netTermsDays: null
})
const failureOf = <A, E>(e: Effect.Effect<A, E>) => Effect.map(Effect.result(e), (r) => (Result.isFailure(r) ? r.failure : undefined))

/** Runs a test body against a fresh sandbox. */
const withSandbox = (name: string, body: (s: Sandbox.SandboxOps) => Effect.Effect<void, unknown>): void =>
  itEffect(name, () => Effect.suspend(() => body(Sandbox.make())))

describe("idempotency", () => {
  withSandbox("the same key returns the first result and never charges twice", (s) =>
    Effect.gen(function* () {
      yield* s.attachPaymentMethod("cus_1", "pm_card_visa")
      const a = yield* s.port.createInvoice(invoice("k1"))
      const b = yield* s.port.createInvoice(invoice("k1"))
      expect(b).toEqual(a)
      const paid = yield* s.port.payInvoice({ idempotencyKey: "k2", invoiceId: a.id, amount: 2000, creditApplied: 0 })
      expect(yield* s.port.payInvoice({ idempotencyKey: "k2", invoiceId: a.id, amount: 2000, creditApplied: 0 })).toEqual(paid)
      // a new key on a paid invoice charges nothing either
      expect((yield* s.port.payInvoice({ idempotencyKey: "k3", invoiceId: a.id, amount: 2000, creditApplied: 0 })).status).toBe("paid")
      const state = yield* s.state
      expect(state.invoices).toHaveLength(1)
      expect(state.charges).toEqual([{ id: expect.stringMatching(/^ch_sbx_/), customerId: "cus_1", invoiceId: a.id, amount: 2000, currency: "usd", paymentMethod: "pm_card_visa" }])
      expect(state.log.map((l) => l.outcome)).toEqual(["applied", "replayed", "applied", "replayed", "applied"])
    }))

  withSandbox("a key reused with other parameters is rejected", (s) =>
    Effect.gen(function* () {
      yield* s.port.createInvoice(invoice("k1"))
      const e = yield* failureOf(s.port.createInvoice(invoice("k1", { total: 999, amountDue: 999 })))
      expect(e).toMatchObject({ _tag: "ProviderRejected", code: "idempotency_key_reused" })
      expect(yield* failureOf(s.port.createSubscription({ ...subscription("k1") }))).toMatchObject({ code: "idempotency_key_reused" })
    }))

  withSandbox("a failed call is not recorded: the same key succeeds once the cause is fixed", (s) =>
    Effect.gen(function* () {
      yield* s.attachPaymentMethod("cus_1", "pm_card_declined")
      const inv = yield* s.port.createInvoice(invoice("k1"))
      const pay = { idempotencyKey: "k2", invoiceId: inv.id, amount: 2000, creditApplied: 0 }
      expect(yield* failureOf(s.port.payInvoice(pay))).toMatchObject({ _tag: "CardDeclined", declineCode: "card_declined", invoiceId: inv.id })
      yield* s.attachPaymentMethod("cus_1", "pm_card_visa")
      expect((yield* s.port.payInvoice(pay)).status).toBe("paid")
      const state = yield* s.state
      expect(state.invoices[0]?.attempts).toEqual([{ paymentMethod: "pm_card_declined", outcome: "card_declined" }, { paymentMethod: "pm_card_visa", outcome: "succeeded" }])
      expect(state.charges).toHaveLength(1)
    }))

  withSandbox("a compensating call frees the key it undoes, so the change can be made again", (s) =>
    Effect.gen(function* () {
      const sub = yield* s.port.createSubscription(subscription("k0"))
      const change = { idempotencyKey: "k1", subscriptionId: sub.id, subscriptionIds: [], items: [premium], previousItems: [pro], prorationBehavior: "none" as const }
      yield* s.port.updateSubscription(change)
      yield* s.port.updateSubscription({ ...change, idempotencyKey: "k1:undo", compensates: "k1", items: [pro], previousItems: [premium] })
      expect((yield* s.state).subscriptions[0]?.items).toEqual([pro])
      expect((yield* s.port.updateSubscription(change)).items).toEqual([premium])
      expect((yield* s.state).log.map((l) => l.outcome)).toEqual(["applied", "applied", "applied", "applied"])
    }))
})

describe("test cards", () => {
  withSandbox("visa succeeds; declined and insufficient funds decline; no card needs a payment method", (s) =>
    Effect.gen(function* () {
      const pay = (key: string) =>
        Effect.flatMap(s.port.createInvoice(invoice(`inv_${key}`)), (inv) => s.port.payInvoice({ idempotencyKey: key, invoiceId: inv.id, amount: 2000, creditApplied: 0 }))
      expect(yield* failureOf(pay("a"))).toMatchObject({ _tag: "PaymentMethodRequired" })
      yield* s.attachPaymentMethod("cus_1", "pm_card_insufficient_funds")
      expect(yield* failureOf(pay("b"))).toMatchObject({ _tag: "CardDeclined", declineCode: "insufficient_funds" })
      yield* s.attachPaymentMethod("cus_1", "pm_card_visa")
      expect((yield* pay("c")).status).toBe("paid")
      expect(yield* failureOf(s.attachPaymentMethod("cus_1", "pm_card_gold"))).toMatchObject({ _tag: "ProviderRejected", code: "unknown_test_token" })
    }))

  withSandbox("3-D Secure: an off-session charge needs authentication; the hosted page succeeds", (s) =>
    Effect.gen(function* () {
      yield* s.attachPaymentMethod("cus_1", "pm_card_3ds")
      const inv = yield* s.port.createInvoice(invoice("k1"))
      expect(inv.hostedUrl).toBe(`https://sandbox.attach-planner.invalid/invoices/${inv.id}`)
      expect(yield* failureOf(s.port.payInvoice({ idempotencyKey: "k2", invoiceId: inv.id, amount: 2000, creditApplied: 0 }))).toMatchObject({ _tag: "AuthenticationRequired" })
      expect((yield* s.payInvoiceHosted(inv.id)).status).toBe("paid")
      expect((yield* s.state).charges.map((c) => c.paymentMethod)).toEqual(["pm_card_3ds"])
    }))
})

describe("invoices and the credit balance", () => {
  withSandbox("draft until finalized; open, then paid; send_invoice keeps its net terms", (s) =>
    Effect.gen(function* () {
      const draft = yield* s.port.createInvoice(invoice("k1", { collection: "send_invoice", netTermsDays: 15, finalize: false }))
      expect(draft).toMatchObject({ status: "draft", hostedUrl: null })
      expect(yield* failureOf(s.port.payInvoice({ idempotencyKey: "k2", invoiceId: draft.id, amount: 2000, creditApplied: 0 }))).toMatchObject({ code: "invoice_not_open" })
      expect((yield* s.finalizeInvoice(draft.id)).status).toBe("open")
      expect((yield* s.payInvoiceHosted(draft.id, "pm_card_visa")).status).toBe("paid")
      expect((yield* s.state).invoices[0]).toMatchObject({ collection: "send_invoice", netTermsDays: 15, amountPaid: 2000 })
    }))

  withSandbox("credit applied from the balance; a negative total adds to it; more credit than the balance is rejected", (s) =>
    Effect.gen(function* () {
      expect(yield* failureOf(s.port.createInvoice(invoice("k0", { creditApplied: 500, amountDue: 1500 })))).toMatchObject({ code: "amount_mismatch" })
      const credit = yield* s.port.createInvoice(invoice("k1", { total: -1549, subtotal: -1549, amountDue: 0 }))
      expect(credit.status).toBe("paid")
      expect((yield* s.state).customers[0]?.balance).toBe(1549)
      const covered = yield* s.port.createInvoice(invoice("k2", { creditApplied: 1549, amountDue: 451 }))
      expect(covered).toMatchObject({ status: "open", amountDue: 451 })
      expect((yield* s.state).customers[0]?.balance).toBe(0)
      expect(yield* failureOf(s.port.payInvoice({ idempotencyKey: "k3", invoiceId: covered.id, amount: 2000, creditApplied: 0 }))).toMatchObject({ code: "amount_mismatch" })
    }))
})

describe("voiding", () => {
  withSandbox("an open invoice left by a failed payment can be voided: its credit returns to the balance", (s) =>
    Effect.gen(function* () {
      yield* s.port.createInvoice(invoice("k0", { total: -500, subtotal: -500, amountDue: 0 }))
      const open = yield* s.port.createInvoice(invoice("k1", { creditApplied: 500, amountDue: 1500 }))
      expect((yield* s.state).customers[0]?.balance).toBe(0)
      expect((yield* s.voidInvoice(open.id)).status).toBe("void")
      expect((yield* s.state).customers[0]?.balance).toBe(500)
      expect(yield* failureOf(s.port.payInvoice({ idempotencyKey: "k2", invoiceId: open.id, amount: 1500, creditApplied: 500 }))).toMatchObject({ code: "invoice_not_open" })
      expect(yield* failureOf(s.voidInvoice((yield* s.port.createInvoice(invoice("k3", { total: 0, subtotal: 0, amountDue: 0 }))).id))).toMatchObject({ code: "invoice_paid" })
    }))
})

describe("subscriptions and schedules", () => {
  withSandbox("a change must start from the items the subscription holds", (s) =>
    Effect.gen(function* () {
      const sub = yield* s.port.createSubscription(subscription("k0"))
      const e = yield* failureOf(s.port.updateSubscription({ idempotencyKey: "k1", subscriptionId: sub.id, subscriptionIds: [], items: [pro], previousItems: [premium], prorationBehavior: "none" }))
      // the subscription holds pro, and pro is the target: already done, fine
      expect(e).toBeUndefined()
      const other = { planId: "lite", version: 1, entityId: null, quantities: [] }
      expect(yield* failureOf(s.port.updateSubscription({ idempotencyKey: "k2", subscriptionId: sub.id, subscriptionIds: [], items: [other], previousItems: [premium], prorationBehavior: "none" })))
        .toMatchObject({ code: "state_mismatch" })
    }))

  withSandbox("one pending phase at a time: release it first; cancel at period end and uncancel; cancel now", (s) =>
    Effect.gen(function* () {
      const sub = yield* s.port.createSubscription(subscription("k0"))
      const target = { subscriptionId: sub.id, subscriptionIds: [] }
      const at = "2025-02-01T00:00:00.000Z"
      expect((yield* s.port.scheduleChange({ idempotencyKey: "k1", ...target, at, items: [premium] })).phase).toEqual({ at, items: [premium] })
      expect(yield* failureOf(s.port.scheduleChange({ idempotencyKey: "k2", ...target, at, items: [pro, premium] }))).toMatchObject({ code: "schedule_exists" })
      expect((yield* s.port.releaseSchedule({ idempotencyKey: "k3", ...target, at, items: [premium] })).phase).toBeNull()
      expect((yield* s.port.cancelSubscription({ idempotencyKey: "k4", ...target, atPeriodEnd: true, at })).cancelAt).toBe(at)
      expect((yield* s.port.uncancelSubscription({ idempotencyKey: "k5", ...target, at })).cancelAt).toBeNull()
      expect((yield* s.port.cancelSubscription({ idempotencyKey: "k6", ...target, atPeriodEnd: false, at })).status).toBe("canceled")
      expect(yield* failureOf(s.port.uncancelSubscription({ idempotencyKey: "k7", ...target, at }))).toMatchObject({ code: "subscription_canceled" })
      expect(yield* failureOf(s.port.releaseSchedule({ idempotencyKey: "k8", subscriptionId: "sub_nope", subscriptionIds: [], at, items: [] }))).toMatchObject({ code: "resource_missing" })
    }))

  withSandbox("a trial end makes a trialing subscription", (s) =>
    Effect.gen(function* () {
      expect((yield* s.port.createSubscription({ ...subscription("k0"), trialEndsAt: "2025-01-15T00:00:00.000Z" })).status).toBe("trialing")
    }))
})

describe("checkout sessions", () => {
  withSandbox("a session has a URL; completing it saves the card as the customer's default", (s) =>
    Effect.gen(function* () {
      const cs = yield* s.port.createCheckoutSession({
        idempotencyKey: "k1", customerId: "cus_1", currency: "usd", mode: "subscription", items: [pro], lines: [], amountDue: 2000,
        trialEndsAt: null, successUrl: "https://app.example/done", params: { locale: "fr" }
      })
      expect(cs).toMatchObject({ status: "open", url: `https://sandbox.attach-planner.invalid/checkout/${cs.id}` })
      expect(yield* failureOf(s.completeCheckout(cs.url, "pm_card_declined"))).toMatchObject({ _tag: "CardDeclined" })
      expect((yield* s.port.retrieveCheckoutSession(cs.id)).status).toBe("open")
      expect((yield* s.completeCheckout(cs.url, "pm_card_visa")).status).toBe("complete")
      const state = yield* s.state
      expect(state.customers[0]?.paymentMethod).toBe("pm_card_visa")
      expect(state.checkoutSessions[0]).toMatchObject({ mode: "subscription", successUrl: "https://app.example/done", params: { locale: "fr" } })
    }))
})

describe("state as JSON", () => {
  withSandbox("exported, decoded and imported, the sandbox carries on: ids continue, keys are remembered", (s) =>
    Effect.gen(function* () {
      yield* s.attachPaymentMethod("cus_1", "pm_card_visa")
      const first = yield* s.port.createInvoice(invoice("k1"))
      const json = JSON.parse(JSON.stringify(yield* s.state)) as unknown
      const decoded = Sandbox.decodeState(json)
      if (Result.isFailure(decoded)) throw new Error(decoded.failure.message)
      const again = Sandbox.make(decoded.success)
      expect(yield* again.port.createInvoice(invoice("k1"))).toEqual(first)
      const second = yield* again.port.createInvoice(invoice("k2"))
      expect(second.id).not.toBe(first.id)
      expect(yield* again.state).toMatchObject({ customers: [{ id: "cus_1", paymentMethod: "pm_card_visa" }] })
    }))

  itEffect("a bad state is a DecodeError naming the field", () =>
    Effect.sync(() => {
      const r = Sandbox.decodeState({ ...Sandbox.emptyState, customers: [{ id: "c", balance: "lots", paymentMethod: null }] })
      expect(Result.isFailure(r) && r.failure.path).toBe("sandbox.customers[0].balance")
      expect(Result.isFailure(Sandbox.decodeState({ ...Sandbox.emptyState, extra: 1 }))).toBe(true)
    }))
})

describe("faults", () => {
  withSandbox("withFaults: before, the provider never acts; after, it acted and the response is lost", (s) =>
    Effect.gen(function* () {
      const journal: Array<string> = []
      const before = withFaults(s.port, { calls: [0], when: "before" }, journal)
      expect(yield* failureOf(before.createInvoice(invoice("k1")))).toMatchObject({ _tag: "ProviderUnavailable" })
      expect((yield* s.state).invoices).toHaveLength(0)
      const after = withFaults(s.port, { calls: [0], when: "after" }, journal)
      expect(yield* failureOf(after.createInvoice(invoice("k1")))).toMatchObject({ _tag: "ProviderUnavailable" })
      expect((yield* s.state).invoices).toHaveLength(1)
      // only the listed calls fail
      expect((yield* after.createInvoice(invoice("k1"))).status).toBe("open")
      expect(journal).toEqual(["createInvoice", "createInvoice", "createInvoice"])
    }))
})
