/**
 * The one vocabulary the tests build attach documents with: one name a concept — the features
 * ({@link FEATURES}), a {@link catalog} (and the {@link referenceCatalog}), a {@link plan} (and its
 * shapes {@link monthly}, {@link addOn}, {@link oneOff}, {@link freePlan}), its items
 * ({@link prepaidItem}, {@link usageItem}), a {@link subscription}, a {@link customer}, a
 * {@link request}, the attach document ({@link doc}), and the fixed instants ({@link JAN1} …,
 * {@link iso}, {@link DAY}). Running the documents is ./run.ts.
 *
 * Everything builds the plain input JSON (never the decoded model), so each test goes through
 * decoding exactly as a user's document does.
 *
 * The reference period most tests use: anchor 2025-01-01, at 2025-01-16, monthly prices →
 * period [Jan 1, Feb 1) of 31 days with 16 days left: fraction = 16/31.
 *
 * @example
 * const d = doc(catalog([monthly("pro", "20")]), customer([subscription("lite", JAN1)]), request(JAN16, "pro"))
 * preview(d).total // 2000
 */

/** A JSON object of the input document (loosely typed: the engine decodes it). */
export type Obj = Readonly<Record<string, unknown>>

/** One day in milliseconds. */
export const DAY = 86_400_000
/** The instants of the reference period: its anchor (Jan 1), the request (Jan 16), the next anchor (Feb 1) and a month after the request (Feb 16). */
export const JAN1 = "2025-01-01T00:00:00.000Z"
export const JAN16 = "2025-01-16T00:00:00.000Z"
export const FEB1 = "2025-02-01T00:00:00.000Z"
export const FEB16 = "2025-02-16T00:00:00.000Z"

/** The document form of an instant (UTC, milliseconds): from epoch milliseconds, or any instant text. */
export const iso = (t: number | string): string => new Date(t).toISOString()

/**
 * The features of every test catalog:
 * - `messages`: metered, consumable (usage billed in arrears, or prepaid packs), no display names
 * - `seats`: metered, non-consumable (allocated: billed in advance on units held), display "seat" / "seats"
 * - `storage`: metered, non-consumable, display "GB" / "GB" (prepaid packs, items that carry no usage)
 * - `members`: metered, non-consumable, display "member" / "people" (an irregular plural)
 * - `sso`: boolean
 */
export const FEATURES: ReadonlyArray<Obj> = [
  { id: "messages", name: "Messages", type: "metered", consumable: true },
  { id: "seats", name: "Seats", type: "metered", display: { singular: "seat", plural: "seats" } },
  { id: "storage", name: "Storage", type: "metered", display: { singular: "GB", plural: "GB" } },
  { id: "members", name: "Members", type: "metered", display: { singular: "member", plural: "people" } },
  { id: "sso", name: "SSO", type: "boolean" }
]

const titled = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1)

/** A catalog in usd with {@link FEATURES}. */
export const catalog = (plans: ReadonlyArray<Obj>, extra: Obj = {}): Obj => ({ defaultCurrency: "usd", features: FEATURES, plans, ...extra })

/** A plan with a base price of `amount` every `interval` (default month), plus any extra fields. */
export const plan = (id: string, amount: string, interval = "month", extra: Obj = {}): Obj => ({
  id,
  name: titled(id),
  price: { amount, interval },
  ...extra
})

/** A monthly plan. */
export const monthly = (id: string, amount: string, extra: Obj = {}): Obj => plan(id, amount, "month", extra)

/** A monthly add-on. */
export const addOn = (id: string, amount: string, extra: Obj = {}): Obj => plan(id, amount, "month", { addOn: true, ...extra })

/** A one-off plan. */
export const oneOff = (id: string, amount: string, extra: Obj = {}): Obj => plan(id, amount, "one_off", extra)

/** A free plan (no price; an unpriced allowance of 50 messages a month). */
export const freePlan = (id = "free", extra: Obj = {}): Obj => ({
  id,
  name: titled(id),
  items: [{ featureId: "messages", included: 50, reset: { interval: "month" } }],
  ...extra
})

/**
 * The reference catalog of the full-preview tests: free, pro $20/month, premium $50/month, an
 * add-on "extra" $10/month and a one-off "pack" $15, plus any extra catalog fields (discounts …).
 */
export const referenceCatalog = (extra: Obj = {}): Obj => catalog([
  freePlan("free"),
  monthly("pro", "20"),
  monthly("premium", "50"),
  addOn("extra", "10"),
  oneOff("pack", "15")
], extra)

/**
 * A prepaid item of `featureId`: bought in advance, the quantity part of the request. `price`
 * holds the price fields (amount or tiers, billingUnits …; monthly unless it says otherwise),
 * `extra` the item fields (included, proration …).
 */
export const prepaidItem = (featureId: string, price: Obj, extra: Obj = {}): Obj => ({
  featureId,
  price: { interval: "month", billingMethod: "prepaid", ...price },
  ...extra
})

/**
 * A usage-based item of `featureId`: in arrears on a consumable feature (messages), allocated on
 * the units held on a non-consumable one (seats). `price` and `extra` as for {@link prepaidItem}.
 */
export const usageItem = (featureId: string, price: Obj, extra: Obj = {}): Obj => ({
  featureId,
  price: { interval: "month", billingMethod: "usage_based", ...price },
  ...extra
})

/** An active subscription to `planId` anchored (and started) at `anchor`. */
export const subscription = (planId: string, anchor: string, extra: Obj = {}): Obj => ({
  id: `sub_${planId}_old`,
  planId,
  status: "active",
  billingAnchor: anchor,
  startedAt: anchor,
  ...extra
})

/** Customer `cus_1` with a card on file unless overridden. */
export const customer = (subscriptions: ReadonlyArray<Obj>, extra: Obj = {}): Obj => ({
  id: "cus_1",
  hasPaymentMethod: true,
  subscriptions,
  ...extra
})

/** A request for `cus_1` at `at`: one plan id, or a list of requested plans. */
export const request = (at: string, plans: string | ReadonlyArray<Obj>, extra: Obj = {}): Obj => ({
  customerId: "cus_1",
  at,
  plans: typeof plans === "string" ? [{ planId: plans }] : plans,
  ...extra
})

/** The attach document. */
export const doc = (catalogDoc: Obj, customerDoc: Obj, requestDoc: Obj): Obj => ({ catalog: catalogDoc, customer: customerDoc, request: requestDoc })
