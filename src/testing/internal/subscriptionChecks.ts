/**
 * The contract's subscription checks: create (with items and quantities, with a trial with and
 * without a card, the same key twice), update (quantities and plans; a state the subscription
 * does not hold is refused), cancel at period end and withdraw it, cancel now, and a pending
 * phase scheduled and released.
 *
 * @example SUBSCRIPTION_CHECKS.map(([name]) => name)
 */
import * as Interval from "../../Interval.ts"
import type { ProviderSubscription } from "../../Provider.ts"
import { item, requests } from "./requests.ts"
import { type Probe, type ProbeContext, eq, fails, holds, ok, plusDays, sameItems } from "./probe.ts"

const created = async (p: ProbeContext, customer: string, items = [item("pro", 3)]) => {
  const reqs = requests(p.prefix, p.now)
  const r = reqs.subscription(customer, items)
  const sub = await ok(p, "createSubscription", p.subject.port.createSubscription(r))
  return { reqs, r, sub }
}

const target = (sub: ProviderSubscription, subscriptionIds: ReadonlyArray<string>) => ({ subscriptionId: sub.id, subscriptionIds })

const create: Probe = async (p) => {
  const customer = await p.subject.newCustomer("pays")
  const { r, sub } = await created(p, customer)
  eq(p, "status", sub?.status, "active")
  sameItems(p, "items", sub?.items, r.items)
  eq(p, "cancelAt", sub?.cancelAt, null)
  eq(p, "phase", sub?.phase, null)
  const again = await ok(p, "createSubscription again with the same key", p.subject.port.createSubscription(r))
  eq(p, "the same key answers the same subscription", again?.id, sub?.id)
  eq(p, "subscriptions of the customer", await p.subject.subscriptions(customer), 1)
}

const trial: Probe = async (p) => {
  const reqs = requests(p.prefix, p.now)
  for (const card of ["pays", null] as const) {
    const customer = await p.subject.newCustomer(card)
    const r = reqs.subscription(customer, [item("basic")], plusDays(p.now, 14))
    const sub = await ok(p, `createSubscription with a trial (card ${card ?? "none"})`, p.subject.port.createSubscription(r))
    eq(p, `status with a trial (card ${card ?? "none"})`, sub?.status, "trialing")
    eq(p, `charges during the trial (card ${card ?? "none"})`, await p.subject.charges(customer), [])
  }
}

const update: Probe = async (p) => {
  const customer = await p.subject.newCustomer("pays")
  const { reqs, r, sub } = await created(p, customer)
  if (sub === undefined) return
  const up = { idempotencyKey: reqs.key("updateSubscription"), ...target(sub, r.subscriptionIds), items: [item("pro", 5)], previousItems: [item("pro", 3)], prorationBehavior: "none" as const }
  sameItems(p, "seats 3 → 5", (await ok(p, "updateSubscription", p.subject.port.updateSubscription(up)))?.items, up.items)
  sameItems(p, "the same key again", (await ok(p, "updateSubscription again", p.subject.port.updateSubscription(up)))?.items, up.items)
  const plan = { ...up, idempotencyKey: reqs.key("updateSubscription"), items: [item("basic")], previousItems: up.items }
  sameItems(p, "pro → basic", (await ok(p, "updateSubscription to another plan", p.subject.port.updateSubscription(plan)))?.items, plan.items)
  eq(p, "subscriptions of the customer", await p.subject.subscriptions(customer), 1)
}

const mismatch: Probe = async (p) => {
  const customer = await p.subject.newCustomer("pays")
  const { reqs, r, sub } = await created(p, customer)
  if (sub === undefined) return
  const up = { idempotencyKey: reqs.key("updateSubscription"), ...target(sub, r.subscriptionIds), items: [item("pro", 9)], previousItems: [item("pro", 7)], prorationBehavior: "none" as const }
  const e = await fails(p, "updateSubscription from items it does not hold", p.subject.port.updateSubscription(up), "ProviderRejected")
  eq(p, "code", e?.code, "state_mismatch")
}

