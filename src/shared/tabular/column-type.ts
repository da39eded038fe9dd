import type { CellValue } from "./cell.js";
import type { ColumnCells } from "./column-cells.js";
import { isNumberText } from "./csv.js";
import { quotedExcerpt } from "./excerpt.js";

/** What one cell with a value holds. */
export type ValueKind = "number" | "string" | "boolean";

/** `mixed`: values of more than one kind; `empty`: no value at all. */
export type ColumnType = ValueKind | "mixed" | "empty";

export function valueKind(value: Exclude<CellValue, null>): ValueKind {
  return typeof value as ValueKind;
}

/** A column's type from the kinds of value its cells hold, gaps left out. */
export function columnType(kinds: ReadonlySet<ValueKind>): ColumnType {
  return kinds.size === 0 ? "empty" : kinds.size > 1 ? "mixed" : [...kinds][0]!;
}

/**
 * Whether a column can be a feature or a `number(…)` target: all numbers,
 * or all booleans, read as 1 and 0 (as pandas reads a bool column as
 * floats). Numbers mixed with booleans are refused: pandas keeps such a
 * column as objects, which Keras will not turn into a tensor, and a stray
 * `true` among numbers is more often a mistake than a 1. `regc check` and
 * the runtime both decide by this.
 */
export function readsAsNumbers(type: ColumnType): boolean {
  return type === "number" || type === "boolean";
}

/**
 * A column's cells as numbers, by {@link readsAsNumbers}: NaN where a row
 * has no value, a column of booleans as 1 and 0. Otherwise the first cell
 * that keeps it from reading as numbers, and what is wrong with it: text
 * before a boolean among numbers. Training and prediction both read a
 * numeric column by it.
 */
export function columnNumbers(cells: ColumnCells): { ok: true; values: Float64Array } | { ok: false; row: number; problem: string } {
  const values = cells.numeric();
  const others = [...cells.nonNumbers()];
  const type = columnType(cells.kinds());
  // A column without a value is all gaps, which `missing` decides about.
  if (type !== "empty" && !readsAsNumbers(type)) {
    const [row, cell] = others.find(([, value]) => typeof value === "string") ?? others.find(([, value]) => typeof value === "boolean")!;
    return { ok: false, row, problem: typeof cell === "string" ? textProblem(cell) : booleanProblem(cell as boolean) };
  }
  for (const [row, cell] of others) if (typeof cell === "boolean") values[row] = cell ? 1 : 0;
  return { ok: true, values };
}

function textProblem(cell: string): string {
  // Only JSON keeps numeric text as text (`"0.7"`): a CSV reader reads such a cell as its number.
  return `${quotedExcerpt(cell)} ${isNumberText(cell.trim()) ? "is a string, not a number; write it without quotes" : "is not a number"}`;
}

function booleanProblem(cell: boolean): string {
  return `\`${String(cell)}\` is a boolean among numbers; write it as ${cell ? 1 : 0} (a column is numeric when every value is a number, or every value a boolean)`;
}
