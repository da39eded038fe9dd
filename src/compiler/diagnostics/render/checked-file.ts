import type { Diagnostic } from "../diagnostic.js";
import { plural } from "../../../shared/plural.js";

/** One spec as the renderers see it: its text is needed to turn offsets into lines. */
export interface CheckedFile {
  path: string;
  text: string;
  diagnostics: readonly Diagnostic[];
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
