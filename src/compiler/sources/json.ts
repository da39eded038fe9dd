import { itemName, jsonCellValue, ownValue, readJsonObjects } from "../../shared/tabular/index.js";
import type { ColumnInfo } from "./schema.js";
import { TableBuilder, type TableParse } from "./table.js";

/** Summarizes a JSON file holding an array of flat objects; `null` or an absent key is a missing value; an array or object in a cell is read as text, and the first one in a column recorded, for messages to say so. */
export function parseJson(text: string): TableParse {
  const read = readJsonObjects(text);
  if (!read.ok) return read;
  const table = new TableBuilder(read.columns);
  const nested = new Map<string, NonNullable<ColumnInfo["firstNested"]>>();
  read.rows.forEach((row, index) =>
    table.addRow(
      read.columns.map((name) => {
        const value = ownValue(row, name);
        if (typeof value === "object" && value !== null && !nested.has(name)) nested.set(name, { row: itemName(index), holds: Array.isArray(value) ? "an array" : "an object" });
        return jsonCellValue(value);
      }),
      () => itemName(index),
    ),
  );
  const summary = table.finish();
  for (const column of summary.columns) {
    const first = nested.get(column.name);
    if (first) column.firstNested = first;
  }
  return { ok: true, table: summary };
}
