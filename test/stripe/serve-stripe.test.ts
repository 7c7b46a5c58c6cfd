/**
 * `serve --provider stripe`, end to end: the CLI runs in its own process with the Stripe adapter
 * pointed at the local Stripe-compatible test server (STRIPE_API_BASE), the key and webhook secret
 * from STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET. A customer without a card attaches pro
 * ($20.00 a month) and is sent to Stripe Checkout; once they complete it, Stripe's signed
 * `checkout.session.completed` at /webhooks/stripe makes the plan take effect, charged once.
 */
import { once } from "node:events"
import { afterEach, describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import * as Result from "effect/Result"
import { catalogFromJson } from "../../src/cli/serve.ts"
import { chooseProvider, stripeServeHandler } from "../../src/cli/serveStripe.ts"
import { spawnCli } from "../support/runCli.ts"
import { advanceClock } from "./fakeRenewals.ts"
import { type FakeStripe, startFakeStripe } from "./fakeStripe.ts"

const ENV = { STRIPE_SECRET_KEY: "sk_test_fake", STRIPE_WEBHOOK_SECRET: "whsec_serve_test", ATTACH_PLANNER_KEY: "am_sk_stripe" }

describe("serve --provider", () => {
  it("takes --provider out of the arguments and reads Stripe's settings from the environment", () => {
    expect(chooseProvider(["--catalog", "c.json"], {})).toEqual({ provider: "sandbox", rest: ["--catalog", "c.json"] })
    expect(chooseProvider(["--provider=sandbox", "--port", "1"], {})).toEqual({ provider: "sandbox", rest: ["--port", "1"] })
    const chosen = chooseProvider(["--provider", "stripe", "--port", "1"], { ...ENV, STRIPE_API_BASE: "http://127.0.0.1:12111" })
    expect(chosen).toMatchObject({ provider: "stripe", rest: ["--port", "1"], config: { secretKey: "sk_test_fake", webhookSecret: "whsec_serve_test" } })
    expect(typeof chosen === "string" ? null : chosen.provider === "stripe" ? chosen.config.apiBase?.port : null).toBe("12111")
  })

  it.each([
    [["--provider", "paypal"], ENV, '--provider expects sandbox or stripe, got "paypal"'],
    [["--provider"], ENV, '--provider expects sandbox or stripe, got ""'],
    [["--provider", "stripe"], { STRIPE_WEBHOOK_SECRET: "whsec_1" }, "--provider stripe needs the STRIPE_SECRET_KEY environment variable"],
    [["--provider", "stripe"], { STRIPE_SECRET_KEY: "sk_1" }, "--provider stripe needs the STRIPE_WEBHOOK_SECRET environment variable (the webhook endpoint's signing secret)"],
    [["--provider", "stripe"], { ...ENV, STRIPE_API_BASE: "ftp://x" }, 'STRIPE_API_BASE expects an http(s) URL, got "ftp://x"']
  ])("%j is a usage error", (args, env, message) => {
    expect(chooseProvider(args, env)).toBe(message)
  })
})

let fake: FakeStripe | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe("serve --provider stripe against the local Stripe-compatible server", () => {
  it("a checkout completed on Stripe takes effect through the signed webhook, once; a card on file pays at once", async () => {
    const server = await startFakeStripe()
    fake = server
    Object.assign(process.env, ENV, { STRIPE_API_BASE: server.base })
    const child = spawnCli(["serve", "--provider", "stripe", "--catalog", "test/fixtures/autumn/checkout-pro-v1.json", "--port", "0"])
    for (const name of [...Object.keys(ENV), "STRIPE_API_BASE"]) delete process.env[name]
    const stderr: Array<string> = []
    child.stderr.on("data", (c: Buffer) => stderr.push(c.toString()))
    try {
      const [chunk] = (await once(child.stdout, "data")) as [Buffer]
      const url = chunk.toString().trim()
      const post = (path: string, body: unknown) =>
        fetch(`${url}${path}`, { method: "POST", headers: { authorization: `Bearer ${ENV.ATTACH_PLANNER_KEY}` }, body: JSON.stringify(body) })
      const charges = () => server.state.charges.map((c) => c.amount)

      const attached = (await (await post("/v1/billing.attach", { customer_id: "c1", plan_id: "pro" })).json()) as { readonly payment_url: string }
      expect(attached.payment_url).toMatch(new RegExp(`^${server.base}/c/cs_test_`))
      const [session] = [...server.state.sessions.values()]
      expect(session?.customer).toMatch(/^cus_/)
      expect(server.state.customers.get(session?.customer ?? "")?.metadata["ap_customer_id"]).toBe("c1")
      server.completeCheckout(session?.id ?? "", "pm_card_visa")
      const event = [...server.state.events].reverse().find((e) => e.type === "checkout.session.completed")
      const payload = JSON.stringify(event)
      const sign = (secret: string) => server.client().webhooks.generateTestHeaderString({ payload, secret })
      const hook = (signature: string) => fetch(`${url}/webhooks/stripe`, { method: "POST", headers: { "stripe-signature": signature }, body: payload })

      const forged = await hook(sign("whsec_someone_else"))
      expect(forged.status).toBe(400)
      expect(charges()).toEqual([])
      const delivered = await hook(sign(ENV.STRIPE_WEBHOOK_SECRET))
      expect(await delivered.json()).toEqual({ received: true, applied: true })
      expect(charges()).toEqual([2000])
      expect(await (await hook(sign(ENV.STRIPE_WEBHOOK_SECRET))).json()).toEqual({ received: true, duplicate: true })
      const [sub] = [...server.state.subscriptions.values()]
      expect([sub?.status, sub?.customer]).toEqual(["active", session?.customer])

      const paid = await post("/v1/billing.attach", { customer_id: "c2", plan_id: "pro", customer_data: { metadata: { test_payment_method: "pm_card_visa" } } })
      expect(await paid.json()).toMatchObject({ customer_id: "c2", invoice: { status: "paid", total: 2000, currency: "usd" }, payment_url: null })
      expect(charges()).toEqual([2000, 2000])
      expect(stderr.join("")).toContain("(Stripe provider, in-memory customers)")
    } finally {
      child.kill("SIGTERM")
    }
    const [code] = (await once(child, "exit")) as [number | null]
    expect(code).toBe(0)
  })
})

/** The serve --provider stripe handler over a fresh local Stripe server, with --test-card pm_card_visa. */
const servedWithTestCard = async (): Promise<{ readonly server: FakeStripe; readonly handler: (request: Request) => Promise<Response> }> => {
  const server = await startFakeStripe()
  fake = server
  const catalog = catalogFromJson(JSON.parse(readFileSync("test/fixtures/autumn/checkout-pro-v1.json", "utf8")))
  if (Result.isFailure(catalog)) throw new Error(catalog.failure.message)
  const config = { secretKey: ENV.STRIPE_SECRET_KEY, webhookSecret: ENV.STRIPE_WEBHOOK_SECRET, apiBase: new URL(server.base) }
  const served = await stripeServeHandler(catalog.success, ENV.ATTACH_PLANNER_KEY, config, "pm_card_visa")
  if (Result.isFailure(served)) throw new Error(served.failure.message)
  return { server, handler: served.success.handler }
}

describe("the serve --provider stripe handler in process", () => {
  it("--test-card gives every new customer that Stripe test card: a paid attach charges it at once; the webhook needs no bearer key", async () => {
    const { server, handler } = await servedWithTestCard()
    const attach = await handler(new Request("http://127.0.0.1/v1/billing.attach", {
      method: "POST", headers: { authorization: `Bearer ${ENV.ATTACH_PLANNER_KEY}` }, body: JSON.stringify({ customer_id: "c9", plan_id: "pro" })
    }))
    expect(await attach.json()).toMatchObject({ customer_id: "c9", invoice: { status: "paid", total: 2000 }, payment_url: null })
    expect(server.state.charges.map((c) => c.amount)).toEqual([2000])
    const unsigned = await handler(new Request("http://127.0.0.1/webhooks/stripe", { method: "POST", body: "{}" }))
    expect(unsigned.status).toBe(400)
    expect(((await unsigned.json()) as { readonly error: string }).error).toMatch(/^Webhook signature verification failed/)
  })

  it("a declined renewal reported by Stripe's signed invoice.payment_failed makes the customer's plan past_due in the served state", async () => {
    const { server, handler } = await servedWithTestCard()
    const call = (path: string, body: unknown): Promise<Response> =>
      handler(new Request(`http://127.0.0.1${path}`, { method: "POST", headers: { authorization: `Bearer ${ENV.ATTACH_PLANNER_KEY}` }, body: JSON.stringify(body) }))
    expect((await (await call("/v1/billing.attach", { customer_id: "c10", plan_id: "pro" })).json())).toMatchObject({ invoice: { status: "paid", total: 2000 } })
    const stripe = server.client()
    const [stripeCustomer] = [...server.state.customers.values()]
    const declining = await stripe.paymentMethods.attach("pm_card_chargeDeclined", { customer: stripeCustomer?.id ?? "" })
    await stripe.customers.update(stripeCustomer?.id ?? "", { invoice_settings: { default_payment_method: declining.id } })
    advanceClock(server.state, server.state.now + 32 * 86_400, server.base)
    const event = [...server.state.events].reverse().find((e) => e.type === "invoice.payment_failed")
    expect(event).toBeDefined()
    const payload = JSON.stringify(event)
    const delivered = await handler(new Request("http://127.0.0.1/webhooks/stripe", {
      method: "POST", headers: { "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret: ENV.STRIPE_WEBHOOK_SECRET }) }, body: payload
    }))
    expect(delivered.status).toBe(200)
    const customer = (await (await call("/v1/customers.get_or_create", { customer_id: "c10" })).json()) as { readonly subscriptions?: ReadonlyArray<{ readonly plan_id: string; readonly past_due: boolean }> }
    // Autumn shows a past-due plan as held (status active) with past_due set.
    expect(customer.subscriptions?.map((s) => [s.plan_id, s.past_due])).toEqual([["pro", true]])
  })
})
