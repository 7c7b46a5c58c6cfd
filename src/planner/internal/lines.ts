import type { SubscriptionFacts } from "../../internal/subscriptionFacts.ts"
import type { Priced, WithFacts } from "../../internal/working.ts"
import type { Catalog, Plan } from "../../Catalog.ts"
import type { Subscription } from "../../Customer.ts"
import type { Period } from "../../Interval.ts"
import { periodAt } from "../../Interval.ts"
import * as Money from "../../Money.ts"
import { type PlanPrice, amountIn, billingKind, planPrices, recurringInterval } from "../../Pricing.ts"
import { billableUnits, packsFor, tierPrice, tierShares } from "../../Tiers.ts"
import { type FractionLeft, type ProrationPolicy, fractionLeft, resolvePolicy, zoneOf } from "../../ProrationPolicy.ts"
import * as Rational from "../../Rational.ts"
import { describeArrears, describeBaseCharge, describeCredit, describeItemCharge } from "../../internal/describe.ts"
import type { DraftLine, LineBasis } from "../draftLine.ts"
import type { DerivationTier } from "../../Preview.ts"
import { type DraftDerivation, draftDerivation, sharedTiers, tierParts } from "./derivation.ts"
import { type LedgerBasis, type Remaining, allowedCredit, ledgerBasis } from "./ledger.ts"
import { type EpochMs, later } from "../../internal/instants.ts"

/** Pricing context of one attach. */
export interface PriceContext {
  readonly catalog: Catalog
  readonly currency: string
  /** The unit of `currency` (its exponent and factor to minor units), worked out once per attach. */
  readonly unit: Money.CurrencyUnit
  /** The request's proration policy, over every plan's and the catalog's. */
  readonly policy?: ProrationPolicy | undefined
  /** The customer's time zone, for policies that count days in it. */
  readonly timeZone?: string | undefined
}

/** The proration policy of a plan's prices: the request's, the plan's, the catalog's, else `exact`. @example policyFor(ctx, plan).name // "exact" */
export const policyFor = (ctx: PriceContext, plan: Plan): ProrationPolicy => resolvePolicy(ctx.policy, plan.prorationPolicy, ctx.catalog.prorationPolicy)

/** The part of `period` left after `t` under the policy of `plan`. @example leftOf(ctx, plan, { start: 0, end: 4 }, 1).share // 3/4 */
export const leftOf = (ctx: PriceContext, plan: Plan, period: Period, t: number): FractionLeft => {
  const policy = policyFor(ctx, plan)
  return fractionLeft(policy, zoneOf(policy, ctx.timeZone), period, t)
}

/** The share of a span left after `t`, as the policy of `plan` counts it (for the ledger). @example remainingOf(ctx, plan)(0, 4, 1) // 3/4 */
export const remainingOf = (ctx: PriceContext, plan: Plan): Remaining => {
  const policy = policyFor(ctx, plan)
  const zone = zoneOf(policy, ctx.timeZone)
  return (from, to, t) => fractionLeft(policy, zone, { start: from, end: to }, t).share
}

/** The units used of a feature: its first entry in the document (the facts hold the later of a feature listed twice). @example usedOf(sub, "messages") // 40 */
export const usedOf = (sub: Pick<Subscription, "usage">, featureId: string): number =>
  sub.usage?.find((u) => u.featureId === featureId)?.used ?? 0

/** The units a price bills for a holder: 1 for a base price, billable units for items. */
export const billedUnits = (p: PlanPrice, quantities: ReadonlyMap<string, number>, held: ReadonlyMap<string, number>): number => {
  if (p.kind === "base") return 1
  const kind = billingKind(p)
  if (kind === "prepaid") return billableUnits(quantities.get(p.item.featureId) ?? 0, p.item.included)
  if (kind === "allocated") return billableUnits(held.get(p.item.featureId) ?? 0, p.item.included)
  return 0
}

