/**
 * Every check of the adapter contract, by name, in the order they run.
 *
 * @example CHECKS.length // 21
 */
import { EXECUTE_CHECKS } from "./executeChecks.ts"
import { INVOICE_CHECKS } from "./invoiceChecks.ts"
import type { Probe } from "./probe.ts"
import { SUBSCRIPTION_CHECKS } from "./subscriptionChecks.ts"

export type { Probe } from "./probe.ts"

/** The checks, `[name, probe]`. @example CHECKS.map(([name]) => name) */
export const CHECKS: ReadonlyArray<readonly [string, Probe]> = [...SUBSCRIPTION_CHECKS, ...INVOICE_CHECKS, ...EXECUTE_CHECKS]
