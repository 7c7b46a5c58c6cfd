/**
 * The adapter contract test kit: the checks every payment adapter must pass, runnable from any
 * test runner. An adapter author describes their provider once — a {@link ContractSetup} that
 * makes a fresh {@link ContractSubject} (the port, plus the few things only the provider's side
 * can do: make a customer with a test card, complete a checkout, void an invoice, count charges,
 * fail the next write) — and gets a list of named checks whose results are data, never throws.
 *
 * @example
 * import { contractChecks } from "attach-planner/testing"
 * import { it, expect } from "vitest"
 * for (const check of contractChecks(setup)) it(check.name, async () => expect((await check.run()).failures).toEqual([]))
 */
import type { Catalog } from "../Catalog.ts"
import type { PaymentPort } from "../Provider.ts"
import { CHECKS, type Probe } from "./internal/checks.ts"
import { decodedContractCatalog } from "./catalog.ts"

/**
 * The behaviour of a customer's test card: `pays`; `declines` (every charge); `3ds` (an
 * off-session charge needs the customer to authenticate; paying on the hosted page succeeds).
 *
 * @example const card: ContractCard = "declines"
 */
export type ContractCard = "pays" | "declines" | "3ds"

/**
 * The provider under test, fresh for one check.
 *
 * @example
 * const subject: ContractSubject = { port, newCustomer: async (card) => …, completeCheckout, voidInvoice, charges, subscriptions, failNextWrite }
 */
export interface ContractSubject {
  /** The adapter under test. */
  readonly port: PaymentPort
  /** A new customer on the provider, with a default card of this behaviour or none; answers the customer id to send in requests. */
  readonly newCustomer: (card: ContractCard | null) => Promise<string>
  /** The customer completes an open checkout session, saving a card that pays. */
  readonly completeCheckout: (sessionId: string) => Promise<void>
  /** Voids an open invoice (the host's or the provider dashboard's act; not a port operation). */
  readonly voidInvoice: (invoiceId: string) => Promise<void>
  /** The amounts charged to the customer so far, in minor units, oldest first. */
  readonly charges: (customerId: string) => Promise<ReadonlyArray<number>>
  /** How many subscriptions of the customer are not canceled. */
  readonly subscriptions: (customerId: string) => Promise<number>
  /** The provider fails its next write (a call that changes state): `before` acting, or `after` acting with the answer lost. */
  readonly failNextWrite: (when: "before" | "after") => Promise<void>
  /** The instant the provider's clock reads (ISO); requests start there. Default: now. */
  readonly now?: string
  /** Releases what the subject holds (a server, a connection). */
  readonly close?: () => Promise<void>
}

/**
 * Makes a fresh subject for one check, billing the contract's catalog ({@link contractCatalog}).
 *
 * @example const setup: ContractSetup = async (catalog) => sandboxSubject(catalog)
 */
export type ContractSetup = (catalog: Catalog) => Promise<ContractSubject>

/**
 * The outcome of one check: `passed` when `failures` is empty; each failure says what was
 * expected and what the adapter did.
 *
 * @example const r: CheckResult = { name: "payInvoice: …", passed: false, failures: ["charges: expected [2000], got [2000,2000]"] }
 */
export interface CheckResult {
  readonly name: string
  readonly passed: boolean
  readonly failures: ReadonlyArray<string>
}

/**
 * One named check: `run` makes a fresh subject, exercises the port, closes the subject, and
 * resolves with the result (it never rejects).
 *
 * @example const r = await check.run(); r.passed
 */
export interface ContractCheck {
  readonly name: string
  readonly run: () => Promise<CheckResult>
}

/** Keys unique to a run, so a provider that keeps keys (Stripe keeps them 24 h) never sees one twice. */
const runPrefix = (): string => `apc_${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`

const describe = (e: unknown): string =>
  typeof e === "object" && e !== null && "_tag" in e ? `${String(e._tag)}: ${e instanceof Error ? e.message : JSON.stringify(e)}` : e instanceof Error ? e.message : String(e)

const runOne = async (name: string, probe: Probe, setup: ContractSetup): Promise<CheckResult> => {
  const failures: Array<string> = []
  let subject: ContractSubject | undefined
  try {
    subject = await setup(decodedContractCatalog())
    const now = new Date(Math.floor(Date.parse(subject.now ?? new Date().toISOString()) / 1000) * 1000).toISOString()
    await probe({ subject, failures, prefix: runPrefix(), now })
  } catch (e) {
    failures.push(`unexpected failure: ${describe(e)}`)
  } finally {
    try {
      await subject?.close?.()
    } catch (e) {
      failures.push(`close failed: ${describe(e)}`)
    }
  }
  return { name, passed: failures.length === 0, failures }
}

/**
 * The contract's checks over a provider: every port operation (checkout sessions, subscriptions
 * created / updated / canceled / scheduled, quantities, trials with and without a card, invoices
 * created / finalized / paid / voided), idempotency keys (the same key twice acts once; a key
 * reused with other parameters is refused), the error mapping (declined, 3-D Secure, no card,
 * outages before and after the provider acted, invalid requests) and the executor's outcomes over
 * the port (`payment_failed`, `3ds_required`, `payment_method_required`).
 *
 * @example
 * import { contractChecks } from "attach-planner/testing"
 * import { describe, it, expect } from "vitest"
 * describe("my adapter", () => {
 *   for (const check of contractChecks(setup)) it(check.name, async () => expect((await check.run()).failures).toEqual([]))
 * })
 */
export const contractChecks = (setup: ContractSetup): ReadonlyArray<ContractCheck> =>
  CHECKS.map(([name, probe]) => ({ name, run: () => runOne(name, probe, setup) }))

/**
 * Runs every check, one after another, and resolves with their results.
 *
 * @example
 * import { runContract } from "attach-planner/testing"
 * const results = await runContract(setup)
 * results.filter((r) => !r.passed) // []
 */
export const runContract = async (setup: ContractSetup): Promise<ReadonlyArray<CheckResult>> => {
  const out: Array<CheckResult> = []
  for (const check of contractChecks(setup)) out.push(await check.run())
  return out
}
