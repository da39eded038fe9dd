import { quotedExcerpt, type CellValue } from "../../shared/tabular/index.js";
import { DataError, type TargetInfo } from "./dataset.js";

/** How a column's labels become class indices. */
export interface ClassEncoding {
  info: TargetInfo;
  index(value: Exclude<CellValue, null>): number;
}

/** Where a column's labels stand, for messages: the column (`` `t.csv`, column `y` ``) and each row's name. */
export interface LabelPlace {
  column: string;
  row(row: number): string;
}

/** A class target as its program knows it: its name, its classes' count, and their labels where `regc check` listed them. */
export interface CompiledClasses {
  name: string;
  classes?: number;
  labels?: readonly string[];
}

/** The most labels a message lists. */
const LISTED_LABELS = 10;

const AGAIN = "the data changed since the program was compiled: compile the spec again, or train it with regc run, which checks the data first";

/**
 * Integer labels that already fit 0…K−1 (K = `classes`, or the number of
 * distinct labels) are used as they are. Any others — other integers,
 * fractions, strings — take their place among the labels `regc check`
 * read, which the program holds, or, in a program compiled without them
 * (a column of more labels than the check lists), among the file's sorted
 * distinct values; those names are recorded as `classNames`. The mapping
 * is built from every labelled row of the file, so indices do not shift
 * with the `missing` policy. A column of one label is refused, as the
 * check refuses it. Labels that do not fit the program — one it
 * does not know, or more or fewer than its classes where it knows only
 * their count — mean the data changed since it was compiled: a DataError
 * says so, naming the label and its first row where there is one to name.
 */
export function encodeClasses(labels: readonly CellValue[], compiled: CompiledClasses, at: LabelPlace): ClassEncoding {
  const firstRows = new Map<string, number>();
  let numeric = true;
  labels.forEach((label, row) => {
    if (label === null) return;
    if (typeof label !== "number") numeric = false;
    const name = String(label);
    if (!firstRows.has(name)) firstRows.set(name, row);
  });
  const declared = compiled.classes;
  // One label leaves nothing to tell apart (and a one-hot of depth 1 is no classification), as `regc check` says.
  if (firstRows.size < 2) {
    const [only] = firstRows.keys();
    const held = only === undefined ? "no row has a label" : `every label is ${quotedExcerpt(only)}`;
    const changed = declared === undefined ? "" : ` (the program was compiled for ${declared}: ${AGAIN})`;
    throw new DataError(`${at.column}: ${held}, but class target \`${compiled.name}\` needs at least 2 classes${changed}`);
  }
  if (numeric) {
    const numbers = [...firstRows.keys()].map(Number);
    const limit = declared ?? numbers.length;
    if (numbers.every((n) => Number.isInteger(n) && n >= 0 && n < limit)) {
      return { info: { kind: "class", classes: limit }, index: (label) => label as number };
    }
  }
  if (compiled.labels) {
    const known = new Set(compiled.labels);
    const unknown = [...firstRows].find(([name]) => !known.has(name));
    if (unknown) {
      const [name, row] = unknown;
      throw new DataError(`${at.row(row)}: label ${quotedExcerpt(name)} is not one of the ${compiled.labels.length} labels the program was compiled with (${listed(compiled.labels)}); ${AGAIN}`);
    }
    return byName(compiled.labels);
  }
  const names = numeric ? [...firstRows.keys()].sort((a, b) => Number(a) - Number(b)) : [...firstRows.keys()].sort();
  if (declared !== undefined && names.length !== declared) {
    throw new DataError(`${at.column}: ${names.length} distinct labels (${listed(names)}), ${names.length > declared ? "more" : "fewer"} than the ${declared} classes the program was compiled for; ${AGAIN}`);
  }
  return byName(names);
}

function byName(names: readonly string[]): ClassEncoding {
  const indices = new Map(names.map((name, i) => [name, i]));
  return {
    info: { kind: "class", classes: names.length, classNames: names },
    index: (label) => indices.get(String(label))!,
  };
}

/** `"no", "yes"`, or the first few and how many more. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_LABELS).map(quotedExcerpt).join(", ");
  return names.length > LISTED_LABELS ? `${shown} and ${names.length - LISTED_LABELS} more` : shown;
}

/** Class indices for the kept rows. */
export function classIndices(labels: readonly CellValue[], rows: Int32Array, encoding: ClassEncoding): Int32Array {
  return Int32Array.from(rows, (row) => encoding.index(labels[row]!));
}
