import { splitRows, writtenSplitSize } from "../../shared/split-rows.js";
import { deriveSeed, permutation } from "../random.js";
import { DataError } from "./dataset.js";

/**
 * Rows per split, in the order written, by the rule the checker reports
 * them with (`splitRows`): a value ≥ 1 is a count, one below 1 a fraction
 * of `rows`.
 */
export function splitSizes(split: Readonly<Record<string, number>>, rows: number, source: string): Map<string, number> {
  const entries = Object.entries(split);
  for (const [name, value] of entries) {
    if (!(value > 0) || (value >= 1 && !Number.isInteger(value))) {
      throw new DataError(`split \`${name}\`: ${value} is neither a row count ≥ 1 nor a fraction in (0, 1)`);
    }
  }
  const sizes = splitRows(entries.map(([name, value]) => writtenSplitSize(name, value)), rows);
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
