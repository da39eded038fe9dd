import type { Span } from "../syntax/span.js";
import type { ReportExtras } from "../diagnostics/report.js";

/** Optimal-string-alignment distance: edits, with adjacent swaps costing one. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The closest candidate within a third of the word's length (at least one
 * edit), if any; a candidate the word starts with, or that starts with the
 * word (`training` for `train`), counts as close too, and so does one that
 * differs only in case or in spaces around it (a CSV header's ` age`).
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const other = candidate.toLowerCase();
    const prefix = Math.min(lower.length, other.length) >= 3 && (lower.startsWith(other) || other.startsWith(lower));
    const distance = other === lower || other.trim() === lower.trim() ? 0.5 : prefix ? Math.min(limit, editDistance(lower, other)) : editDistance(lower, other);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * A "did you mean" hint with a fix that replaces the misspelled word;
 * `written` spells a candidate as the spec must write it (a column name
 * that is not an identifier, as a string).
 */
export function didYouMean(word: string, at: Span, candidates: Iterable<string>, listWhenNoMatch = true, written: (candidate: string) => string = (candidate) => candidate): ReportExtras {
  const list = [...candidates];
  const match = nearest(word, list);
  if (match) {
    const text = written(match);
    return {
      hint: `did you mean \`${text}\`?`,
      fix: { title: `Replace \`${word}\` with \`${text}\``, edits: [{ span: at, newText: text }] },
    };
  }
  if (!listWhenNoMatch || list.length === 0) return {};
  return { hint: `expected one of: ${formatList(list.map(written))}` };
}

export function formatList(words: readonly string[], max = 12): string {
  const shown = words.slice(0, max).map((w) => `\`${w}\``);
  return words.length > max ? `${shown.join(", ")}, …` : shown.join(", ");
}
