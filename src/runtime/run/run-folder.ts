import { join } from "node:path";
import { describeIoError } from "../../shared/describe-io-error.js";
import { makeFolders } from "../../shared/make-folders.js";
import { createStampedFolder } from "../../shared/stamped-folder.js";
import { writeFileAtomically } from "../../shared/write-file-atomically.js";
import type { FinalMetrics, History } from "./history.js";
import { historyCsv } from "./history-csv.js";
import { renderReport, type ReportOptions } from "./report.js";
import { RunFolderError } from "./run-folder-error.js";

/**
 * A run's folder: `history.json` and `history.csv` (rewritten after each
 * epoch, so a crash keeps the epochs so far), then `metrics.json`,
 * `report.html` and the trained model in `model/` (written by
 * `export/save-model.ts`). Every file is written atomically.
 */

/** A new run's folder under `runsRoot` (made if missing): `createStampedFolder`'s; a root that cannot hold it (a file, a read-only folder) is a RunFolderError naming the problem. */
export function createRunFolder(runsRoot: string, specName: string, now: Date = new Date()): string {
  try {
    makeFolders(runsRoot);
    return createStampedFolder(runsRoot, specName, now);
  } catch (error) {
    throw new RunFolderError(`cannot use --runs ${runsRoot}: ${describeIoError(error)}; give a folder you can write to (it is made if missing)`);
  }
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
