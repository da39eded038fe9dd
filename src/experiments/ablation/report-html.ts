import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import { escapeHtml } from "../../runtime/run/escape-html.js";
import { reportPage } from "../../runtime/run/report-page.js";
import { formatMetric } from "../../runtime/run/format-number.js";
import { renderLineChart, type ChartSeries } from "../../runtime/run/svg-chart.js";
import { metricColumnFormat } from "../metric-column.js";
import type { AblationDocument } from "./document.js";
import type { MetricSummary } from "./summary.js";

/**
 * `report.html`: each clause's effect as a point with its 95% interval, each
 * arm's value at every seed, and each arm's learning curves. Inline SVG and
 * CSS only, so it opens offline.
 */
export function writeAblationReport(folder: string, document: AblationDocument): void {
  writeFileAtomically(join(folder, "report.html"), renderAblationReport(folder, document));
}

export function renderAblationReport(folder: string, document: AblationDocument): string {
  const title = `Ablation of ${document.spec}`;
  const metrics = [{ metric: document.metric, higherIsBetter: document.higherIsBetter, arms: document.arms, effects: document.effects }, ...document.otherMetrics];
  return reportPage(title, STYLE, `<p>Each clause's effect is metric(full) − metric(without the clause), paired by seed (${document.seeds.join(", ")}), with its 95% Student-t interval (n − 1 degrees of freedom). <b>helps</b> or <b>hurts</b>: the interval lies wholly on one side of 0; <b>unclear</b>: it holds 0.${document.complete ? "" : " <b>Incomplete</b>: some trials have not run; <code>regc ablate --resume</code> runs them."}</p>
${metrics.map(metricSection).join("\n")}
<h2>Learning curves</h2>
<div class="charts">
${learningCurves(folder, document).join("\n")}
</div>`);
}

function metricSection(summary: MetricSummary): string {
  const direction = summary.higherIsBetter ? "higher is better" : "lower is better";
  // Values, spreads and effects share the table's decimals, as in the terminal's table.
  const fixed = metricColumnFormat(summary.arms.flatMap((arm) => arm.values));
  const effects = summary.effects.map(
    (e) =>
      `<tr><th>${escapeHtml(e.clause)}</th><td>${e.delta === null ? "—" : signed(e.delta, fixed)}</td><td>${e.ci95 ? `${signed(e.ci95[0], fixed)} … ${signed(e.ci95[1], fixed)}` : "—"}</td><td class="${e.verdict}">${e.verdict}</td></tr>`,
  );
  const seeds = summary.arms[0]?.seeds ?? [];
  const arms = summary.arms.map(
    (arm) =>
      `<tr><th>${escapeHtml(armLabel(arm))}</th><td>${arm.mean === null ? "—" : fixed(arm.mean)}</td><td>${arm.sd === null ? "—" : fixed(arm.sd)}</td>${arm.values
        .map((v) => `<td>${v === null ? "—" : fixed(v)}</td>`)
        .join("")}<td>${escapeHtml(arm.status)}${arm.reasons ? `<div class="reason">${arm.reasons.map(escapeHtml).join("<br>")}</div>` : ""}</td></tr>`,
  );
  return `<h2>${escapeHtml(summary.metric)} (${direction})</h2>
${effectChart(summary)}
<table class="metrics">
<tr><th>clause removed</th><th>effect</th><th>95% interval</th><th>verdict</th></tr>
${effects.join("\n")}
</table>
<table class="metrics">
<tr><th>arm</th><th>mean</th><th>sd</th>${seeds.map((s) => `<th>seed ${s}</th>`).join("")}<th>status</th></tr>
${arms.join("\n")}
</table>`;
}

