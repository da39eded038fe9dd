import type { Diagnostic } from "../diagnostic.js";
import { plural } from "../../../shared/plural.js";
import { visiblePath } from "./visible-text.js";

/** One spec as the renderers see it: its text is needed to turn offsets into lines. */
export interface CheckedFile {
  path: string;
  text: string;
  diagnostics: readonly Diagnostic[];
}

/**
 * The most diagnostics a renderer for people shows of one file. A broken or
 * hostile spec can hold millions (one per line of junk): past this, more
 * would only flood the terminal or the CI log, and their text together can
 * outgrow what one string may hold. The summary still counts them all.
 */
export const MAX_SHOWN_PER_FILE = 200;

/** The file's first diagnostics to show, by position, and a line saying how many more there are, if any. */
export function shownDiagnostics(file: CheckedFile): { shown: readonly Diagnostic[]; notShown?: string } {
  const hidden = file.diagnostics.length - MAX_SHOWN_PER_FILE;
  if (hidden <= 0) return { shown: file.diagnostics };
  return { shown: file.diagnostics.slice(0, MAX_SHOWN_PER_FILE), notShown: `${visiblePath(file.path)}: ${plural(hidden, "more diagnostic")} not shown; fix the ones above first` };
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function summarize(files: readonly CheckedFile[]): Summary {
  const summary: Summary = { files: files.length, errors: 0, warnings: 0, infos: 0 };
  for (const file of files) {
    for (const diagnostic of file.diagnostics) {
      if (diagnostic.severity === "error") summary.errors++;
      else if (diagnostic.severity === "warning") summary.warnings++;
      else summary.infos++;
    }
  }
  return summary;
}

/** `2 errors, 1 warning in 3 files`, or `no problems in 3 files`. */
export function summaryLine(summary: Summary): string {
  const counts = [
    plural(summary.errors, "error"),
    plural(summary.warnings, "warning"),
    plural(summary.infos, "info", "info"),
  ].filter((count) => !count.startsWith("0 "));
  const where = `in ${plural(summary.files, "file")}`;
  return counts.length === 0 ? `no problems ${where}` : `${counts.join(", ")} ${where}`;
}
