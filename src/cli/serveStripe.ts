/**
 * `serve --provider stripe`: the Autumn-compatible handler over the Stripe adapter instead of the
 * sandbox, and Stripe's webhook at `POST /webhooks/stripe`. The secret key comes from
 * `STRIPE_SECRET_KEY`, the webhook endpoint's signing secret from `STRIPE_WEBHOOK_SECRET`;
 * `STRIPE_API_BASE` (e.g. `http://127.0.0.1:12111`) points the client at another Stripe API host,
 * such as a local Stripe-compatible test server. Prices are created on demand with their lookup
 * keys; each host customer id gets one Stripe customer (`metadata.ap_customer_id`).
 *
 * The webhook verifies Stripe's signature through the SDK (400 otherwise) and, when a checkout
 * completed or an invoice was paid, executes the customer's pending plan again (the Autumn
 * handler's `resume`, under the customer's lock, so a duplicate delivery applies nothing twice).
 *
 * @example
 * // STRIPE_SECRET_KEY=sk_test_… STRIPE_WEBHOOK_SECRET=whsec_… ATTACH_PLANNER_KEY=am_sk_test_1 \
 * //   npm run --silent cli -- serve --provider stripe --catalog examples/catalog.json --port 8787
 */
import type Stripe from "stripe"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { DecodeError } from "../Errors.ts"
import { invalidInputs } from "../autumn/ApiError.ts"
import { makeMemoryStore } from "../autumn/CustomerStore.ts"
import { type AutumnHandler, makeAutumnHandler } from "../autumn/Handler.ts"
import { defaultNewCustomer } from "../autumn/AutumnOptions.ts"
import { TEST_PAYMENT_METHOD_FIELD } from "../autumn/SandboxCustomers.ts"
import type { Catalog } from "../Catalog.ts"
import { makeMemoryPendingPlans, makeStripePort, makeStripeWebhookHandler, markRenewalFailed } from "../stripe/index.ts"

/** The webhook's path. @example STRIPE_WEBHOOK_PATH // "/webhooks/stripe" */
export const STRIPE_WEBHOOK_PATH = "/webhooks/stripe"

/** What `--provider stripe` reads from the environment. @example { secretKey: "sk_test_…", webhookSecret: "whsec_…", apiBase: null } */
export interface StripeServeConfig {
  readonly secretKey: string
  readonly webhookSecret: string
  readonly apiBase: URL | null
}

/** The provider `serve` runs with, and the other arguments. @example chooseProvider(["--provider", "stripe", "--port", "0"], env) */
export type ChosenProvider =
  | { readonly provider: "sandbox"; readonly rest: ReadonlyArray<string> }
  | { readonly provider: "stripe"; readonly rest: ReadonlyArray<string>; readonly config: StripeServeConfig }

const stripeConfig = (env: Readonly<Record<string, string | undefined>>): StripeServeConfig | string => {
  const secretKey = env["STRIPE_SECRET_KEY"] ?? ""
  const webhookSecret = env["STRIPE_WEBHOOK_SECRET"] ?? ""
  if (secretKey === "") return "--provider stripe needs the STRIPE_SECRET_KEY environment variable"
  if (webhookSecret === "") return "--provider stripe needs the STRIPE_WEBHOOK_SECRET environment variable (the webhook endpoint's signing secret)"
  const base = env["STRIPE_API_BASE"]
  if (base === undefined || base === "") return { secretKey, webhookSecret, apiBase: null }
  const url = URL.canParse(base) ? new URL(base) : null
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) return `STRIPE_API_BASE expects an http(s) URL, got ${JSON.stringify(base)}`
  return { secretKey, webhookSecret, apiBase: url }
}

/**
 * Takes `--provider sandbox|stripe` (default sandbox) out of `serve`'s arguments; a string is a
 * usage error.
 *
 * @example chooseProvider(["--catalog", "c.json"], {}) // { provider: "sandbox", rest: ["--catalog", "c.json"] }
 */
export const chooseProvider = (args: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): ChosenProvider | string => {
  const at = args.findIndex((a) => a === "--provider" || a.startsWith("--provider="))
  if (at === -1) return { provider: "sandbox", rest: args }
  const arg = args[at] ?? ""
  const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[at + 1]
  const rest = [...args.slice(0, at), ...args.slice(at + (arg.includes("=") ? 1 : 2))]
  if (value === "sandbox") return { provider: "sandbox", rest }
  if (value !== "stripe") return `--provider expects sandbox or stripe, got ${JSON.stringify(value ?? "")}`
  const config = stripeConfig(env)
  return typeof config === "string" ? config : { provider: "stripe", rest, config }
}

const clientOf = async (config: StripeServeConfig): Promise<Stripe> => {
  const { default: StripeClient } = await import("stripe")
  const base = config.apiBase
  return new StripeClient(config.secretKey, base === null ? {} : {
    host: base.hostname, protocol: base.protocol === "http:" ? "http" : "https",
    ...(base.port === "" ? {} : { port: Number(base.port) })
  })
}

