/**
 * The provider actions of a plan (docs/spec.md §11), derived from the customer's state before and after
 * the attach: each billing subscription is projected onto what the provider holds (its items, a
 * cancellation at period end, a pending phase), and the actions are the difference, followed by
 * the invoice of the planned lines. Pure; no I/O.
 *
 * @example
 * planActions({ request, catalog }, preview, { customerBefore }) // [{ type: "updateSubscription", … }, { type: "createInvoice", … }, …]
 */
import type { AttachRequest } from "../AttachRequest.ts"
import { type Catalog, findPlan } from "../Catalog.ts"
import type { Customer, Subscription } from "../Customer.ts"
import type { AttachPreview, Change } from "../Preview.ts"
import type { ProviderAction } from "../ProviderAction.ts"
import { iso } from "../internal/instants.ts"
import { subscriptionFacts } from "../internal/subscriptionFacts.ts"
import type { Entry } from "../internal/working.ts"
import { type BillingSubscription, type Member, billingGroups, billingSubscription, sameItems, samePhase } from "../internal/billingView.ts"

interface ActionCtx {
  readonly request: AttachRequest
  readonly catalog: Catalog
  /** The request's instant, decoded. */
  readonly at: number
  /** The prefix of the actions' idempotency keys (`requestKey` of the request). */
  readonly requestKey: string
}

interface ActionFacts {
  readonly customerBefore: Customer
  /**
   * The planner's working state after the attach, when the caller has it: each subscription of
   * `customerAfter` in order (the customer's own first, as in `customerBefore`) with its catalog
   * plan. The plans are then not looked up again, and each billing key is computed once: the
   * planner never changes the provider id or anchor of a subscription it patches. The ledger it
   * trimmed from `customerAfter` is not part of what the provider holds.
   */
  readonly entries?: ReadonlyArray<Entry>
  /** The working state before the attach (`customerBefore`'s subscriptions with their facts), with `entries`. */
  readonly entriesBefore?: ReadonlyArray<Entry>
}

const sameMembers = (a: ReadonlyArray<Member>, b: ReadonlyArray<Member>): boolean =>
  a.length === b.length && a.every((m, i) => m.sub === (b[i] as Member).sub)

/** The plan instances before and after with their plans and billing keys: the planner's when given, else looked up. */
const membersOf = (before: Customer, after: Customer, facts: ActionFacts, catalog: Catalog): { before: Map<string, Array<Member>>; after: Map<string, Array<Member>> } => {
  const subsBefore = before.subscriptions ?? []
  const entries = facts.entries
  if (entries !== undefined) {
    const keys = entries.map((e) => e.facts.billingKey)
    const known = facts.entriesBefore
    const fromBefore: Array<Member> = subsBefore.map((sub, i) => {
      const decoded = known?.[i]
      return { sub, facts: decoded !== undefined && decoded.sub === sub ? decoded.facts : subscriptionFacts(sub), plan: (entries[i] as Entry).plan }
    })
    return { before: billingGroups(fromBefore, fromBefore.length, keys), after: billingGroups(entries, entries.length, keys) }
  }
  const lookedUp = (subs: ReadonlyArray<Subscription>): Array<Member> =>
    subs.map((sub) => ({ sub, facts: subscriptionFacts(sub), plan: findPlan(catalog, sub.planId, sub.version) }))
  const subsAfter = after.subscriptions ?? []
  const grouped = (members: ReadonlyArray<Member>): Map<string, Array<Member>> => billingGroups(members, members.length, members.map((m) => m.facts.billingKey))
  return { before: grouped(lookedUp(subsBefore)), after: grouped(lookedUp(subsAfter)) }
}

/**
 * The billing subscriptions the attach changed, before and after, in order of first listing
 * (before, then new ones). A billing subscription whose plan instances are the very same objects
 * before and after projects to the same view, so it cannot produce an action and is skipped.
 */
const changedViews = (before: Customer, after: Customer, facts: ActionFacts, catalog: Catalog): Array<ViewPair> => {
  const groups = membersOf(before, after, facts, catalog)
  const out: Array<ViewPair> = []
  for (const key of groups.before.keys()) visitView(out, key, groups.before, groups.after)
  for (const key of groups.after.keys()) if (!groups.before.has(key)) visitView(out, key, groups.before, groups.after)
  return out
}

