import { TableBuilder, type CellValue, type TableParse } from "./table.js";

/**
 * Summarizes a JSON file holding an array of flat objects, one per row (the
 * vega-datasets layout). Columns are the union of the objects' keys in the
 * order first seen; `null` or an absent key is a missing value. A nested
 * object or array counts as text, so such a column is never numeric.
 */
export function parseJson(text: string): TableParse {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  if (!Array.isArray(data)) return { ok: false, reason: `it holds ${describe(data)}, not an array of objects` };
  const bad = data.findIndex((item) => !isRecord(item));
  if (bad >= 0) return { ok: false, reason: `item ${bad} of the array (counting from 0) is ${describe(data[bad])}, not an object` };

  const rows = data as Array<Record<string, unknown>>;
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) seen.add(name);
  const names = [...seen];
  const table = new TableBuilder(names);
  for (const row of rows) table.addRow(names.map((name) => jsonCellValue(row[name])));
  return { ok: true, table: table.finish() };
}

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
