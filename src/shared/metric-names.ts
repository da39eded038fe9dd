/**
 * How metrics are named, the one rule for the checker (which accepts a
 * `monitor` or a search's metric), the runtime (which reports them), the
 * language server and experiments (which read them back). On a split, a
 * run reports `loss` (the weighted sum over tasks), `TASK_loss` and
 * `TASK_METRIC` for every task, and with a single task also the bare
 * `METRIC`; outside a split's record a name carries the split first:
 * `val_loss`, `test_accuracy`, `val_economy_mae`.
 */

/** Splits whose metrics a run reports. */
export const EVALUATED_SPLITS = ["train", "val", "test"] as const;

export type EvaluatedSplit = (typeof EVALUATED_SPLITS)[number];

/** A task as naming sees it: its name and the metrics its kind reports. */
export interface NamedTask {
  name: string;
  metrics: readonly string[];
}

/** The loss every task and every split reports beside its metrics. */
export const LOSS = "loss";

/** A task's own metric within a split's record: `economy_mae`, `region_loss`. */
export function taskMetricKey(task: string, metric: string): string {
  return `${task}_${metric}`;
}

/** Every name in one split's record, in report order: `loss`, then per task (the bare metrics first with one task) `TASK_loss`, `TASK_METRIC`. */
export function splitMetricKeys(tasks: readonly NamedTask[]): string[] {
  const keys = [LOSS];
  for (const task of tasks) {
    if (tasks.length === 1) keys.push(...task.metrics);
    keys.push(taskMetricKey(task.name, LOSS), ...task.metrics.map((metric) => taskMetricKey(task.name, metric)));
  }
  return keys;
}

/** A split's record key with its split in front: `val_loss`. */
export function splitMetricName(split: string, key: string): string {
  return `${split}_${key}`;
}

/** Every name a run reports on the given splits. */
export function metricNames(splits: readonly string[], tasks: readonly NamedTask[]): string[] {
  return splits.flatMap((split) => splitMetricKeys(tasks).map((key) => splitMetricName(split, key)));
}

/** `val_economy_mae` → split `val`, key `economy_mae`; undefined when it starts with no evaluated split. */
export function parseMetricName(name: string): { split: EvaluatedSplit; key: string } | undefined {
  const split = EVALUATED_SPLITS.find((candidate) => name.startsWith(`${candidate}_`));
  return split && { split, key: name.slice(split.length + 1) };
}

/** The task a record key names and its metric (`economy_mae` → economy, mae); undefined for `loss` and bare metrics. */
export function taskOfMetricKey(key: string, tasks: readonly NamedTask[]): { task: string; metric: string } | undefined {
  for (const task of tasks) {
    const prefix = `${task.name}_`;
    const metric = key.slice(prefix.length);
    if (key.startsWith(prefix) && (metric === LOSS || task.metrics.includes(metric))) return { task: task.name, metric };
  }
  return undefined;
}

/** Metrics where higher is better; losses and errors (`loss`, `mae`, `mse`, `rmse`) go down. */
const HIGHER_IS_BETTER: Readonly<Record<string, boolean>> = { accuracy: true, loss: false, mae: false, mse: false, rmse: false };

/** Whether higher is better for a metric, by its last word (`test_digit_accuracy` → accuracy); undefined when unknown. */
export function higherIsBetter(name: string): boolean | undefined {
  const word = /([a-z0-9]+)$/i.exec(name)?.[1];
  return word === undefined ? undefined : HIGHER_IS_BETTER[word];
}
