/**
 * Recurring discounts on renewals, which Stripe bills itself: the adapter gives the subscription
 * amount-off coupons (src/stripe/renewalDiscounts.ts) so that every renewal invoice of the local
 * server equals, to the minor unit, the engine's next cycle for it — the plan's `nextCycle` for
 * the first renewal, then the engine's `nextCycle` seen from just after each renewal (a preview
 * that changes nothing). A forever percent-off stays on every renewal; a 2-month discount applied
 * with the subscription covers its first renewal (its second month) and runs out on the next; a
 * once discount applied with a trial is on the trial's first invoice only; the coupons are replaced
 * when the seats change, carried by a scheduled downgrade's phase, restored by a compensation, and
 * counted from Stripe's own clock.
 */
import { afterEach, describe, expect, it } from "vitest"
import { Effect } from "effect"
import type { Customer } from "../../src/Customer.ts"
import { executeAttachPromise } from "../../src/Execute.ts"
import type { NextCycle } from "../../src/Preview.ts"
import { makeStripePort } from "../../src/stripe/index.ts"
import { type Obj, customer, doc, request } from "../support/build.ts"
import { decoded, ok } from "../support/run.ts"
import type { FakeInvoice } from "./fakeObjects.ts"
import { engineRenewals } from "./engineRenewals.ts"
import { advanceClock } from "./fakeRenewals.ts"
import { startFakeStripe } from "./fakeStripe.ts"
import { type Step, type WalkRun, walk } from "./walk.ts"
import { type WalkCurrency, walkCatalog } from "./walkCatalog.ts"

const seats = (quantity: number) => [{ planId: "premium", featureQuantities: [{ featureId: "seats", quantity }] }]
const AMOUNT_OFF: Record<WalkCurrency, string> = { usd: "7.5", jpy: "1125", kwd: "2.5" }
const DISCOUNTS = (currency: WalkCurrency): ReadonlyArray<Obj> => [
  { id: "THIRD", percentOff: "33", duration: "forever" },
  { id: "TWO_MONTHS", amountOff: AMOUNT_OFF[currency], duration: { months: 2 } }
]
const catalogIn = (currency: WalkCurrency): Obj => ({ ...walkCatalog(currency), discounts: DISCOUNTS(currency) })
const steps = (discountIds: ReadonlyArray<string>): ReadonlyArray<Step> => [
  { name: "new", at: "2025-01-16T00:00:00.000Z", plans: seats(3), request: { discounts: discountIds.map((discountId) => ({ discountId })) } },
  { name: "seats up", at: "2025-01-26T00:00:00.000Z", plans: seats(5) }
]
const RENEWALS = ["2025-02-16T00:00:00.000Z", "2025-03-16T00:00:00.000Z", "2025-04-16T00:00:00.000Z"]

const runs: Array<WalkRun> = []
afterEach(async () => {
  for (const r of runs.splice(0)) await r.fake.close()
})

const renewals = (run: WalkRun): Array<FakeInvoice> => [...run.fake.state.invoices.values()].filter((i) => i["billing_reason"] === "subscription_cycle")

/** Renews three times; each renewal next to what the engine expects of it. */
const renewThrice = (catalog: Obj, run: WalkRun, plans: ReadonlyArray<Obj> = seats(5)): Array<{ expected: NextCycle | null; invoice: FakeInvoice | undefined }> => {
  const last = run.steps.at(-1)?.plan
  if (last === undefined) throw new Error("no step")
  const expected = engineRenewals(catalog, run.customer, last, plans, RENEWALS.length)
  return RENEWALS.map((at, k) => {
    expect(expected[k]?.startsAt).toBe(at)
    advanceClock(run.fake.state, Date.parse(at) / 1000 + 3600, run.fake.base)
    return { expected: expected[k] ?? null, invoice: renewals(run)[k] }
  })
}

const cases = [
  { name: "a forever 33% off", ids: ["THIRD"] },
  { name: "a 2-month amount off", ids: ["TWO_MONTHS"] },
  { name: "both stacked", ids: ["THIRD", "TWO_MONTHS"] }
] as const

