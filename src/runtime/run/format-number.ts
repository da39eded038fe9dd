/** Numbers as the progress lines and the report show them. */

/** Four significant digits; exponent form only where that would read as zeros or run long. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(3);
  if (magnitude >= 1e3 || (Number.isInteger(value) && magnitude >= 1)) return Math.round(value).toString();
  return value.toPrecision(4);
}

/** `m:ss`, or `h:mm:ss` from an hour on: an ETA or a total time. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** An epoch's time: `2.1s` while short, then as a duration. */
export function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(1)}s` : formatDuration(seconds);
}
