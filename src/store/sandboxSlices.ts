/**
 * The sandbox's state cut into customers' parts and put back together: a sandbox operation runs
 * on a state holding only its customer's part and the records of its keys (every operation
 * touches one customer), and what changed is written back — so a process keeps no customer's
 * sandbox state between operations. Rows are put back in the order they were made: ids count up
 * from one counter, and a customer's rows made without one (seeded subscriptions) come just
 * before the first id counted after the customer appeared.
 *
 * @example
 * const state = stateOf(read)            // the customer's part as a sandbox state
 * const write = changes(read, state, after, "cus_1", Date.now())
 */
import type { SandboxState } from "../Sandbox.ts"
import { IDEMPOTENCY_TTL_MS, type SandboxRead, type SandboxRecord, type SandboxWrite } from "./Store.ts"

type S = SandboxState

/** One customer's part of the sandbox's state, as stored (JSON). @example const p: Slice = { since: 1, customer: null, subscriptions: [], invoices: [], checkoutSessions: [], charges: [], clocks: [] } */
export interface Slice {
  /** The id counter when the sandbox first stored this customer: the place of their rows without a counted id. */
  readonly since: number
  readonly customer: S["customers"][number] | null
  readonly subscriptions: S["subscriptions"]
  readonly invoices: S["invoices"]
  readonly checkoutSessions: S["checkoutSessions"]
  readonly charges: S["charges"]
  readonly clocks: S["clocks"]
}

// The store holds only JSON this module wrote from a sandbox state.
const parse = <A>(text: string): A => JSON.parse(text) as A

const emptySlice = (since: number): Slice => ({ since, customer: null, subscriptions: [], invoices: [], checkoutSessions: [], charges: [], clocks: [] })

/**
 * The state an operation runs on: the customer's part, the counter and the records read.
 *
 * @example Sandbox.make(stateOf(read))
 */
export const stateOf = (read: SandboxRead): SandboxState => {
  const slice = read.slice === undefined ? emptySlice(read.nextId) : parse<Slice>(read.slice)
  return {
    version: 1, nextId: read.nextId, customers: slice.customer === null ? [] : [slice.customer], subscriptions: slice.subscriptions,
    invoices: slice.invoices, checkoutSessions: slice.checkoutSessions, charges: slice.charges,
    idempotency: read.records.map((r) => parse<S["idempotency"][number]>(r.record)), log: [], clocks: slice.clocks
  }
}

const sliceOf = (state: SandboxState, since: number): Slice => ({
  since, customer: state.customers[0] ?? null, subscriptions: state.subscriptions, invoices: state.invoices,
  checkoutSessions: state.checkoutSessions, charges: state.charges, clocks: state.clocks
})

const objectsOf = (state: SandboxState): ReadonlyArray<string> =>
  [...state.subscriptions.map((x) => x.id), ...state.invoices.map((x) => x.id), ...state.checkoutSessions.flatMap((x) => [x.id, x.url])]

const recordOf = (row: S["idempotency"][number], expiresAt: number): SandboxRecord => ({ key: row.key, record: JSON.stringify(row), expiresAt })

/**
 * What an operation changed, to write (`undefined`: nothing): the customer's part when it
 * changed, the objects and records it made, the keys it freed, the counter.
 *
 * @example changes(read, before, after, "cus_1", Date.now())
 */
export const changes = (read: SandboxRead, before: SandboxState, after: SandboxState, customerId: string | undefined, now: number): SandboxWrite | undefined => {
  const since = read.slice === undefined ? read.nextId : parse<Slice>(read.slice).since
  const slice = JSON.stringify(sliceOf(after, since))
  const touched = customerId !== undefined && slice !== (read.slice ?? JSON.stringify(emptySlice(since)))
  const had = new Set(before.idempotency.map((r) => r.key))
  const kept = new Set(after.idempotency.map((r) => r.key))
  const put = after.idempotency.filter((r) => !had.has(r.key)).map((r) => recordOf(r, now + IDEMPOTENCY_TTL_MS))
  const remove = [...had].filter((k) => !kept.has(k))
  if (!touched && put.length === 0 && remove.length === 0 && after.nextId === read.nextId) return undefined
  const known = new Set(objectsOf(before))
  return {
    customer: touched ? { id: customerId, slice } : undefined,
    nextId: after.nextId, objects: [...new Set(objectsOf(after))].filter((o) => !known.has(o)), put, remove
  }
}

const counted = (id: string): number | undefined => {
  const m = /_sbx_(\d+)$/.exec(id)
  return m === null ? undefined : Number(m[1])
}

/** Rows of every part, in the order they were made (stable for ties). */
const inOrder = <R>(parts: ReadonlyArray<Slice>, rows: (p: Slice) => ReadonlyArray<R>, id: (r: R) => string | undefined): Array<R> =>
  parts.flatMap((p) => rows(p).map((row) => {
    const n = id(row) === undefined ? undefined : counted(id(row) ?? "")
    return { row, at: n ?? p.since - 0.5 }
  })).sort((a, b) => a.at - b.at).map((x) => x.row)

/**
 * The whole state from every customer's part, the counter, the records and this process's log.
 *
 * @example assemble(await Effect.runPromise(store.sandbox.all(Date.now())), [])
 */
export const assemble = (
  all: { readonly slices: ReadonlyArray<string>; readonly nextId: number; readonly records: ReadonlyArray<SandboxRecord> }, log: S["log"]
): SandboxState => {
  const parts = all.slices.map((s) => parse<Slice>(s))
  return {
    version: 1, nextId: all.nextId,
    customers: inOrder(parts, (p) => (p.customer === null ? [] : [p.customer]), () => undefined),
    subscriptions: inOrder(parts, (p) => p.subscriptions, (r) => r.id),
    invoices: inOrder(parts, (p) => p.invoices, (r) => r.id),
    checkoutSessions: inOrder(parts, (p) => p.checkoutSessions, (r) => r.id),
    charges: inOrder(parts, (p) => p.charges, (r) => r.id),
    idempotency: all.records.map((r) => parse<S["idempotency"][number]>(r.record)),
    log, clocks: inOrder(parts, (p) => p.clocks, () => undefined)
  }
}

/**
 * A whole state cut into customers' parts, to store (a store written before migration 3). The
 * records expire a full term from `now`.
 *
 * @example split(state, Date.now())
 */
export const split = (state: SandboxState, now: number): ReadonlyArray<SandboxWrite> => {
  const ids = new Set([...state.customers.map((c) => c.id), ...state.subscriptions.map((x) => x.customerId), ...state.invoices.map((x) => x.customerId),
    ...state.checkoutSessions.map((x) => x.customerId), ...state.charges.map((x) => x.customerId), ...state.clocks.map((x) => x.customerId)])
  const writes = [...ids].map((id): SandboxWrite => {
    const mine = <R extends { readonly customerId: string }>(rows: ReadonlyArray<R>) => rows.filter((r) => r.customerId === id)
    const part: SandboxState = {
      ...state, customers: state.customers.filter((c) => c.id === id), subscriptions: mine(state.subscriptions), invoices: mine(state.invoices),
      checkoutSessions: mine(state.checkoutSessions), charges: mine(state.charges), clocks: mine(state.clocks)
    }
    return { customer: { id, slice: JSON.stringify(sliceOf(part, 0)) }, nextId: state.nextId, objects: [...new Set(objectsOf(part))], put: [], remove: [] }
  })
  const records = state.idempotency.map((r) => recordOf(r, now + IDEMPOTENCY_TTL_MS))
  return [...writes, { customer: undefined, nextId: state.nextId, objects: [], put: records, remove: [] }]
}
