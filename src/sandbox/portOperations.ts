/**
 * The payment port's operations on a draft of the sandbox's state: the pure core behind the
 * sandbox's port, one function per {@link PortOperation}, each run once per idempotency key.
 *
 * @example portOperations.payInvoice(draft, { idempotencyKey: "k1", invoiceId: "in_sbx_0001", amount: 2000 })
 */
import * as Result from "effect/Result"
import { findBy } from "../internal/rowIndex.ts"
import { customerFingerprint } from "../internal/fingerprint.ts"
import type { PortOperation, ProviderSubscription, Request, RequestOf, ResultOf } from "../Provider.ts"
import { charge, finalize } from "./internal/charging.ts"
import type { Invoice, State, Subscription } from "./internal/draft.ts"
import { INVOICE, once, SESSION, SUBSCRIPTION } from "./internal/idempotency.ts"
import { ok, type Outcome, rejected } from "./internal/outcome.ts"
import { BASE_URL, BY_ID, customerOf, findInvoice, findSession, liveSubscription, newId } from "./internal/rows.ts"
import { invoiceView, sessionView, subscriptionView } from "./internal/views.ts"

type SubscriptionChange = Request<"updateSubscription" | "cancelSubscription" | "uncancelSubscription" | "scheduleChange" | "releaseSchedule">

const onSubscription = (s: State, operation: string, request: SubscriptionChange, change: (sub: Subscription) => Outcome<void>): Outcome<ProviderSubscription> =>
  once(s, operation, SUBSCRIPTION, request, () =>
    Result.flatMap(liveSubscription(s, request.subscriptionId), (sub) => Result.map(change(sub), () => subscriptionView(sub)))
  )

/** A change the subscription never refuses: `edit` sets its fields. */
const alwaysApplies = (edit: (sub: Subscription) => void) => (sub: Subscription): Outcome<void> => {
  edit(sub)
  return ok
}

const itemsKey = (items: ReadonlyArray<unknown>): string => customerFingerprint(items)

/**
 * Each port operation on a draft of the state.
 *
 * @example Result.map(portOperations.retrieveInvoice(draft, "in_sbx_0001"), (inv) => inv.status)
 */
export const portOperations: { readonly [K in PortOperation]: (s: State, request: RequestOf<K>) => Outcome<ResultOf<K>> } = {
  createCheckoutSession: (s, r) =>
    once(s, "createCheckoutSession", SESSION, r, () => {
      customerOf(s, r.customerId)
      const id = newId(s, "cs")
      const cs = {
        id, url: `${BASE_URL}/checkout/${id}`, status: "open" as const, customerId: r.customerId, currency: r.currency, mode: r.mode,
        items: r.items, amountDue: r.amountDue, trialEndsAt: r.trialEndsAt, successUrl: r.successUrl, params: r.params, paymentMethod: null
      }
      s.checkoutSessions.push(cs)
      return Result.succeed(sessionView(cs))
    }),
  retrieveCheckoutSession: (s, id) => Result.map(findSession(s, id), sessionView),
  createSubscription: (s, r) =>
    once(s, "createSubscription", SUBSCRIPTION, r, () => {
      customerOf(s, r.customerId)
      const sub: Subscription = {
        id: newId(s, "sub"), status: r.trialEndsAt === null ? "active" : "trialing", items: r.items, cancelAt: null, phase: null,
        customerId: r.customerId, currency: r.currency, billingAnchor: r.billingAnchor, trialEndsAt: r.trialEndsAt,
        collection: r.collection, netTermsDays: r.netTermsDays, canceledAt: null
      }
      s.subscriptions.push(sub)
      return Result.succeed(subscriptionView(sub))
    }),
  updateSubscription: (s, r) =>
    onSubscription(s, "updateSubscription", r, (sub) => {
      const now = itemsKey(sub.items)
      if (now !== itemsKey(r.previousItems) && now !== itemsKey(r.items)) {
        return rejected("state_mismatch", `Subscription ${sub.id} does not hold the items this change starts from`)
      }
      sub.items = r.items
      return ok
    }),
  cancelSubscription: (s, r) => {
    const found = findBy(s.subscriptions, BY_ID, r.subscriptionId)
    const done = found?.status === "canceled" ? found : undefined
    if (!r.atPeriodEnd && done !== undefined) return Result.succeed(subscriptionView(done))
    return onSubscription(s, "cancelSubscription", r, alwaysApplies((sub) => {
      if (r.atPeriodEnd) sub.cancelAt = r.at
      else {
        sub.status = "canceled"
        sub.canceledAt = r.at
        sub.phase = null
      }
    }))
  },
  uncancelSubscription: (s, r) => onSubscription(s, "uncancelSubscription", r, alwaysApplies((sub) => {
    sub.cancelAt = null
  })),
  scheduleChange: (s, r) =>
    onSubscription(s, "scheduleChange", r, (sub) => {
      const phase = { at: r.at, items: r.items }
      if (sub.phase !== null && customerFingerprint(sub.phase) !== customerFingerprint(phase)) {
        return rejected("schedule_exists", `Subscription ${sub.id} already has a pending change at ${sub.phase.at}; release it first`)
      }
      sub.phase = phase
      return ok
    }),
  releaseSchedule: (s, r) => onSubscription(s, "releaseSchedule", r, alwaysApplies((sub) => {
    sub.phase = null
  })),
  createInvoice: (s, r) =>
    once(s, "createInvoice", INVOICE, r, () => {
      const customer = customerOf(s, r.customerId)
      const applied = r.total > 0 ? r.creditApplied : 0
      if (applied < 0 || applied > customer.balance || r.amountDue !== Math.max(0, r.total - applied)) {
        return rejected("amount_mismatch", `Invoice of ${r.total} with ${r.creditApplied} credit applied cannot be due ${r.amountDue} (balance ${customer.balance})`)
      }
      customer.balance += r.total < 0 ? -r.total : -applied
      const inv: Invoice = {
        id: newId(s, "in"), status: "draft", currency: r.currency, total: r.total, amountDue: r.amountDue, hostedUrl: null,
        customerId: r.customerId, description: r.description, lines: r.lines, creditApplied: applied, amountPaid: 0,
        collection: r.collection, netTermsDays: r.netTermsDays, attempts: []
      }
      if (r.finalize) finalize(inv)
      s.invoices.push(inv)
      return Result.succeed(invoiceView(inv))
    }),
  payInvoice: (s, r) =>
    once(s, "payInvoice", INVOICE, r, () => Result.flatMap(findInvoice(s, r.invoiceId), (inv) => {
      if (inv.status === "paid") return Result.succeed(invoiceView(inv))
      if (inv.status !== "open") return rejected("invoice_not_open", `Invoice ${inv.id} is ${inv.status}`)
      if (r.amount !== inv.amountDue) return rejected("amount_mismatch", `Invoice ${inv.id} is due ${inv.amountDue}, not ${r.amount}`)
      return charge(s, inv, customerOf(s, inv.customerId).paymentMethod, false)
    })),
  retrieveInvoice: (s, id) => Result.map(findInvoice(s, id), invoiceView)
}
