/**
 * The sandbox service: the port over a sandbox and the sandbox's own operations (its state, and
 * what a customer does in a browser), as the {@link Sandbox} service of an Effect layer.
 *
 * @example const sandbox = yield* Sandbox; yield* sandbox.payInvoiceHosted(invoiceId, "pm_card_visa")
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { Catalog } from "../Catalog.ts"
import type { Customer } from "../Customer.ts"
import type { CheckoutSession, PaymentPort, ProviderError, ProviderInvoice, ProviderRejected } from "../Provider.ts"
import type { SandboxState } from "./state.ts"

/** The sandbox's own operations, beside the port: its state, and what a customer does in a browser. @example yield* sandbox.payInvoiceHosted(result.invoice.id, "pm_card_visa") */
export interface SandboxOps {
  /** The payment port over this sandbox (the sandbox's own port also has its test clock, see {@link make}). */
  readonly port: PaymentPort
  /** The whole state, as JSON. */
  readonly state: Effect.Effect<SandboxState>
  /** Creates a customer the sandbox has not seen from its stored state: balance, a card (`pm_card_visa`) when `hasPaymentMethod`, and its paid subscriptions. */
  readonly seedCustomer: (customer: Customer, catalog: Catalog) => Effect.Effect<void>
  /** Makes a test payment method the customer's default. */
  readonly attachPaymentMethod: (customerId: string, token: string) => Effect.Effect<void, ProviderRejected>
  /** The customer completes a checkout session (by id or URL) with a test card, which becomes their default. */
  readonly completeCheckout: (session: string, token: string) => Effect.Effect<CheckoutSession, ProviderError>
  /** The customer pays an open invoice on its hosted page (3-D Secure passes there), with `token` or their default card. */
  readonly payInvoiceHosted: (invoiceId: string, token?: string) => Effect.Effect<ProviderInvoice, ProviderError>
  /** Finalizes a draft invoice: it becomes open (or paid when nothing is due). */
  readonly finalizeInvoice: (invoiceId: string) => Effect.Effect<ProviderInvoice, ProviderRejected>
  /** Voids a draft or open invoice (e.g. one left open by a failed payment that will not be retried); the credit it applied returns to the balance. */
  readonly voidInvoice: (invoiceId: string) => Effect.Effect<ProviderInvoice, ProviderRejected>
}

/**
 * The sandbox service (its state and the customer's side); {@link layer} provides it together
 * with the {@link PaymentProvider} port over the same state.
 *
 * @example const sandbox = yield* Sandbox; const state = yield* sandbox.state
 */
export class Sandbox extends Context.Service<Sandbox, SandboxOps>()("attach-planner/Sandbox") {}