/** A forest plot: one row per clause, its effect as a dot and its interval as a bar, with 0 marked. */
function effectChart(summary: MetricSummary): string {
  const rows = summary.effects.filter((e) => e.delta !== null);
  if (rows.length === 0) return "<p>No effect can be measured yet.</p>";
  const width = 760;
  const labelWidth = 300;
  const rowHeight = 28;
  const top = 24;
  const height = top + rows.length * rowHeight + 30;
  const xs = rows.flatMap((e) => (e.ci95 ? [e.ci95[0], e.ci95[1]] : [e.delta!]));
  const span = Math.max(...xs.map(Math.abs), 1e-12);
  const px = (x: number) => labelWidth + ((x + span) / (2 * span)) * (width - labelWidth - 20);
  const parts = [
    `<line class="zero" x1="${px(0)}" y1="${top - 8}" x2="${px(0)}" y2="${height - 26}"/>`,
    `<text x="${px(0)}" y="${height - 10}" text-anchor="middle">0</text>`,
    `<text x="${px(-span)}" y="${height - 10}">${signed(-span)}</text>`,
    `<text x="${px(span)}" y="${height - 10}" text-anchor="end">${signed(span)}</text>`,
    `<text x="${labelWidth}" y="14" class="title">effect on ${escapeHtml(summary.metric)} (full − without)</text>`,
  ];
  rows.forEach((e, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const label = e.clause.length > 44 ? `${e.clause.slice(0, 43)}…` : e.clause;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 4}" text-anchor="end">${escapeHtml(label)}</text>`);
    if (e.ci95) parts.push(`<line class="interval ${e.verdict}" x1="${px(e.ci95[0])}" y1="${y}" x2="${px(e.ci95[1])}" y2="${y}"/>`);
    parts.push(`<circle class="${e.verdict}" cx="${px(e.delta!)}" cy="${y}" r="4"><title>${escapeHtml(`${e.clause}: ${signed(e.delta!)} (${e.verdict})`)}</title></circle>`);
  });
  return `<svg class="effects" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="effects">${parts.join("")}</svg>`;
}

const SEED_COLORS = ["#1f77b4", "#e6550d", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#d62728"];

/** Per arm, one line per seed: the validation value of the compared metric (or the training loss without a val split). */
function learningCurves(folder: string, document: AblationDocument): string[] {
  const metric = document.metric.replace(/^(train|val|test)_/, "");
  return document.arms
    .filter((arm) => arm.status !== "not removable")
    .map((arm) => {
      const series: ChartSeries[] = [];
      // The legend shares the title's line: a long clause is cut.
      const label = armLabel(arm).length > 46 ? `${armLabel(arm).slice(0, 45)}…` : armLabel(arm);
      let title = `${label}: val ${metric}`;
      arm.seeds.forEach((seed, index) => {
        const record = document.trials.find((t) => t.arm === arm.id && t.seed === seed);
        const history = record && readHistory(join(folder, record.folder));
        if (!history) return;
        const hasVal = history.epochs.some((e) => e.val?.[metric] !== undefined);
        if (!hasVal) title = `${label}: train loss`;
        series.push({
          name: `seed ${seed}`,
          color: SEED_COLORS[index % SEED_COLORS.length]!,
          points: history.epochs.map((e, i) => [i + 1, (hasVal ? e.val?.[metric] : e.train["loss"]) ?? Number.NaN] as [number, number]),
        });
      });
      return renderLineChart({ title, xLabel: "epoch", series });
    });
}

interface HistoryFile {
  epochs: Array<{ train: Record<string, number>; val?: Record<string, number> }>;
}

function readHistory(runFolder: string): HistoryFile | undefined {
  try {
    const history = JSON.parse(readFileSync(join(runFolder, "history.json"), "utf8")) as HistoryFile;
    return Array.isArray(history.epochs) ? history : undefined;
  } catch {
    return undefined;
  }
}

function armLabel(arm: { id: string; name: string }): string {
  return arm.id === "full" || arm.id === "none" ? arm.name : `without ${arm.name}`;
}

/** An effect with its sign; the table writes it in its column's decimals, the chart as a lone number. */
function signed(value: number, format: (magnitude: number) => string = formatMetric): string {
  return `${value > 0 ? "+" : value < 0 ? "−" : ""}${format(Math.abs(value))}`;
}

const STYLE = `
td.helps { color: #2a7a2a; font-weight: 600; } td.hurts { color: #b22; font-weight: 600; }
.reason { font-size: 0.85em; color: #666; text-align: left; white-space: pre-wrap; }
svg.effects { max-width: 100%; height: auto; border: 1px solid #eee; background: #fff; }
svg.effects .zero { stroke: #888; stroke-dasharray: 4 3; }
svg.effects line.interval { stroke: #777; stroke-width: 2; }
svg.effects .helps { stroke: #2a7a2a; fill: #2a7a2a; } svg.effects .hurts { stroke: #b22; fill: #b22; } svg.effects circle.unclear { fill: #555; }
`;
