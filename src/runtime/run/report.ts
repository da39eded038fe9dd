import { escapeHtml } from "./escape-html.js";
import { reportPage } from "./report-page.js";
import { formatDuration, formatMetric } from "./format-number.js";
import type { ModelSummary } from "../model/summary.js";
import type { ClassificationResult, EpochRecord, FinalMetrics, History, MemberHistory, Metrics } from "./history.js";
import { renderLineChart, type ChartGuide, type ChartSeries } from "./svg-chart.js";
import { renderConfusionMatrix } from "./svg-matrix.js";
import { groupedDigits } from "../../shared/grouped-digits.js";
import { plural } from "../../shared/plural.js";

/**
 * `report.html`: one self-contained page (inline CSS and SVG, no script, no
 * fetches) that opens from a copied run folder, offline, in any browser.
 */

export interface ReportOptions {
  title: string;
  /** The `.reg` source, shown folded. */
  specText?: string;
  /** The generated training code, shown folded. */
  code?: string;
  /** The trained model's layers, shapes and parameter counts. */
  model?: ModelSummary;
}

const TRAIN_COLOR = "#1f77b4";
const VAL_COLOR = "#e6550d";

export function renderReport(history: History, metrics: FinalMetrics, options: ReportOptions): string {
  return reportPage(options.title, STYLE, `${factsTable(history, options.model)}
${options.model === undefined ? "" : `<h2 id="model">Model</h2>\n${modelTable(options.model)}`}
<h2 id="curves">Training curves</h2>
<div class="charts">
${(history.members ? memberCharts(history.members) : charts(history)).join("\n")}
</div>
<h2 id="metrics">Final metrics</h2>
${metricsTable(withoutAliases(metrics.splits), "split")}
${metrics.classification === undefined ? "" : classificationSection(metrics.classification)}
${metrics.members === undefined ? "" : `<h2 id="members">Members</h2>\n${membersSection(metrics)}`}
${metrics.extra === undefined ? "" : `<h2 id="other-results">Other results</h2>\n${metricsTable(metrics.extra, "result")}`}
${folded("spec", "Spec", options.specText)}
${folded("code", "Generated code", options.code)}`);
}

