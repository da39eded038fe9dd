import * as catalog from "../catalog/index.js";
import type { DataInfo, TaskInfo } from "./program.js";

/** Splits whose metrics are reported during training. */
export const EVALUATED_SPLITS = ["train", "val", "test"] as const;

/**
 * The metric names a run reports: `SPLIT_loss`, `SPLIT_METRIC` for a single
 * task, and `SPLIT_TASK_loss` / `SPLIT_TASK_METRIC` per task.
 */
export function metricNames(data: DataInfo, tasks: readonly TaskInfo[]): string[] {
  const names: string[] = [];
  for (const split of EVALUATED_SPLITS) {
    if (!data.splits.has(split)) continue;
    names.push(`${split}_loss`);
    for (const task of tasks) {
      const metrics = catalog.fn("task", task.kind)?.metrics ?? [];
      if (tasks.length === 1) names.push(...metrics.map((m) => `${split}_${m}`));
      names.push(`${split}_${task.name}_loss`, ...metrics.map((m) => `${split}_${task.name}_${m}`));
    }
  }
  return names;
}

export function splitOfMetric(name: string): string | undefined {
  return EVALUATED_SPLITS.find((s) => name.startsWith(`${s}_`));
}
