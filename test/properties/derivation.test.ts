/**
 * Issue #12, item 3 — the derivation of every line reproduces it: recomputing a line from its
 * `derivation` alone (docs/proration.md §15) gives its exact amount, its minor units, its rounding
 * delta and, for percent-off discounts, what each took off; tiers add up to the base, and a
 * millisecond fraction is the span between its two instants. Today's lines and the next cycle's,
 * over generated documents, then a second attach on `customerAfter` under a generated proration
 * policy. The recomputation here is the test's own (bigint fractions parsed
 * from the strings), not the engine's.
 */
import fc from "fast-check"
import * as Result from "effect/Result"
import { describe, expect, it } from "vitest"
import { previewAttachSync } from "../../src/index.ts"
import type { Line, LineDerivation } from "../../src/Preview.ts"
import { plannedDocumentArb } from "../support/arbitraries.ts"

type Q = readonly [bigint, bigint]

/** Parses `"-12.5"`, `"7"` or `"-32000/31"` into a fraction with a positive denominator. */
const q = (s: string): Q => {
  const slash = s.indexOf("/")
  if (slash >= 0) return [BigInt(s.slice(0, slash)), BigInt(s.slice(slash + 1))]
  const [whole = "0", frac = ""] = s.split(".")
  const scale = 10n ** BigInt(frac.length)
  const negative = whole.startsWith("-")
  const abs = BigInt(negative ? whole.slice(1) : whole) * scale + BigInt(frac === "" ? "0" : frac)
  return [negative ? -abs : abs, scale]
}
const eq = (a: Q, b: Q): boolean => a[0] * b[1] === b[0] * a[1]
const lt = (a: Q, b: Q): boolean => a[0] * b[1] < b[0] * a[1]
const mul = (a: Q, b: Q): Q => [a[0] * b[0], a[1] * b[1]]
const sub = (a: Q, b: Q): Q => [a[0] * b[1] - b[0] * a[1], a[1] * b[1]]
const add = (a: Q, b: Q): Q => [a[0] * b[1] + b[0] * a[1], a[1] * b[1]]
const neg = (a: Q): Q => [-a[0], a[1]]
const round = ([n, d]: Q): bigint => {
  const abs = n < 0n ? -n : n
  const r = (2n * abs + d) / (2n * d)
  return n < 0n ? -r : r
}

/** The exact amount a derivation says, from its base, fraction and ledger alone. */
const recomputed = (d: LineDerivation): Q => {
  const prorated = d.fraction === undefined ? q(d.base) : mul(q(d.base), [BigInt(d.fraction.numerator), BigInt(d.fraction.denominator)])
  const share: Q = d.fraction !== undefined && d.fraction.numerator >= d.fraction.denominator ? q(d.base) : prorated
  if (d.ledger === undefined) return share
  const candidates: Array<Q> = [neg(share), q(d.ledger.paidShare), [BigInt(d.ledger.open), 1n]]
  const smallest = candidates.reduce((a, b) => (lt(b, a) ? b : a))
  return neg(smallest)
}

const check = (line: Line): void => {
  const d = line.derivation
  expect(d).toBeDefined()
  if (d === undefined) return
  const exact = q(d.exact)
  expect(eq(recomputed(d), exact)).toBe(true)
  expect(round(exact)).toBe(BigInt(line.amount))
  expect(eq(q(d.roundingDelta), sub(exact, [BigInt(line.amount), 1n]))).toBe(true)
  expect(d.discounts.map((x) => [x.discountId, x.amount])).toEqual(line.discounts.map((x) => [x.discountId, x.amount]))
  let running = BigInt(line.amount)
  for (const x of d.discounts) {
    if (x.percentOff === undefined) break
    const off = round(mul([running, 1n], mul(q(x.percentOff), [1n, 100n])))
    expect(off).toBe(BigInt(x.amount))
    running -= off
  }
  expect(line.total).toBe(line.amount - d.discounts.reduce((a, x) => a + x.amount, 0))
  if (d.tiers !== undefined && d.tiers.length > 0) {
    const sum = d.tiers.reduce<Q>((a, t) => add(a, q(t.amount)), [0n, 1n])
    expect(eq(sum, line.kind === "credit" ? neg(q(d.base)) : q(d.base))).toBe(true)
  }
  if (d.fraction?.unit === "millisecond" && d.fraction.numerator > 0) {
    expect(d.fraction.numerator).toBe(Date.parse(d.fraction.to) - Date.parse(d.fraction.from))
  }
  if (d.ledger !== undefined) for (const e of d.ledger.entries) expect(e.open).toBe(Math.max(0, e.amount - e.credited))
}

describe("the derivation of every line (issue #12 item 3)", () => {
  it("recomputing a line from its derivation alone gives its exact amount, minor units, delta and discounts", () => {
    const seen = { lines: 0, prorated: 0, tiers: 0, ledger: 0, rounded: 0, days: 0 }
    const next = fc.record({
      planId: fc.constantFrom("p0", "p1", "p2", "p3"),
      later: fc.integer({ min: 0, max: 20 * 86_400_000 }),
      policy: fc.constantFrom<unknown>("exact", "stripe", "lago", "killbill", { clock: "day", dayCount: "fixed30", timeZone: "Asia/Kolkata" })
    })
    fc.assert(fc.property(plannedDocumentArb, next, (doc, then) => {
      const r = previewAttachSync(doc)
      if (Result.isFailure(r)) return
      const p = r.success
      for (const line of [...p.lines, ...(p.nextCycle?.lines ?? [])]) {
        check(line)
        seen.lines++
        if (line.derivation?.fraction !== undefined) seen.prorated++
        if ((line.derivation?.tiers?.length ?? 0) > 0) seen.tiers++
        if (line.derivation?.roundingDelta !== "0") seen.rounded++
      }
      // and the next attach on customerAfter, where credits draw on the ledger
      const at = new Date(Date.parse((doc["request"] as { at: string }).at) + then.later).toISOString()
      const again = previewAttachSync({ ...doc, customer: p.customerAfter, request: { customerId: "cus_1", at, plans: [{ planId: then.planId }], planSchedule: "immediate", prorationPolicy: then.policy } })
      if (Result.isFailure(again)) return
      for (const line of again.success.lines) {
        check(line)
        seen.lines++
        if (line.derivation?.ledger !== undefined) seen.ledger++
        if (line.derivation?.fraction?.unit === "day") seen.days++
      }
    }), { seed: 12, numRuns: 600 })
    expect(seen.lines).toBeGreaterThan(400)
    expect(seen.prorated).toBeGreaterThan(40)
    expect(seen.rounded).toBeGreaterThan(50)
    expect(seen.tiers).toBeGreaterThan(10)
    expect(seen.ledger).toBeGreaterThan(10)
    expect(seen.days).toBeGreaterThan(10)
  })
})