describe("renewals with recurring discounts equal the engine's next cycle, cycle by cycle", () => {
  for (const currency of ["usd", "jpy"] as const) {
    it.each(cases)(`${currency}: $name`, async ({ ids }: { readonly ids: ReadonlyArray<string> }) => {
      const catalog = catalogIn(currency)
      const run = await walk(catalog, steps(ids))
      runs.push(run)
      expect(run.steps.map((s) => s.final.applied)).toEqual([true, true])
      const cycles = renewThrice(catalog, run)
      for (const { expected, invoice } of cycles) {
        expect(expected).not.toBeNull()
        expect([invoice?.subtotal, invoice?.total, invoice?.amount_paid, invoice?.status]).toEqual([expected?.subtotal, expected?.total, expected?.total, "paid"])
        expect(invoice?.total_discount_amounts.reduce((s, d) => s + d.amount, 0)).toBe(expected?.discountTotal)
      }
      const discounted = cycles.map((c) => (c.expected?.discountTotal ?? 0) > 0)
      // The 2-month discount applied on Jan 16 covers the Feb 16 renewal and runs out on Mar 16.
      expect(discounted).toEqual(ids.includes("THIRD") ? [true, true, true] : [true, false, false])
      if (ids.length === 2) expect(cycles[0]?.expected?.discountTotal).toBeGreaterThan(cycles[1]?.expected?.discountTotal ?? 0)
      expect(cycles[1]?.expected?.total).toBe(cycles[2]?.expected?.total)
    })
  }

  it.each(["usd", "jpy"] as const)("%s: compounding percentages that end at different renewals (50 percent for 2 months, then 20 percent for good) are a stack of coupons", async (currency) => {
    const catalog = { ...walkCatalog(currency), discounts: [{ id: "HALF", percentOff: "50", duration: { months: 2 } }, { id: "FIFTH", percentOff: "20", duration: "forever" }] }
    const run = await walk(catalog, [{ ...(steps([])[0] as Step), request: { discounts: [{ discountId: "HALF" }, { discountId: "FIFTH" }] } }])
    runs.push(run)
    const sub = [...run.fake.state.subscriptions.values()][0]
    expect((sub?.discounts ?? []).map((id) => run.fake.state.discounts.get(id)?.source.coupon.duration)).toEqual(["repeating", "forever"])
    const cycles = renewThrice(catalog, run, seats(3))
    for (const { expected, invoice } of cycles) expect([invoice?.subtotal, invoice?.total]).toEqual([expected?.subtotal, expected?.total])
    // 20% of what is left after 50% is less than 20% of the whole: the later renewals are not the first minus HALF's share.
    const [first, second] = cycles.map((c) => c.expected)
    const fifthFirst = first?.lines.flatMap((l) => l.discounts).filter((d) => d.discountId === "FIFTH").reduce((sum, d) => sum + d.amount, 0)
    expect(second?.discountTotal).toBeGreaterThan(fifthFirst ?? 0)
  })
})

describe("renewals with recurring discounts: the coupons follow a seats change and a scheduled downgrade", () => {
  it("usd: the seats change replaces the coupon (the amount follows the new seats)", async () => {
    const run = await walk(catalogIn("usd"), steps(["THIRD"]))
    runs.push(run)
    const sub = [...run.fake.state.subscriptions.values()][0]
    const coupons = (sub?.discounts ?? []).map((id) => run.fake.state.discounts.get(id)?.source.coupon.id)
    // premium 50.00 and 4 seat packs × 5.00: 33% of each line is 16.50 + 6.60.
    expect(coupons).toEqual(["ap_usd_2310_forever"])
    expect(run.steps[0]?.plan.nextCycle?.discountTotal).toBe(1650 + 330)
    expect(run.steps[1]?.plan.nextCycle?.discountTotal).toBe(2310)
  })

  it.each(["usd", "jpy"] as const)("%s: a scheduled downgrade renews into lite with the coupons of lite's renewals (the schedule's phase carries them)", async (currency) => {
    const catalog = catalogIn(currency)
    const lite = [{ planId: "lite", featureQuantities: [{ featureId: "seats", quantity: 2 }] }]
    const run = await walk(catalog, [steps(["THIRD", "TWO_MONTHS"])[0] as Step, { name: "scheduled downgrade", at: "2025-02-05T00:00:00.000Z", plans: lite }])
    runs.push(run)
    expect(run.steps[1]?.plan.actions.map((a) => a.type)).toEqual(["scheduleChange"])
    const cycles = renewThrice(catalog, run, lite)
    for (const { expected, invoice } of cycles) {
      expect([invoice?.subtotal, invoice?.total, invoice?.status]).toEqual([expected?.subtotal, expected?.total, "paid"])
    }
    expect(cycles.map((c) => c.expected?.lines.map((l) => l.planId))).toEqual([["lite", "lite"], ["lite", "lite"], ["lite", "lite"]])
    expect(cycles[0]?.expected?.discountTotal).toBeGreaterThan(cycles[1]?.expected?.discountTotal ?? 0)
  })
})

