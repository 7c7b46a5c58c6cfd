/**
 * The Stripe webhook handler against the local Stripe-compatible test server: the signature is
 * verified through the SDK (a bad one is 400 and nothing runs); `checkout.session.completed` and
 * `invoice.paid` complete the pending plan through the executor; `invoice.payment_failed` and
 * `invoice.payment_action_required` tell the host; `customer.subscription.updated` / `deleted`
 * reach the host; and a plan is completed exactly once when Stripe delivers an event twice, two
 * events at once, or late and out of order. The customer attaches pro: 20.00 charged once.
 */
import { afterEach, describe, expect, it } from "vitest"
import { type Host, startHost } from "./webhookHarness.ts"

const hosts: Array<Host> = []
const host = async (): Promise<Host> => {
  const h = await startHost()
  hosts.push(h)
  return h
}
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.fake.close()
})

const charges = (h: Host, customer: string) =>
  h.fake.state.charges.filter((c) => h.fake.state.invoices.get(c.invoice)?.customer === customer).map((c) => c.amount)

describe("the signature", () => {
  it("a bad, tampered or missing signature is 400 and nothing runs; the genuine event then completes the plan", async () => {
    const h = await host()
    const a = await h.attach(null)
    expect(a.first.requiredAction?.code).toBe("payment_method_required")
    h.fake.completeCheckout(a.first.paymentUrl?.split("/").pop() ?? "", "pm_card_visa")
    const event = h.event("checkout.session.completed")
    const calls = h.fake.calls.length
    expect((await h.deliver(event, "whsec_someone_else")).status).toBe(400)
    const payload = JSON.stringify(event)
    const signature = h.stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_test_attach_planner" })
    const tampered = await h.handler(new Request("http://127.0.0.1/webhooks/stripe", { method: "POST", headers: { "stripe-signature": signature }, body: payload.replace("checkout.session.completed", "invoice.paid") }))
    expect(tampered.status).toBe(400)
    const unsigned = await h.handler(new Request("http://127.0.0.1/webhooks/stripe", { method: "POST", body: payload }))
    expect(unsigned.status).toBe(400)
    expect(h.fake.calls.length).toBe(calls) // no Stripe call was made
    expect(h.applied).toEqual([])
    expect(charges(h, a.customerId)).toEqual([])
    expect(await h.deliver(event)).toEqual({ status: 200, body: { received: true, applied: true } })
    expect(h.applied).toHaveLength(1)
    expect(charges(h, a.customerId)).toEqual([2000])
  })
})

