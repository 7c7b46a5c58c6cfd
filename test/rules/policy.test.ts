/**
 * Issue #12, item 2 — proration policy as data (docs/proration.md §14): the presets reproduce
 * the published numbers of Stripe, Lago and Kill Bill; request over plan over catalog; bad
 * policies are decode errors naming the field.
 */
import { describe, expect, it } from "vitest"
import { Interval, ProrationPolicy } from "../../src/index.ts"
import type { AttachPreview } from "../../src/Preview.ts"
import * as Rational from "../../src/Rational.ts"
import { type Obj, catalog, customer, doc, monthly, plan, prepaidItem, request, subscription } from "../support/build.ts"
import { err, ok, rows } from "../support/run.ts"

const MAR1 = "2024-03-01T00:00:00.000Z"
const AT = "2024-03-20T08:30:00.000Z"
const heldA = (anchor = MAR1) => subscription("a", anchor, { id: "sub_a" })
const tenToTwenty = (extra = {}, planExtra = {}) => catalog([monthly("a", "10", planExtra), monthly("b", "20", planExtra)], extra)
const upgrade = (catalogDoc: Obj, requestExtra: Obj = {}, customerExtra: Obj = {}): AttachPreview =>
  ok(doc(catalogDoc, customer([heldA()], customerExtra), request(AT, "b", requestExtra)))
const summary = (p: AttachPreview) => [...rows(p.lines).map((r) => r[4]), p.total]

describe("the presets reproduce the published numbers: $10 → $20, Mar 1 → Apr 1 2024, at Mar 20 08:30Z", () => {
  it("stripe (whole seconds): 1 006 200 s of 2 678 400 s left → −376 / +751 / 375", () => {
    // 1000 × 1006200/2678400 = 375.67 → −376; 2000 × … = 751.34 → 751
    expect(summary(upgrade(tenToTwenty(), { prorationPolicy: "stripe" }))).toEqual([-376, 751, 375])
  })

  it("lago (calendar days, inclusive): 12 of 31 days → −387 / +774 / 387", () => {
    // Mar 20 … Mar 31 = 12 days of Mar 1 … Mar 31 = 31: 1000 × 12/31 = 387.1 → −387; 2000 × 12/31 = 774.19 → 774
    expect(summary(upgrade(tenToTwenty(), { prorationPolicy: "lago" }))).toEqual([-387, 774, 387])
  })

  it("killbill (calendar days, end-exclusive): 12 of 31 days → −387 / +774 / 387", () => {
    expect(summary(upgrade(tenToTwenty(), { prorationPolicy: "killbill" }))).toEqual([-387, 774, 387])
  })

  it("exact (the default) counts milliseconds: the same −376 / +751 here, no policy given", () => {
    expect(summary(upgrade(tenToTwenty()))).toEqual([-376, 751, 375])
  })

  it("fixed 30-day months: Mar 20 → Apr 1 is 30 + 1 − 20 = 11 of 30 → −367 / +733 / 366", () => {
    // 1000 × 11/30 = 366.67 → −367; 2000 × 11/30 = 733.33 → 733
    expect(summary(upgrade(tenToTwenty(), { prorationPolicy: { clock: "day", dayCount: "fixed30" } }))).toEqual([-367, 733, 366])
  })
})

describe("Lago's own test: $10 monthly (anniversary the 29th) → $120 yearly on 2023-09-28T05:00Z", () => {
  it("credit −32 (1 day of 31), charge 9016 (275 days of 366)", () => {
    const catalogDoc = catalog([monthly("a", "10"), plan("y", "120", "year")], { prorationPolicy: "lago" })
    const p = ok(doc(catalogDoc, customer([heldA("2023-06-29T00:00:00Z")]), request("2023-09-28T05:00:00Z", "y")))
    expect(p.scenario).toBe("upgrade")
    // monthly period Aug 29 → Sep 29: Sep 28 … Sep 28 = 1 day of 31 → 1000/31 = 32.26 → −32;
    // yearly period Jun 29 2023 → Jun 29 2024: Sep 28 2023 … Jun 28 2024 = 275 days of 366 → 12000 × 275/366 = 9016.39 → 9016
    expect(rows(p.lines)).toEqual([["credit", "a", null, -32, -32], ["charge", "y", null, 9016, 9016]])
    expect(p.total).toBe(8984)
  })

  it("by the millisecond the same change is −26 / 9010", () => {
    const catalogDoc = catalog([monthly("a", "10"), plan("y", "120", "year")])
    const p = ok(doc(catalogDoc, customer([heldA("2023-06-29T00:00:00Z")]), request("2023-09-28T05:00:00Z", "y")))
    // 19 h of 31 days: 1000 × 19/744 = 25.54 → −26; 12000 × (275 days − 5 h)/366 days = 9009.56 → 9010
    expect(rows(p.lines)).toEqual([["credit", "a", null, -26, -26], ["charge", "y", null, 9010, 9010]])
  })
})

