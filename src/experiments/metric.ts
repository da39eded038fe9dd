import type { Program } from "../compiler/checker/program.js";
import { metricNames } from "../compiler/checker/metrics.js";
import { higherIsBetter, parseMetricName, splitMetricName, taskMetricKey } from "../shared/metric-names.js";

/**
 * The metric an experiment compares, by the name it has in a run's
 * `metrics.json`: `SPLIT_METRIC` (`test_accuracy`, `val_fit_rmse`) for a
 * split, `ROW METRIC` (`test under fgsm(eps: 0.1) accuracy`) for a row a
 * technique adds. Every metric runs know has a direction.
 */
export interface MetricChoice {
  name: string;
  higherIsBetter: boolean;
}

/** Each task kind's headline metric; other kinds use their first. */
const HEADLINE: Record<string, string> = { classify: "accuracy", regress: "rmse" };

/** The first task's headline metric on the test split (else val, else train). */
export function defaultMetric(program: Program, taskMetrics: (kind: string) => readonly string[]): MetricChoice | undefined {
  const task = [...program.tasks.values()][0];
  const data = task?.data;
  if (!task || !data) return undefined;
  const metric = HEADLINE[task.kind] ?? taskMetrics(task.kind)[0] ?? "loss";
  const split = ["test", "val", "train"].find((s) => data.splits.has(s)) ?? "train";
  const name = splitMetricName(split, program.tasks.size === 1 ? metric : taskMetricKey(task.name, metric));
  return { name, higherIsBetter: higherIsBetter(name) ?? false };
}

/**
 * A metric named on the command line: one of the split metrics the spec's
 * runs report, or a technique's row (checked once trials report it). Returns
 * the choice, or a message saying what is wrong.
 */
export function namedMetric(name: string, program: Program): MetricChoice | string {
  const direction = higherIsBetter(name);
  const data = [...program.tasks.values()][0]?.data;
  const known = data ? metricNames(data, [...program.tasks.values()].filter((t) => t.data === data)) : [];
  const isSplitMetric = parseMetricName(name) !== undefined;
  if ((isSplitMetric && !known.includes(name)) || direction === undefined) {
    return `no metric \`${name}\` with a known direction in this spec's runs; it reports ${known.join(", ")} (and rows such as \`test under ATTACK accuracy\` that techniques add)`;
  }
  return { name, higherIsBetter: direction };
}

/** A run's `metrics.json` as flat `name → value`: `SPLIT_METRIC` and `ROW METRIC`. */
export function flattenMetrics(metrics: unknown): Map<string, number> {
  const flat = new Map<string, number>();
  const { splits, extra } = (metrics ?? {}) as { splits?: Record<string, Record<string, unknown>>; extra?: Record<string, Record<string, unknown>> };
  for (const [split, values] of Object.entries(splits ?? {})) {
    for (const [metric, value] of Object.entries(values)) if (typeof value === "number") flat.set(splitMetricName(split, metric), value);
  }
  for (const [row, values] of Object.entries(extra ?? {})) {
    for (const [metric, value] of Object.entries(values)) if (typeof value === "number") flat.set(`${row} ${metric}`, value);
  }
  return flat;
}

/** Accuracy under an attack when adversarial training reported it (`test under fgsm(eps: 0.1) accuracy`), beside the headline metric. */
export function attackedMetrics(flat: ReadonlyMap<string, number>, headline: MetricChoice): MetricChoice[] {
  const parsed = parseMetricName(headline.name);
  if (!parsed) return [];
  const { split, key: metric } = parsed;
  return [...flat.keys()]
    .filter((name) => name.startsWith(`${split} under `) && name.endsWith(` ${metric}`))
    .map((name) => ({ name, higherIsBetter: headline.higherIsBetter }));
}