/** The full-period price of an in-advance price for its billed units, exact, in major units. */
export const fullPrice = (p: PlanPrice, units: number, ctx: PriceContext): Rational.Rational => {
  if (p.kind === "base") return amountIn(p.price, ctx.currency, ctx.catalog) ?? p.price.amount
  return tierPrice(p.price, units, ctx.currency, ctx.catalog)
}

const pricedOf = (p: PlanPrice, units: number, ctx: PriceContext): Priced => {
  if (p.kind === "base") return { price: fullPrice(p, units, ctx), tiers: undefined }
  const minor = ctx.unit.minorPerMajor
  if (p.price.amount !== undefined || p.price.tiers === undefined) return { price: fullPrice(p, units, ctx), tiers: tierParts(p.price, units, minor) }
  const breakdown = tierShares(p.price, units)
  return { price: breakdown.total, tiers: sharedTiers(p.price, breakdown, minor) ?? tierParts(p.price, units, minor) }
}

/** The units shown on an item line: whole packs times the pack size. */
export const packedUnits = (p: PlanPrice, units: number): number =>
  p.kind === "base" ? 1 : Number(packsFor(units, p.price.billingUnits)) * p.price.billingUnits

const NO_DISCOUNTS: DraftLine["discounts"] = []

/** A draft line without discounts, built in one literal (no spread). */
const draft = (
  kind: DraftLine["kind"], planId: string, featureId: string | null, description: string, quantity: number, period: Period | null, amount: Money.Minor,
  derivation: DraftDerivation
): DraftLine => ({ kind, planId, featureId, description, quantity, period, amount, discounts: NO_DISCOUNTS, creditedFrom: undefined, basis: undefined, derivation })

/**
 * The derivation of a line of one price: its full-period amount `base` (minor units, signed),
 * prorated by `left` when given, and the tiers of a tiered item price.
 *
 * @example priceDerivation(p, 1, Rational.fromInt(5000), exact, left, ctx).policy // "exact"
 */
export const priceDerivation = (
  p: PlanPrice, units: number, base: Rational.Rational, exact: Rational.Rational, left: FractionLeft | undefined, ctx: PriceContext
): DraftDerivation => derivationOf(p, base, exact, left, ctx, p.kind === "item" ? tierParts(p.price, units, ctx.unit.minorPerMajor) : undefined)

type Building = { -readonly [K in keyof DraftDerivation]: DraftDerivation[K] }

/** A derivation being built: the caller may still set a credit's ledger or the usage-to-date mark (no spread of it afterwards). */
const derivationOf = (
  p: PlanPrice, base: Rational.Rational, exact: Rational.Rational, left: FractionLeft | undefined, ctx: PriceContext, tiers: ReadonlyArray<DerivationTier> | undefined
): Building => ({
  base,
  exact,
  fraction: left,
  policy: left === undefined ? undefined : policyFor(ctx, p.plan).name,
  tiers,
  ledger: undefined,
  usageToDate: undefined
})

/** The in-advance charge of one price of an incoming plan from `at` to its period end. */
export const chargeLine = (
  p: PlanPrice, units: number, anchor: EpochMs, at: EpochMs, ctx: PriceContext, fullPeriod = false
): DraftLine | undefined => {
  const interval = recurringInterval(p.price.interval)
  return chargeLineOver(p, units, interval === undefined ? null : periodAt(anchor, interval, at), at, ctx, fullPeriod)
}

/**
 * {@link chargeLine} over the period already found for its price at `at` (null for a one-off
 * price): the next cycle finds each period once for the invoice's instant and its prices.
 *
 * @example chargeLineOver(p, 1, { start: at, end: next }, at, ctx, true)?.amount // 5000n
 */
