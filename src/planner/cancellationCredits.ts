/**
 * What an immediate cancellation refunds: the planner's own credits for the unused time of a
 * subscription's paid recurring prices, for the adapters that cancel outside an attach (the Autumn
 * layer's `cancel_immediately`), so that the refund is what a switch away from the plan would credit.
 *
 * @example cancellationCredits(sub, pro, at, catalog, "usd").every((l) => l.amount < 0n) // true
 */
import type { Catalog, Plan } from "../Catalog.ts"
import type { Subscription } from "../Customer.ts"
import * as Money from "../Money.ts"
import { entryOf } from "../internal/working.ts"
import type { DraftLine } from "./draftLine.ts"
import { outgoingCredits } from "./internal/lines.ts"
import { epochMs } from "../internal/instants.ts"

/**
 * The credit lines of cancelling `sub` (of `plan`) at `at`, in `currency`: one per paid recurring
 * price with time left, amounts negative, in minor units.
 *
 * @example cancellationCredits(sub, pro, Date.parse("2025-01-16T00:00:00Z"), catalog, "usd")[0]?.kind // "credit"
 */
export const cancellationCredits = (sub: Subscription, plan: Plan, at: number, catalog: Catalog, currency: string): Array<DraftLine> =>
  outgoingCredits(entryOf(sub, plan), plan, epochMs(at), { catalog, currency, unit: Money.currencyUnit(currency) })
