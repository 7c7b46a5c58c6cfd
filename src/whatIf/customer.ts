/**
 * The what-if of one customer: its recurring revenue per month under the current catalog and
 * under the new one, and — when plans are migrated — what each migration would charge or credit
 * today (an attach of the new plan, planned under the new catalog). A customer that cannot be
 * read, or whose migration would fail, is a tagged error line.
 *
 * @example
 * whatIfCustomer(input, { customer: { id: "cus_1", subscriptions: [...] } })
 * // { customerId: "cus_1", currency: "usd", monthlyBefore: 2000, monthlyAfter: 2500, change: 500 }
 */
import * as Result from "effect/Result"
import type { Catalog } from "../Catalog.ts"
import { type Customer, isCurrent } from "../Customer.ts"
import { decodeCustomerAndRequest } from "../Document.ts"
import { type ErrorDocument, errorDocument } from "../Errors.ts"
import { iso } from "../internal/instants.ts"
import { planAttach } from "../Planner.ts"
import { monthlyRevenue } from "./monthly.ts"

/**
 * What the what-if compares: the catalogs before and after, the instant, the migrations
 * (`OLD=NEW` plan ids) and the cycles averaged.
 *
 * @example const input: WhatIfInput = { from, to, at: Date.parse("2025-01-16T00:00:00Z"), migrate: new Map([["pro", "pro_2025"]]), cycles: 1 }
 */
export interface WhatIfInput {
  readonly from: Catalog
  readonly to: Catalog
  readonly at: number
  readonly migrate: ReadonlyMap<string, string>
  readonly cycles: number
}

/** One migration's preview: the plan held, the plan attached, and what it bills today. @example { from: "pro", to: "pro_2025", entityId: null, scenario: "upgrade", total: 258, amountDue: 258 } */
export interface MigrationPreview {
  readonly from: string
  readonly to: string
  readonly entityId: string | null
  readonly scenario: string
  readonly total: number
  readonly amountDue: number
}

/** A customer's line. Money in minor units of `currency`. @example line.change > 0 // the bill rises */
export interface CustomerLine {
  readonly customerId: string
  readonly currency: string
  readonly monthlyBefore: number
  readonly monthlyAfter: number
  readonly change: number
  readonly migration?: ReadonlyArray<MigrationPreview>
}

/** A customer that could not be compared; `migration` names the migration that would fail. @example { customerId: "cus_1", error: { _tag: "CurrencyMismatch", message: "…" }, migration: { from: "pro", to: "pro_eur" } } */
export interface ErrorLine {
  readonly customerId: string | null
  readonly error: ErrorDocument["error"]
  readonly migration?: { readonly from: string; readonly to: string }
}

/** A line of the what-if's output. @example "error" in line */
export type WhatIfLine = CustomerLine | ErrorLine

const PROBE = "__what_if__"

/** Decodes `{ customer }` (as `preview --catalog` reads it, the request left out). */
const decodeCustomer = (catalog: Catalog, json: unknown, at: number): Result.Result<Customer, ErrorDocument> => {
  const doc = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {}
  const c = doc["customer"]
  const id = typeof c === "object" && c !== null && typeof (c as Record<string, unknown>)["id"] === "string" ? (c as Record<string, unknown>)["id"] : "-"
  const input = decodeCustomerAndRequest(catalog, { customer: c, request: { customerId: id, at: iso(at), plans: [{ planId: PROBE }] } })
  return Result.isSuccess(input) ? Result.succeed(input.success.customer) : Result.fail(errorDocument(input.failure))
}

/** Plans held that are migrated, one per entity, in the order held. */
const toMigrate = (customer: Customer, migrate: ReadonlyMap<string, string>): Array<{ readonly from: string; readonly to: string; readonly entityId: string | null }> => {
  const out: Array<{ from: string; to: string; entityId: string | null }> = []
  for (const s of customer.subscriptions ?? []) {
    const to = migrate.get(s.planId)
    const entityId = s.entityId ?? null
    if (to === undefined || !isCurrent(s) || out.some((m) => m.from === s.planId && m.entityId === entityId)) continue
    out.push({ from: s.planId, to, entityId })
  }
  return out
}

/** Attaches every migration in turn under the new catalog: the state after, and each one's preview. */
const migrated = (input: WhatIfInput, customer: Customer): Result.Result<{ readonly customer: Customer; readonly previews: Array<MigrationPreview> }, ErrorLine> => {
  let current = customer
  const previews: Array<MigrationPreview> = []
  for (const m of toMigrate(customer, input.migrate)) {
    const request = { customerId: customer.id, at: iso(input.at), plans: [m.entityId === null ? { planId: m.to } : { planId: m.to, entityId: m.entityId }] }
    const decoded = decodeCustomerAndRequest(input.to, { customer: current, request })
    const planned = Result.flatMap(decoded, (d) => planAttach(d))
    if (Result.isFailure(planned)) return Result.fail({ customerId: customer.id, error: errorDocument(planned.failure).error, migration: { from: m.from, to: m.to } })
    const p = planned.success
    previews.push({ from: m.from, to: m.to, entityId: m.entityId, scenario: p.scenario, total: p.total, amountDue: p.amountDue })
    current = p.customerAfter
  }
  return Result.succeed({ customer: current, previews })
}

/**
 * The what-if of one input line (`{ customer }`, parsed JSON). Never throws for bad input.
 *
 * @example whatIfCustomer(input, JSON.parse(line))
 */
export const whatIfCustomer = (input: WhatIfInput, json: unknown): WhatIfLine => {
  const decoded = decodeCustomer(input.from, json, input.at)
  if (Result.isFailure(decoded)) return { customerId: null, error: decoded.failure.error }
  const customer = decoded.success
  const before = monthlyRevenue(input.from, customer, input.at, input.cycles)
  if (Result.isFailure(before)) return { customerId: customer.id, error: errorDocument(before.failure).error }
  const moved = input.migrate.size === 0 ? Result.succeed({ customer, previews: [] }) : migrated(input, customer)
  if (Result.isFailure(moved)) return moved.failure
  const after = monthlyRevenue(input.to, moved.success.customer, input.at, input.cycles)
  if (Result.isFailure(after)) return { customerId: customer.id, error: errorDocument(after.failure).error }
  const line: CustomerLine = {
    customerId: customer.id, currency: customer.currency ?? input.from.defaultCurrency,
    monthlyBefore: Number(before.success), monthlyAfter: Number(after.success), change: Number(after.success - before.success)
  }
  return input.migrate.size === 0 ? line : { ...line, migration: moved.success.previews }
}