describe("Kill Bill's leading proration factors (billing day 15, a plan started on the 23rd)", () => {
  const killbill = ProrationPolicy.policyOf("killbill")
  const fixed30 = ProrationPolicy.policyOf({ clock: "day", dayCount: "fixed30" })
  const period = (start: string, end: string) => (Interval.period(Date.parse(start), Date.parse(end)))
  const cases: ReadonlyArray<[string, string, string, number, number]> = [
    ["2023-05-15", "2023-06-15", "2023-05-23", 23, 31],
    ["2023-06-15", "2023-07-15", "2023-06-23", 22, 30],
    ["2023-02-15", "2023-03-15", "2023-02-23", 20, 28],
    ["2024-02-15", "2024-03-15", "2024-02-23", 21, 29]
  ]
  for (const [start, end, at, n, d] of cases) {
    it(`${at} → ${end}: ${n}/${d} end-exclusive, 22/30 with fixed 30-day months`, () => {
      const f = ProrationPolicy.fractionLeft(killbill, "UTC", period(start, end), Date.parse(at))
      expect([f.numerator, f.denominator, f.unit]).toEqual([n, d, "day"])
      expect(Rational.compare(f.share, Rational.make(BigInt(n), BigInt(d)))).toBe(0)
      expect(ProrationPolicy.fractionBounds(f)).toEqual({ from: at, to: new Date(Date.parse(end) - 86_400_000).toISOString().slice(0, 10) })
      const g = ProrationPolicy.fractionLeft(fixed30, "UTC", period(start, end), Date.parse(at))
      expect([g.numerator, g.denominator]).toEqual([22, 30])
    })
  }

  it("an add-on of $31 joining a subscription on the 15th on May 23 2023 is charged 3100 × 23/31 = 2300", () => {
    const catalogDoc = catalog([monthly("base", "0.5"), plan("extra", "31", "month", { addOn: true })], { prorationPolicy: "killbill" })
    const state = customer([subscription("base", "2023-01-15T00:00:00Z", { id: "sub_b" })])
    const p = ok(doc(catalogDoc, state, request("2023-05-23T10:00:00Z", "extra")))
    expect(rows(p.lines)).toEqual([["charge", "extra", null, 2300, 2300]])
  })
})

describe("the whole-second and millisecond clocks", () => {
  it("stripe drops the milliseconds of every instant; exact keeps them", () => {
    const period = Interval.period(Date.parse(MAR1), Date.parse("2024-04-01T00:00:00Z"))
    const at = Date.parse("2024-03-20T08:30:00.600Z")
    const s = ProrationPolicy.fractionLeft(ProrationPolicy.policyOf("stripe"), "UTC", period, at)
    expect([s.numerator, s.denominator, s.unit]).toEqual([1_006_200, 2_678_400, "second"])
    const e = ProrationPolicy.fractionLeft(ProrationPolicy.exact, "UTC", period, at)
    expect([e.numerator, e.denominator, e.unit]).toEqual([1_006_199_400, 2_678_400_000, "millisecond"])
  })
})

describe("time zones", () => {
  it("lago counts days in the customer's time zone: in Los Angeles 05:00Z on Mar 20 is still Mar 19 → 13 of 32 days", () => {
    // period Mar 1 00:00Z → Apr 1 00:00Z is Feb 29 16:00 → Mar 31 17:00 in Los Angeles (PDT from Mar 10):
    // days Feb 29 … Mar 31 = 32, left Mar 19 … Mar 31 = 13: 1000 × 13/32 = 406.25 → −406; 2000 × 13/32 = 812.5 → 813
    const p = ok(doc(tenToTwenty(), customer([heldA()], { timeZone: "America/Los_Angeles" }), request("2024-03-20T05:00:00Z", "b", { prorationPolicy: "lago" })))
    expect(summary(p)).toEqual([-406, 813, 407])
  })

  it("killbill counts in its own zone (UTC) whatever the customer's: 12 of 31", () => {
    const p = ok(doc(tenToTwenty(), customer([heldA()], { timeZone: "America/Los_Angeles" }), request("2024-03-20T05:00:00Z", "b", { prorationPolicy: "killbill" })))
    expect(summary(p)).toEqual([-387, 774, 387])
  })

  it("an object policy names its zone: day clock in Asia/Tokyo, 08:30Z is Mar 20 17:30 there → 12 of 31", () => {
    const p = upgrade(tenToTwenty(), { prorationPolicy: { clock: "day", dayCount: "endExclusive", timeZone: "Asia/Tokyo" } })
    // Mar 1 09:00 → Apr 1 09:00 in Tokyo: days Mar 1 → Apr 1 = 31, Mar 20 → Apr 1 = 12
    expect(summary(p)).toEqual([-387, 774, 387])
  })
})

