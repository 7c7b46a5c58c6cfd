/**
 * The last stage before the actions: the preview document written from what the stages decided.
 * Here the preview's instants are printed as ISO text (each change's `effectiveAt`, the trial's
 * end, the next cycle's start, the lines' periods through `writtenLine`), its fields and the
 * customer's after the attach are put in the document's order; the stages before hand over
 * decoded values (the subscriptions' own documents are written by `internal/subscriptionDocument.ts`).
 *
 * @example
 * const body = previewBody({ ctx, transitions, totals, trialEndsAt: undefined, nextCycle, checkout, after })
 * body.changes[0]?.effectiveAt // "2025-01-16T00:00:00.000Z"
 */
import type { Catalog } from "../Catalog.ts"
import type { Customer, Subscription } from "../Customer.ts"
import type { AttachPreview, Change, Checkout, NextCycle } from "../Preview.ts"
import { iso } from "../internal/instants.ts"
import { editedSubscription } from "../internal/subscriptionDocument.ts"
import type { Entry } from "../internal/working.ts"
import { writtenLine } from "./internal/invoice.ts"
import { openLedger } from "./internal/ledger.ts"
import type { PlannedChange, Transition } from "./internal/step.ts"
import type { PlannedCycle } from "./nextCycle.ts"
import type { PlanContext } from "./resolve.ts"
import type { StateAfter } from "./stateAfter.ts"
import type { Totals } from "./totals.ts"

/** The preview without its actions and fingerprint, which are planned from it. */
export type PreviewBody = Omit<AttachPreview, "actions" | "basedOn">

/** What the preview is written from. @example const planned: PlannedPreview = { ctx, transitions, totals, trialEndsAt, nextCycle, checkout, after } */
export interface PlannedPreview {
  readonly ctx: PlanContext
  readonly transitions: ReadonlyArray<Transition>
  readonly totals: Totals
  /** The end of the last trial the attach started. */
  readonly trialEndsAt: number | undefined
  readonly nextCycle: PlannedCycle | null
  readonly checkout: Checkout
  readonly after: StateAfter
}

/**
 * The preview's fields in the document's order, its instants printed.
 *
 * @example previewBody(planned).scenario // the first change's scenario, "active" when there is none
 */
export const previewBody = (p: PlannedPreview): PreviewBody => {
  const t = p.totals
  const catalog = p.ctx.catalog
  return {
    customerId: p.ctx.customer.id,
    currency: p.ctx.currency,
    scenario: p.transitions[0]?.change.scenario ?? "active",
    changes: p.transitions.map((x) => changeDocument(x.change)),
    lines: t.lines.map((l) => writtenLine(l, catalog)),
    subtotal: Number(t.subtotal),
    discountTotal: Number(t.discountTotal),
    total: Number(t.total),
    creditApplied: Number(t.creditApplied),
    amountDue: Number(t.amountDue),
    trialEndsAt: p.trialEndsAt === undefined ? null : iso(p.trialEndsAt),
    nextCycle: p.nextCycle === null ? null : nextCycleDocument(p.nextCycle, catalog),
    checkout: p.checkout,
    customerAfter: customerDocument(p.ctx.customer, p.after, p.ctx.at)
  }
}

/**
 * The customer's document after the attach: its own fields in their order, then the three the
 * attach may change (the balance, written when there is one before or after; the trials used, when
 * any; the subscriptions, each without the ledger entries that ended by `at`).
 *
 * @example customerDocument(customer, after, at).subscriptions?.map((s) => s.status) // ["expired", "active"]
 */
export const customerDocument = (before: Customer, after: StateAfter, at: number): Customer => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(before)) {
    if (key !== "subscriptions" && key !== "creditBalance" && key !== "trialsUsed") out[key] = before[key as keyof Customer]
  }
  if (!(after.balanceAfter === 0n && before.creditBalance === undefined)) out["creditBalance"] = Number(after.balanceAfter)
  if (after.trialsUsed.length > 0) out["trialsUsed"] = after.trialsUsed
  const subscriptions: Array<Subscription> = []
  for (const e of after.entries) subscriptions.push(withOpenLedger(e, at))
  out["subscriptions"] = subscriptions
  return out as Customer
}

/** A subscription without the ledger entries that ended by `at` (nothing can be credited of them; an emptied ledger is removed). */
const withOpenLedger = ({ sub, facts }: Entry, at: number): Subscription => {
  // The facts' ledger is the document's, span for span, and has one shape for every subscription.
  if (facts.billed.length === 0) return sub
  const open = openLedger(facts.billed, at)
  return open.length === facts.billed.length ? sub : editedSubscription(sub, { billed: open })
}

/**
 * A next invoice as the document writes it (the timeline writes its renewals with it too).
 *
 * @example nextCycleDocument(planned, catalog).startsAt // "2025-02-16T00:00:00.000Z"
 */
export const nextCycleDocument = (c: PlannedCycle, catalog: Catalog): NextCycle => ({
  startsAt: iso(c.startsAt),
  lines: c.lines.map((l) => writtenLine(l, catalog)),
  subtotal: Number(c.sums.subtotal),
  discountTotal: Number(c.sums.discountTotal),
  total: Number(c.sums.total),
  usageLines: c.usageLines
})

/** A change as the document writes it. @example changeDocument(change).effectiveAt // "2025-01-16T00:00:00.000Z" */
export const changeDocument = (c: PlannedChange): Change =>
  ({ planId: c.planId, scenario: c.scenario, timing: c.timing, replaces: c.replaces, entityId: c.entityId, effectiveAt: iso(c.effectiveAt) })

/**
 * The preview: the body's fields in order, then the actions and the fingerprint (a literal: a spread of the body is slow here).
 *
 * @example withActions(body, actions, "fp_…").basedOn // "fp_…"
 */
export const withActions = (b: PreviewBody, actions: AttachPreview["actions"], basedOn: string): AttachPreview => ({
  customerId: b.customerId,
  currency: b.currency,
  scenario: b.scenario,
  changes: b.changes,
  lines: b.lines,
  subtotal: b.subtotal,
  discountTotal: b.discountTotal,
  total: b.total,
  creditApplied: b.creditApplied,
  amountDue: b.amountDue,
  trialEndsAt: b.trialEndsAt,
  nextCycle: b.nextCycle,
  checkout: b.checkout,
  customerAfter: b.customerAfter,
  actions,
  basedOn
})
