import { columnNumbers, quotedExcerpt } from "../../shared/tabular/index.js";
import { DataError, type DataSpec, type FileSource, type TargetSpec } from "./dataset.js";
import type { Examples, TargetValues } from "./examples.js";
import { columnLabel, readTableFile, type TableFile } from "./table-file.js";
import { classIndices, encodeClasses } from "./targets.js";

/** The most column names a message lists: a file's header is its content, and may be long. */
const LISTED_COLUMNS = 20;

/** A CSV or JSON source as examples: features in order, targets from their columns, rows with gaps handled per `missing`. */
export async function tableExamples(spec: DataSpec, source: FileSource): Promise<Examples> {
  const file = await readTableFile(source);
  const features = spec.features ?? [];
  if (features.length === 0) throw new DataError(`data \`${spec.name}\` names no features of \`${file.label}\``);
  const targetColumns = spec.targets.flatMap((t) => (columnOf(t) === undefined ? [] : [columnOf(t)!]));
  for (const name of [...features, ...targetColumns]) {
    if (!file.columns.includes(name)) {
      const shown = file.columns.slice(0, LISTED_COLUMNS).map(columnLabel).join(", ");
      const more = file.columns.length > LISTED_COLUMNS ? ` and ${file.columns.length - LISTED_COLUMNS} more` : "";
      throw new DataError(`\`${file.label}\` has no column ${columnLabel(name)}; its columns are ${shown}${more}`);
    }
  }
  const numberTargets = spec.targets.flatMap((t) => (t.kind === "number" ? [t.column] : []));
  const numeric = new Map([...features, ...numberTargets].map((name) => [name, numbers(file, name)]));
  const labels = new Map(spec.targets.flatMap((t) => (t.kind === "class" && t.column !== undefined ? [[t.column, file.column(t.column).values()]] : [])));
  const missing = (name: string, row: number) => (numeric.has(name) ? Number.isNaN(numeric.get(name)![row]!) : labels.get(name)![row] === null);

  // `missing mean` fills features only: a row without its target has nothing to learn from, so it drops either way.
  const mustHave = spec.missing === "mean" ? targetColumns : [...features, ...targetColumns];
  if ((spec.missing ?? "error") === "error") refuseGaps(file, mustHave, missing);
  const kept = Int32Array.from({ length: file.rows }, (_, row) => row).filter((row) => !mustHave.some((name) => missing(name, row)));

  const width = features.length;
  const x = new Float32Array(kept.length * width);
  kept.forEach((row, i) => features.forEach((name, f) => (x[i * width + f] = numeric.get(name)![row]!)));

  const targets = new Map<string, TargetValues>();
  for (const target of spec.targets) {
    if (target.kind === "number") {
      const values = numeric.get(target.column)!;
      targets.set(target.name, { info: { kind: "number" }, values: Float32Array.from(kept, (row) => values[row]!) });
    } else if (target.kind === "class") {
      if (target.column === undefined) throw new DataError(`\`${file.label}\` has no labels of its own: target \`${target.name}\` needs a column, \`class(COLUMN)\``);
      const column = labels.get(target.column)!;
      const place = `\`${file.label}\`, column ${columnLabel(target.column)}`;
      const encoding = encodeClasses(column, target, { column: place, row: (row) => `${place}, ${file.rowName(row)}` });
      targets.set(target.name, { info: encoding.info, values: classIndices(column, kept, encoding) });
    }
  }
  return { kind: "table", inputShape: [width], rows: kept.length, x, width, targets, label: `\`${file.label}\``, featureName: (f) => features[f]! };
}

function columnOf(target: TargetSpec): string | undefined {
  return target.kind === "self" ? undefined : target.column;
}

/**
 * A numeric column as float64, NaN where a row has no value; a column of
 * booleans counts them as 1 and 0, by the checker's rule (`readsAsNumbers`).
 * Text, booleans among numbers, and numbers past float range (`1e999` reads
 * as Infinity) are errors naming the row.
 */
function numbers(file: TableFile, name: string): Float64Array {
  const where = (row: number) => `\`${file.label}\`, column ${columnLabel(name)}, ${file.rowName(row)}`;
  const read = columnNumbers(file.column(name));
  if (!read.ok) throw new DataError(`${where(read.row)}: ${read.problem}`);
  const values = read.values;
  const beyond = values.findIndex((value) => value === Infinity || value === -Infinity);
  if (beyond >= 0) throw new DataError(`${where(beyond)}: a number beyond float range (read as ${values[beyond]}); fix the cell or leave it empty and add \`missing drop\``);
  return values;
}

/** With no `missing` setting a gap is an error: name the first one and how many rows have one. */
function refuseGaps(file: TableFile, columns: readonly string[], missing: (name: string, row: number) => boolean): void {
  for (const name of columns) {
    let count = 0;
    let first = -1;
    for (let row = 0; row < file.rows; row++) {
      if (!missing(name, row)) continue;
      if (first < 0) first = row;
      count++;
    }
    if (first >= 0) {
      const more = count > 1 ? ` (and ${count - 1} more ${count === 2 ? "row" : "rows"})` : "";
      throw new DataError(`\`${file.label}\`, column ${columnLabel(name)}, ${file.rowName(first)}: no value${more}; add \`missing drop\` or \`missing mean\` to the data block`);
    }
  }
}
