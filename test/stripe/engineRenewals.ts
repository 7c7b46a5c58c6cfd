/**
 * What the engine expects of a subscription's coming renewals, cycle by cycle: the last plan's
 * `nextCycle` for the first, then, for each later one, the engine's `nextCycle` seen from an hour
 * after the renewal before it — a preview of the plans the customer holds, which changes nothing
 * (its actions are none) — on the customer state once a scheduled change has taken effect.
 *
 * @example const expected = engineRenewals(catalog, customer, plan, lite, 3) // three NextCycles
 */
import type { Customer } from "../../src/Customer.ts"
import type { AttachPreview, NextCycle } from "../../src/Preview.ts"
import { type Obj, doc, request } from "../support/build.ts"
import { ok } from "../support/run.ts"

/** The state once the scheduled change took effect at `at`: the ended plan gone, the scheduled one active. */
export const tookEffect = (c: Customer, at: string): Customer => ({
  ...c,
  subscriptions: (c.subscriptions ?? []).flatMap((sub) => {
    if (sub.endsAt !== undefined && Date.parse(sub.endsAt) <= Date.parse(at)) return []
    if (sub.status !== "scheduled") return [sub]
    const { startsAt: _, ...rest } = sub
    return [{ ...rest, status: "active" as const }]
  })
})

/** The engine's next cycle seen from `at` for a customer holding `plans` (a preview whose actions must be none). */
export const engineNext = (catalog: Obj, customer: Customer, at: string, plans: ReadonlyArray<Obj>): NextCycle | null => {
  const look = ok(doc(catalog, customer as unknown as Obj, request(at, plans)))
  if (look.actions.length > 0) throw new Error(`the look at ${at} would change the subscription: ${look.actions.map((a) => a.type).join(", ")}`)
  return look.nextCycle
}

/** The next `count` renewals the engine expects after `last`, the customer holding `plans`; null where it expects none. */
export const engineRenewals = (catalog: Obj, customer: Customer, last: AttachPreview, plans: ReadonlyArray<Obj>, count: number): Array<NextCycle | null> => {
  const out: Array<NextCycle | null> = [last.nextCycle]
  while (out.length < count) {
    const before = out.at(-1)
    if (before === null || before === undefined) return [...out, null]
    const after = new Date(Date.parse(before.startsAt) + 3_600_000).toISOString()
    out.push(engineNext(catalog, tookEffect(customer, after), after, plans))
  }
  return out
}
