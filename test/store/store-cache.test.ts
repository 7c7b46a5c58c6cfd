/**
 * The write-through customer cache of a one-process store (PGlite): reads come from memory after
 * the first, writes update it, a failed write forgets, and a read that overlapped a write never
 * leaves the state from before the write in the cache.
 */
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { CustomerChanged, type CustomerStoreOps, makeMemoryStore } from "../../src/autumn/CustomerStore.ts"
import { cachedCustomers } from "../../src/store/cache.ts"

/** A store that counts its reads and can hold a read until released. */
const counting = () => {
  const inner = makeMemoryStore()
  let reads = 0
  let gate: Promise<void> | undefined
  const store: CustomerStoreOps = {
    ...inner,
    // The row is read first, the answer held until released: a write can land in between.
    get: (id) => Effect.flatMap(Effect.andThen(Effect.sync(() => void reads++), inner.get(id)), (row) => Effect.as(Effect.promise(() => gate ?? Promise.resolve()), row))
  }
  return { inner, store, reads: () => reads, hold: (p: Promise<void> | undefined) => void (gate = p) }
}

const run = Effect.runPromise

describe("cachedCustomers", () => {
  it("reads an id once, then from memory, also when the customer does not exist", async () => {
    const c = counting()
    const cached = cachedCustomers(c.store, 10)
    expect(await run(cached.get("cus_1"))).toBeUndefined()
    expect(await run(cached.get("cus_1"))).toBeUndefined()
    expect(c.reads()).toBe(1)
    await run(cached.create({ id: "cus_1", hasPaymentMethod: true }))
    expect(await run(cached.get("cus_1"))).toEqual({ id: "cus_1", hasPaymentMethod: true })
    expect(c.reads()).toBe(1)
  })

  it("forgets an id whose write failed, and the oldest id past its capacity", async () => {
    const c = counting()
    const cached = cachedCustomers(c.store, 2)
    await run(cached.create({ id: "cus_1" }))
    const refused = await run(Effect.flip(cached.put({ id: "cus_1", hasPaymentMethod: true }, { ifFingerprint: "not-it" })))
    expect(refused).toBeInstanceOf(CustomerChanged)
    expect(await run(cached.get("cus_1"))).toEqual({ id: "cus_1" })
    expect(c.reads()).toBe(1)
    await run(cached.get("cus_2"))
    await run(cached.get("cus_3"))
    await run(cached.get("cus_1"))
    expect(c.reads()).toBe(4)
  })

  it("does not keep a state read while a write ran", async () => {
    const c = counting()
    const cached = cachedCustomers(c.store, 10)
    await run(c.inner.create({ id: "cus_1" }))
    let release = (): void => {}
    c.hold(new Promise<void>((r) => (release = r)))
    const reading = run(cached.get("cus_1"))
    await run(cached.put({ id: "cus_1", hasPaymentMethod: true }))
    c.hold(undefined)
    release()
    await reading
    expect(await run(cached.get("cus_1"))).toEqual({ id: "cus_1", hasPaymentMethod: true })
  })
})
