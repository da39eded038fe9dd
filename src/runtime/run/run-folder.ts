import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import type { FinalMetrics, History } from "./history.js";
import { historyCsv } from "./history-csv.js";
import { renderReport, type ReportOptions } from "./report.js";

/**
 * A run's folder: `history.json` and `history.csv` (rewritten after each
 * epoch, so a crash keeps the epochs so far), then `metrics.json`,
 * `report.html` and the trained model in `model/` (written by
 * `export/save-model.ts`). Every file is written atomically.
 */

/**
 * Makes `<runsRoot>/<specName>-<YYYYMMDD-HHMMSS>`, with `-2`, `-3`, … when
 * that exists: a run never writes into another run's folder.
 */
export function createRunFolder(runsRoot: string, specName: string, now: Date = new Date()): string {
  mkdirSync(runsRoot, { recursive: true });
  // A spec name is user text; keep the folder name to one safe path segment.
  const base = `${specName.replace(/[^\w.-]+/g, "_")}-${timestamp(now)}`;
  for (let n = 1; ; n++) {
    const folder = join(runsRoot, n === 1 ? base : `${base}-${n}`);
    try {
      // Not recursive: fails if the folder exists, even when another process made it a moment ago.
      mkdirSync(folder);
      return folder;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Local time, as the person who started the run reads their clock. */
function timestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${day}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** `history.json`, and the same epochs as `history.csv` beside it. */
export function writeHistory(runFolder: string, history: History): void {
  writeJson(join(runFolder, "history.json"), history);
  writeFileAtomically(join(runFolder, "history.csv"), historyCsv(history));
}

export function writeMetrics(runFolder: string, metrics: FinalMetrics): void {
  writeJson(join(runFolder, "metrics.json"), metrics);
}

export function writeReport(runFolder: string, history: History, metrics: FinalMetrics, options: ReportOptions): void {
  writeFileAtomically(join(runFolder, "report.html"), renderReport(history, metrics, options));
}

function writeJson(path: string, value: unknown): void {
  writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}
