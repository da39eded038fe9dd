import { deriveSeed, permutation } from "../random.js";
import { DataError } from "./dataset.js";

/**
 * Rows per split, in the order written. A value ≥ 1 is a count, one below 1
 * a fraction of `rows` (rounded down). When the fractions add up to 1 the
 * last one takes the rounding remainder, so `train: 0.6, val: 0.2, test: 0.2`
 * uses every row.
 */
export function splitSizes(split: Readonly<Record<string, number>>, rows: number, source: string): Map<string, number> {
  const entries = Object.entries(split);
  for (const [name, value] of entries) {
    if (!(value > 0) || (value >= 1 && !Number.isInteger(value))) {
      throw new DataError(`split \`${name}\`: ${value} is neither a row count ≥ 1 nor a fraction in (0, 1)`);
    }
  }
  const fractions = entries.filter(([, value]) => value < 1);
  const fractionTotal = fractions.reduce((sum, [, value]) => sum + value, 0);
  const sizes = new Map(entries.map(([name, value]) => [name, value < 1 ? Math.floor(value * rows) : value]));
  const last = fractions[fractions.length - 1];
  if (last && Math.abs(fractionTotal - 1) < 1e-9) {
    const others = [...sizes].reduce((sum, [name, size]) => (name === last[0] ? sum : sum + size), 0);
    sizes.set(last[0], Math.max(0, rows - others));
  }
  const asked = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  if (asked > rows) {
    const list = [...sizes].map(([name, size]) => `${name} ${size}`).join(", ");
    throw new DataError(`the splits ask for ${asked} rows (${list}) but ${source} has ${rows} usable rows; splits never overlap, so shrink them`);
  }
  for (const [name, size] of sizes) {
    if (size === 0) throw new DataError(`split \`${name}\` gets no rows: ${split[name]} of ${source}'s ${rows} usable rows rounds down to 0`);
  }
  return sizes;
}

/** Disjoint row indices per split: consecutive runs of one seeded permutation of all rows. */
export function assignRows(sizes: ReadonlyMap<string, number>, rows: number, seed: number): Map<string, Int32Array> {
  const order = permutation(rows, deriveSeed(seed, "data", "split"));
  const assigned = new Map<string, Int32Array>();
  let start = 0;
  for (const [name, size] of sizes) {
    assigned.set(name, order.slice(start, start + size));
    start += size;
  }
  return assigned;
}
