import type { CellValue } from "./cell.js";

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
