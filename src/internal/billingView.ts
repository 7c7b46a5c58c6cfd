/**
 * What the provider holds of a customer: each billing subscription projected onto its paid
 * recurring items now, a cancellation at period end or a pending phase. The provider actions are
 * the difference of two such views; the sandbox and the timeline's clock read the same view.
 *
 * @example billingView(customer, catalog).map((b) => b.items.length) // [1]
 */
import { type Catalog, type Plan, findPlan } from "../Catalog.ts"
import { type Customer, type Subscription, isCurrent } from "../Customer.ts"
import { iso } from "./instants.ts"
import { type SubscriptionFacts, subscriptionFacts } from "./subscriptionFacts.ts"
import { isRecurring } from "../Pricing.ts"
import type { Phase, ProviderItem } from "../ProviderAction.ts"

/** A plan instance with its catalog plan (undefined when the catalog has none). @example const m: Member = { sub, plan: pro } */
export interface Member {
  readonly sub: Subscription
  /** The subscription's instants, decoded once. */
  readonly facts: SubscriptionFacts
  readonly plan: Plan | undefined
}

/**
 * One billing subscription of a customer as the provider holds it: its paid recurring plans now
 * (`items`), and the change pending at the end of the period — a cancellation (`cancelAt`, when
 * nothing continues) or a new set of items (`phase`).
 *
 * @example billingView(customer, catalog)[0] // { key: "sub_1", providerId: "sub_1", items: [proItem], cancelAt: null, phase: null, … }
 */
export interface BillingSubscription {
  readonly key: string
  /** The provider's id: the members' `providerSubscriptionId`, else the first member's id. */
  readonly providerId: string
  /** Ids of every plan instance (any status) of this billing subscription. */
  readonly members: ReadonlyArray<string>
  readonly items: ReadonlyArray<ProviderItem>
  readonly billingAnchor: string
  readonly trialEndsAt: string | null
  readonly cancelAt: string | null
  readonly phase: Phase | null
}

const itemKey = (items: ReadonlyArray<ProviderItem>): string =>
  items.map((i) => `${i.planId}\u0000${i.version}\u0000${i.entityId}\u0000${i.quantities.map((q) => `${q.featureId}=${q.quantity}`).join(",")}`).sort().join("\u0001")
/** Items listed the same way (field by field) certainly have the same key; others are compared by key. @example sameItems([pro], [pro]) // true */
export const sameItems = (a: ReadonlyArray<ProviderItem>, b: ReadonlyArray<ProviderItem>): boolean =>
  sameInOrder(a, b) || itemKey(a) === itemKey(b)

const sameInOrder = (a: ReadonlyArray<ProviderItem>, b: ReadonlyArray<ProviderItem>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ProviderItem
    const y = b[i] as ProviderItem
    if (x.planId !== y.planId || x.version !== y.version || x.entityId !== y.entityId || x.quantities.length !== y.quantities.length) return false
    for (let j = 0; j < x.quantities.length; j++) {
      const p = x.quantities[j] as ProviderItem["quantities"][number]
      const q = y.quantities[j] as ProviderItem["quantities"][number]
      if (p.featureId !== q.featureId || p.quantity !== q.quantity) return false
    }
  }
  return true
}
/** Whether two pending phases are the same change at the same instant. @example samePhase(null, null) // true */
export const samePhase = (a: Phase | null, b: Phase | null): boolean =>
  a === null || b === null ? a === b : a.at === b.at && sameItems(a.items, b.items)

/**
 * The billing subscriptions of a customer, in the order their first plan instance is listed.
 * Only paid recurring plans are provider items (free plans and one-off purchases are not).
 *
 * @example billingView(customer, catalog)[0]?.items // [{ planId: "pro", version: 1, entityId: null, quantities: [] }]
 */
export const billingView = (customer: Customer, catalog: Catalog): Array<BillingSubscription> => {
  const out: Array<BillingSubscription> = []
  const subs = customer.subscriptions ?? []
  const members = subs.map((sub) => ({ sub, facts: subscriptionFacts(sub), plan: findPlan(catalog, sub.planId, sub.version) }))
  for (const [key, group] of billingGroups(members, members.length, members.map((m) => m.facts.billingKey))) out.push(billingSubscription(key, group))
  return out
}

/** The first `count` plan instances grouped by billing subscription (`keys`, in step), in order of first listing. @example billingGroups(members, 2, ["sub_1", "sub_1"]).get("sub_1")?.length // 2 */
export const billingGroups = (members: ReadonlyArray<Member>, count: number, keys: ReadonlyArray<string>): Map<string, Array<Member>> => {
  const groups = new Map<string, Array<Member>>()
  for (let i = 0; i < count; i++) {
    const key = keys[i] as string
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [members[i] as Member])
    else group.push(members[i] as Member)
  }
  return groups
}

interface Held {
  readonly sub: Subscription
  readonly facts: SubscriptionFacts
  readonly item: ProviderItem
}

const itemOf = ({ sub, facts, plan }: Member): ProviderItem | undefined => {
  if (plan === undefined || !isRecurring(plan)) return undefined
  const fq = sub.featureQuantities
  const quantities = fq === undefined ? [] : fq.length < 2 ? fq.slice() : [...fq].sort((a, b) => (a.featureId < b.featureId ? -1 : 1))
  return { planId: plan.id, version: plan.version, entityId: facts.entityId, quantities }
}

/** When a current plan instance ends because it cancels at period end. */
const cancelsAt = ({ facts }: Held): number => (facts.cancelAtPeriodEnd && facts.endsAt !== undefined ? facts.endsAt : Infinity)

/** The view of one billing subscription from its plan instances. @example billingSubscription("sub_1", members).items.length // 1 */
export const billingSubscription = (key: string, members: ReadonlyArray<Member>): BillingSubscription => {
  const current: Array<Held> = []
  const scheduled: Array<Held> = []
  let change = Infinity
  for (const member of members) {
    const item = itemOf(member)
    const { sub, facts } = member
    if (item === undefined) continue
    if (isCurrent(facts)) {
      const held = { sub, facts, item }
      current.push(held)
      change = Math.min(change, cancelsAt(held))
    } else if (facts.status === "scheduled" && facts.startsAt !== undefined) {
      scheduled.push({ sub, facts, item })
      change = Math.min(change, facts.startsAt)
    }
  }
  const items: Array<ProviderItem> = []
  for (const m of current) items.push(m.item)
  let cancelAt: string | null = null
  let phase: Phase | null = null
  if (change !== Infinity) {
    const then: Array<ProviderItem> = []
    for (const m of current) if (cancelsAt(m) > change) then.push(m.item)
    for (const m of scheduled) if ((m.facts.startsAt as number) <= change) then.push(m.item)
    if (then.length === 0) cancelAt = iso(change)
    else if (!sameItems(then, items)) phase = { at: iso(change), items: then }
  }
  const first = members[0] as Member
  const trialing = current.find((m) => m.facts.status === "trialing" && m.facts.trialEndsAt !== undefined)
  let providerId: string | undefined
  const ids: Array<string> = []
  for (const { facts } of members) {
    providerId ??= facts.providerSubscriptionId
    ids.push(facts.id)
  }
  return {
    key,
    providerId: providerId ?? first.facts.id,
    members: ids,
    items,
    billingAnchor: iso((current[0] ?? scheduled[0] ?? first).facts.billingAnchor),
    trialEndsAt: trialing?.facts.trialEndsAt === undefined ? null : iso(trialing.facts.trialEndsAt),
    cancelAt,
    phase
  }
}
