import type { ExamplePrediction, TaskPrediction } from "../predict/predictor.js";

export type Format = "text" | "json" | "csv";

/** Predictions as `regc predict` prints them, one example per line (text, csv) or one JSON array. */
export function formatPredictions(predictions: readonly ExamplePrediction[], names: readonly string[], format: Format): string {
  if (format === "json") return `${JSON.stringify(predictions.map((tasks, i) => ({ input: names[i], predictions: tasks })), null, 2)}\n`;
  if (format === "csv") return csv(predictions, names);
  return predictions.map((tasks, i) => `${names[i]}: ${tasks.map(taskText).join("; ")}\n`).join("");
}

function taskText(task: TaskPrediction): string {
  const spread = (i: number) => (task.spread ? ` ± ${fixed(task.spread[i]!)}` : "");
  if (task.probabilities) {
    const ranked = task.probabilities.map((p, i) => ({ ...p, i })).sort((a, b) => b.probability - a.probability);
    return `${task.task} = ${task.label} (${ranked.map((p) => `${p.label} ${fixed(p.probability)}${spread(p.i)}`).join(", ")})`;
  }
  const values = task.values!;
  const shown = values.slice(0, 8).map((v, i) => `${Number(v.toPrecision(6))}${spread(i)}`).join(", ");
  return `${task.task} = ${values.length === 1 ? shown : `[${shown}${values.length > 8 ? `, … (${values.length} values)` : ""}]`}`;
}

/** One row per example: the input, then per task its label and each probability (or its values), and spreads when sampled. */
function csv(predictions: readonly ExamplePrediction[], names: readonly string[]): string {
  const first = predictions[0] ?? [];
  const header = ["input", ...first.flatMap(columnsOf)];
  const rows = predictions.map((tasks, i) => [names[i]!, ...tasks.flatMap(cellsOf)]);
  return [header, ...rows].map((cells) => cells.map(quote).join(",")).join("\n") + "\n";
}

function columnsOf(task: TaskPrediction): string[] {
  const parts = task.probabilities ? task.probabilities.map((p) => `p(${p.label})`) : task.values!.map((_, i) => (task.values!.length === 1 ? "" : `[${i}]`));
  const columns = task.probabilities ? [task.task, ...parts.map((p) => `${task.task} ${p}`)] : parts.map((p) => `${task.task}${p}`);
  return task.spread ? [...columns, ...parts.map((p) => `${task.task}${p ? ` ${p}` : ""} spread`)] : columns;
}

function cellsOf(task: TaskPrediction): string[] {
  const values = task.probabilities ? task.probabilities.map((p) => p.probability) : task.values!;
  const cells = [...(task.label !== undefined ? [task.label] : []), ...values.map(String)];
  return task.spread ? [...cells, ...task.spread.map(String)] : cells;
}

function fixed(value: number): string {
  return value.toFixed(4);
}

function quote(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