describe("request over plan over catalog", () => {
  it("the plan's policy wins over the catalog's, the request's over both", () => {
    expect(summary(upgrade(tenToTwenty({ prorationPolicy: "lago" })))).toEqual([-387, 774, 387])
    expect(summary(upgrade(tenToTwenty({ prorationPolicy: "lago" }, { prorationPolicy: { clock: "day", dayCount: "fixed30" } })))).toEqual([-367, 733, 366])
    expect(summary(upgrade(tenToTwenty({ prorationPolicy: "lago" }, { prorationPolicy: "killbill" }), { prorationPolicy: "exact" }))).toEqual([-376, 751, 375])
  })

  it("each price takes its own plan's policy: the credit of a by-day plan, the charge of a by-the-ms one", () => {
    const catalogDoc = catalog([monthly("a", "10", { prorationPolicy: { clock: "day", dayCount: "fixed30" } }), monthly("b", "20")])
    // credit 1000 × 11/30 → −367; charge 2000 × 1006200/2678400 → 751
    expect(summary(upgrade(catalogDoc))).toEqual([-367, 751, 384])
  })

  it("the ledger's unused share is counted by the same policy: chained upgrades by day never credit more than paid", () => {
    const catalogDoc = catalog([monthly("a", "10"), monthly("b", "20"), monthly("c", "30")], { prorationPolicy: "lago" })
    const first = ok(doc(catalogDoc, customer([heldA()]), request(AT, "b")))
    expect(summary(first)).toEqual([-387, 774, 387])
    const second = ok(doc(catalogDoc, first.customerAfter, request("2024-03-25T00:00:00Z", "c")))
    // b paid 774 for Mar 20 … Mar 31 (12 days); Mar 25 … Mar 31 = 7 of those days: 774 × 7/12 = 451.5 → −452
    // (the list share is 2000 × 7/31 = 451.6, the same to the unit); charge 3000 × 7/31 = 677.4 → 677
    expect(summary(second)).toEqual([-452, 677, 225])
  })
})

describe("a bad policy is a decode error naming the field", () => {
  const state = customer([heldA()])
  it("an unknown preset on the request", () => {
    const e = err(doc(tenToTwenty(), state, request(AT, "b", { prorationPolicy: "lagoo" })))
    expect([e._tag, e["path"]]).toEqual(["DecodeError", "request.prorationPolicy"])
  })
  it("an unknown time zone", () => {
    const e = err(doc(tenToTwenty(), state, request(AT, "b", { prorationPolicy: { clock: "day", timeZone: "Mars/Olympus_Mons" } })))
    expect(e["path"]).toBe("request.prorationPolicy.timeZone")
    expect(e.message).toContain("IANA time zone")
  })
  it("an unknown clock on the catalog and an unknown preset on a plan", () => {
    const e = err(doc(tenToTwenty({ prorationPolicy: { clock: "hour" } }, { prorationPolicy: "chargebee" }), state, request(AT, "b")))
    const paths = (e["issues"] as ReadonlyArray<{ path: string }>).map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(["catalog.plans[0].prorationPolicy", "catalog.prorationPolicy.clock"]))
  })
  it("an unknown customer time zone", () => {
    expect(err(doc(tenToTwenty(), customer([heldA()], { timeZone: "Nope/Nope" }), request(AT, "b")))["path"]).toBe("customer.timeZone")
  })
})

describe("policies keep one rounding per line and totals equal to the sum of lines", () => {
  it("for every preset on a plan with prepaid storage", () => {
    const storage = { items: [prepaidItem("storage", { amount: "3.33" }, { included: 0 })] }
    const catalogDoc = catalog([monthly("a", "10.01", storage), monthly("b", "20.03", storage)])
    for (const policy of ["exact", "stripe", "lago", "killbill"]) {
      const p = ok(doc(catalogDoc, customer([{ ...heldA(), featureQuantities: [{ featureId: "storage", quantity: 7 }] }]), request(AT, "b", { prorationPolicy: policy })))
      expect(p.lines.length).toBe(4)
      expect(p.total).toBe(p.lines.reduce((a, l) => a + l.total, 0))
      for (const l of p.lines) expect(Number.isSafeInteger(l.amount)).toBe(true)
    }
  })
})
