/**
 * What the planner reads of a held subscription, decoded once from its document: who it is, its
 * status, its instants as epoch milliseconds, its billing key, its quantities, usage, ledger and
 * discounts. An entry of the working state carries the facts of its subscription beside the
 * document, so no stage reads the document again; an edited subscription gets its facts from the
 * edit's values (see `working.ts`), and the document is kept for the encoder to echo.
 *
 * @example
 * subscriptionFacts({ id: "sub_1", planId: "pro", status: "active", billingAnchor: "2025-01-01T00:00:00Z", startedAt: "2025-01-01T00:00:00Z" }).billingAnchor
 * // 1735689600000
 */
import type { AppliedDiscount, BilledEntry, Subscription } from "../Customer.ts"
import { type EpochMs, ms } from "./instants.ts"
import type { SubscriptionEdit } from "./subscriptionDocument.ts"

/** A subscription as its document states it, decoded: instants in epoch ms, quantities and usage as maps. */
export interface SubscriptionFacts {
  readonly id: string
  readonly planId: string
  readonly version: number | undefined
  /** The entity it is held for, null for the customer itself. */
  readonly entityId: string | null
  readonly status: Subscription["status"]
  /** Whether it cancels at the end of its period (at `endsAt`). */
  readonly cancelAtPeriodEnd: boolean
  readonly providerSubscriptionId: string | undefined
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
  /** The document's entry, as written. */
  readonly applied: AppliedDiscount
}

const NO_DISCOUNTS: ReadonlyArray<DiscountApplied> = []

/**
 * The applied discounts of a customer or subscription document, each instant parsed once.
 *
 * @example discountsApplied([{ discountId: "welcome", appliedAt: "2025-01-01T00:00:00Z" }])[0]?.appliedAt // 1735689600000
 */
export const discountsApplied = (applied: ReadonlyArray<AppliedDiscount> | undefined): ReadonlyArray<DiscountApplied> =>
  applied === undefined || applied.length === 0 ? NO_DISCOUNTS : applied.map((a) => ({ discountId: a.discountId, appliedAt: ms(a.appliedAt), applied: a }))

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
    id: sub.id,
    planId: sub.planId,
    version: sub.version,
    entityId: sub.entityId ?? null,
    status: sub.status,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd === true,
    providerSubscriptionId: sub.providerSubscriptionId,
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
 * The facts of a subscription after `edit`: what the edit sets, taken as it is (it holds the
 * decoded values the document is written from), the rest kept (the same object when the edit
 * sets nothing the facts hold).
 *
 * @example factsAfterEdit(facts, { quantities: new Map([["seats", 5]]) }).quantities.get("seats") // 5
 */
export const factsAfterEdit = (facts: SubscriptionFacts, edit: SubscriptionEdit): SubscriptionFacts => {
  if (edit.status === undefined && edit.cancelAtPeriodEnd === undefined && edit.endsAt === undefined && edit.drop === undefined &&
    edit.quantities === undefined && edit.usage === undefined && edit.billed === undefined && edit.discounts === undefined) return facts
  return {
    id: facts.id,
    planId: facts.planId,
    version: facts.version,
    entityId: facts.entityId,
    status: edit.status ?? facts.status,
    cancelAtPeriodEnd: edit.cancelAtPeriodEnd ?? (edit.drop?.includes("cancelAtPeriodEnd") === true ? false : facts.cancelAtPeriodEnd),
    providerSubscriptionId: facts.providerSubscriptionId,
    billingAnchor: facts.billingAnchor,
    startedAt: facts.startedAt,
    startsAt: facts.startsAt,
    trialEndsAt: facts.trialEndsAt,
    endsAt: edit.endsAt === "trialEnd" ? facts.trialEndsAt : edit.endsAt ?? (edit.drop?.includes("endsAt") === true ? undefined : facts.endsAt),
    billingKey: facts.billingKey,
    quantities: edit.quantities ?? facts.quantities,
    usage: edit.usage === undefined ? facts.usage : byFeature(edit.usage, (u) => u.used),
    billed: edit.billed ?? facts.billed,
    discounts: edit.discounts ?? facts.discounts
  }
}
