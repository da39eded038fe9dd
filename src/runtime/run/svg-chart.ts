import { escapeHtml } from "./escape-html.js";

/**
 * A line chart as inline SVG, for a report that must open offline: no
 * script, no fonts, no namespace URL (inline SVG in HTML needs none).
 */

export interface ChartSeries {
  name: string;
  color: string;
  /** `[x, y]`; a non-finite y (a diverged loss) breaks the line there. */
  points: ReadonlyArray<readonly [number, number]>;
}

/** A labelled vertical line; `dots` also circles each series' point at that x. */
export interface ChartGuide {
  x: number;
  label: string;
  dots?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  series: readonly ChartSeries[];
  guides?: readonly ChartGuide[];
}

/** Pixel geometry, exported so tests can compute where a point must land. */
export const CHART_LAYOUT = { width: 640, height: 300, left: 60, right: 20, top: 32, bottom: 44 } as const;

const { width, height, left, right, top, bottom } = CHART_LAYOUT;
const plotWidth = width - left - right;
const plotHeight = height - top - bottom;

export function renderLineChart(chart: LineChart): string {
  const xs = chart.series.flatMap((series) => series.points.map(([x]) => x));
  const ys = chart.series.flatMap((series) => series.points.map(([, y]) => y)).filter(Number.isFinite);
  const parts = [`<text class="title" x="${left}" y="18">${escapeHtml(chart.title)}</text>`, legend(chart.series)];
  if (xs.length === 0 || ys.length === 0) {
    parts.push(`<text class="empty" x="${width / 2}" y="${height / 2}" text-anchor="middle">no finite values</text>`);
  } else {
    const xAxis = linearAxis(Math.min(...xs), Math.max(...xs), 8, true);
    const yAxis = linearAxis(Math.min(...ys), Math.max(...ys), 5, false);
    const px = (x: number) => left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * plotWidth;
    const py = (y: number) => top + ((yAxis.max - y) / (yAxis.max - yAxis.min)) * plotHeight;
    parts.push(axes(xAxis, yAxis, px, py, chart.xLabel));
    for (const series of chart.series) parts.push(seriesPath(series, px, py));
    // After the curves, so labels and circles sit on top of them.
    for (const guide of chart.guides ?? []) parts.push(guideLine(guide, chart.series, px, py));
  }
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-label="${escapeHtml(chart.title)}">${parts.join("")}</svg>`
  );
}

interface Axis {
  min: number;
  max: number;
  ticks: number[];
  decimals: number;
}

/**
 * An axis spanning [low, high] widened to whole multiples of a 1-2-5 step
 * giving about `tickCount` ticks. Epoch axes keep their data range (an epoch
 * 0 would mean nothing) and step by whole epochs.
 */
function linearAxis(low: number, high: number, tickCount: number, integral: boolean): Axis {
  if (low === high) {
    const pad = integral ? 0.5 : Math.abs(low) / 10 || 1;
    [low, high] = [low - pad, high + pad];
  }
  const nice = niceStep((high - low) / tickCount);
  const step = integral ? Math.max(1, nice) : nice;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  // Rounded to the step's decimals: 6 × 0.2 is 1.2000000000000002 in floating point.
  const at = (k: number) => Number((k * step).toFixed(decimals));
  const min = integral ? low : at(Math.floor(low / step + 1e-9));
  const max = integral ? high : at(Math.ceil(high / step - 1e-9));
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); at(k) <= max; k++) ticks.push(at(k));
  return { min, max, ticks, decimals };
}

function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalized = rough / magnitude;
  return (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
}

type Scale = (value: number) => number;

function axes(xAxis: Axis, yAxis: Axis, px: Scale, py: Scale, xLabel: string): string {
  const bottomY = top + plotHeight;
  const parts = [
    `<line class="axis" x1="${left}" y1="${bottomY}" x2="${left + plotWidth}" y2="${bottomY}"/>`,
    `<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${bottomY}"/>`,
  ];
  for (const tick of xAxis.ticks) {
    const x = coordinate(px(tick));
    parts.push(`<line class="tick" x1="${x}" y1="${bottomY}" x2="${x}" y2="${bottomY + 5}"/>`);
    parts.push(`<text x="${x}" y="${bottomY + 18}" text-anchor="middle">${tick.toFixed(xAxis.decimals)}</text>`);
  }
  for (const tick of yAxis.ticks) {
    const y = coordinate(py(tick));
    parts.push(`<line class="grid" x1="${left}" y1="${y}" x2="${left + plotWidth}" y2="${y}"/>`);
    parts.push(`<text x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${tick.toFixed(yAxis.decimals)}</text>`);
  }
  parts.push(`<text x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>`);
  return parts.join("");
}

function legend(series: readonly ChartSeries[]): string {
  // Right-aligned from the chart's edge; labels measured at ~7px a character.
  let x = width - right;
  const parts: string[] = [];
  for (const entry of [...series].reverse()) {
    x -= entry.name.length * 7;
    parts.push(`<text x="${x}" y="18">${escapeHtml(entry.name)}</text>`);
    x -= 26;
    parts.push(`<line x1="${x}" y1="14" x2="${x + 20}" y2="14" stroke="${entry.color}" stroke-width="2"/>`);
    x -= 14;
  }
  return parts.join("");
}

function seriesPath(series: ChartSeries, px: Scale, py: Scale): string {
  const parts: string[] = [];
  for (const run of finiteRuns(series.points)) {
    const points = run.map(([x, y]) => `${coordinate(px(x))},${coordinate(py(y))}`);
    // A lone point draws no line; a dot keeps it visible.
    parts.push(
      run.length === 1
        ? `<circle cx="${coordinate(px(run[0]![0]))}" cy="${coordinate(py(run[0]![1]))}" r="2.5" fill="${series.color}"/>`
        : `<polyline points="${points.join(" ")}" fill="none" stroke="${series.color}" stroke-width="2"/>`,
    );
  }
  return `<g class="series">${parts.join("")}</g>`;
}

function finiteRuns(points: ChartSeries["points"]): Array<Array<readonly [number, number]>> {
  const runs: Array<Array<readonly [number, number]>> = [[]];
  for (const point of points) {
    if (Number.isFinite(point[1])) runs[runs.length - 1]!.push(point);
    else if (runs[runs.length - 1]!.length > 0) runs.push([]);
  }
  return runs.filter((run) => run.length > 0);
}

function guideLine(guide: ChartGuide, series: readonly ChartSeries[], px: Scale, py: Scale): string {
  const x = coordinate(px(guide.x));
  const parts = [
    `<line class="guide" x1="${x}" y1="${top}" x2="${x}" y2="${top + plotHeight}"/>`,
    // A white halo keeps the label readable where a curve runs through it.
    `<text class="guide-label" x="${x + 4}" y="${top + 12}" paint-order="stroke" stroke="#fff" stroke-width="3">` +
      `${escapeHtml(guide.label)}</text>`,
  ];
  if (guide.dots) {
    for (const entry of series) {
      const y = entry.points.find(([pointX]) => pointX === guide.x)?.[1];
      if (y !== undefined && Number.isFinite(y)) {
        parts.push(`<circle cx="${x}" cy="${coordinate(py(y))}" r="4" fill="none" stroke="${entry.color}" stroke-width="2"/>`);
      }
    }
  }
  return parts.join("");
}

/** One decimal is finer than a pixel and keeps the SVG short. */
function coordinate(value: number): string {
  return String(Math.round(value * 10) / 10);
}