describe("renewals with recurring discounts: a declined change is undone with its coupons", () => {
  it("usd: a declined seats change is undone with its coupon: the renewal is the earlier plan's next cycle (declined too: past_due)", async () => {
    const [first, second] = steps(["THIRD"])
    const run = await walk(catalogIn("usd"), [first as Step, { ...(second as Step), card: "pm_card_chargeDeclined" }])
    runs.push(run)
    expect(run.steps[1]?.final.requiredAction?.code).toBe("payment_failed")
    expect(run.steps[1]?.final.compensated.map((a) => a.type)).toEqual(["updateSubscription"])
    const sub = [...run.fake.state.subscriptions.values()][0]
    // The coupon of 3 seats is back (16.50 + 33% of 2 packs × 5.00), the one of 5 seats is the record of what was undone.
    expect((sub?.discounts ?? []).map((id) => run.fake.state.discounts.get(id)?.source.coupon.id)).toEqual(["ap_usd_1980_forever"])
    expect(JSON.parse(sub?.metadata["ap_discounts_prev"] ?? "[]")).toEqual([{ amountOff: 2310, through: null, before: null }])
    // The compensation again (a replay, as after a lost answer) leaves the restored coupon.
    const change = run.steps[1]?.plan.actions.find((a) => a.type === "updateSubscription")
    if (change?.type !== "updateSubscription") throw new Error("no change")
    const port = makeStripePort({ stripe: run.fake.client(), catalog: decoded(catalogIn("usd")), createPrices: true })
    const { type: _, ...request } = change
    await Effect.runPromise(port.updateSubscription({
      ...request, subscriptionId: sub?.id ?? "", idempotencyKey: `${change.idempotencyKey}:undo`, compensates: change.idempotencyKey, items: change.previousItems, previousItems: change.items
    }))
    expect((sub?.discounts ?? []).map((id) => run.fake.state.discounts.get(id)?.source.coupon.id)).toEqual(["ap_usd_1980_forever"])
    advanceClock(run.fake.state, Date.parse(RENEWALS[0] ?? "") / 1000 + 3600, run.fake.base)
    const [renewal] = renewals(run)
    const expected = run.steps[0]?.plan.nextCycle
    expect([renewal?.subtotal, renewal?.total, renewal?.status]).toEqual([expected?.subtotal, expected?.total, "open"])
    expect(run.steps[1]?.plan.nextCycle?.total).not.toBe(expected?.total)
    expect(sub?.status).toBe("past_due")
  })

  it("usd: a declined upgrade that released a scheduled downgrade is undone with the phase's coupons: the renewal is lite's, discounted", async () => {
    const lite = [{ planId: "lite", featureQuantities: [{ featureId: "seats", quantity: 2 }] }]
    const run = await walk(catalogIn("usd"), [
      { name: "new pro", at: "2025-01-16T00:00:00.000Z", plans: [{ planId: "pro", featureQuantities: [{ featureId: "seats", quantity: 3 }] }], request: { discounts: [{ discountId: "THIRD" }] } },
      { name: "scheduled downgrade", at: "2025-02-05T00:00:00.000Z", plans: lite },
      { name: "upgrade instead, declined", at: "2025-02-08T00:00:00.000Z", plans: seats(3), card: "pm_card_chargeDeclined" }
    ])
    runs.push(run)
    const up = run.steps[2]
    expect(up?.plan.actions.map((a) => a.type)).toEqual(["releaseSchedule", "updateSubscription", "createInvoice", "payInvoice"])
    expect(up?.final.compensated.map((a) => a.type)).toEqual(["updateSubscription", "releaseSchedule"])
    const sub = [...run.fake.state.subscriptions.values()][0]
    expect((sub?.discounts ?? []).map((id) => run.fake.state.discounts.get(id)?.source.coupon.id)).toEqual(["ap_usd_990_forever"])
    // Undone again, the plan's renewal is the downgrade's: lite 10.00 + 1 seat pack × 5.00, 33% off.
    const down = run.steps[1]?.plan.nextCycle
    expect([down?.subtotal, down?.discountTotal]).toEqual([1500, 495])
    const customer = run.fake.state.customers.get(sub?.customer ?? "")
    if (customer !== undefined) customer.invoice_settings.default_payment_method = [...run.fake.state.paymentMethods.values()].find((p) => p.behavior === "pays")?.id ?? null
    advanceClock(run.fake.state, Date.parse(RENEWALS[0] ?? "") / 1000 + 3600, run.fake.base)
    expect(renewals(run).map((i) => [i.subtotal, i.total, i.status])).toEqual([[down?.subtotal, down?.total, "paid"]])
  })
})

