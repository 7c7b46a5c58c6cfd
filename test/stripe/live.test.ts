/**
 * The live walk against a real Stripe account in test mode, with a test clock: enabled by
 * STRIPE_TEST_SECRET_KEY (a test-mode secret key, sk_test_…); without it, it is skipped and says
 * why. Every Stripe invoice total must equal its preview to the minor unit — in usd, in jpy (no
 * minor unit) and in kwd (three decimals). Stripe charges three-decimal currencies only in whole
 * tens of the minor unit, so the kwd walk uses prices ending in 0 and the steps that charge whole
 * prices (new, scheduled downgrade, cancel); prorated kwd amounts are not charged live.
 *
 * A renewal run (new premium, seats up, a scheduled downgrade to lite) moves the clock past the
 * period's end: Stripe's renewal invoice must equal the last plan's `nextCycle`. A recurring
 * discount run (new premium with a forever 33% off and a 2-month amount off, seats up) renews
 * three times: each Stripe renewal must equal the engine's next cycle for it — the 2-month
 * discount on the first renewal only (test/stripe/engineRenewals.ts).
 *
 * The same walk code also runs here against the local test server, so it is exercised without a key.
 */
import Stripe from "stripe"
import { afterAll, describe, expect, it } from "vitest"
import { startFakeStripe } from "./fakeStripe.ts"
import { advanceClock } from "./fakeRenewals.ts"
import type { NextCycle } from "../../src/Preview.ts"
import type { Obj } from "../support/build.ts"
import { engineRenewals } from "./engineRenewals.ts"
import { type LiveStep, type WalkClock, liveRenewal, liveRenewals, liveWalk, testClock, totals } from "./liveWalk.ts"
import { WALK, type WalkAmounts, walkCatalog } from "./walkCatalog.ts"

const KEY = process.env["STRIPE_TEST_SECRET_KEY"] ?? ""
const live = KEY.startsWith("sk_test_") || KEY.startsWith("rk_test_")
if (!live) {
  console.log(KEY === ""
    ? "live Stripe walk skipped: STRIPE_TEST_SECRET_KEY is not set (set it to a test-mode secret key, sk_test_…, to run the walk on Stripe with a test clock)"
    : "live Stripe walk skipped: STRIPE_TEST_SECRET_KEY is not a test-mode key (it must start with sk_test_ or rk_test_)")
}

const KWD_TENS: WalkAmounts = { lite: "3.050", pro: "6.120", premium: "15.370", seat: "1.550", message: "0.030", cheapMessage: "0.010" }
const WHOLE_PRICES = [WALK[0], WALK[4], WALK[5]].flatMap((s) => (s === undefined ? [] : [s]))

const seats = (planId: string, quantity: number) => [{ planId, featureQuantities: [{ featureId: "seats", quantity }] }]
const RENEWAL_STEPS = [
  { name: "new", at: "2025-01-16T00:00:00.000Z", plans: seats("premium", 3) },
  { name: "seats up", at: "2025-01-26T00:00:00.000Z", plans: seats("premium", 5) },
  { name: "scheduled downgrade", at: "2025-02-05T00:00:00.000Z", plans: seats("lite", 2) }
]

const DISCOUNTED: Obj = {
  ...walkCatalog("usd"),
  discounts: [{ id: "THIRD", percentOff: "33", duration: "forever" }, { id: "TWO_MONTHS", amountOff: "7.5", duration: { months: 2 } }]
}
const DISCOUNT_STEPS = [
  { name: "new", at: "2025-01-16T00:00:00.000Z", plans: seats("premium", 3), request: { discounts: [{ discountId: "THIRD" }, { discountId: "TWO_MONTHS" }] } },
  { name: "seats up", at: "2025-01-26T00:00:00.000Z", plans: seats("premium", 5) }
]

/** Three renewals of the discount run against the engine's, cycle by cycle; the renewals seen. */
const checkDiscountedRenewals = async (stripe: Stripe, clock: WalkClock, run: ReadonlyArray<LiveStep>): Promise<ReadonlyArray<readonly [number | undefined, number | undefined]>> => {
  const last = run.at(-1)
  if (last === undefined) throw new Error("no step")
  const expected = engineRenewals(DISCOUNTED, last.result.customer, last.plan, seats("premium", 5), 3).flatMap((n): Array<NextCycle> => (n === null ? [] : [n]))
  const renewals = await liveRenewals(stripe, clock, run, expected.map((n) => Date.parse(n.startsAt)))
  const seen = expected.map((n, k) => [n.total, renewals[k]?.total] as const)
  expect(expected.map((n) => n.discountTotal > 0)).toEqual([true, true, true])
  expect(expected[0]?.discountTotal).toBeGreaterThan(expected[1]?.discountTotal ?? 0)
  for (const [k, n] of expected.entries()) {
    expect([renewals[k]?.subtotal, renewals[k]?.total, renewals[k]?.status], `renewal ${k + 1}`).toEqual([n.subtotal, n.total, "paid"])
  }
  return seen
}

const checkRenewal = (run: ReadonlyArray<LiveStep>, renewal: Stripe.Invoice | undefined): void => {
  const next = run.at(-1)?.plan.nextCycle
  expect(next?.total).toBeGreaterThan(0)
  expect([renewal?.total, renewal?.amount_due]).toEqual([next?.total, next?.total])
  expect(renewal?.status).toBe("paid")
}

