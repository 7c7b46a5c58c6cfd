/**
 * What the planner reads of a held subscription, decoded once from its document: its instants as
 * epoch milliseconds and its billing key. An entry of the working state carries the facts of its
 * subscription beside the document, so no stage parses an instant of it again; a changed
 * subscription gets its facts with its new document (see `working.ts`).
 *
 * @example
 * subscriptionFacts({ id: "sub_1", planId: "pro", status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z" }).billingAnchor
 * // 1735689600000
 */
import type { AppliedDiscount, BilledEntry, Subscription } from "../Customer.ts"
import { type EpochMs, epochMs, ms } from "./instants.ts"

/** A subscription's instants (epoch ms) and billing key, as its document states them. */
export interface SubscriptionFacts {
  readonly billingAnchor: EpochMs
  readonly startedAt: EpochMs
  /** When a scheduled subscription starts. */
  readonly startsAt: EpochMs | undefined
  readonly trialEndsAt: EpochMs | undefined
  readonly endsAt: EpochMs | undefined
  /** Which billing subscription it belongs to: the provider's id, or `anchor:<epoch ms>`. */
  readonly billingKey: string
  /** Prepaid quantities by feature (a feature listed twice: the later entry). */
  readonly quantities: ReadonlyMap<string, number>
  /** Units used or held by feature (a feature listed twice: the later entry). */
  readonly usage: ReadonlyMap<string, number>
  /** The ledger, in its order, each entry with its span and credit instants decoded. */
  readonly billed: ReadonlyArray<BilledSpan>
  /** The discounts applied to it, in their order, each with its instant decoded. */
  readonly discounts: ReadonlyArray<DiscountApplied>
}

/** A discount applied to a customer or a subscription: its id and when it was applied, in epoch ms. */
export interface DiscountApplied {
  readonly discountId: string
  readonly appliedAt: EpochMs
}

const NO_DISCOUNTS: ReadonlyArray<DiscountApplied> = []

/**
 * The applied discounts of a customer or subscription document, each instant parsed once.
 *
 * @example discountsApplied([{ discountId: "welcome", appliedAt: "2025-01-01T00:00:00Z" }])[0]?.appliedAt // 1735689600000
 */
export const discountsApplied = (applied: ReadonlyArray<AppliedDiscount> | undefined): ReadonlyArray<DiscountApplied> =>
  applied === undefined || applied.length === 0 ? NO_DISCOUNTS : applied.map((a) => ({ discountId: a.discountId, appliedAt: ms(a.appliedAt) }))

/** A ledger entry with its span `[from, to)` and the instants of its credits in epoch ms. */
export interface BilledSpan {
  readonly entry: BilledEntry
  readonly from: EpochMs
  readonly to: EpochMs
  /** `entry.credits[i].at`, in their order. */
  readonly creditsAt: ReadonlyArray<EpochMs>
}

const NO_SPANS: ReadonlyArray<BilledSpan> = []
const NO_INSTANTS: ReadonlyArray<EpochMs> = []

/**
 * The ledger of a subscription document, decoded.
 *
 * @example billedSpans([{ featureId: null, from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z", amount: 2000 }])[0]?.to // 1738368000000
 */
export const billedSpans = (billed: ReadonlyArray<BilledEntry> | undefined): ReadonlyArray<BilledSpan> => {
  if (billed === undefined || billed.length === 0) return NO_SPANS
  return billed.map(spanOf)
}

const spanOf = (entry: BilledEntry): BilledSpan => ({
  entry,
  from: ms(entry.from),
  to: ms(entry.to),
  creditsAt: entry.credits === undefined || entry.credits.length === 0 ? NO_INSTANTS : entry.credits.map((c) => ms(c.at))
})

const NONE: ReadonlyMap<string, number> = new Map()

const byFeature = <A extends { readonly featureId: string }>(list: ReadonlyArray<A> | undefined, value: (a: A) => number): ReadonlyMap<string, number> => {
  if (list === undefined || list.length === 0) return NONE
  const out = new Map<string, number>()
  for (const a of list) out.set(a.featureId, value(a))
  return out
}

/**
 * The facts of a subscription document, each instant parsed once.
 *
 * @example subscriptionFacts(sub).billingKey // "anchor:1735689600000" without a provider id
 */
