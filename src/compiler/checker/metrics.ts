import * as catalog from "../catalog/index.js";
import { EVALUATED_SPLITS, metricNames as namesOnSplits, parseMetricName, type NamedTask } from "../../shared/metric-names.js";
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
