import { escapeHtml } from "./escape-html.js";

/**
 * A confusion matrix as inline SVG: one square per (true, predicted) pair,
 * shaded by the share of its row (so every class reads on the same scale,
 * however many examples it has), with the count written in it where it fits.
 */

export interface MatrixChart {
  title: string;
  labels: readonly string[];
  /** `counts[row][column]`: rows are true classes, columns predicted ones. */
  counts: ReadonlyArray<readonly number[]>;
}

const MARGIN = { left: 110, right: 16, bottom: 16 } as const;
/** Labels are measured at ~7px a character, as the line charts' legends are. */
const CHARACTER_WIDTH = 7;

export function renderConfusionMatrix(chart: MatrixChart): string {
  const size = chart.labels.length;
  const cell = Math.max(10, Math.min(48, Math.floor(480 / Math.max(1, size))));
  // Column labels run up at 45°, so the top margin grows with the longest one.
  const longest = Math.max(0, ...chart.labels.map((label) => shorten(label).length));
  const top = 56 + Math.ceil(longest * CHARACTER_WIDTH * Math.SQRT1_2);
  const width = MARGIN.left + size * cell + MARGIN.right + Math.ceil(longest * CHARACTER_WIDTH * Math.SQRT1_2);
  const height = top + size * cell + MARGIN.bottom;
  const parts = [
    `<text class="title" x="8" y="18">${escapeHtml(chart.title)}</text>`,
    `<text x="${MARGIN.left + (size * cell) / 2}" y="38" text-anchor="middle">predicted →</text>`,
    `<text x="8" y="${top - 6}">true ↓</text>`,
  ];
  chart.labels.forEach((label, k) => {
    const middle = k * cell + cell / 2;
    if (cell >= 16) {
      const x = MARGIN.left + middle;
      parts.push(`<text x="${x}" y="${top - 6}" transform="rotate(-45 ${x} ${top - 6})">${escapeHtml(shorten(label))}</text>`);
      parts.push(`<text x="${MARGIN.left - 6}" y="${top + middle}" text-anchor="end" dominant-baseline="middle">${escapeHtml(shorten(label))}</text>`);
    }
  });
  chart.counts.forEach((row, r) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    row.forEach((count, c) => {
      const share = total === 0 ? 0 : count / total;
      const x = MARGIN.left + c * cell;
      const y = top + r * cell;
      parts.push(`<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${shade(share)}"><title>true ${escapeHtml(chart.labels[r]!)}, predicted ${escapeHtml(chart.labels[c]!)}: ${count}</title></rect>`);
      if (cell >= 24) {
        parts.push(`<text class="${share > 0.5 ? "count on-dark" : "count"}" x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="middle">${count}</text>`);
      }
    });
  });
  return `<svg class="chart matrix" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(chart.title)}">${parts.join("")}</svg>`;
}

/** White (none of the row) to dark blue (all of it). */
function shade(share: number): string {
  const mix = (from: number, to: number) => Math.round(from + (to - from) * share);
  return `rgb(${mix(255, 8)},${mix(255, 69)},${mix(255, 148)})`;
}

function shorten(label: string): string {
  return label.length > 12 ? `${label.slice(0, 11)}…` : label;
}
