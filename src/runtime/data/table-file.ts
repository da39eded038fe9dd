import { readFile } from "node:fs/promises";
import {
  csvCellValue,
  csvRecords,
  CsvSyntaxError,
  jsonCellValue,
  readJsonObjects,
  rowName,
  searchDataFile,
  type CellValue,
} from "../../shared/tabular/index.js";
import { DataError } from "./dataset.js";

/** A CSV or JSON file's cells, read as the compiler reads them. */
export interface TableFile {
  /** The path as written in the spec, for messages. */
  label: string;
  columns: readonly string[];
  rows: number;
  /** One column's cells, row by row; `null` where a row has no value. */
  column(name: string): readonly CellValue[];
  /** What a user looking at the file calls a row: `row 3` (CSV, the header is row 1) or `item 3 of the array (counting from 1)`. */
  rowName(row: number): string;
}

/** Finds and reads `path` (beside the spec, then in installed packages); a DataError says where it looked or what is wrong. */
export async function readTableFile(kind: "csv" | "json", path: string, specFolder: string): Promise<TableFile> {
  const { found, looked } = searchDataFile(path, specFolder);
  if (!found) throw new DataError(`cannot find \`${path}\`; looked for it at ${looked.join(", then ")}`);
  let text: string;
  try {
    text = await readFile(found.file, "utf8");
  } catch (error) {
    throw new DataError(`cannot read \`${path}\` (${found.file}): ${(error as Error).message}`);
  }
  return kind === "csv" ? csvTable(path, text) : jsonTable(path, text);
}

function csvTable(label: string, text: string): TableFile {
  const records: string[][] = [];
  const names: string[] = [];
  try {
    const all = csvRecords(text);
    const header = all.next();
    if (header.done) throw new DataError(`\`${label}\` is empty; it needs a header row`);
    for (const record of all) {
      if (record.cells.length !== header.value.cells.length) {
        throw new DataError(`\`${label}\`: ${rowName(record.row, record.line)} has ${record.cells.length} cells, the header has ${header.value.cells.length}`);
      }
      records.push(record.cells);
      names.push(rowName(record.row, record.line));
    }
    return {
      label,
      columns: header.value.cells,
      rows: records.length,
      column(name) {
        const at = header.value.cells.indexOf(name);
        return records.map((cells) => csvCellValue(cells[at]!));
      },
      rowName: (row) => names[row]!,
    };
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DataError(`\`${label}\`: ${error.message}`);
    throw error;
  }
}

function jsonTable(label: string, text: string): TableFile {
  const read = readJsonObjects(text);
  if (!read.ok) throw new DataError(`\`${label}\`: ${read.reason}`);
  return {
    label,
    columns: read.columns,
    rows: read.rows.length,
    column: (name) => read.rows.map((row) => jsonCellValue(row[name])),
    rowName: (row) => `item ${row + 1} of the array (counting from 1)`,
  };
}