/** One Stripe customer per host customer id, both ways (cached; the Stripe customer carries `metadata.ap_customer_id`). */
const customerMap = (stripe: Stripe) => {
  const toStripe = new Map<string, Promise<string>>()
  const toHost = new Map<string, string>()
  const create = async (hostId: string): Promise<string> => {
    const c = await stripe.customers.create({ metadata: { ap_customer_id: hostId } }, { idempotencyKey: `ap_customer_${hostId}` })
    toHost.set(c.id, hostId)
    return c.id
  }
  return {
    stripeId: (hostId: string): Promise<string> => {
      const known = toStripe.get(hostId) ?? create(hostId)
      toStripe.set(hostId, known)
      known.catch(() => toStripe.delete(hostId))
      return known
    },
    hostId: async (stripeId: string): Promise<string | undefined> => {
      const known = toHost.get(stripeId)
      if (known !== undefined) return known
      const c = await stripe.customers.retrieve(stripeId)
      return "deleted" in c && c.deleted === true ? undefined : c.metadata["ap_customer_id"]
    }
  }
}

const cardIn = (data: { readonly metadata?: Readonly<Record<string, unknown>> | null | undefined }): string | undefined => {
  const token = data.metadata?.[TEST_PAYMENT_METHOD_FIELD]
  return typeof token === "string" ? token : undefined
}

/** Whether a resumed attach took effect (an invoice and nothing left for the customer to do). */
const tookEffect = (body: unknown): boolean =>
  typeof body === "object" && body !== null && "invoice" in body && !("required_action" in body)

/**
 * The whole `serve --provider stripe` handler for a catalog: Stripe's webhook at
 * {@link STRIPE_WEBHOOK_PATH} (signed by Stripe, no bearer key), the Autumn routes for the rest.
 * A new customer's `customer_data.metadata.test_payment_method` (a Stripe test token such as
 * `pm_card_visa`), else `testCard` (`serve --test-card`), becomes their default card on Stripe.
 *
 * @example const served = await stripeServeHandler(catalog, "am_sk_test_1", { secretKey, webhookSecret, apiBase: null }); Result.isSuccess(served) && served.success.handler
 */
export const stripeServeHandler = async (
  catalog: Catalog, key: string, config: StripeServeConfig, testCard?: string
): Promise<Result.Result<{ readonly handler: (request: Request) => Promise<Response>; readonly autumn: AutumnHandler }, DecodeError>> => {
  const stripe = await clientOf(config)
  const customers = customerMap(stripe)
  const cardOf = (data: Parameters<typeof cardIn>[0]): string | undefined => cardIn(data) ?? testCard
  const port = makeStripePort({ stripe, catalog, createPrices: true, customerId: customers.stripeId })
  const store = makeMemoryStore()
  const made = makeAutumnHandler({
    catalog, keys: [key], customers: store, provider: port,
    newCustomer: (customerId, data) => ({ ...defaultNewCustomer(customerId, data), hasPaymentMethod: cardOf(data) !== undefined }),
    onCustomerCreated: (customer, data) => {
      const token = cardOf(data)
      if (token === undefined) return Effect.void
      return Effect.tryPromise({
        try: async () => {
          const id = await customers.stripeId(customer.id)
          const pm = await stripe.paymentMethods.attach(token, { customer: id })
          await stripe.customers.update(id, { invoice_settings: { default_payment_method: pm.id } })
        },
        catch: (e) => invalidInputs(`customer_data.metadata.${TEST_PAYMENT_METHOD_FIELD}`, e instanceof Error ? e.message : String(e))
      })
    }
  })
  if (Result.isFailure(made)) return Result.fail(made.failure)
  const autumn = made.success
  const webhook = makeStripeWebhookHandler({
    stripe, webhookSecret: config.webhookSecret, port, pending: makeMemoryPendingPlans(), onApplied: async () => {},
    onCustomerActed: async (stripeId) => {
      const hostId = await customers.hostId(stripeId)
      if (hostId === undefined) return false
      const resumed = await autumn.resume(hostId)
      if (resumed.status >= 500) throw new Error(`resuming ${hostId}: ${JSON.stringify(resumed.body)}`)
      return resumed.status === 200 && tookEffect(resumed.body)
    },
    // A declined renewal: the plans on that Stripe subscription are past_due in the state the next attach starts from.
    onRenewalFailed: async (failure) => {
      const hostId = await customers.hostId(failure.customerId)
      if (hostId === undefined) return
      await Effect.runPromise(Effect.gen(function*() {
        const customer = yield* store.get(hostId)
        if (customer !== undefined) yield* store.put(markRenewalFailed(customer, failure))
      }))
    }
  })
  const handler = (request: Request): Promise<Response> =>
    new URL(request.url).pathname === STRIPE_WEBHOOK_PATH ? webhook(request) : autumn(request)
  return Result.succeed({ handler, autumn })
}
