import { plural } from "../../shared/plural.js";
import { metricColumnFormat } from "../metric-column.js";
import type { AblationDocument } from "./document.js";
import type { MetricSummary } from "./summary.js";

/** The ablation as a terminal reads it: per metric, each arm's mean ± sd and seed values, then each clause's effect and verdict. `resume` is the command that continues it, said while it is incomplete. */
export function renderAblationText(document: AblationDocument, folder: string, resume: string): string {
  const metrics: MetricSummary[] = [{ metric: document.metric, higherIsBetter: document.higherIsBetter, arms: document.arms, effects: document.effects }, ...document.otherMetrics];
  const lines = [`ablation of ${document.spec}: seeds ${document.seeds.join(", ")}${document.epochs === undefined ? "" : `; ${plural(document.epochs, "epoch")} each`}`];
  for (const summary of metrics) lines.push("", ...metricTables(summary));
  lines.push(
    "",
    "effect = metric(full) − metric(without the clause), paired by seed; 95% Student-t interval (n − 1 df).",
    "helps / hurts: the interval lies wholly on the better / worse side of 0; unclear: it holds 0 (or fewer than 2 pairs).",
  );
  if (!document.complete) lines.push(`incomplete: continue with \`${resume}\``);
  lines.push(`folder: ${folder}`);
  return `${lines.join("\n")}\n`;
}

function metricTables(summary: MetricSummary): string[] {
  const seeds = summary.arms[0]?.seeds ?? [];
  const fixed = metricColumnFormat(summary.arms.flatMap((arm) => arm.values));
  const signed = (value: number): string => `${value > 0 ? "+" : value < 0 ? "−" : ""}${fixed(Math.abs(value))}`;
  const armRows = summary.arms.map((arm) => [
    arm.id === "full" || arm.id === "none" ? arm.name : `without ${arm.name}`,
    arm.mean === null ? "—" : `${fixed(arm.mean)} ± ${arm.sd === null ? "—" : fixed(arm.sd)}`,
    ...arm.values.map((v) => (v === null ? "—" : fixed(v))),
    arm.status === "ok" ? "" : `${arm.status}${arm.reasons ? `: ${arm.reasons.join("; ").replace(/\s*\n\s*/g, " ")}` : ""}`,
  ]);
  const effectRows = summary.effects.map((e) => [
    e.arm === "none" ? "every clause (full − none)" : e.clause,
    e.delta === null ? "—" : signed(e.delta),
    e.ci95 ? `${signed(e.ci95[0])} … ${signed(e.ci95[1])}` : "—",
    e.verdict,
  ]);
  return [
    `${summary.metric} (${summary.higherIsBetter ? "higher" : "lower"} is better)`,
    ...table(["arm", "mean ± sd", ...seeds.map((s) => `seed ${s}`), ""], armRows),
    "",
    ...table(["clause", "effect", "95% interval", "verdict"], effectRows),
  ];
}

/** Columns padded to their widest cell; the last column is left ragged. */
function table(head: string[], rows: string[][]): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, column) => Math.max(...all.map((row) => [...(row[column] ?? "")].length)));
  return all.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ").trimEnd());
}
