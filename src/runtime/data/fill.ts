import { DataError } from "./dataset.js";
import type { Examples } from "./examples.js";

/**
 * `missing mean`: every gap (NaN) in a feature becomes that feature's mean
 * over the train split's rows that have a value, in place, before
 * normalization fits, so the fill is what the normalizer sees. Returns
 * the means, which prediction fills gaps with too.
 */
export function fillWithTrainMeans(examples: Examples, trainRows: Int32Array): number[] {
  const { x, width } = examples;
  const sums = new Float64Array(width);
  const counts = new Float64Array(width);
  for (const row of trainRows) {
    for (let f = 0; f < width; f++) {
      const v = x[row * width + f]!;
      if (Number.isNaN(v)) continue;
      sums[f]! += v;
      counts[f]!++;
    }
  }
  for (let f = 0; f < width; f++) {
    if (counts[f] === 0) throw new DataError(`${examples.label}, column \`${examples.featureName(f)}\`: no row of the train split has a value, so \`missing mean\` has no mean to fill with`);
  }
  const means = Array.from(sums, (sum, f) => sum / counts[f]!);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!)) x[i] = means[i % width]!;
  }
  return means;
}
