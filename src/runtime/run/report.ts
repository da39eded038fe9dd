import { escapeHtml } from "./escape-html.js";
import { formatDuration, formatMetric } from "./format-number.js";
import type { EpochRecord, FinalMetrics, History, MemberHistory, Metrics } from "./history.js";
import { renderLineChart, type ChartGuide, type ChartSeries } from "./svg-chart.js";

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
}

const TRAIN_COLOR = "#1f77b4";
const VAL_COLOR = "#e6550d";

export function renderReport(history: History, metrics: FinalMetrics, options: ReportOptions): string {
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
${factsTable(history)}
<h2>Training curves</h2>
<div class="charts">
${(history.members ? memberCharts(history.members) : charts(history)).join("\n")}
</div>
<h2>Final metrics</h2>
${metricsTable(metrics.splits, "split")}
${metrics.members === undefined ? "" : `<h2>Members</h2>\n${membersSection(metrics)}`}
${metrics.extra === undefined ? "" : `<h2>Other results</h2>\n${metricsTable(metrics.extra, "result")}`}
${folded("Spec", options.specText)}
${folded("Generated code", options.code)}
</body>
</html>
`;
}

function factsTable(history: History): string {
  const runs = history.members ?? [history];
  const seconds = runs.reduce((total, run) => total + run.epochs.reduce((sum, record) => sum + record.seconds, 0), 0);
  const rows: Array<[string, string]> = [
    ["spec", history.spec],
    ["backend", history.backend],
    ["seed", String(history.seed)],
    ["epochs", history.members ? history.members.map((member) => `${member.name}: ${epochCounts(member.epochs)}`).join(", ") : epochCounts(history.epochs)],
    ["training time", formatDuration(seconds)],
    ["stopped", history.members ? "per member: see each member's report" : (history.stopped ?? "after the last epoch")],
  ];
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

/** The loss chart, then one per other metric; x counts epochs across phases. */
function charts(history: History): string[] {
  const epochs = history.epochs;
  const names = metricNames(epochs.flatMap((record) => [record.train, record.val ?? {}]));
  const ordered = names.includes("loss") ? ["loss", ...names.filter((name) => name !== "loss")] : names;
  const guides = [...phaseGuides(epochs), ...bestEpochGuide(history)];
  return ordered.map((name) => {
    const series: ChartSeries[] = [{ name: "train", color: TRAIN_COLOR, points: pointsOf(epochs, (record) => record.train[name]) }];
    if (epochs.some((record) => record.val?.[name] !== undefined)) {
      series.push({ name: "val", color: VAL_COLOR, points: pointsOf(epochs, (record) => record.val?.[name]) });
    }
    return renderLineChart({ title: name, xLabel: "epoch", series, guides });
  });
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

/** Early stopping records its best epoch in `stopped` (`… (best 11)`), counted within the first phase. */
function bestEpochGuide(history: History): ChartGuide[] {
  const best = /\(best (\d+)\)/.exec(history.stopped ?? "")?.[1];
  const firstPhase = history.epochs[0]?.phase;
  const index = history.epochs.findIndex((record) => record.phase === firstPhase && record.epoch === Number(best));
  return best === undefined || index < 0 ? [] : [{ x: index + 1, label: `best (epoch ${best})`, dots: true }];
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

function folded(summary: string, text: string | undefined): string {
  return text === undefined ? "" : `<details><summary>${summary}</summary><pre>${escapeHtml(text)}</pre></details>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 1320px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.5em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { padding: 0.25em 0.9em; border-bottom: 1px solid #ddd; text-align: left; }
table.metrics td { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
svg.chart { max-width: 100%; height: auto; border: 1px solid #eee; background: #fff; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #444; }
svg.chart text.title { font-weight: 600; font-size: 14px; fill: #222; }
svg.chart .axis, svg.chart .tick { stroke: #888; }
svg.chart .grid { stroke: #eee; }
svg.chart .guide { stroke: #999; stroke-dasharray: 4 3; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
summary { cursor: pointer; font-weight: 600; margin: 0.5em 0; }
`;
