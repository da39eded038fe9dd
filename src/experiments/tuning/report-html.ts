import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { escapeHtml } from "../../runtime/run/escape-html.js";
import { plural } from "../../shared/plural.js";
import { reportPage } from "../../runtime/run/report-page.js";
import { formatMetric } from "../../runtime/run/format-number.js";
import { renderLineChart, type ChartSeries } from "../../runtime/run/svg-chart.js";
import { metricColumnFormat } from "../metric-column.js";
import { bestQualifier, type TrialSummary, type TuningDocument } from "./document.js";
import type { Domain } from "./sampling.js";

/**
 * `report.html`: the objective against each hyperparameter, the best
 * objective so far against trials, the best trial's learning curves, and
 * every trial's point. Inline SVG and CSS only, so it opens offline.
 */
export function writeTuningReport(folder: string, document: TuningDocument): void {
  writeFileAtomically(join(folder, "report.html"), renderTuningReport(folder, document));
}

export function renderTuningReport(folder: string, document: TuningDocument): string {
  const { objective } = document;
  const title = `Tuning of ${document.spec}`;
  const scored = document.trials.filter((t) => t.objective !== null);
  const best = document.best;
  // The best value reads as it does in the table of trials.
  const objectiveText = metricColumnFormat(document.trials.map((t) => t.objective));
  return reportPage(title, STYLE, `<p>${escapeHtml(`${objective.direction} ${objective.metric}`)}, method ${document.method}, seed ${document.seed}: ${document.trials.length} trials, ${document.epochsTrained} epochs trained.${document.complete ? "" : " <b>Incomplete</b>: <code>regc tune --resume</code> runs the rest."}</p>
${best ? `<p class="best">Best${escapeHtml(bestQualifier(document))}: trial ${best.trial}, ${escapeHtml(objective.metric)} ${objectiveText(best.objective)} after ${plural(best.epochs, "epoch")} — ${escapeHtml(pointText(best.point))}.</p>` : "<p>No trial has reported the objective yet.</p>"}
<h2>${escapeHtml(objective.metric)} against each hyperparameter</h2>
<div class="charts">
${document.plan.spaces.map((domain) => scatter(domain, scored, objective.metric)).join("\n")}
</div>
<h2>Best so far</h2>
<div class="charts">
${bestSoFar(document)}
${best ? bestCurves(folder, document) : ""}
</div>
<h2>Trials</h2>
${trialTable(document, objectiveText)}`);
}

function pointText(point: Record<string, string | number>): string {
  return Object.entries(point).map(([name, value]) => `${name} = ${value}`).join(", ");
}

/** One dot per trial at its highest rung: a log axis for log-uniform spaces, one column per option for choices of words. */
function scatter(domain: Domain, trials: readonly TrialSummary[], metric: string): string {
  const width = 420;
  const height = 280;
  const [left, right, top, bottom] = [56, 16, 28, 44];
  const numericOptions = domain.kind === "choice" && domain.options.every((o) => Number.isFinite(Number(o)));
  const log = domain.kind === "log_uniform";
  const xOf = (value: string | number): number => {
    if (domain.kind === "choice" && !numericOptions) return domain.options.indexOf(String(value));
    return log ? Math.log10(Number(value)) : Number(value);
  };
  const [xLow, xHigh] =
    domain.kind === "choice"
      ? numericOptions
        ? [Math.min(...domain.options.map(Number)), Math.max(...domain.options.map(Number))]
        : [-0.5, domain.options.length - 0.5]
      : log
        ? [Math.log10(domain.low), Math.log10(domain.high)]
        : [domain.low, domain.high];
  const ys = trials.map((t) => t.objective!);
  const [yLow, yHigh] = ys.length > 0 ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const pad = (low: number, high: number) => (high > low ? [low - (high - low) * 0.05, high + (high - low) * 0.05] : [low - 0.5, high + 0.5]) as [number, number];
  const [x0, x1] = pad(xLow, xHigh);
  const [y0, y1] = pad(yLow, yHigh);
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * (width - left - right);
  const py = (y: number) => height - bottom - ((y - y0) / (y1 - y0)) * (height - top - bottom);
  const xTicks = domain.kind === "choice" ? domain.options.map((o) => [xOf(o), o] as const) : [xLow, (xLow + xHigh) / 2, xHigh].map((x) => [x, formatMetric(log ? 10 ** x : x)] as const);
  const parts = [
    `<text class="title" x="${left}" y="18">${escapeHtml(domain.name)}${log ? " (log scale)" : ""}</text>`,
    `<line class="axis" x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}"/>`,
    `<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}"/>`,
    ...xTicks.map(([x, label]) => `<text x="${px(x).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`),
    ...[y0, y1].map((y) => `<text x="${left - 6}" y="${py(y).toFixed(1)}" text-anchor="end">${formatMetric(y)}</text>`),
    `<text x="${left}" y="${height - 6}">${escapeHtml(metric)} of each trial at its last rung</text>`,
    ...trials.map((t) => {
      const value = t.point[domain.name]!;
      return `<circle class="${t.status === "ok" ? "ok" : "stopped"}" cx="${px(xOf(value)).toFixed(1)}" cy="${py(t.objective!).toFixed(1)}" r="4"><title>trial ${t.trial}: ${escapeHtml(String(value))} → ${formatMetric(t.objective!)} (${t.epochs} epochs)</title></circle>`;
    }),
  ];
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(domain.name)}">${parts.join("")}</svg>`;
}

