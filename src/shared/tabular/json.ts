import type { CellValue } from "./cell.js";
import { excerpt } from "./excerpt.js";
import { jsonSyntaxErrorAt } from "./json-syntax.js";

/** A JSON file's rows: flat objects, and the union of their keys as columns. */
export type JsonObjects = { ok: true; columns: string[]; rows: Array<Record<string, unknown>> } | { ok: false; reason: string };

/**
 * Reads a JSON file holding an array of flat objects, one per row (the
 * vega-datasets layout). Columns are the union of the objects' keys in the
 * order first seen, since rows may leave keys out.
 */
export function readJsonObjects(text: string): JsonObjects {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, reason: syntaxProblem(error as Error, json) };
  }
  if (!Array.isArray(data)) return { ok: false, reason: `it holds ${describe(data)}, not an array of objects` };
  const bad = data.findIndex((item) => !isRecord(item));
  if (bad >= 0) return { ok: false, reason: `${itemName(bad)} is ${describe(data[bad])}, not an object` };
  const rows = data as Array<Record<string, unknown>>;
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) seen.add(name);
  return { ok: true, columns: [...seen], rows };
}

/** `not valid JSON: unterminated string at line 3, column 12`: node's words for the fault, without its offset or its quote of the file, and where it is. */
function syntaxProblem(error: Error, json: string): string {
  const fault = error.message
    .replace(/( in JSON)? at position \d+.*$/s, "")
    .replace(/, ".*" is not valid JSON$/s, "")
    .replace(/ \(line \d+ column \d+\)$/, "");
  const { line, column } = jsonSyntaxErrorAt(json);
  return `not valid JSON: ${excerpt(fault.charAt(0).toLowerCase() + fault.slice(1), 80)} at line ${line}, column ${column}`;
}

/** How messages name a JSON row, counting as a person reading the file does: `item 1` is the first. */
export function itemName(index: number): string {
  return `item ${index + 1} of the array (counting from 1)`;
}

/** A record's own value for a column: `constructor` or `__proto__` is a column like any other, never a lookup on the prototype. */
export function ownValue(record: Record<string, unknown>, column: string): unknown {
  return Object.hasOwn(record, column) ? record[column] : undefined;
}

/** `null` or an absent key is a missing value; a nested object or array counts as text, so its column is never numeric. */
export function jsonCellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
