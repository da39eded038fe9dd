import * as catalog from "../catalog/index.js";
import { EVALUATED_SPLITS, metricNames as namesOnSplits, parseMetricName, taskOfMetricKey, type NamedTask } from "../../shared/metric-names.js";
import type { DataInfo, TaskInfo } from "./program.js";

/** A task as metric names see it: its name and its kind's metrics from the catalog. */
export function namedTask(task: TaskInfo): NamedTask {
  return { name: task.name, metrics: catalog.fn("task", task.kind)?.metrics ?? [] };
}

/**
 * The metric names a run reports on the data's evaluated splits:
 * `SPLIT_loss`, `SPLIT_METRIC` for a single task, and `SPLIT_TASK_loss` /
 * `SPLIT_TASK_METRIC` per task.
 */
export function metricNames(data: DataInfo, tasks: readonly TaskInfo[]): string[] {
  return namesOnSplits(
    EVALUATED_SPLITS.filter((split) => data.splits.has(split)),
    tasks.map(namedTask),
  );
}

export function splitOfMetric(name: string): string | undefined {
  return parseMetricName(name)?.split;
}

/** The task a per-task metric names (`val_economy_loss`), and where its name stands in the metric's text. */
export function taskInMetric(name: string, tasks: readonly TaskInfo[]): { task: TaskInfo; start: number; end: number } | undefined {
  const parsed = parseMetricName(name);
  const named = parsed && taskOfMetricKey(parsed.key, tasks.map(namedTask));
  const task = named && tasks.find((t) => t.name === named.task);
  if (!parsed || !task) return undefined;
  const start = parsed.split.length + 1;
  return { task, start, end: start + task.name.length };
}
