/**
 * The price rise both what-if test files compare against: pro rises from $20 (€18) to $25 (€22),
 * annual from $120 to $180, lite stays at $10, and the new pro_2025 ($30) is usd only. Both
 * catalogs hold M2, 50 % off for two months.
 */
import { type Obj, catalog, plan } from "../support/build.ts"

/** The what-if's instant in both test files. */
export const AT = Date.parse("2025-01-16T00:00:00Z")

const discounts = { discounts: [{ id: "M2", percentOff: "50", duration: { months: 2 } }] }

/** The catalog before the rise. */
export const FROM: Obj = catalog([
  plan("lite", "10"), plan("pro", "20", "month", { price: { amount: "20", interval: "month", currencies: { eur: "18" } } }), plan("annual", "120", "year")
], discounts)

/** The catalog after the rise. */
export const TO: Obj = catalog([
  plan("lite", "10"), plan("pro", "25", "month", { price: { amount: "25", interval: "month", currencies: { eur: "22" } } }), plan("annual", "180", "year"),
  plan("pro_2025", "30")
], discounts)