export const chargeLineOver = (
  p: PlanPrice, units: number, period: Period | null, at: EpochMs, ctx: PriceContext, fullPeriod = false, known?: Priced
): DraftLine | undefined => {
  const priced = known ?? pricedOf(p, units, ctx)
  const left = period === null || fullPeriod ? undefined : leftOf(ctx, p.plan, period, at)
  const base = Rational.mul(priced.price, ctx.unit.minorPerMajor)
  const exact = left === undefined ? base : Rational.mul(base, left.share)
  const amount = Money.round(exact)
  if (amount === 0n) return undefined
  const shown = period === null ? null : { start: later(period.start, at), end: period.end }
  const quantity = packedUnits(p, units)
  return draft(
    "charge",
    p.plan.id,
    p.kind === "base" ? null : p.item.featureId,
    p.kind === "base" ? describeBaseCharge(p.plan, shown) : describeItemCharge(p.plan, p.item.feature, quantity, shown),
    quantity,
    shown,
    amount,
    derivationOf(p, base, exact, left, ctx, priced.tiers)
  )
}

/**
 * The charges of an incoming plan: every in-advance price, prorated from `at` on `anchor`. With
 * `priced`, what each charged price costs for a full period is recorded there (by price); with
 * `basis`, each charge for a period is marked as recorded in that subscription's ledger.
 */
export const incomingCharges = (
  plan: Plan, quantities: ReadonlyMap<string, number>, held: ReadonlyMap<string, number>,
  anchor: EpochMs, at: EpochMs, ctx: PriceContext,
  options: { readonly recurring: boolean; readonly fullPeriod?: boolean; readonly priced?: Map<PlanPrice, Priced>; readonly basis?: LineBasis }
): Array<DraftLine> => {
  const out: Array<DraftLine> = []
  const record = options.priced
  const basis = options.basis
  for (const p of planPrices(plan)) {
    if (billingKind(p) === "arrears") continue
    if (!options.recurring && p.price.interval !== "one_off") continue
    const units = billedUnits(p, quantities, held)
    const interval = recurringInterval(p.price.interval)
    const priced = pricedOf(p, units, ctx)
    const line = chargeLineOver(p, units, interval === undefined ? null : periodAt(anchor, interval, at), at, ctx, options.fullPeriod === true, priced)
    if (line === undefined) continue
    // The line is this function's own, not yet seen by anyone: its basis is set in place (a copy is slow here).
    if (basis !== undefined && line.period !== null) (line as { basis?: LineBasis }).basis = basis
    out.push(line)
    record?.set(p, priced)
  }
  return out
}

/**
 * The credit of one price of an outgoing subscription: the list price's unused share, and, where
 * the ledger records what was billed for the period, never more than the unused share of that
 * (`ratio` of it for a partial decrease), nor than what remains uncredited.
 */
export const creditAmount = (
  held: WithFacts, featureId: string | null, list: Rational.Rational, at: EpochMs, remaining: Remaining, ratio: Rational.Rational = Rational.one
): { readonly exact: Rational.Rational; readonly ledger: LedgerBasis | undefined } => {
  const ledger = ledgerBasis(held, featureId, at, remaining)
  return { exact: ledger === undefined ? list : allowedCredit(list, ledger, ratio), ledger }
}

/** A credit's derivation with the ledger entries it drew on, when it drew on any. @example creditDerivation(d, undefined, Rational.one) === d // true */
export const creditDerivation = (d: DraftDerivation, ledger: LedgerBasis | undefined, ratio: Rational.Rational): DraftDerivation =>
  ledger === undefined ? d : draftDerivation({ ...d, ledger: { basis: ledger, ratio } })

/** The instant the period starting at `start` was billed: its start, or the subscription's start when later. */
export const billedAtOf = (facts: SubscriptionFacts, start: EpochMs): EpochMs => later(start, facts.startedAt)