export const subscriptionFacts = (sub: Subscription): SubscriptionFacts => {
  const billingAnchor = ms(sub.billingAnchor)
  return {
    billingAnchor,
    startedAt: ms(sub.startedAt),
    startsAt: sub.startsAt === undefined ? undefined : ms(sub.startsAt),
    trialEndsAt: sub.trialEndsAt === undefined ? undefined : ms(sub.trialEndsAt),
    endsAt: sub.endsAt === undefined ? undefined : ms(sub.endsAt),
    billingKey: sub.providerSubscriptionId ?? `anchor:${billingAnchor}`,
    quantities: byFeature(sub.featureQuantities, (q) => q.quantity),
    usage: byFeature(sub.usage, (u) => u.used),
    billed: billedSpans(sub.billed),
    discounts: discountsApplied(sub.discounts)
  }
}

/**
 * What a change knows of the values it set, already decoded (it printed them from these): the
 * spans of the ledger entries it added, the end it set, the discounts the subscription has after it.
 *
 * @example const known: KnownFacts = { endsAt: epochMs(at) } // a change that ended the subscription at `at`
 */
export interface KnownFacts {
  readonly spans?: ReadonlyArray<BilledSpan>
  readonly endsAt?: EpochMs
  readonly discounts?: ReadonlyArray<DiscountApplied>
}

const NOTHING_KNOWN: KnownFacts = {}

/**
 * The facts of `after`, a changed copy of `before` whose facts are `facts`: what the change left
 * alone is kept (the same object when nothing the facts hold changed), what it knows of its new
 * values (`known`) is taken as known, and only the other instants and ledger entries that are
 * new are parsed.
 *
 * @example factsAfterChange(facts, sub, { ...sub, status: "past_due" }) === facts // true
 */
export const factsAfterChange = (
  facts: SubscriptionFacts, before: Subscription, after: Subscription, known: KnownFacts = NOTHING_KNOWN
): SubscriptionFacts => {
  const same = after.billingAnchor === before.billingAnchor && after.startedAt === before.startedAt && after.startsAt === before.startsAt &&
    after.trialEndsAt === before.trialEndsAt && after.endsAt === before.endsAt && after.providerSubscriptionId === before.providerSubscriptionId &&
    after.featureQuantities === before.featureQuantities && after.usage === before.usage && after.billed === before.billed &&
    after.discounts === before.discounts
  if (same) return facts
  const billingAnchor = after.billingAnchor === before.billingAnchor ? facts.billingAnchor : ms(after.billingAnchor)
  return {
    billingAnchor,
    startedAt: after.startedAt === before.startedAt ? facts.startedAt : ms(after.startedAt),
    startsAt: instantAfter(before.startsAt, after.startsAt, facts.startsAt),
    trialEndsAt: instantAfter(before.trialEndsAt, after.trialEndsAt, facts.trialEndsAt),
    endsAt: after.endsAt !== before.endsAt && known.endsAt !== undefined ? known.endsAt : instantAfter(before.endsAt, after.endsAt, facts.endsAt),
    billingKey: after.providerSubscriptionId === before.providerSubscriptionId && billingAnchor === facts.billingAnchor
      ? facts.billingKey
      : after.providerSubscriptionId ?? `anchor:${billingAnchor}`,
    quantities: after.featureQuantities === before.featureQuantities ? facts.quantities : byFeature(after.featureQuantities, (q) => q.quantity),
    usage: after.usage === before.usage ? facts.usage : byFeature(after.usage, (u) => u.used),
    billed: after.billed === before.billed ? facts.billed : spansAfter(facts.billed, known.spans ?? NO_SPANS, after.billed),
    discounts: after.discounts === before.discounts ? facts.discounts : known.discounts ?? discountsApplied(after.discounts)
  }
}

const instantAfter = (before: string | undefined, after: string | undefined, known: EpochMs | undefined): EpochMs | undefined =>
  after === before ? known : after === undefined ? undefined : ms(after)

/**
 * The spans of a changed ledger: those of entries it kept (the same objects, at the same place)
 * reused, those of the entries the change added (`added`, made with their spans) taken as made.
 */
const spansAfter = (spans: ReadonlyArray<BilledSpan>, added: ReadonlyArray<BilledSpan>, billed: ReadonlyArray<BilledEntry> | undefined): ReadonlyArray<BilledSpan> => {
  if (billed === undefined || billed.length === 0) return NO_SPANS
  return billed.map((entry, i) => {
    const kept = spans[i]
    if (kept !== undefined && kept.entry === entry) return kept
    return added.find((s) => s.entry === entry) ?? spanOf(entry)
  })
}

/**
 * The span of a ledger entry made from instants already known (its texts printed from them).
 *
 * @example knownSpan(entry, from, to).from === from // true
 */
export const knownSpan = (entry: BilledEntry, from: number, to: number): BilledSpan => ({ entry, from: epochMs(from), to: epochMs(to), creditsAt: NO_INSTANTS })
