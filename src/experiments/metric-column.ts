/**
 * Metrics that share a column — a tuning's objective, an ablation's arms
 * with their spreads and effects — are written with one number of decimals,
 * so they line up and compare digit by digit: enough for four significant
 * digits of the value that needs the most, so that none reads shorter than
 * it would alone (1 beside 0.9875 is 1.0000; 0.8973 → 4 decimals, 3.512 → 3,
 * 1234 → 0), at most 8.
 */
export function columnDecimals(values: ReadonlyArray<number | null>): number {
  const measured = values.filter((v): v is number => v !== null && Number.isFinite(v) && v !== 0);
  if (measured.length === 0) return 4;
  return Math.min(8, Math.max(0, ...measured.map((v) => 3 - Math.floor(Math.log10(Math.abs(v))))));
}

/** A writer for the numbers of one column, fixed at the decimals its values need. */
export function metricColumnFormat(values: ReadonlyArray<number | null>): (value: number) => string {
  const decimals = columnDecimals(values);
  return (value) => (Number.isFinite(value) ? value.toFixed(decimals) : String(value));
}