const visitView = (
  out: Array<ViewPair>, key: string, groupsBefore: ReadonlyMap<string, ReadonlyArray<Member>>, groupsAfter: ReadonlyMap<string, ReadonlyArray<Member>>
): void => {
  const b = groupsBefore.get(key)
  const a = groupsAfter.get(key)
  if (b !== undefined && a !== undefined && sameMembers(b, a)) return
  out.push({
    key,
    before: b === undefined ? undefined : billingSubscription(key, b),
    after: a === undefined ? undefined : billingSubscription(key, a)
  })
}

interface ViewPair {
  readonly key: string
  readonly before: BillingSubscription | undefined
  readonly after: BillingSubscription | undefined
}

type Draft = ProviderAction extends infer A ? (A extends ProviderAction ? Omit<A, "idempotencyKey"> : never) : never

/** The subscription actions: `early` ones run before the invoice is paid, `late` ones after. */
const subscriptionDrafts = (
  views: ReadonlyArray<ViewPair>, p: Omit<AttachPreview, "actions" | "basedOn">, ctx: ActionCtx
): { early: Array<Draft>; late: Array<Draft>; created: Array<BillingSubscription> } => {
  const early: Array<Draft> = []
  const late: Array<Draft> = []
  const created: Array<BillingSubscription> = []
  const invoiceMode = ctx.request.invoiceMode?.enabled === true
  for (const view of views) {
    const b = view.before !== undefined && view.before.items.length > 0 ? view.before : undefined
    const a = view.after !== undefined && view.after.items.length > 0 ? view.after : undefined
    if (b === undefined) {
      if (a === undefined) continue
      created.push(a)
      early.push({
        type: "createSubscription",
        customerId: p.customerId,
        currency: p.currency,
        ref: a.key,
        planIds: a.items.map((i) => i.planId),
        subscriptionIds: a.members,
        items: a.items,
        startsAt: iso(ctx.at),
        billingAnchor: a.billingAnchor,
        trialEndsAt: a.trialEndsAt,
        collection: invoiceMode ? "send_invoice" : "charge_automatically",
        netTermsDays: invoiceMode ? ctx.request.invoiceMode?.netTermsDays ?? 30 : null
      })
      continue
    }
    const subscriptionId = b.providerId
    const subscriptionIds = view.after?.members ?? b.members
    if (a === undefined) {
      late.push({ type: "cancelSubscription", subscriptionId, subscriptionIds, atPeriodEnd: false, at: iso(ctx.at) })
      continue
    }
    if (b.phase !== null && !samePhase(b.phase, a.phase)) early.push({ type: "releaseSchedule", subscriptionId, subscriptionIds, at: b.phase.at, items: b.phase.items })
    if (!sameItems(b.items, a.items)) early.push({ type: "updateSubscription", subscriptionId, subscriptionIds, items: a.items, previousItems: b.items, prorationBehavior: "none" })
    if (b.cancelAt !== null && b.cancelAt !== a.cancelAt) early.push({ type: "uncancelSubscription", subscriptionId, subscriptionIds, at: b.cancelAt })
    if (a.cancelAt !== null && b.cancelAt !== a.cancelAt) early.push({ type: "cancelSubscription", subscriptionId, subscriptionIds, atPeriodEnd: true, at: a.cancelAt })
    if (a.phase !== null && !samePhase(b.phase, a.phase)) early.push({ type: "scheduleChange", subscriptionId, subscriptionIds, at: a.phase.at, items: a.phase.items })
  }
  return { early, late, created }
}

/**
 * The provider-neutral actions that carry out a preview, in execution order (docs/spec.md §11), each
 * with a deterministic idempotency key `ap_<request hash>_<index>_<type>`.
 *
 * Order: the checkout (and the wait for it), then the subscription changes that can be undone
 * (release a schedule, create, update, uncancel, cancel at period end, schedule), the invoice of
 * the planned lines and its payment, and last the immediate cancellations, which cannot be undone.
 * With `invoiceMode` (and not `enablePlanImmediately`) the invoice is sent first and the changes
 * wait until it is paid.
 *
 * @example planActions({ request, catalog }, preview, { customerBefore }).map((a) => a.type) // ["updateSubscription", "createInvoice", "payInvoice"]
 */
