/**
 * The contract's checks of whole plans over the port: a new customer attaches `pro` with 3 seats
 * (20.00 + 2 × 5.00 = 30.00 for the first month), executed by the library's executor. A card
 * that pays → applied, charged the preview's `amountDue` once; a declined card → `payment_failed`,
 * 3-D Secure → `3ds_required` with the hosted invoice as `paymentUrl`, no card →
 * `payment_method_required`, each with the subscription undone.
 *
 * @example EXECUTE_CHECKS.map(([name]) => name)
 */
import * as Result from "effect/Result"
import { decodeAttachDocument } from "../../Document.ts"
import { executeAttachPromise } from "../../Execute.ts"
import { planAttach } from "../../Planner.ts"
import type { ContractCard } from "../contract.ts"
import { contractCatalog } from "../catalog.ts"
import { type Probe, eq } from "./probe.ts"

const attach = (card: ContractCard | null, code: string | null): Probe => async (p) => {
  const customerId = await p.subject.newCustomer(card)
  const document = {
    catalog: contractCatalog,
    customer: { id: customerId, hasPaymentMethod: true, subscriptions: [] },
    request: { customerId, at: p.now, plans: [{ planId: "pro", featureQuantities: [{ featureId: "seats", quantity: 3 }] }] }
  }
  const input = decodeAttachDocument(document)
  if (Result.isFailure(input)) return void p.failures.push(`the contract's attach does not decode: ${input.failure.message}`)
  const plan = planAttach(input.success)
  if (Result.isFailure(plan)) return void p.failures.push(`the contract's attach does not plan: ${plan.failure.message}`)
  eq(p, "the preview's amount due (20.00 + 2 seats × 5.00)", plan.success.amountDue, 3000)
  const result = await executeAttachPromise(plan.success, input.success.customer, p.subject.port)
  eq(p, "applied", result.applied, code === null)
  eq(p, "requiredAction", result.requiredAction?.code ?? null, code)
  eq(p, "the invoice's amount due", result.invoice?.amountDue, 3000)
  eq(p, "charges", await p.subject.charges(customerId), code === null ? [3000] : [])
  eq(p, "subscriptions", await p.subject.subscriptions(customerId), code === null ? 1 : 0)
  if (code !== null) eq(p, "paymentUrl is the hosted invoice", result.paymentUrl, result.invoice?.hostedUrl ?? null)
}

/** The checks of whole plans, by name. @example EXECUTE_CHECKS[0]?.[0] */
export const EXECUTE_CHECKS: ReadonlyArray<readonly [string, Probe]> = [
  ["an attach executed over the port with a card that pays is applied and charged its amount due once", attach("pays", null)],
  ["an attach with a declined card ends payment_failed, the subscription undone", attach("declines", "payment_failed")],
  ["an attach with a 3-D Secure card ends 3ds_required with the hosted invoice, the subscription undone", attach("3ds", "3ds_required")],
  ["an attach without a card ends payment_method_required, the subscription undone", attach(null, "payment_method_required")]
]
