/**
 * A per-feature affine map `(v − shift) · scale`, fitted on the train split
 * only so no statistic of validation or test rows leaks into training, and
 * applied to every split.
 */
export interface FeatureMap {
  shift: Float64Array;
  scale: Float64Array;
}

export type NormalizeMode = "standard" | "minmax";

/**
 * Fits the map on the train rows of `x` (`width` values per row). `groupOf`
 * ties features that share statistics: each table column is its own group,
 * an image's pixels group by channel (as MNIST's usual 0.1307/0.3081 does).
 * No mode: the identity.
 */
export function fitFeatureMap(
  x: Float32Array,
  width: number,
  trainRows: Int32Array,
  mode: NormalizeMode | undefined,
  groupOf: (feature: number) => number,
): FeatureMap {
  const shift = new Float64Array(width);
  const scale = new Float64Array(width).fill(1);
  if (mode === undefined || trainRows.length === 0) return { shift, scale };
  const groupOfFeature = Int32Array.from({ length: width }, (_, f) => groupOf(f));
  const groups = Math.max(...groupOfFeature) + 1;
  const count = new Float64Array(groups);
  const mean = new Float64Array(groups);
  const min = new Float64Array(groups).fill(Infinity);
  const max = new Float64Array(groups).fill(-Infinity);
  for (const row of trainRows) {
    for (let f = 0; f < width; f++) {
      const g = groupOfFeature[f]!;
      const v = x[row * width + f]!;
      count[g]!++;
      mean[g]! += v;
      if (v < min[g]!) min[g] = v;
      if (v > max[g]!) max[g] = v;
    }
  }
  for (let g = 0; g < groups; g++) mean[g]! /= count[g]!;
  // Two passes: the variance from squared deviations, not E[v²] − E[v]², which cancels badly.
  const squares = new Float64Array(groups);
  if (mode === "standard") {
    for (const row of trainRows) {
      for (let f = 0; f < width; f++) {
        const g = groupOfFeature[f]!;
        const d = x[row * width + f]! - mean[g]!;
        squares[g]! += d * d;
      }
    }
  }
  for (let f = 0; f < width; f++) {
    const g = groupOfFeature[f]!;
    if (mode === "standard") {
      const std = Math.sqrt(squares[g]! / count[g]!);
      shift[f] = mean[g]!;
      // A constant feature carries no information: centre it, and leave its scale alone rather than divide by ~0.
      scale[f] = std > 1e-12 * Math.max(1, Math.abs(mean[g]!)) ? 1 / std : 1;
    } else {
      const range = max[g]! - min[g]!;
      shift[f] = min[g]!;
      scale[f] = range > 0 ? 1 / range : 1;
    }
  }
  return { shift, scale };
}

/** The chosen rows of `x`, mapped: one new array, ready to become a split's tensor. */
export function gatherRows(x: Float32Array, width: number, rows: Int32Array, map: FeatureMap): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    for (let f = 0; f < width; f++) out[i * width + f] = (x[row * width + f]! - map.shift[f]!) * map.scale[f]!;
  });
  return out;
}
