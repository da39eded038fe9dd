import type { Program } from "../compiler/checker/program.js";
import { EVALUATED_SPLITS, metricNames } from "../compiler/checker/metrics.js";

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

const HIGHER_IS_BETTER: Record<string, boolean> = { accuracy: true, loss: false, mae: false, rmse: false, mse: false };

/** Each task kind's headline metric; other kinds use their first. */
const HEADLINE: Record<string, string> = { classify: "accuracy", regress: "rmse" };

/** Whether higher is better for a metric, by its last word (`test_digit_accuracy` → accuracy); undefined when unknown. */
export function directionOf(name: string): boolean | undefined {
  const word = /([a-z0-9]+)$/i.exec(name)?.[1];
  return word === undefined ? undefined : HIGHER_IS_BETTER[word];
}

/** The first task's headline metric on the test split (else val, else train). */
export function defaultMetric(program: Program, taskMetrics: (kind: string) => readonly string[]): MetricChoice | undefined {
  const task = [...program.tasks.values()][0];
  const data = task?.data;
  if (!task || !data) return undefined;
  const metric = HEADLINE[task.kind] ?? taskMetrics(task.kind)[0] ?? "loss";
  const split = ["test", "val", "train"].find((s) => data.splits.has(s)) ?? "train";
  const name = program.tasks.size === 1 ? `${split}_${metric}` : `${split}_${task.name}_${metric}`;
  return { name, higherIsBetter: directionOf(name) ?? false };
}

/**
 * A metric named on the command line: one of the split metrics the spec's
 * runs report, or a technique's row (checked once trials report it). Returns
 * the choice, or a message saying what is wrong.
 */
export function namedMetric(name: string, program: Program): MetricChoice | string {
  const higherIsBetter = directionOf(name);
  const data = [...program.tasks.values()][0]?.data;
  const known = data ? metricNames(data, [...program.tasks.values()].filter((t) => t.data === data)) : [];
  const isSplitMetric = EVALUATED_SPLITS.some((split) => name.startsWith(`${split}_`));
  if ((isSplitMetric && !known.includes(name)) || higherIsBetter === undefined) {
    return `no metric \`${name}\` with a known direction in this spec's runs; it reports ${known.join(", ")} (and rows such as \`test under ATTACK accuracy\` that techniques add)`;
  }
  return { name, higherIsBetter };
}

/** A run's `metrics.json` as flat `name → value`: `SPLIT_METRIC` and `ROW METRIC`. */
export function flattenMetrics(metrics: unknown): Map<string, number> {
  const flat = new Map<string, number>();
  const { splits, extra } = (metrics ?? {}) as { splits?: Record<string, Record<string, unknown>>; extra?: Record<string, Record<string, unknown>> };
  for (const [split, values] of Object.entries(splits ?? {})) {
    for (const [metric, value] of Object.entries(values)) if (typeof value === "number") flat.set(`${split}_${metric}`, value);
  }
  for (const [row, values] of Object.entries(extra ?? {})) {
    for (const [metric, value] of Object.entries(values)) if (typeof value === "number") flat.set(`${row} ${metric}`, value);
  }
  return flat;
}

/** Accuracy under an attack when adversarial training reported it (`test under fgsm(eps: 0.1) accuracy`), beside the headline metric. */
export function attackedMetrics(flat: ReadonlyMap<string, number>, headline: MetricChoice): MetricChoice[] {
  const split = EVALUATED_SPLITS.find((s) => headline.name.startsWith(`${s}_`));
  if (!split) return [];
  const metric = headline.name.slice(split.length + 1);
  return [...flat.keys()]
    .filter((name) => name.startsWith(`${split} under `) && name.endsWith(` ${metric}`))
    .map((name) => ({ name, higherIsBetter: headline.higherIsBetter }));
}
