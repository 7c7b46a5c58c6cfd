/**
 * The features of an imported Autumn catalog: from an optional Autumn features list (names and
 * types as Autumn defines them), else from what the products' items say or imply.
 *
 * @example
 * import { resolveFeatures } from "./productFeatures.ts"
 * // resolveFeatures(listedFeatures, hintsFromProducts, conversion) → Map of feature id → hint
 */
import type { Conversion, FeatureHint, FeatureInput } from "./productWire.ts"
import { record } from "./productWire.ts"

/**
 * Merges hints by feature id, first appearance first: a listed feature wins outright; then the
 * first explicit hint (an Autumn feature type); inferred hints add up (metered if any item
 * counts units, consumable if any item resets).
 */
export const resolveFeatures = (listed: ReadonlyArray<FeatureHint>, hints: ReadonlyArray<FeatureHint>): Map<string, FeatureHint> => {
  const out = new Map<string, FeatureHint>()
  for (const h of listed) if (!out.has(h.id)) out.set(h.id, h)
  const fromList = new Set(out.keys())
  for (const h of hints) {
    if (fromList.has(h.id)) continue
    const seen = out.get(h.id)
    if (seen === undefined) out.set(h.id, h)
    else if (!seen.explicit && h.explicit) out.set(h.id, { ...h, from: seen.from })
    else if (!seen.explicit) out.set(h.id, { ...seen, metered: seen.metered || h.metered, consumable: seen.consumable || h.consumable })
    else if (seen.name === undefined && h.name !== undefined) out.set(h.id, { ...seen, name: h.name, display: seen.display ?? h.display })
  }
  return out
}

/** The resolved features as catalog input features, recording where each came from. */
export const featureInputs = (features: ReadonlyMap<string, FeatureHint>, conv: Conversion): Array<FeatureInput> =>
  [...features.values()].map((h, f) => {
    // an inferred feature maps back to the item that named it; a listed one to its list entry
    record(conv, `catalog.features[${f}]`, h.from, h.from.endsWith(".feature_id") ? [[/^.*$/, ""]] : [])
    return {
      id: h.id,
      ...(h.name !== undefined ? { name: h.name } : {}),
      type: h.metered ? "metered" : "boolean",
      ...(h.metered && h.consumable ? { consumable: true } : {}),
      ...(h.display !== undefined ? { display: h.display } : {})
    }
  })
