/**
 * What Autumn shows of a product that does not change what is billed, and so has no place in the
 * catalog: when it was created, and per item `reset_usage_when_enabled`, `entity_feature_id` and
 * the trial's `unique_fingerprint`. Read from the raw Autumn JSON at import, kept beside the
 * imported catalog (keyed by the catalog value itself), and read back when a product is shown.
 */
import type { Catalog } from "../../Catalog.ts"
import { isRecord } from "./productWire.ts"

/** Display-only facts of one item of a product. */
export interface ItemInfo {
  readonly resetUsageWhenEnabled: boolean | undefined
  readonly entityFeatureId: string | null
}

/** Display-only facts of one product (plan id + version). */
export interface ProductInfo {
  readonly createdAt: number
  readonly uniqueFingerprint: boolean
  readonly items: ReadonlyMap<string, ItemInfo>
}

const infos = new WeakMap<Catalog, ReadonlyMap<string, ProductInfo>>()

/** The key of a product version. */
export const productKey = (planId: string, version: number): string => `${planId}@${version}`

const itemInfo = (raw: Record<string, unknown>): ItemInfo => ({
  resetUsageWhenEnabled: typeof raw["reset_usage_when_enabled"] === "boolean" ? raw["reset_usage_when_enabled"] : undefined,
  entityFeatureId: typeof raw["entity_feature_id"] === "string" ? raw["entity_feature_id"] : null
})

const productInfo = (raw: Record<string, unknown>): ProductInfo => {
  const items = new Map<string, ItemInfo>()
  for (const item of Array.isArray(raw["items"]) ? raw["items"] : []) {
    if (isRecord(item) && typeof item["feature_id"] === "string") items.set(item["feature_id"], itemInfo(item))
  }
  const trial = raw["free_trial"]
  const createdAt = raw["created_at"]
  return {
    createdAt: typeof createdAt === "number" && Number.isSafeInteger(createdAt) ? createdAt : 0,
    uniqueFingerprint: isRecord(trial) && trial["unique_fingerprint"] === true,
    items
  }
}

/** Records the display-only facts of the raw products an imported catalog came from. */
export const rememberProducts = (catalog: Catalog, products: ReadonlyArray<unknown>): void => {
  const out = new Map<string, ProductInfo>()
  for (const raw of products) {
    if (!isRecord(raw) || typeof raw["id"] !== "string") continue
    const version = typeof raw["version"] === "number" ? raw["version"] : 1
    out.set(productKey(raw["id"], version), productInfo(raw))
  }
  infos.set(catalog, out)
}

/** The display-only facts of a product version, when its catalog was imported from Autumn. */
export const productInfoOf = (catalog: Catalog, planId: string, version: number): ProductInfo | undefined =>
  infos.get(catalog)?.get(productKey(planId, version))
