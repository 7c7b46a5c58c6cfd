/**
 * The ledger of what was billed (docs/proration.md §13): every in-advance charge the engine bills
 * is recorded on its subscription (`billed`), and a credit for unused time draws on it — the
 * unused share of what was paid, never more than what remains uncredited.
 */
import type { BilledEntry, LedgerCredit } from "../../Customer.ts"
import { splitByLargestRemainder } from "../../Discounts.ts"
import { periodAt } from "../../Interval.ts"
import { billingKind, planPrices, recurringInterval } from "../../Pricing.ts"
import * as Rational from "../../Rational.ts"
import { type DraftLine, lineTotal } from "../draftLine.ts"
import { type EpochMs, earlier } from "../../internal/instants.ts"
import { creditedSpan, ledgerEntry } from "../../internal/subscriptionDocument.ts"
import type { BilledSpan } from "../../internal/subscriptionFacts.ts"
import { type Entry, type WithFacts, edited } from "../../internal/working.ts"

/** The part of the span `[from, to)` left after `t`, as the proration policy counts it. */
export type Remaining = (from: EpochMs, to: EpochMs, t: number) => Rational.Rational

/** One ledger entry a credit draws on: its index in `billed`, its unused paid value and what is open. */
export interface LedgerDraw {
  readonly index: number
  readonly entry: BilledEntry
  /** The unused share of what was paid, at the credit's instant (exact minor units). */
  readonly unused: Rational.Rational
  /** What remains uncredited (minor units). */
  readonly open: bigint
}

/** What a credit of one price of one subscription may draw on. */
export interface LedgerBasis {
  readonly subscriptionId: string
  readonly draws: ReadonlyArray<LedgerDraw>
  /** Σ unused shares (exact minor units). */
  readonly unused: Rational.Rational
  /** Σ open amounts (minor units). */
  readonly open: bigint
}

/**
 * What has been credited of an entry so far.
 *
 * @example creditedOf({ featureId: null, from, to, amount: 2000, credits: [{ at, amount: 500 }] }) // 500n
 */
export const creditedOf = (entry: BilledEntry): bigint => {
  let sum = 0n
  for (const c of entry.credits ?? []) sum += BigInt(c.amount)
  return sum
}

/** What remains uncredited of an entry: its amount less its credits, never below zero. */
export const openOf = (entry: BilledEntry): bigint => {
  const open = BigInt(entry.amount) - creditedOf(entry)
  return open > 0n ? open : 0n
}

/**
 * The unused share at `t` of what an entry paid: the amount spread over `[from, to)`, less, for
 * each earlier credit, its own share of what is left after `t` (a credit at `c.at` refunded the
 * span `[c.at, to)`), never below zero.
 */
export const unusedOf = ({ entry, from, to, creditsAt }: BilledSpan, t: EpochMs, remaining: Remaining): Rational.Rational => {
  if (to <= from || t >= to) return Rational.zero
  let value = Rational.mul(Rational.fromInt(entry.amount), remaining(from, to, t))
  const credits = entry.credits ?? []
  for (let i = 0; i < credits.length; i++) {
    const at = creditsAt[i] as EpochMs
    value = Rational.sub(value, at >= to ? Rational.zero : Rational.mul(Rational.fromInt((credits[i] as LedgerCredit).amount), remaining(earlier(at, t), to, t)))
  }
  return value.n < 0n ? Rational.zero : value
}

/**
 * The entries of one price (`featureId` null for the base price) of a subscription covering
 * `t`, or undefined when the state records none (then the credit falls back to what the state
 * shows: the list price net of its discounts).
 */
export const ledgerBasis = ({ facts }: WithFacts, featureId: string | null, t: EpochMs, remaining: Remaining): LedgerBasis | undefined => {
  const billed = facts.billed
  if (billed.length === 0) return undefined
  const draws: Array<LedgerDraw> = []
  let unused = Rational.zero
  let open = 0n
  for (let index = 0; index < billed.length; index++) {
    const span = billed[index] as BilledSpan
    const entry = span.entry
    if (entry.featureId !== featureId || span.from > t || span.to <= t) continue
    const u = unusedOf(span, t, remaining)
    const o = openOf(entry)
    draws.push({ index, entry, unused: u, open: o })
    unused = Rational.add(unused, u)
    open += o
  }
  return draws.length === 0 ? undefined : { subscriptionId: facts.id, draws, unused, open }
}

/**
 * The exact credit (positive minor units) a basis allows for a list credit `list`: the smaller of
 * the list share and `ratio` of the unused paid share, and never more than what is open.
 *
 * @example allowedCredit(Rational.make(32000n, 31n), basis, Rational.one) // min(1032.25…, paid share, open)
 */
export const allowedCredit = (list: Rational.Rational, basis: LedgerBasis, ratio: Rational.Rational): Rational.Rational => {
  const paid = Rational.mul(basis.unused, ratio)
  const smaller = Rational.compare(paid, list) < 0 ? paid : list
  const open = Rational.fromBigInt(basis.open)
  return Rational.compare(smaller, open) > 0 ? open : smaller
}

