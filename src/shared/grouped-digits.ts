/**
 * A number rounded to a whole one, its digits grouped in threes by commas
 * (`1,234,567`), as `toLocaleString("en-US")` writes it, without loading
 * the locale data that makes that call's first use take about 15 ms: a
 * hover or a check that shows a parameter count would wait for it.
 */
export function groupedDigits(value: number): string {
  // Halves away from zero, as toLocaleString rounds.
  const whole = Math.sign(value) * Math.round(Math.abs(value));
  if (!Number.isSafeInteger(whole)) return whole.toLocaleString("en-US");
  const grouped = String(Math.abs(whole)).replace(/\B(?=(\d{3})+$)/g, ",");
  return whole < 0 ? `-${grouped}` : grouped;
}
