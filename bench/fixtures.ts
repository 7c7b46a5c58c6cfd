/**
 * The documents the benchmark runs on, all built deterministically from examples/catalog.json:
 * the core scenarios (new, mid-cycle upgrade with usage, downgrade, prepaid tiers, trial,
 * discount), the scaled catalogs and customers, and the generated `{ customer, request }` lines
 * of the end-to-end run.
 */
import { readFileSync } from "node:fs"
import { makeRng, type Rng } from "./prng.ts"

/** A JSON value (documents are built as plain JSON, then decoded like the CLI does). */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | JsonObject
/** A JSON object. */
export interface JsonObject {
  readonly [key: string]: Json
}

const readJson = (relative: string): JsonObject => {
  const value: unknown = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8"))
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${relative} is not a JSON object`)
  return value as JsonObject
}

const objectAt = (o: JsonObject, key: string): JsonObject => {
  const v = o[key]
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${key} is not an object`)
  return v as JsonObject
}

const arrayAt = (o: JsonObject, key: string): ReadonlyArray<Json> => {
  const v = o[key]
  if (!Array.isArray(v)) throw new Error(`${key} is not an array`)
  return v as ReadonlyArray<Json>
}

const asObject = (v: Json | undefined): JsonObject => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object")
  return v as JsonObject
}

/** Absolute path of the example catalog (the end-to-end run reads it with `--catalog`). */
export const exampleCatalogPath = new URL("../examples/catalog.json", import.meta.url).pathname

/** examples/catalog.json as JSON. */
export const exampleCatalog = (): JsonObject => readJson("../examples/catalog.json")

/** One `{ customer, request }` document. */
export interface ScenarioDocument {
  readonly label: string
  readonly document: JsonObject
}

const fromExample = (label: string, file: string): ScenarioDocument => {
  const doc = readJson(`../examples/${file}.json`)
  return { label, document: { customer: objectAt(doc, "customer"), request: objectAt(doc, "request") } }
}

/**
 * The core scenarios. new / upgrade / downgrade / prepaid-tiers come from examples/*.json (whose
 * catalog is examples/catalog.json); trial and discount are built here on the same catalog.
 */
export const coreScenarios = (): ReadonlyArray<ScenarioDocument> => {
  const upgrade = fromExample("upgrade (mid-cycle, usage)", "upgrade")
  const upgradeCustomer = objectAt(upgrade.document, "customer")
  return [
    fromExample("new", "new"),
    upgrade,
    fromExample("downgrade", "downgrade"),
    fromExample("prepaid tiers", "prepaid-tiers"),
    {
      // pro_annual carries a 14-day free trial that needs no card; this customer never used it.
      label: "trial",
      document: {
        customer: { id: "cus_trial", hasPaymentMethod: false, subscriptions: [] },
        request: { customerId: "cus_trial", at: "2025-03-10T12:00:00Z", plans: [{ planId: "pro_annual" }] }
      }
    },
    {
      // The mid-cycle upgrade again, on a customer holding LAUNCH20 (percent off, 3 months) since
      // the start of the period, plus WELCOME5 (amount off, once) and a promotion code on the
      // request: percent and amount-off discounts, on charge and credit lines.
      label: "discount",
      document: {
        customer: { ...upgradeCustomer, id: "cus_discount", discounts: [{ discountId: "LAUNCH20", appliedAt: "2025-01-01T00:00:00Z" }] },
        request: {
          customerId: "cus_discount",
          at: "2025-01-16T00:00:00Z",
          plans: [{ planId: "premium" }],
          discounts: [{ discountId: "WELCOME5" }, { promotionCode: "LAUNCH" }]
        }
      }
    }
  ]
}

// ---------------------------------------------------------------------------------------------
// Scaling: big catalogs, customers with many subscriptions
// ---------------------------------------------------------------------------------------------

/**
 * examples/catalog.json grown to `plans` plans: its 5 plans, then copies of pro / premium /
 * pro_annual / credits under new ids, spread over 25 groups, with varied prices.
 */
export const scaledCatalog = (plans: number): JsonObject => {
  const base = exampleCatalog()
  const originals = arrayAt(base, "plans").map(asObject)
  const templates = originals.filter((p) => p["id"] !== "free")
  const out: Array<JsonObject> = [...originals]
  for (let i = out.length; i < plans; i++) {
    const template = templates[i % templates.length]
    if (template === undefined) throw new Error("no template plan")
    const price = template["price"]
    const id = `${String(template["id"])}_${String(i).padStart(4, "0")}`
    const isAddOn = template["addOn"] === true
    out.push({
      ...template,
      id,
      name: `${String(template["name"])} #${i}`,
      ...(isAddOn ? {} : { group: `group_${i % 25}` }),
      ...(price === undefined ? {} : { price: { ...asObject(price), amount: String(10 + (i % 90)) } })
    })
  }
  return { ...base, plans: out.slice(0, plans) }
}

/**
 * The mid-cycle upgrade (pro → premium at 2025-01-16) for a customer holding `subscriptions`
 * subscriptions: its pro subscription plus subscriptions of pro / premium / pro_annual / credits
 * on entities `ent_1`… (one workspace each), all active. The same customer is used with every
 * catalog size, so only the catalog changes along that axis.
 */