function factsTable(history: History, model: ModelSummary | undefined): string {
  const runs = history.members ?? [history];
  const seconds = runs.reduce((total, run) => total + run.epochs.reduce((sum, record) => sum + record.seconds, 0), 0);
  const rows: Array<[string, string]> = [
    ["spec", history.spec],
    ["backend", history.threads === undefined ? history.backend : `${history.backend} (${history.replicas ? `${history.replicas} replicas × ` : ""}${plural(history.threads, "thread")})`],
    ["seed", String(history.seed)],
    ["epochs", history.members ? history.members.map((member) => `${member.name}: ${epochCounts(member.epochs)}`).join(", ") : epochCounts(history.epochs)],
    ["training time", formatDuration(seconds)],
    ["stopped", history.members ? "per member: see each member's report" : (history.stopped ?? "after the last epoch")],
  ];
  const best = history.members ? undefined : bestEpoch(history);
  if (best) rows.push(["best epoch", best.label]);
  if (model) rows.push(["trainable parameters", groupedDigits(model.totalParams)]);
  const body = rows.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`);
  return `<table class="facts">\n${body.join("\n")}\n</table>`;
}

/** `42`, or per phase when there were several: `31 train + 11 retrain_all`. */
function epochCounts(epochs: readonly EpochRecord[]): string {
  const counts = new Map<string, number>();
  for (const record of epochs) counts.set(record.phase, (counts.get(record.phase) ?? 0) + 1);
  if (counts.size <= 1) return String(epochs.length);
  return [...counts].map(([phase, count]) => `${count} ${phase}`).join(" + ");
}

/** The loss chart, then one per other metric (a one-task run's `TASK_METRIC` copies left out), then the learning rate; x counts epochs across phases. */
function charts(history: History): string[] {
  const epochs = history.epochs;
  const all = epochs.flatMap((record) => [record.train, record.val ?? {}]);
  const aliases = aliasNames(metricNames(all));
  const names = metricNames(all).filter((name) => !aliases.has(name));
  const ordered = names.includes("loss") ? ["loss", ...names.filter((name) => name !== "loss")] : names;
  const best = bestEpoch(history);
  const guides = [...phaseGuides(epochs), ...(best ? [{ x: best.x, label: `best (epoch ${best.epoch})`, dots: true }] : [])];
  const metricCharts = ordered.map((name) => {
    const series: ChartSeries[] = [{ name: "train", color: TRAIN_COLOR, points: pointsOf(epochs, (record) => record.train[name]) }];
    if (epochs.some((record) => record.val?.[name] !== undefined)) {
      series.push({ name: "val", color: VAL_COLOR, points: pointsOf(epochs, (record) => record.val?.[name]) });
    }
    return renderLineChart({ title: name, xLabel: "epoch", series, guides });
  });
  if (epochs.length === 0) return metricCharts;
  const rate: ChartSeries = { name: "learning rate", color: TRAIN_COLOR, points: pointsOf(epochs, (record) => record.learningRate) };
  return [...metricCharts, renderLineChart({ title: "learning rate", xLabel: "epoch", series: [rate], guides: phaseGuides(epochs) })];
}

/**
 * With one task, every metric is reported twice, bare (`accuracy`) and
 * under the task's name (`species_accuracy`): the named copies, and the
 * task's own `TASK_loss`, which only lacks the penalties `loss` includes.
 * Several tasks have no bare metrics, so nothing is an alias.
 */
function aliasNames(names: readonly string[]): Set<string> {
  const bare = new Set(names);
  const prefixes = new Set<string>();
  for (const name of names) {
    for (const metric of bare) {
      if (metric !== "loss" && name.length > metric.length + 1 && name.endsWith(`_${metric}`)) prefixes.add(name.slice(0, -metric.length - 1));
    }
  }
  if (prefixes.size !== 1) return new Set();
  const [task] = prefixes;
  return new Set(names.filter((name) => name.startsWith(`${task}_`) && bare.has(name.slice(task!.length + 1))));
}

function withoutAliases(rows: Record<string, Metrics>): Record<string, Metrics> {
  const aliases = aliasNames(metricNames(Object.values(rows)));
  return Object.fromEntries(Object.entries(rows).map(([row, values]) => [row, Object.fromEntries(Object.entries(values).filter(([name]) => !aliases.has(name)))]));
}

const MEMBER_COLORS = ["#1f77b4", "#e6550d", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#d62728"];

/** Bagging: one chart per metric, one line per member (its validation values, or training values without a val split). */
function memberCharts(members: readonly MemberHistory[]): string[] {
  const epochs = members.flatMap((member) => member.epochs);
  const useVal = epochs.some((record) => record.val !== undefined);
  const names = metricNames(epochs.map((record) => (useVal ? (record.val ?? {}) : record.train)));
  return names.map((name) => {
    const series: ChartSeries[] = members.map((member, index) => ({
      name: member.name,
      color: MEMBER_COLORS[index % MEMBER_COLORS.length]!,
      points: pointsOf(member.epochs, (record) => (useVal ? record.val?.[name] : record.train[name])),
    }));
    return renderLineChart({ title: `${useVal ? "val" : "train"} ${name}`, xLabel: "epoch", series, guides: [] });
  });
}

/** Each member's final metrics, split by split, with a link to its own report. */
function membersSection(metrics: FinalMetrics): string {
  const rows: Record<string, Metrics> = {};
  for (const member of metrics.members ?? []) {
    for (const [split, values] of Object.entries(member.splits)) rows[`${member.name} ${split}`] = values;
  }
  const links = (metrics.members ?? []).map((member) => `<a href="${escapeHtml(member.name)}/report.html">${escapeHtml(member.name)}</a>`);
  return `${metricsTable(rows, "member")}\n<p>Each member's curves and weights: ${links.join(", ")}.</p>`;
}

function pointsOf(epochs: readonly EpochRecord[], value: (record: EpochRecord) => number | undefined): Array<[number, number]> {
  return epochs.map((record, index) => [index + 1, value(record) ?? Number.NaN]);
}

function phaseGuides(epochs: readonly EpochRecord[]): ChartGuide[] {
  return epochs.flatMap((record, index) =>
    index > 0 && record.phase !== epochs[index - 1]!.phase ? [{ x: index + 1, label: record.phase }] : [],
  );
}

/**
 * The best epoch: the one early stopping kept (`stopped` says `… (best 11)`,
 * counted within the first phase), else the first-phase epoch with the
 * lowest validation loss, or training loss without a val split. `x` is its
 * position on the charts' epoch axis.
 */