describe("renewals with recurring discounts: when a discount runs out (Stripe's clock, a trial)", () => {
  it("usd: a 2-month coupon is counted from Stripe's clock — a subscription created 5 minutes after the plan's instant covers the Feb 16 renewal only", async () => {
    const catalog = catalogIn("usd")
    const at = "2025-01-16T00:00:00.000Z"
    const fake = await startFakeStripe(Date.parse(at) / 1000 + 300)
    try {
      const stripe = fake.client()
      const stripeCustomer = (await stripe.customers.create({ payment_method: "pm_card_visa", invoice_settings: { default_payment_method: "pm_card_visa" } })).id
      const port = makeStripePort({ stripe, catalog: decoded(catalog), createPrices: true, customerId: async () => stripeCustomer })
      const newcomer = customer([])
      const plan = ok(doc(catalog, newcomer, request(at, seats(3), { discounts: [{ discountId: "TWO_MONTHS" }] })))
      expect((await executeAttachPromise(plan, newcomer as unknown as Customer, port)).applied).toBe(true)
      const sub = [...fake.state.subscriptions.values()][0]
      const [discount] = (sub?.discounts ?? []).map((id) => fake.state.discounts.get(id))
      // Counted from the plan's instant (2 months) it would end on Mar 16 00:05, after that renewal: counted again from its start, 1 month.
      expect([discount?.source.coupon.id, discount?.start, discount?.end]).toEqual(["ap_usd_750_1m", Date.parse(at) / 1000 + 300, Date.parse("2025-02-16T00:05:00.000Z") / 1000])
      expect(fake.state.coupons.has("ap_usd_750_2m")).toBe(true)
      advanceClock(fake.state, Date.parse("2025-03-16T01:00:00.000Z") / 1000, fake.base)
      const totals = [...fake.state.invoices.values()].filter((i) => i["billing_reason"] === "subscription_cycle").map((i) => i.total)
      expect(totals).toEqual([(plan.nextCycle?.total ?? 0), plan.nextCycle?.subtotal])
      expect(plan.nextCycle?.discountTotal).toBe(750)
    } finally {
      await fake.close()
    }
  })

  it("usd: a once discount applied with a trial is on the invoice at the trial's end only", async () => {
    const catalog = { ...walkCatalog("usd"), discounts: [{ id: "HALF_ONCE", percentOff: "50", duration: "once" }] }
    const run = await walk(catalog, [{ ...steps([])[0] as Step, request: { discounts: [{ discountId: "HALF_ONCE" }], freeTrial: { length: 14, unit: "day" } } }])
    runs.push(run)
    const plan = run.steps[0]?.plan
    if (plan === undefined) throw new Error("no step")
    expect([plan.actions.map((a) => a.type), plan.trialEndsAt]).toEqual([["createSubscription"], "2025-01-30T00:00:00.000Z"])
    const expected = engineRenewals(catalog, run.customer, plan, seats(3), 2)
    expect(expected.map((n) => [n?.startsAt, n?.discountTotal])).toEqual([["2025-01-30T00:00:00.000Z", 3000], ["2025-02-28T00:00:00.000Z", 0]])
    for (const n of expected) advanceClock(run.fake.state, Date.parse(n?.startsAt ?? "") / 1000 + 3600, run.fake.base)
    expect(renewals(run).map((i) => [i.subtotal, i.total, i.status])).toEqual(expected.map((n) => [n?.subtotal, n?.total, "paid"]))
  })
})
