import { formatMetric, formatSeconds } from "./format-number.js";
import type { EpochRecord, Metrics } from "./history.js";

/** `epoch 3/60  loss 0.4123  accuracy 0.8810  val_loss 0.5012  val_accuracy 0.8500  2.1s` */
export function formatEpochSummary(record: EpochRecord, epochs: number): string {
  const phase = record.phase === "train" ? "" : `${record.phase} `;
  const values = [...metricPairs(record.train, ""), ...metricPairs(record.val ?? {}, "val_")];
  return [`${phase}epoch ${record.epoch}/${epochs}`, ...values, formatSeconds(record.seconds)].join("  ");
}

/**
 * `loss 0.4123`, `accuracy 0.8810`, …, with a prefix for the validation
 * split. With one task its metrics come twice (`accuracy` and
 * `digit_accuracy`); the log shows the short name only.
 */
export function metricPairs(metrics: Metrics, prefix: string): string[] {
  const repeats = (name: string, value: number) =>
    Object.entries(metrics).some(([other, otherValue]) => other !== name && name.endsWith(`_${other}`) && otherValue === value);
  return Object.entries(metrics)
    .filter(([name, value]) => !repeats(name, value))
    .map(([name, value]) => `${prefix}${name} ${formatMetric(value)}`);
}
