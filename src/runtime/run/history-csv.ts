import type { EpochRecord, History } from "./history.js";
import { splitMetricName } from "../../shared/metric-names.js";

/**
 * `history.csv`: the epochs of `history.json` as one row each, for a
 * spreadsheet or pandas; bagging members' rows carry the member's name.
 */
export function historyCsv(history: History): string {
  const rows: Array<{ member?: string; record: EpochRecord }> = history.members
    ? history.members.flatMap((member) => member.epochs.map((record) => ({ member: member.name, record })))
    : history.epochs.map((record) => ({ record }));
  const trainNames = uniqueNames(rows.map(({ record }) => record.train));
  const valNames = uniqueNames(rows.map(({ record }) => record.val ?? {}));
  const header = [...(history.members ? ["member"] : []), "phase", "epoch", "learning_rate", "seconds", ...trainNames, ...valNames.map((name) => splitMetricName("val", name))];
  const lines = rows.map(({ member, record }) => [
    ...(history.members ? [member ?? ""] : []),
    record.phase,
    String(record.epoch),
    String(record.learningRate),
    String(record.seconds),
    ...trainNames.map((name) => numberCell(record.train[name])),
    ...valNames.map((name) => numberCell(record.val?.[name])),
  ]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(",")).join("\n") + "\n";
}

function uniqueNames(all: ReadonlyArray<Record<string, number>>): string[] {
  return [...new Set(all.flatMap((metrics) => Object.keys(metrics)))];
}

/** Empty for a metric the epoch lacks; NaN and ±Infinity as words, as pandas reads them. */
function numberCell(value: number | undefined): string {
  if (value === undefined) return "";
  return Number.isNaN(value) ? "NaN" : value === Infinity ? "inf" : value === -Infinity ? "-inf" : String(value);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