const cancel: Probe = async (p) => {
  const customer = await p.subject.newCustomer("pays")
  const { reqs, r, sub } = await created(p, customer, [item("basic")])
  if (sub === undefined) return
  const end = new Date(Interval.periodAt(Date.parse(p.now), { unit: "month", count: 1 }, Date.parse(p.now)).end).toISOString()
  const at = { idempotencyKey: reqs.key("cancelSubscription"), ...target(sub, r.subscriptionIds), atPeriodEnd: true, at: end }
  const ending = await ok(p, "cancelSubscription at period end", p.subject.port.cancelSubscription(at))
  holds(p, "cancelAt is set at period end", ending?.cancelAt !== null && ending?.cancelAt !== undefined, ending?.cancelAt)
  eq(p, "status until then", ending?.status, "active")
  const back = await ok(p, "uncancelSubscription", p.subject.port.uncancelSubscription({ idempotencyKey: reqs.key("uncancelSubscription"), ...target(sub, r.subscriptionIds), at: end }))
  eq(p, "cancelAt once withdrawn", back?.cancelAt, null)
  const now = { ...at, idempotencyKey: reqs.key("cancelSubscription"), atPeriodEnd: false, at: p.now }
  eq(p, "status canceled now", (await ok(p, "cancelSubscription now", p.subject.port.cancelSubscription(now)))?.status, "canceled")
  eq(p, "subscriptions of the customer", await p.subject.subscriptions(customer), 0)
}

const schedule: Probe = async (p) => {
  const customer = await p.subject.newCustomer("pays")
  const { reqs, r, sub } = await created(p, customer)
  if (sub === undefined) return
  const at = new Date(Interval.periodAt(Date.parse(p.now), { unit: "month", count: 1 }, Date.parse(p.now)).end).toISOString()
  const change = { idempotencyKey: reqs.key("scheduleChange"), ...target(sub, r.subscriptionIds), at, items: [item("basic")] }
  const scheduled = await ok(p, "scheduleChange", p.subject.port.scheduleChange(change))
  eq(p, "phase at", scheduled?.phase === null || scheduled === undefined ? null : Date.parse(scheduled.phase.at), Date.parse(at))
  sameItems(p, "phase items", scheduled?.phase?.items, change.items)
  sameItems(p, "items until then", scheduled?.items, r.items)
  sameItems(p, "the same key again", (await ok(p, "scheduleChange again", p.subject.port.scheduleChange(change)))?.phase?.items, change.items)
  const other = { ...change, idempotencyKey: reqs.key("scheduleChange"), items: [item("pro", 2)] }
  eq(p, "a second pending change", (await fails(p, "scheduleChange while one is pending", p.subject.port.scheduleChange(other), "ProviderRejected"))?.code, "schedule_exists")
  const released = await ok(p, "releaseSchedule", p.subject.port.releaseSchedule({ ...change, idempotencyKey: reqs.key("releaseSchedule") }))
  eq(p, "phase once released", released?.phase, null)
  sameItems(p, "items once released", released?.items, r.items)
}

/** The subscription checks, by name. @example SUBSCRIPTION_CHECKS[0]?.[0] */
export const SUBSCRIPTION_CHECKS: ReadonlyArray<readonly [string, Probe]> = [
  ["createSubscription holds its items and quantities; the same key twice makes one subscription", create],
  ["createSubscription with a trial is trialing and charges nothing, with a card and without", trial],
  ["updateSubscription changes quantities and plans; the same key again changes nothing", update],
  ["updateSubscription from items the subscription does not hold is ProviderRejected (state_mismatch)", mismatch],
  ["cancelSubscription at period end sets cancelAt, uncancelSubscription withdraws it, cancel now cancels", cancel],
  ["scheduleChange sets one pending phase (the same key again keeps it, another is schedule_exists); releaseSchedule drops it", schedule]
]
