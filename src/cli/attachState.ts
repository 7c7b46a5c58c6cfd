/**
 * Where `attach --state PATH` keeps the sandbox provider and the customers between runs: a
 * store directory (PGlite, the default form) or a PostgreSQL URL, or a JSON state file (a PATH
 * ending in `.json`). Either way a run holds the state from reading to writing, so processes on
 * one PATH run one after another and none loses another's update: a store by its own lock, a
 * JSON file by `PATH.lock`; the file is written to a temporary file of this run's own, flushed
 * to disk (fsync) and renamed over PATH, so it is always either the old or the new state.
 *
 * @example
 * const state = await openAttachState("./.attach-planner")
 * if (!("error" in state)) { const stored = await state.find("cus_1"); …; await state.commit(customer); await state.close() }
 */
import { randomBytes } from "node:crypto"
import { open, readFile, rename, rm } from "node:fs/promises"
import { dirname } from "node:path"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { type Customer, CustomerSchema } from "../Customer.ts"
import { type ErrorDocument, errorDocument } from "../Errors.ts"
import type { PaymentPort, TestClockPort } from "../Provider.ts"
import * as Sandbox from "../Sandbox.ts"
import { durableSandbox } from "../store/durableSandbox.ts"
import { lockFile, openStore } from "../store/open.ts"
import { documentError, readJsonFile } from "./documents.ts"

/** How long a run waits for another run on the same PATH. */
const WAIT_MS = 60_000

/**
 * An opened state: the stored customer of an id, the sandbox, `commit` (stores the customer's
 * new state, with the sandbox's) and `close` (releases the state; always call it).
 *
 * @example const stored = await state.find("cus_1")
 */
export interface AttachState {
  readonly find: (customerId: string) => Promise<Customer | undefined>
  /** The ids of up to `limit` stored customers. */
  readonly customerIds: (limit: number) => Promise<ReadonlyArray<string>>
  readonly sandbox: Sandbox.SandboxOps & { readonly port: PaymentPort & TestClockPort }
  readonly commit: (customer: Customer) => Promise<ErrorDocument | undefined>
  readonly close: () => Promise<void>
}

/** Whether PATH names a JSON state file rather than a store. @example isStateFile("s.json") // true */
export const isStateFile = (path: string): boolean => /\.json$/i.test(path)

const decodeCustomers = Schema.decodeUnknownResult(Schema.Record(Schema.String, CustomerSchema))

interface StateFile {
  readonly provider: Sandbox.SandboxState
  readonly customers: Readonly<Record<string, Customer>>
}

const loadFile = async (path: string): Promise<StateFile | ErrorDocument> => {
  try {
    await readFile(path)
  } catch {
    return { provider: Sandbox.emptyState, customers: {} }
  }
  const json = await readJsonFile(path)
  if (!json.ok) return json.error
  const raw = typeof json.value === "object" && json.value !== null ? (json.value as Record<string, unknown>) : {}
  const provider = Sandbox.decodeState(raw["provider"])
  if (Result.isFailure(provider)) return errorDocument(provider.failure)
  const customers = decodeCustomers(raw["customers"] ?? {}, { onExcessProperty: "error" })
  if (Result.isFailure(customers)) return documentError(`${path}: customers: ${customers.failure.message}`)
  return { provider: provider.success, customers: customers.success }
}

/**
 * Writes `text` to `path` durably: a temporary file of this process's own beside it, fsync,
 * rename over `path`, fsync of the directory.
 *
 * @example await writeDurably("state.json", "{}\n")
 */
export const writeDurably = async (path: string, text: string): Promise<void> => {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`
  try {
    const file = await open(tmp, "wx")
    try {
      await file.writeFile(text)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(tmp, path)
  } catch (cause) {
    await rm(tmp, { force: true })
    throw cause
  }
  const dir = await open(dirname(path), "r").catch(() => undefined)
  if (dir !== undefined) await dir.sync().catch(() => {}).finally(() => dir.close())
}

const openFile = async (path: string): Promise<AttachState | ErrorDocument> => {
  const release = await lockFile(`${path}.lock`, WAIT_MS)
  if (typeof release === "string") return documentError(`cannot lock ${path}: ${release}`)
  const loaded = await loadFile(path).catch((cause: unknown) => documentError(`cannot read ${path}: ${String(cause)}`))
  if ("error" in loaded) {
    await release()
    return loaded
  }
  const sandbox = Sandbox.make(loaded.provider)
  return {
    find: async (id) => loaded.customers[id],
    customerIds: async (limit) => Object.keys(loaded.customers).slice(0, limit),
    sandbox,
    commit: async (customer) => {
      const state: StateFile = { provider: await Effect.runPromise(sandbox.state), customers: { ...loaded.customers, [customer.id]: customer } }
      try {
        await writeDurably(path, JSON.stringify(state, undefined, 2) + "\n")
        return undefined
      } catch (cause) {
        return documentError(`cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`)
      }
    },
    close: release
  }
}

const openStoreState = async (location: string): Promise<AttachState | ErrorDocument> => {
  const store = await openStore(location, { waitMs: WAIT_MS })
  if (typeof store === "string") return documentError(store)
  const sandbox = await durableSandbox(store.sandbox)
  return {
    find: (id) => Effect.runPromise(store.customers.get(id)),
    customerIds: (limit) => Effect.runPromise(store.customers.list({ offset: 0, limit })).then((page) => page.list.map((c) => c.customer.id)),
    sandbox,
    commit: (customer) => Effect.runPromise(Effect.as(store.customers.put(customer), undefined)),
    close: () => Effect.runPromise(store.close)
  }
}

/**
 * Opens the state PATH names (see the module's description).
 *
 * @example const state = await openAttachState("/tmp/sandbox.json")
 */
export const openAttachState = (path: string): Promise<AttachState | ErrorDocument> =>
  isStateFile(path) ? openFile(path) : openStoreState(path)