/** Scales exact shares to integer weights for a largest-remainder split. */
const weightsOf = (draws: ReadonlyArray<LedgerDraw>): Array<bigint> =>
  draws.map((d) => (d.unused.n * 1_000_000_000n) / d.unused.d)

/**
 * Splits a credit of `amount` minor units across the entries it draws on, in proportion to their
 * unused shares, each capped at what is open.
 */
export const splitCredit = (basis: LedgerBasis, amount: bigint): Array<bigint> => {
  const weights = weightsOf(basis.draws)
  const shares = splitByLargestRemainder(amount, weights.some((w) => w > 0n) ? weights : basis.draws.map((d) => d.open))
  let spill = 0n
  const out = shares.map((s, i) => {
    const open = (basis.draws[i] as LedgerDraw).open
    if (s <= open) return s
    spill += s - open
    return open
  })
  for (let i = 0; i < out.length && spill > 0n; i++) {
    const room = (basis.draws[i] as LedgerDraw).open - (out[i] as bigint)
    const take = room < spill ? room : spill
    out[i] = (out[i] as bigint) + take
    spill -= take
  }
  return out
}

/** The ledger with `credits[i]` drawn at `at` from entry `draws[i].index`. */
const withCredits = (billed: ReadonlyArray<BilledSpan>, draws: ReadonlyArray<LedgerDraw>, credits: ReadonlyArray<bigint>, at: number): Array<BilledSpan> => {
  const out = billed.slice()
  draws.forEach((d, i) => {
    const amount = credits[i] ?? 0n
    if (amount > 0n) out[d.index] = creditedSpan(out[d.index] as BilledSpan, at, amount)
  })
  return out
}

/** The ledger without the entries whose span ended by `at` (nothing can be credited of them). */
export const openLedger = (billed: ReadonlyArray<BilledSpan>, at: number): Array<BilledSpan> => billed.filter((span) => span.to > at)

const addTo = (added: Map<string, Array<BilledSpan>>, id: string, entry: BilledSpan): void => {
  const list = added.get(id)
  if (list === undefined) added.set(id, [entry])
  else list.push(entry)
}

/**
 * Writes today's invoice into the ledgers of the subscriptions after the attach: each charge
 * becomes an entry of its subscription (net of discounts), each credit drawn on the ledger is
 * recorded on the entries it drew on, and a subscription this attach started gets an entry of 0
 * for every in-advance price it did not bill today (left unbilled: `prorationBehavior: "none"`,
 * joining a trial). The entries returned share those whose ledger is unchanged.
 *
 * @example recordLedger(entries, lines, ["sub_pro_20250116T000000Z"], at)[1]?.sub.billed // [{ featureId: null, from: …, to: …, amount: 5000 }]
 */
export const recordLedger = (
  entries: ReadonlyArray<Entry>, lines: ReadonlyArray<DraftLine>, started: ReadonlyArray<string>, at: number
): ReadonlyArray<Entry> => {
  const added = new Map<string, Array<BilledSpan>>()
  // Ledgers a credit drew on, by index of their entry (the others are read from `entries`).
  const drawn = new Map<number, ReadonlyArray<BilledSpan>>()
  for (const line of lines) {
    const basis = line.basis
    if (line.kind === "charge" && basis?.subscriptionId !== undefined && line.period !== null) {
      addTo(added, basis.subscriptionId, ledgerEntry(line.featureId, line.period.start, line.period.end, lineTotal(line)))
    }
    if (line.kind === "credit" && basis?.ledger !== undefined) {
      const ledger = basis.ledger
      const i = entries.findIndex((e) => e.facts.id === ledger.subscriptionId)
      const billed = drawn.get(i) ?? entries[i]?.facts.billed
      if (billed !== undefined) drawn.set(i, withCredits(billed, ledger.draws, splitCredit(ledger, -lineTotal(line)), at))
    }
  }
  for (const id of started) addUnbilled(entries, id, added, at)
  let out: Array<Entry> | undefined
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as Entry
    const credited = drawn.get(i)
    const spans = added.get(entry.facts.id)
    if (credited === undefined && spans === undefined) continue
    const before = credited ?? entry.facts.billed
    out ??= entries.slice()
    out[i] = edited(entry, { billed: spans === undefined ? before : [...before, ...spans] }, true)
  }
  return out ?? entries
}

/** A ledger entry of 0 for every in-advance price the subscription `id`, started by this attach, did not bill today. */
const addUnbilled = (entries: ReadonlyArray<Entry>, id: string, added: Map<string, Array<BilledSpan>>, at: number): void => {
  for (const { facts, plan } of entries) {
    if (facts.id !== id || plan === undefined || facts.status !== "active") continue
    const billed = added.get(facts.id) ?? []
    for (const p of planPrices(plan)) {
      const interval = recurringInterval(p.price.interval)
      const featureId = p.kind === "base" ? null : p.item.featureId
      if (interval === undefined || billingKind(p) === "arrears" || billed.some((b) => b.entry.featureId === featureId)) continue
      billed.push(ledgerEntry(featureId, at, periodAt(facts.billingAnchor, interval, at).end, 0n))
    }
    if (billed.length > 0) added.set(facts.id, billed)
  }
}