describe("the events: the payment's outcome completes the plan or tells the host", () => {
  it("checkout.session.completed completes the plan once; the invoice.paid it causes and a late copy change nothing", async () => {
    const h = await host()
    const a = await h.attach(null)
    h.fake.completeCheckout(a.first.paymentUrl?.split("/").pop() ?? "", "pm_card_visa")
    const completed = h.event("checkout.session.completed")
    expect((await h.deliver(completed)).body).toEqual({ received: true, applied: true })
    const [only] = h.applied
    expect(only?.result.applied).toBe(true)
    expect(only?.result.invoice).toMatchObject({ status: "paid", amountDue: 2000 })
    expect(only?.result.customer.subscriptions?.[0]?.providerSubscriptionId).toMatch(/^sub_/)
    expect((await h.deliver(h.event("invoice.paid"))).body).toEqual({ received: true, applied: false })
    expect((await h.deliver({ ...completed, id: "evt_late_copy" })).body).toEqual({ received: true, applied: false })
    expect((await h.deliver(completed)).body).toEqual({ received: true, duplicate: true })
    expect(h.applied).toHaveLength(1)
    expect(charges(h, a.customerId)).toEqual([2000])
  })

  it("3-D Secure: invoice.payment_action_required tells the host; paid on the hosted page, invoice.paid completes the plan once, twice delivered", async () => {
    const h = await host()
    const a = await h.attach("pm_card_authenticationRequired")
    expect(a.first.requiredAction?.code).toBe("3ds_required")
    expect(await h.deliver(h.event("invoice.payment_action_required"))).toEqual({ status: 200, body: { received: true, applied: false } })
    expect(h.failed).toEqual(["invoice.payment_action_required"])
    expect(h.fake.payHosted(a.first.invoice?.id ?? "")).toBe("paid")
    const paid = h.event("invoice.paid")
    expect((await h.deliver(paid)).body).toEqual({ received: true, applied: true })
    expect((await h.deliver(paid)).body).toEqual({ received: true, duplicate: true })
    expect(h.applied).toHaveLength(1)
    expect(h.applied[0]?.result.customer.subscriptions?.map((s) => s.planId)).toEqual(["pro"])
    expect(charges(h, a.customerId)).toEqual([2000])
  })

  it("a declined card: invoice.payment_failed tells the host; out of order, a late payment_failed after invoice.paid changes nothing", async () => {
    const h = await host()
    const a = await h.attach("pm_card_chargeDeclined")
    expect(a.first.requiredAction?.code).toBe("payment_failed")
    const failedEvent = h.event("invoice.payment_failed")
    expect(h.fake.payHosted(a.first.invoice?.id ?? "", "pm_card_visa")).toBe("paid")
    expect((await h.deliver(h.event("invoice.paid"))).body).toEqual({ received: true, applied: true })
    expect((await h.deliver(failedEvent)).body).toEqual({ received: true, applied: false })
    expect(h.failed).toEqual([])
    expect(h.applied).toHaveLength(1)
    expect(charges(h, a.customerId)).toEqual([2000])
  })
})

describe("the events: delivered twice, during an outage, and the subscription's changes", () => {
  it("the same event delivered twice at once completes the plan once", async () => {
    const h = await host()
    const a = await h.attach("pm_card_authenticationRequired")
    h.fake.payHosted(a.first.invoice?.id ?? "")
    const paid = h.event("invoice.paid")
    const both = await Promise.all([h.deliver(paid), h.deliver({ ...paid, id: "evt_second_delivery" })])
    expect(both.map((r) => r.status)).toEqual([200, 200])
    expect(both.filter((r) => r.body["applied"] === true)).toHaveLength(1)
    expect(h.applied).toHaveLength(1)
    expect(charges(h, a.customerId)).toEqual([2000])
    expect([...h.fake.state.subscriptions.values()].filter((s) => s.customer === a.customerId && s.status !== "canceled")).toHaveLength(1)
  })

  it("an outage while completing is 500 and the event is not remembered: Stripe's redelivery completes the plan", async () => {
    const h = await host()
    const a = await h.attach("pm_card_authenticationRequired")
    h.fake.payHosted(a.first.invoice?.id ?? "")
    const paid = h.event("invoice.paid")
    h.fake.nextWrite = "before"
    const failed = await h.deliver(paid)
    expect(failed.status).toBe(500)
    expect(String(failed.body["error"])).toMatch(/^PaymentProviderError/)
    expect(h.applied).toEqual([])
    expect((await h.deliver(paid)).body).toEqual({ received: true, applied: true })
    expect(charges(h, a.customerId)).toEqual([2000])
  })

  it("customer.subscription.updated and .deleted reach the host with the subscription", async () => {
    const h = await host()
    const a = await h.attach("pm_card_visa")
    expect(a.first.applied).toBe(true)
    const sub = a.first.customer.subscriptions?.[0]?.providerSubscriptionId ?? ""
    await h.stripe.subscriptions.update(sub, { metadata: { note: "changed in the dashboard" } })
    expect((await h.deliver(h.event("customer.subscription.updated"))).status).toBe(200)
    await h.stripe.subscriptions.cancel(sub)
    expect((await h.deliver(h.event("customer.subscription.deleted"))).status).toBe(200)
    expect(h.changed).toEqual([`customer.subscription.updated ${sub}`, `customer.subscription.deleted ${sub}`])
    expect(h.applied).toEqual([])
  })
})
