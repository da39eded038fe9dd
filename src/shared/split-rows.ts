/**
 * How a data block's `split` turns into rows: the one rule the checker
 * (which reports each split's rows) and the runtime (which draws them)
 * both follow. A size is a row count or a fraction of the usable rows; a
 * fraction takes that share rounded down, except that when the fractions
 * add up to 1 the last one takes what rounding left over, so
 * `train: 0.6, val: 0.2, test: 0.2` uses every row.
 */

/** One split's size as written. */
export interface SplitSize {
  name: string;
  /** A row count, or a fraction in (0, 1] when `fraction`. */
  value: number;
  fraction: boolean;
}

/** How far from 1 a sum of fractions may be and still count as "every row" (float sums such as 0.6 + 0.2 + 0.2). */
const WHOLE_TOLERANCE = 1e-9;

/** Rows per split, in the order written. */
export function splitRows(sizes: readonly SplitSize[], usableRows: number): Map<string, number> {
  const rows = new Map(sizes.map((size) => [size.name, size.fraction ? Math.floor(size.value * usableRows) : size.value]));
  const fractions = sizes.filter((size) => size.fraction);
  const last = fractions[fractions.length - 1];
  const fractionTotal = fractions.reduce((sum, size) => sum + size.value, 0);
  if (last && Math.abs(fractionTotal - 1) < WHOLE_TOLERANCE) {
    const others = [...rows].reduce((sum, [name, count]) => (name === last.name ? sum : sum + count), 0);
    rows.set(last.name, Math.max(0, usableRows - others));
  }
  return rows;
}

/**
 * A size as the generated program writes it, a plain number: below 1 a
 * fraction, otherwise a row count.
 */
export function writtenSplitSize(name: string, value: number): SplitSize {
  return { name, value, fraction: value < 1 };
}