/** Credits for the unused time of every recurring in-advance price of an outgoing subscription. */
export const outgoingCredits = (outgoing: WithFacts, plan: Plan, at: EpochMs, ctx: PriceContext): Array<DraftLine> => {
  const { facts } = outgoing
  const anchor = facts.billingAnchor
  const quantities = facts.quantities
  const held = facts.usage
  const out: Array<DraftLine> = []
  const remaining = remainingOf(ctx, plan)
  let lastPeriod: Period | undefined
  let lastLeft: FractionLeft | undefined
  for (const p of planPrices(plan)) {
    const interval = recurringInterval(p.price.interval)
    if (interval === undefined || billingKind(p) === "arrears") continue
    const units = billedUnits(p, quantities, held)
    const period = periodAt(anchor, interval, at)
    const featureId = p.kind === "base" ? null : p.item.featureId
    const priced = pricedOf(p, units, ctx)
    const base = Rational.mul(priced.price, ctx.unit.minorPerMajor)
    // Prices of one period share the part of it left.
    const left = lastLeft !== undefined && lastPeriod !== undefined && period.start === lastPeriod.start && period.end === lastPeriod.end ? lastLeft : leftOf(ctx, plan, period, at)
    lastPeriod = period
    lastLeft = left
    const { exact, ledger } = creditAmount(outgoing, featureId, Rational.mul(base, left.share), at, remaining)
    const amount = Money.minor(-Money.round(exact))
    if (amount === 0n) continue
    const shown = { start: at, end: period.end }
    const quantity = packedUnits(p, units)
    const derivation = derivationOf(p, Rational.negate(base), Rational.negate(exact), left, ctx, priced.tiers)
    if (ledger !== undefined) derivation.ledger = { basis: ledger, ratio: Rational.one }
    out.push({
      kind: "credit",
      planId: plan.id,
      featureId,
      description: describeCredit(plan, p.kind === "base" ? undefined : p.item.feature, quantity, shown),
      quantity,
      period: shown,
      amount,
      discounts: NO_DISCOUNTS,
      creditedFrom: billedAtOf(facts, period.start),
      basis: ledger === undefined ? undefined : { ledger },
      derivation
    })
  }
  return out
}

/**
 * Consumable usage above the allowance on an outgoing subscription, billed now at its price; or,
 * with `endingAt`, the usage the state records so far for the period that ends then (the next
 * cycle's arrears, labelled as usage to date: it may still grow).
 */
export const outgoingArrears = ({ sub, facts }: WithFacts, plan: Plan, at: EpochMs, ctx: PriceContext, endingAt?: EpochMs): Array<DraftLine> => {
  const anchor = facts.billingAnchor
  const out: Array<DraftLine> = []
  for (const p of planPrices(plan)) {
    if (p.kind !== "item" || billingKind(p) !== "arrears") continue
    const interval = recurringInterval(p.price.interval)
    if (interval === undefined) continue
    const period = periodAt(anchor, interval, at)
    if (endingAt !== undefined && period.end !== endingAt) continue
    const overage = billableUnits(usedOf(sub, p.item.featureId), p.item.included)
    const priced = pricedOf(p, overage, ctx)
    const exact = Rational.mul(priced.price, ctx.unit.minorPerMajor)
    const amount = Money.round(exact)
    if (amount === 0n) continue
    const unitPrice = p.price.amount !== undefined && p.price.billingUnits === 1 ? amountIn(p.price.amount, ctx.currency, ctx.catalog) : undefined
    const description = describeArrears(p.item.feature, overage, unitPrice, ctx.currency)
    const derivation = derivationOf(p, exact, exact, undefined, ctx, priced.tiers)
    if (endingAt !== undefined) derivation.usageToDate = true
    out.push(endingAt === undefined
      ? draft("arrears", plan.id, p.item.featureId, description, overage, { start: period.start, end: at }, amount, derivation)
      : draft("arrears", plan.id, p.item.featureId, `${description} (usage to date)`, overage, { start: period.start, end: endingAt }, amount, derivation))
  }
  return out
}

