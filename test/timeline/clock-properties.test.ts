/**
 * The property that ties the timeline and the clock together (issue #15): for generated
 * catalogs, customers and attaches (`plannedDocumentArb`), executing the attach in the sandbox and
 * advancing its clock produces, line for line, the renewal invoices the timeline previewed — the
 * sandbox's stored invoices are compared, not the clock's report — and advancing in two steps
 * produces the same invoices as advancing once. Fixed seed; fast-check prints the shrunk
 * counterexample on a failure.
 */
import fc from "fast-check"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import type { Customer } from "../../src/Customer.ts"
import { decodeAttachDocument } from "../../src/Document.ts"
import { type ExecuteResult, executeAttachPromise } from "../../src/Execute.ts"
import { planAttach } from "../../src/Planner.ts"
import * as Sandbox from "../../src/Sandbox.ts"
import { advanceClockPromise } from "../../src/timeline/clock.ts"
import { previewTimelineSync } from "../../src/timeline/preview.ts"
import type { TimelineInvoice } from "../../src/timeline/Timeline.ts"
import { plannedDocumentArb } from "../support/arbitraries.ts"

const RUNS = { seed: 1516, numRuns: 200, interruptAfterTimeLimit: 40_000 } as const

/** What an invoice bills, as the provider stores it. */
/** What an invoice bills; a line's derivation stays in the preview (the provider keeps the line without it). */
const billed = (i: { readonly currency: string; readonly lines: ReadonlyArray<object>; readonly total: number; readonly creditApplied: number; readonly amountDue: number }) =>
  JSON.parse(JSON.stringify({
    currency: i.currency, lines: i.lines.map((l) => ({ ...l, derivation: undefined })), total: i.total, creditApplied: i.creditApplied, amountDue: i.amountDue
  })) as unknown

/** Executes the attach, completing a checkout or paying an invoice with a good card when it stops there. */
const execute = async (sandbox: ReturnType<typeof Sandbox.make>, d: Record<string, unknown>): Promise<(ExecuteResult & { readonly invoiced: boolean }) | undefined> => {
  const input = decodeAttachDocument(d)
  if (Result.isFailure(input)) return undefined
  const plan = planAttach(input.success)
  if (Result.isFailure(plan)) return undefined
  const customer: Customer = input.success.customer
  await Effect.runPromise(sandbox.seedCustomer(customer, input.success.catalog))
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await executeAttachPromise(plan.success, customer, sandbox.port)
    if (r.applied) return { ...r, invoiced: plan.success.lines.length > 0 }
    if (r.invoice !== undefined) {
      if (r.invoice.status === "draft") await Effect.runPromise(sandbox.finalizeInvoice(r.invoice.id))
      await Effect.runPromise(Effect.result(sandbox.payInvoiceHosted(r.invoice.id, "pm_card_visa")))
    } else if (r.paymentUrl !== null) await Effect.runPromise(Effect.result(sandbox.completeCheckout(r.paymentUrl, "pm_card_visa")))
  }
  return undefined
}

/** The instant up to which the timeline is complete: before any billing subscription ran out of cycles. */
const horizon = (renewals: ReadonlyArray<TimelineInvoice>, cycles: number, until: string): number => {
  const perKey = new Map<string, Array<number>>()
  for (const r of renewals) perKey.set(r.billingSubscription ?? "", [...(perKey.get(r.billingSubscription ?? "") ?? []), Date.parse(r.at)])
  let h = Date.parse(until)
  for (const ats of perKey.values()) if (ats.length >= cycles) h = Math.min(h, ats[ats.length - 1] ?? h)
  return h
}

describe("clock property (issue #15)", () => {
  it("advancing the clock bills, line for line, the renewals the timeline previewed (in one step or two)", async () => {
    const seen = { executed: 0, renewals: 0, split: 0, canceledTrials: 0 }
    await fc.assert(fc.asyncProperty(plannedDocumentArb, fc.integer({ min: 1, max: 3 }), async (d, cycles) => {
      const t = previewTimelineSync(d, { cycles })
      if (Result.isFailure(t)) return
      const sandbox = Sandbox.make()
      const done = await execute(sandbox, d as Record<string, unknown>)
      if (done === undefined) return
      seen.executed++
      const at = (d["request"] as { at: string }).at
      const renewals = t.success.invoices.filter((i) => i.kind === "renewal")
      const h = horizon(renewals, cycles, t.success.until)
      const expected = renewals.filter((i) => Date.parse(i.at) <= h)
      const input = decodeAttachDocument(d)
      if (Result.isFailure(input)) return
      const state = { catalog: input.success.catalog, customer: done.customer, at, attachInvoiced: done.invoiced }
      const before = (await Effect.runPromise(sandbox.state)).invoices.length
      const r = await advanceClockPromise(state, new Date(h).toISOString(), sandbox.port)
      const stored = (await Effect.runPromise(sandbox.state)).invoices.slice(before)
      expect(stored.map(billed)).toEqual(expected.map(billed))
      expect(r.invoices.map((i) => i.at)).toEqual(expected.map((i) => i.at))
      seen.renewals += expected.length
      if (r.events.some((e) => e.type === "trial_ended" && e.outcome === "canceled")) seen.canceledTrials++
      // two steps: to the first renewal, then on to the horizon
      const first = expected[0]
      if (first !== undefined && Date.parse(first.at) < h) {
        const again = Sandbox.make()
        const done2 = await execute(again, d as Record<string, unknown>)
        if (done2 === undefined) return
        const mid = await advanceClockPromise({ ...state, customer: done2.customer }, first.at, again.port)
        const end = await advanceClockPromise({ catalog: state.catalog, customer: mid.customer, at: mid.at }, new Date(h).toISOString(), again.port)
        expect([...mid.invoices, ...end.invoices].map(billed)).toEqual(expected.map(billed))
        seen.split++
      }
    }), RUNS)
    console.log("clock property reached", JSON.stringify(seen))
    expect(seen.executed).toBeGreaterThan(60)
    expect(seen.renewals).toBeGreaterThan(60)
    expect(seen.split).toBeGreaterThan(10)
  }, 120_000)
})
