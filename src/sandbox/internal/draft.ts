/**
 * A draft of the sandbox's state, which its operations change in place: its tables and their
 * rows are writable; values inside rows are replaced, never changed.
 *
 * @example
 * const draft = structuredClone(emptyState) as State
 * draft.customers.push({ id: "cus_1", balance: 0, paymentMethod: null })
 */
import type { SandboxState } from "../state.ts"

type Row<T> = T extends ReadonlyArray<infer E> ? { -readonly [P in keyof E]: E[P] } : never

/** The draft of the whole state. @example const s: State = structuredClone(emptyState) as State */
export type State = { -readonly [K in keyof SandboxState]: SandboxState[K] extends ReadonlyArray<unknown> ? Array<Row<SandboxState[K]>> : SandboxState[K] }

/** An invoice row. @example const inv: Invoice = s.invoices[0] */
export type Invoice = State["invoices"][number]

/** A subscription row. @example const sub: Subscription = s.subscriptions[0] */
export type Subscription = State["subscriptions"][number]

/** A checkout session row. @example const cs: Session = s.checkoutSessions[0] */
export type Session = State["checkoutSessions"][number]

/** The response an idempotency record keeps. @example const r: Response = { kind: "invoice", invoice } */
export type Response = State["idempotency"][number]["response"]
