import { itemName, jsonCellValue, ownValue, readJsonObjects } from "../../shared/tabular/index.js";
import { TableBuilder, type TableParse } from "./table.js";

/** Summarizes a JSON file holding an array of flat objects; `null` or an absent key is a missing value. */
export function parseJson(text: string): TableParse {
  const read = readJsonObjects(text);
  if (!read.ok) return read;
  const table = new TableBuilder(read.columns);
  read.rows.forEach((row, index) => table.addRow(read.columns.map((name) => jsonCellValue(ownValue(row, name))), () => itemName(index)));
  return { ok: true, table: table.finish() };
}