export const planActions = (ctx: ActionCtx, p: Omit<AttachPreview, "actions" | "basedOn">, facts: ActionFacts): Array<ProviderAction> => {
  const { early, late, created } = subscriptionDrafts(changedViews(facts.customerBefore, p.customerAfter, facts, ctx.catalog), p, ctx)
  const invoiceMode = ctx.request.invoiceMode?.enabled === true ? ctx.request.invoiceMode : undefined
  const invoice: Array<Draft> = p.lines.length === 0 ? [] : [{
    type: "createInvoice",
    customerId: p.customerId,
    currency: p.currency,
    description: attachDescription(p.changes),
    lines: p.lines,
    subtotal: p.subtotal,
    discountTotal: p.discountTotal,
    total: p.total,
    creditApplied: p.creditApplied,
    amountDue: p.amountDue,
    collection: invoiceMode === undefined ? "charge_automatically" : "send_invoice",
    finalize: invoiceMode === undefined ? true : invoiceMode.finalize !== false,
    netTermsDays: invoiceMode === undefined ? null : invoiceMode.netTermsDays ?? 30
  }]
  if (invoice.length > 0 && invoiceMode === undefined && p.amountDue > 0) {
    invoice.push({ type: "payInvoice", invoice: "", amount: p.amountDue, creditApplied: p.creditApplied })
  }
  const gated = invoice.length > 0 && invoiceMode !== undefined && invoiceMode.enablePlanImmediately !== true
  const checkout: Array<Draft> = p.checkout !== "provider_checkout" ? [] : [{
    type: "createCheckoutSession",
    customerId: p.customerId,
    currency: p.currency,
    mode: created.length > 0 ? "subscription" : "payment",
    items: created.flatMap((s) => s.items),
    lines: p.lines,
    amountDue: p.amountDue,
    trialEndsAt: p.trialEndsAt,
    successUrl: ctx.request.successUrl ?? null,
    params: ctx.request.checkoutSessionParams ?? {}
  }, { type: "awaitCheckout", session: "" }]
  const drafts: Array<Draft> = checkout
  if (gated) {
    append(drafts, invoice)
    drafts.push({ type: "awaitInvoicePaid", invoice: "" })
    append(drafts, early)
  } else {
    append(drafts, early)
    append(drafts, invoice)
  }
  append(drafts, late)
  return keyed(ctx.requestKey, drafts)
}

const append = (to: Array<Draft>, from: ReadonlyArray<Draft>): void => {
  for (const d of from) to.push(d)
}

/** "Attach pro, seats": the plans of the changes, in order. */
const attachDescription = (changes: AttachPreview["changes"]): string => {
  let text = "Attach "
  for (let i = 0; i < changes.length; i++) text += i === 0 ? (changes[i] as Change).planId : `, ${(changes[i] as Change).planId}`
  return text
}

/** The idempotency key of the first draft of a type (what an `await…`/`pay…` action refers to). */
const keyOf = (prefix: string, drafts: ReadonlyArray<Draft>, type: string): string => {
  const i = drafts.findIndex((d) => d.type === type)
  return `ap_${prefix}_${i}_${type}`
}

const keyed = (prefix: string, drafts: ReadonlyArray<Draft>): Array<ProviderAction> => {
  const out: Array<ProviderAction> = []
  for (let i = 0; i < drafts.length; i++) {
    // Every draft is a fresh object of this module: it gets its references and key in place
    // (`idempotencyKey` last, as the documents list it).
    const d = drafts[i] as Draft & { idempotencyKey?: string; session?: string; invoice?: string }
    if (d.type === "awaitCheckout") d.session = keyOf(prefix, drafts, "createCheckoutSession")
    else if (d.type === "awaitInvoicePaid" || d.type === "payInvoice") d.invoice = keyOf(prefix, drafts, "createInvoice")
    d.idempotencyKey = `ap_${prefix}_${i}_${d.type}`
    out.push(d as ProviderAction)
  }
  return out
}