function bestEpoch(history: History): { x: number; epoch: number; label: string } | undefined {
  const firstPhase = history.epochs[0]?.phase;
  const stoppedAt = /\(best (\d+)\)/.exec(history.stopped ?? "")?.[1];
  if (stoppedAt !== undefined) {
    const index = history.epochs.findIndex((record) => record.phase === firstPhase && record.epoch === Number(stoppedAt));
    if (index >= 0) return { x: index + 1, epoch: Number(stoppedAt), label: `${stoppedAt} (kept by early stopping)` };
  }
  const monitored = history.epochs.some((record) => record.val?.loss !== undefined) ? "val" : "train";
  let best: { x: number; epoch: number; loss: number } | undefined;
  history.epochs.forEach((record, index) => {
    const loss = monitored === "val" ? record.val?.loss : record.train.loss;
    if (record.phase === firstPhase && loss !== undefined && Number.isFinite(loss) && (!best || loss < best.loss)) best = { x: index + 1, epoch: record.epoch, loss };
  });
  return best && { x: best.x, epoch: best.epoch, label: `${best.epoch} (lowest ${monitored} loss, ${formatMetric(best.loss)})` };
}

/** Each classify task's confusion matrix and per-class precision, recall and F1. */
function classificationSection(results: Record<string, ClassificationResult>): string {
  const parts = Object.entries(results).map(([task, result]) => {
    const header = "<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>";
    const rows = result.perClass.map(
      (entry) =>
        `<tr><th>${escapeHtml(entry.label)}</th><td>${formatMetric(entry.precision)}</td><td>${formatMetric(entry.recall)}</td><td>${formatMetric(entry.f1)}</td><td>${entry.support}</td></tr>`,
    );
    const matrix = renderConfusionMatrix({ title: `${task}: confusion on ${result.split}`, labels: result.labels, counts: result.confusion });
    return `<h3>${escapeHtml(task)} (${escapeHtml(result.split)} split)</h3>\n<div class="charts">${matrix}\n<table class="metrics per-class">\n${[header, ...rows].join("\n")}\n</table></div>`;
  });
  return `<h2 id="classes">Classes</h2>\n${parts.join("\n")}`;
}

/** The model's layers in order: kind, input, output shape, trainable values. */
function modelTable(model: ModelSummary): string {
  const header = "<tr><th>layer</th><th>kind</th><th>reads</th><th>output shape</th><th>parameters</th></tr>";
  const input = `<tr><th>input</th><td></td><td></td><td>${model.inputShape.join("×")}</td><td>0</td></tr>`;
  const rows = model.layers.map(
    (layer) =>
      `<tr><th>${escapeHtml(layer.layer)}</th><td>${escapeHtml(layer.kind)}</td><td>${escapeHtml(layer.from)}</td><td>${layer.outputShape.join("×")}</td><td>${groupedDigits(layer.params)}</td></tr>`,
  );
  const total = `<tr><th>total</th><td></td><td></td><td></td><td>${groupedDigits(model.totalParams)}</td></tr>`;
  return `<table class="metrics model">\n${[header, input, ...rows, total].join("\n")}\n</table>`;
}

function metricsTable(rows: Record<string, Metrics>, rowHeading: string): string {
  const columns = metricNames(Object.values(rows));
  const head = `<tr><th>${rowHeading}</th>${columns.map((name) => `<th>${escapeHtml(name)}</th>`).join("")}</tr>`;
  const body = Object.entries(rows).map(([row, values]) => {
    const cells = columns.map((name) => {
      const value = values[name];
      return `<td>${value === undefined ? "—" : formatMetric(value)}</td>`;
    });
    return `<tr><th>${escapeHtml(row)}</th>${cells.join("")}</tr>`;
  });
  return `<table class="metrics">\n${[head, ...body].join("\n")}\n</table>`;
}

/** Every metric name, in the order first seen. */
function metricNames(all: readonly Metrics[]): string[] {
  return [...new Set(all.flatMap((metrics) => Object.keys(metrics)))];
}

function folded(id: string, summary: string, text: string | undefined): string {
  return text === undefined ? "" : `<details id="${id}"><summary>${summary}</summary><pre>${escapeHtml(text)}</pre></details>`;
}

const STYLE = `
table.model td { text-align: left; }
table.model td:last-child { text-align: right; }
svg.chart .guide { stroke: #999; stroke-dasharray: 4 3; }
svg.chart text.on-dark { fill: #fff; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
summary { cursor: pointer; font-weight: 600; margin: 0.5em 0; }
`;