const RUNS = [
  { name: "usd, the whole walk", catalog: walkCatalog("usd"), steps: WALK },
  { name: "jpy, the whole walk", catalog: walkCatalog("jpy"), steps: WALK },
  { name: "kwd, new → scheduled downgrade → cancel", catalog: walkCatalog("kwd", KWD_TENS), steps: WHOLE_PRICES }
] as const

const checkTotals = (run: ReadonlyArray<LiveStep>): void => {
  for (const s of run) {
    expect(s.result.applied, s.name).toBe(true)
    if (s.plan.actions.some((a) => a.type === "createInvoice")) {
      expect([s.invoice?.total, s.invoice?.amount_due], s.name).toEqual([s.plan.total, s.plan.amountDue])
      expect(s.invoice?.lines.data.map((l) => l.amount), s.name).toEqual(s.plan.lines.map((l) => l.total))
    } else expect(s.invoice, s.name).toBeNull()
  }
}

describe("the live walk on Stripe (test mode, a test clock)", () => {
  const stripe = live ? new Stripe(KEY, { maxNetworkRetries: 2 }) : undefined
  it.skipIf(!live).each(RUNS)("$name: every Stripe invoice total equals its preview to the minor unit", async ({ name, catalog, steps }) => {
    if (stripe === undefined) return
    const clock = await testClock(stripe, `attach-planner ${name}`)
    try {
      const run = await liveWalk(stripe, clock, catalog, steps)
      console.log(`live ${name}:`, JSON.stringify(totals(run)))
      checkTotals(run)
    } finally {
      await clock.close()
    }
  }, 900_000)
})

describe("a live renewal on Stripe (test mode, a test clock)", () => {
  it.skipIf(!live)("usd: the renewal after a scheduled downgrade equals the plan's next cycle", async () => {
    const stripe = new Stripe(KEY, { maxNetworkRetries: 2 })
    const clock = await testClock(stripe, "attach-planner renewal usd")
    try {
      const run = await liveWalk(stripe, clock, walkCatalog("usd"), RENEWAL_STEPS)
      checkTotals(run)
      const renewal = await liveRenewal(stripe, clock, run)
      console.log("live renewal usd:", JSON.stringify([run.at(-1)?.plan.nextCycle?.total, renewal?.total, renewal?.status]))
      checkRenewal(run, renewal)
    } finally {
      await clock.close()
    }
  }, 900_000)
})

describe("live renewals with recurring discounts on Stripe (test mode, a test clock)", () => {
  it.skipIf(!live)("usd: a forever 33% off and a 2-month amount off, three renewals each equal to the engine's next cycle", async () => {
    const stripe = new Stripe(KEY, { maxNetworkRetries: 2 })
    const clock = await testClock(stripe, "attach-planner renewal discounts usd")
    try {
      const run = await liveWalk(stripe, clock, DISCOUNTED, DISCOUNT_STEPS)
      checkTotals(run)
      console.log("live discounted renewals usd [engine, Stripe]:", JSON.stringify(await checkDiscountedRenewals(stripe, clock, run)))
    } finally {
      await clock.close()
    }
  }, 1_800_000)
})

const fakeClock = (fake: Awaited<ReturnType<typeof startFakeStripe>>): WalkClock =>
  ({ start: fake.state.now, customerParams: {}, advanceTo: async (t) => advanceClock(fake.state, t, fake.base), close: async () => {} })

describe("the live walk's code against the local test server", () => {
  const servers: Array<{ close: () => Promise<void> }> = []
  afterAll(async () => {
    for (const s of servers) await s.close()
  })
  it.each(RUNS)("$name: every invoice total equals its preview", async ({ catalog, steps }) => {
    const fake = await startFakeStripe()
    servers.push(fake)
    const run = await liveWalk(fake.client(), fakeClock(fake), catalog, steps)
    checkTotals(run)
    expect(run.filter((s) => s.invoice !== null).length).toBeGreaterThan(0)
  })

  it("kwd at whole prices charges amounts Stripe accepts in kwd (whole tens of fils)", async () => {
    const fake = await startFakeStripe()
    servers.push(fake)
    await liveWalk(fake.client(), fakeClock(fake), walkCatalog("kwd", KWD_TENS), WHOLE_PRICES)
    // new: pro 6.120 + 2 seat packs past the one included × 1.550 = 9.220
    expect(fake.state.charges.map((c) => c.amount)).toEqual([9220])
  })

  it("the renewal after a scheduled downgrade equals the plan's next cycle", async () => {
    const fake = await startFakeStripe()
    servers.push(fake)
    const clock = fakeClock(fake)
    const run = await liveWalk(fake.client(), clock, walkCatalog("usd"), RENEWAL_STEPS)
    checkTotals(run)
    const renewal = await liveRenewal(fake.client(), clock, run)
    checkRenewal(run, renewal)
    expect(renewal?.total).toBe(1500) // lite 10.00 + 1 seat past the one included × 5.00
  })

  it("three renewals with a forever and a 2-month discount equal the engine's next cycles", async () => {
    const fake = await startFakeStripe()
    servers.push(fake)
    const clock = fakeClock(fake)
    const run = await liveWalk(fake.client(), clock, DISCOUNTED, DISCOUNT_STEPS)
    checkTotals(run)
    const seen = await checkDiscountedRenewals(fake.client(), clock, run)
    expect(seen.map(([engine, stripe]) => engine === stripe)).toEqual([true, true, true])
  })
})
