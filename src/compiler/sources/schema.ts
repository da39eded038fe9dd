/**
 * What the checker and the language server know about a data source without
 * loading it as tensors: its columns, their types, row counts and gaps.
 */

import type { ColumnType } from "../../shared/tabular/index.js";

export type { ColumnType };

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  /** Rows with no value in this column. */
  missing: number;
  /** Distinct non-missing values, counted up to {@link DISTINCT_LIMIT}. */
  distinct: number;
  /** The distinct values when there are at most {@link LISTED_VALUES_LIMIT}, sorted (numerically for number columns). */
  values?: string[];
  /** The smallest and largest number in the column; absent when it holds none. */
  min?: number;
  max?: number;
  /** The first row without a value: its index and how messages name it (`row 4 (line 5)`). */
  firstMissing?: { index: number; row: string };
  /** The first number that is not whole and its row: where a column stops being usable as ids. */
  firstFraction?: { row: string; value: number };
  /** The first text value and its row (`row 151`, `item 3 of the array (counting from 1)`), for saying where a column stops being numeric. */
  firstText?: { row: string; value: string };
  /** The first boolean and its row: where a column of numbers that holds one stops being numeric. */
  firstBoolean?: { row: string; value: boolean };
  /** The first number past float range (`1e999`, read as ±Infinity) and its row: an error wherever it is. */
  firstNonFinite?: { row: string; value: number };
  /** The first JSON array or object in the column and its row: a cell such values are read into as text. */
  firstNested?: { row: string; holds: "an array" | "an object" };
  /** The first two text values that differ only in case or surrounding spaces (`yes`, ` Yes`), each with its first row: two classes that may be meant as one. */
  lookalikes?: [LabelAt, LabelAt];
}

/** A text value and the first row that holds it. */
export interface LabelAt {
  value: string;
  row: string;
}

export const DISTINCT_LIMIT = 1000;
export const LISTED_VALUES_LIMIT = 50;

/** A source's rows and columns, independent of where it was read from. */
export interface TableSummary {
  rows: number;
  columns: ColumnInfo[];
  /** Rows that have a value in every one of these columns (what `missing drop` keeps); unknown names are ignored. */
  completeRows(columns: readonly string[]): number;
}

export interface SourceSchema extends TableSummary {
  kind: "image" | "table";
  /** For messages and hover: `mnist`, `cars.json`, `data/wide.csv`. */
  label: string;
  /** One example's shape (height, width, channels); image sources only. */
  imageShape?: number[];
  /** How many classes the source's own labels have; image sources only. */
  classes?: number;
  /** The real path of the file read, links followed; table sources only. */
  path?: string;
}

export type SourceResolution =
  | { ok: true; schema: SourceSchema }
  /**
   * REG6001 params: `{ path }`; REG6002: `{ path, reason }`; REG6010 (outside
   * what may be read): `{ path, where }`; REG6011 (not a regular file):
   * `{ path, what }`; `path` as written in the spec.
   */
  | { ok: false; code: "REG6001" | "REG6002" | "REG6010" | "REG6011"; params: Record<string, string | number> };