export const scaledUpgrade = (subscriptions: number): JsonObject => {
  const upgrade = fromExample("upgrade", "upgrade").document
  const customer = objectAt(upgrade, "customer")
  const own = arrayAt(customer, "subscriptions").map(asObject)
  const planIds = ["pro", "premium", "pro_annual", "credits"]
  const subs: Array<JsonObject> = [...own]
  for (let j = 1; subs.length < subscriptions; j++) {
    const planId = planIds[j % planIds.length] ?? "pro"
    const day = String(1 + (j % 15)).padStart(2, "0")
    subs.push({
      id: `sub_ent_${j}`,
      planId,
      entityId: `ent_${j}`,
      status: "active",
      billingAnchor: `2025-01-${day}T00:00:00Z`,
      startedAt: `2025-01-${day}T00:00:00Z`,
      featureQuantities: planId === "credits" ? [{ featureId: "credits", quantity: 1100 }] : [{ featureId: "seats", quantity: 1 + (j % 6) }],
      usage: [{ featureId: planId === "credits" ? "credits" : "messages", used: (j * 37) % 400 }],
      providerSubscriptionId: `sub_prov_${j}`
    })
  }
  return { customer: { ...customer, subscriptions: subs.slice(0, subscriptions) }, request: objectAt(upgrade, "request") }
}

// ---------------------------------------------------------------------------------------------
// End to end: generated customers
// ---------------------------------------------------------------------------------------------

/** The kinds of generated lines, with their share of the stream. */
export const LINE_MIX = [
  { kind: "new", share: 0.3 },
  { kind: "upgrade", share: 0.3 },
  { kind: "downgrade", share: 0.2 },
  { kind: "prepaid", share: 0.2 }
] as const

/** A kind of generated line. */
export type LineKind = (typeof LINE_MIX)[number]["kind"]

const DAY = 86_400_000
const YEAR_START = Date.UTC(2025, 0, 1)

const iso = (t: number): string => new Date(t).toISOString().replace(".000Z", "Z")

const kindOf = (rng: Rng): LineKind => {
  let x = rng.next()
  for (const m of LINE_MIX) {
    if (x < m.share) return m.kind
    x -= m.share
  }
  return "new"
}

/** A monthly subscription anchored on a random day of 2025, and an instant inside its current period. */
const subscriptionAndInstant = (rng: Rng, id: string, planId: string): { readonly sub: JsonObject; readonly at: string } => {
  const anchor = YEAR_START + rng.int(0, 180) * DAY
  const at = anchor + rng.int(0, 330) * DAY + rng.int(3600, 86_000) * 1000
  // The time of day (01:00 or later) keeps `at` off a period boundary (anchors are at midnight).
  const sub: JsonObject = {
    id,
    planId,
    status: "active",
    billingAnchor: iso(anchor),
    startedAt: iso(anchor),
    featureQuantities: [{ featureId: "seats", quantity: rng.int(1, 12) }],
    usage: [{ featureId: "messages", used: rng.int(0, 900) }],
    providerSubscriptionId: `sub_prov_${id}`
  }
  return { sub, at: iso(at) }
}

/**
 * The i-th generated `{ customer, request }` line (0-based) of the stream seeded by `seed`: a mix
 * of new subscriptions, upgrades with usage, downgrades and prepaid credit purchases. Uses its
 * own PRNG per line so any line can be regenerated on its own.
 */
export const generatedLine = (seed: number, i: number): { readonly kind: LineKind; readonly document: JsonObject } => {
  const rng = makeRng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0)
  const kind = kindOf(rng)
  const id = `cus_${String(i).padStart(7, "0")}`
  const hasPaymentMethod = rng.chance(0.85)
  switch (kind) {
    case "new": {
      const at = iso(YEAR_START + rng.int(0, 364) * DAY + rng.int(0, 86_399) * 1000)
      const planId = rng.pick(["pro", "premium", "pro_annual"])
      return { kind, document: { customer: { id, hasPaymentMethod, subscriptions: [] }, request: { customerId: id, at, plans: [{ planId }] } } }
    }
    case "upgrade": {
      const { sub, at } = subscriptionAndInstant(rng, `sub_${id}`, "pro")
      const planId = rng.pick(["premium", "premium", "pro_annual"])
      return { kind, document: { customer: { id, hasPaymentMethod: true, subscriptions: [sub] }, request: { customerId: id, at, plans: [{ planId }] } } }
    }
    case "downgrade": {
      const { sub, at } = subscriptionAndInstant(rng, `sub_${id}`, "premium")
      const planId = rng.pick(["pro", "pro", "free"])
      return { kind, document: { customer: { id, hasPaymentMethod: true, subscriptions: [sub] }, request: { customerId: id, at, plans: [{ planId }] } } }
    }
    case "prepaid": {
      const quantity = 100 * rng.int(1, 201) // included 100 + at most 20,000 bought
      if (rng.chance(0.5)) {
        const at = iso(YEAR_START + rng.int(0, 364) * DAY + rng.int(0, 86_399) * 1000)
        return { kind, document: { customer: { id, hasPaymentMethod, subscriptions: [] }, request: { customerId: id, at, plans: [{ planId: "credits", featureQuantities: [{ featureId: "credits", quantity }] }] } } }
      }
      // Credits joining an existing pro subscription: prorated to its period end.
      const { sub, at } = subscriptionAndInstant(rng, `sub_${id}`, "pro")
      return { kind, document: { customer: { id, hasPaymentMethod: true, subscriptions: [sub] }, request: { customerId: id, at, plans: [{ planId: "credits", featureQuantities: [{ featureId: "credits", quantity }] }] } } }
    }
  }
}