/** The best objective among trials 0…i that ran the whole budget, against i. */
function bestSoFar(document: TuningDocument): string {
  const topEpochs = document.plan.rungs[document.plan.rungs.length - 1]!;
  const sign = document.objective.direction === "maximize" ? 1 : -1;
  let best = Number.NaN;
  const points = document.trials.map((t): [number, number] => {
    if (t.objective !== null && t.budget === topEpochs && !(sign * t.objective <= sign * best)) best = t.objective;
    return [t.trial, best];
  });
  return renderLineChart({ title: `best ${document.objective.metric} so far`, xLabel: "trial", series: [{ name: "best so far", color: "#1f77b4", points }] });
}

/** The best trial's last run: its validation objective and training loss by epoch. */
function bestCurves(folder: string, document: TuningDocument): string {
  const best = document.best!;
  const run = document.runs.filter((r) => r.trial === best.trial).at(-1)!;
  const metric = document.objective.metric.replace(/^(train|val|test)_/, "");
  const split = document.objective.metric.startsWith("train_") ? "train" : "val";
  let history: { epochs: Array<Record<string, Record<string, number> | undefined>> } | undefined;
  try {
    history = JSON.parse(readFileSync(join(folder, run.folder, "history.json"), "utf8"));
  } catch {
    return "<p>The best trial left no history.</p>";
  }
  const epochs = history?.epochs ?? [];
  const series: ChartSeries[] = [
    { name: `${split} ${metric}`, color: "#e6550d", points: epochs.map((e, i) => [i + 1, e[split]?.[metric] ?? Number.NaN] as [number, number]) },
  ];
  const loss: ChartSeries = { name: "train loss", color: "#1f77b4", points: epochs.map((e, i) => [i + 1, e["train"]?.["loss"] ?? Number.NaN] as [number, number]) };
  return [renderLineChart({ title: `trial ${best.trial}: ${split} ${metric}`, xLabel: "epoch", series }), renderLineChart({ title: `trial ${best.trial}: training loss`, xLabel: "epoch", series: [loss] })].join("\n");
}

function trialTable(document: TuningDocument, objectiveText: (value: number) => string): string {
  const names = document.plan.spaces.map((d) => d.name);
  const rows = document.trials.map(
    (t) =>
      `<tr${t.trial === document.best?.trial ? ' class="best"' : ""}><th>${t.trial}</th>${names.map((n) => `<td>${escapeHtml(String(t.point[n]))}</td>`).join("")}<td>${t.objective === null ? "—" : objectiveText(t.objective)}</td><td>${t.epochs}</td><td>${escapeHtml(t.status)}</td></tr>`,
  );
  return `<table class="metrics">
<tr><th>trial</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join("")}<th>${escapeHtml(document.objective.metric)}</th><th>epochs</th><th>status</th></tr>
${rows.join("\n")}
</table>`;
}

const STYLE = `
p.best { font-weight: 600; }
tr.best { background: #eef6ee; }
svg circle.ok { fill: #1f77b4; } svg circle.stopped { fill: #bbb; }
`;
