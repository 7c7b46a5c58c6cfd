/**
 * `previewTimeline(document, { cycles })`: the attach's immediate invoice, then `cycles` later
 * invoices of every billing subscription and every event in between, in time order. The first
 * renewal of the subscription the attach touched is the preview's `nextCycle`, line for line.
 *
 * @example
 * import { previewTimelineSync } from "attach-planner"
 * import * as Result from "effect/Result"
 * const r = previewTimelineSync(document, { cycles: 3 })
 * if (Result.isSuccess(r)) console.log(r.success.invoices.map((i) => [i.at, i.total]))
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { Customer } from "../Customer.ts"
import { type AttachInput, decodeAttachDocument } from "../Document.ts"
import { type AttachError, type ErrorDocument, errorDocument } from "../Errors.ts"
import { iso, ms } from "../internal/instants.ts"
import { planAttach } from "../Planner.ts"
import type { AttachPreview } from "../Preview.ts"
import { rollForward } from "./roll.ts"
import { type Timeline, type TimelineEvent, type TimelineInvoice, type TimelineOptionError, type TimelineOptions, checkTimelineOptions } from "./Timeline.ts"

/** Every error of a timeline. @example const e: TimelineError = new TimelineOptionError({ path: "options.cycles", message: "…" }) */
export type TimelineError = AttachError | TimelineOptionError

/** The attach's immediate invoice as the first invoice of the timeline. */
const attachInvoice = (p: AttachPreview, at: string, entityId: string | null): TimelineInvoice => ({
  at, kind: "attach", currency: p.currency, entityId, billingSubscription: null, lines: p.lines, subtotal: p.subtotal,
  discountTotal: p.discountTotal, total: p.total, creditApplied: p.creditApplied, amountDue: p.amountDue, usageLines: [], collection: "charge_automatically"
})

/**
 * An attach that replaced a plan and moved the billing anchor (ending a trial, `billingCycleAnchor: "now"`).
 * Read from the documents: the preview hands out no entries, and this runs once per timeline, not per instant.
 */
const anchorResets = (before: Customer, p: AttachPreview, at: number): Array<TimelineEvent> => {
  const out: Array<TimelineEvent> = []
  const after = p.customerAfter.subscriptions ?? []
  for (const change of p.changes) {
    if (change.timing !== "immediate" || change.replaces === null) continue
    const started = after.find((s) => s.planId === change.planId && ms(s.startedAt) === at && s.status !== "expired" && s.status !== "scheduled")
    const ended = (before.subscriptions ?? []).find((s) => s.planId === change.replaces && (s.entityId ?? null) === change.entityId)
    if (started === undefined || ended === undefined) continue
    const anchor = ms(started.billingAnchor)
    if (anchor === ms(ended.billingAnchor)) continue
    // Printed again, not copied: the event holds the millisecond form whatever text the document kept.
    out.push({ at: iso(at), type: "anchor_reset", entityId: change.entityId, subscriptionId: started.id, planId: started.planId, billingAnchor: iso(anchor) })
  }
  return out
}

/** Events in time order (those of one instant as recorded), and the last instant among them. */
const byTime = (events: ReadonlyArray<TimelineEvent>): { readonly sorted: Array<TimelineEvent>; readonly last: number } => {
  const timed = events.map((x, i) => ({ x, i, t: ms(x.at) })).sort((a, b) => a.t - b.t || a.i - b.i)
  return { sorted: timed.map((e) => e.x), last: timed[timed.length - 1]?.t ?? Number.NEGATIVE_INFINITY }
}

/**
 * The timeline of a decoded attach document.
 *
 * @example timelineOf(decoded, { cycles: 12 }) // Result<Timeline, TimelineError>
 */
export const timelineOf = (input: AttachInput, options: TimelineOptions): Result.Result<Timeline, TimelineError> => {
  const bad = checkTimelineOptions(options)
  if (bad !== undefined) return Result.fail(bad)
  const planned = planAttach(input)
  if (Result.isFailure(planned)) return Result.fail(planned.failure)
  const p = planned.success
  const at = ms(input.request.at)
  const requestEntity = input.request.entityId ?? input.request.plans[0]?.entityId ?? null
  const ownAttach = options.entityId === undefined || options.entityId === requestEntity
  const rolled = rollForward({
    catalog: input.catalog,
    currency: p.currency,
    customer: p.customerAfter,
    hasPaymentMethod: input.customer.hasPaymentMethod === true || p.checkout === "provider_checkout",
    from: at,
    cycles: options.cycles,
    until: undefined,
    entityId: options.entityId,
    trialEndWithoutCard: options.trialEndWithoutCard ?? "cancel",
    newlyAppliedAt: at,
    firstInvoiceEmpty: () => p.lines.length === 0
  })
  if (Result.isFailure(rolled)) return Result.fail(rolled.failure)
  const first: Array<TimelineInvoice> = ownAttach ? [attachInvoice(p, iso(at), requestEntity)] : []
  const firstEvents: Array<TimelineEvent> = ownAttach ? anchorResets(input.customer, p, at) : []
  if (ownAttach && p.creditApplied > 0) {
    firstEvents.push({ at: iso(at), type: "credit_applied", entityId: requestEntity, amount: p.creditApplied, balanceAfter: p.customerAfter.creditBalance ?? 0 })
  }
  // The roll bills instant after instant, each later than the one before: its invoices are in time order already.
  const renewals = rolled.success.invoices
  const lastRenewal = renewals[renewals.length - 1]
  const events = byTime([...firstEvents, ...rolled.success.events])
  const last = Math.max(at, lastRenewal === undefined ? at : ms(lastRenewal.at), events.last)
  return Result.succeed({
    customerId: p.customerId, currency: p.currency, cycles: options.cycles, entityId: options.entityId ?? null, invoices: [...first, ...renewals], events: events.sorted, until: iso(last)
  })
}

/**
 * Decodes an attach document and computes its timeline, synchronously; never throws.
 *
 * @example
 * const r = previewTimelineSync(JSON.parse(text), { cycles: 3 })
 * Result.isSuccess(r) ? r.success.invoices.length : r.failure._tag
 */
export const previewTimelineSync = (document: unknown, options: TimelineOptions): Result.Result<Timeline, TimelineError> => {
  const input = decodeAttachDocument(document)
  return Result.isFailure(input) ? Result.fail(input.failure) : timelineOf(input.success, options)
}

/**
 * The Effect form of {@link previewTimelineSync}.
 *
 * @example const timeline = yield* previewTimeline(document, { cycles: 12 })
 */
export const previewTimeline = (document: unknown, options: TimelineOptions): Effect.Effect<Timeline, TimelineError> =>
  Effect.suspend(() => Effect.fromResult(previewTimelineSync(document, options)))

/**
 * The Promise form: resolves with the timeline, rejects with the tagged error.
 *
 * @example const timeline = await previewTimelinePromise(document, { cycles: 12 })
 */
export const previewTimelinePromise = (document: unknown, options: TimelineOptions): Promise<Timeline> => {
  const r = previewTimelineSync(document, options)
  return Result.isSuccess(r) ? Promise.resolve(r.success) : Promise.reject(r.failure)
}

/**
 * JSON in, JSON out: the timeline, or the error document.
 *
 * @example JSON.stringify(timelineDocument(JSON.parse(text), { cycles: 3 }))
 */
export const timelineDocument = (document: unknown, options: TimelineOptions): Timeline | ErrorDocument => {
  const r = previewTimelineSync(document, options)
  return Result.isSuccess(r) ? r.success : errorDocument(r.failure)
}
