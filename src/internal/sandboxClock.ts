/**
 * The sandbox's side of a test clock, on a draft of its state: pending phases take effect,
 * trials end and cancellations at period end happen for one customer up to an instant; the
 * clock's committed instant; a subscription marked `past_due` after a failed renewal.
 *
 * @example advanceSubscriptions(draft, "cus_1", "2025-02-01T00:00:00.000Z")
 */
import * as Result from "effect/Result"
import { type ProviderError, ProviderRejected, type ProviderSubscription } from "../Provider.ts"

type Status = ProviderSubscription["status"]

/** The fields of a sandbox subscription the clock reads and writes. */
interface SubscriptionDraft {
  readonly id: string
  readonly customerId: string
  status: Status
  items: ProviderSubscription["items"]
  phase: ProviderSubscription["phase"]
  readonly cancelAt: string | null
  readonly trialEndsAt: string | null
  canceledAt: string | null
}

/** The tables of the sandbox's state the clock reads and writes. */
interface ClockDraft {
  readonly subscriptions: Array<SubscriptionDraft>
  readonly clocks: Array<{ readonly customerId: string; at: string }>
}

const due = (at: string | null, to: number): boolean => at !== null && Date.parse(at) <= to

const view = (sub: SubscriptionDraft): ProviderSubscription => ({ id: sub.id, status: sub.status, items: sub.items, cancelAt: sub.cancelAt, phase: sub.phase })

/**
 * Runs the provider's side of time passing for `customerId` up to `to`; changing nothing when run
 * again. Returns the customer's subscriptions.
 *
 * @example advanceSubscriptions(draft, "cus_1", "2025-02-01T00:00:00.000Z") // Result of ProviderSubscription[]
 */
export const advanceSubscriptions = (s: ClockDraft, customerId: string, to: string): Result.Result<ReadonlyArray<ProviderSubscription>, ProviderError> => {
  const t = Date.parse(to)
  if (Number.isNaN(t)) return Result.fail(new ProviderRejected({ code: "invalid_time", message: `Not an instant: ${to}` }))
  const mine = s.subscriptions.filter((sub) => sub.customerId === customerId)
  for (const sub of mine) {
    if (sub.status === "canceled") continue
    if (sub.phase !== null && due(sub.phase.at, t)) {
      sub.items = sub.phase.items
      sub.phase = null
    }
    if (sub.status === "trialing" && due(sub.trialEndsAt, t)) sub.status = "active"
    if (due(sub.cancelAt, t)) {
      sub.status = "canceled"
      sub.canceledAt = sub.cancelAt
      sub.phase = null
    }
  }
  return Result.succeed(mine.map(view))
}

/**
 * Commits the instant a customer's clock stands at.
 *
 * @example setClock(draft, "cus_1", "2025-02-01T00:00:00.000Z")
 */
export const setClock = (s: ClockDraft, customerId: string, at: string): Result.Result<void, ProviderError> => {
  if (Number.isNaN(Date.parse(at))) return Result.fail(new ProviderRejected({ code: "invalid_time", message: `Not an instant: ${at}` }))
  const row = s.clocks.find((c) => c.customerId === customerId)
  if (row === undefined) s.clocks.push({ customerId, at })
  else row.at = at
  return Result.succeed(undefined)
}

/**
 * Sets a subscription's status to `past_due` or `active`; a canceled one is left as it is.
 *
 * @example setStatus(draft, "sub_sbx_0002", "past_due")
 */
export const setStatus = (s: ClockDraft, subscriptionId: string, status: "active" | "past_due"): Result.Result<ProviderSubscription, ProviderError> => {
  const sub = s.subscriptions.find((x) => x.id === subscriptionId)
  if (sub === undefined) return Result.fail(new ProviderRejected({ code: "resource_missing", message: `No subscription ${subscriptionId}` }))
  // a canceled subscription stays canceled (a renewal declined as it ended)
  if (sub.status !== "canceled") sub.status = status
  return Result.succeed(view(sub))
}
