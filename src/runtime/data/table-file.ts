import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import {
  ColumnCells,
  csvCellValue,
  csvRecords,
  CsvSyntaxError,
  excerpt,
  itemName,
  jsonCellValue,
  otherSeparatorProblem,
  ownValue,
  readJsonObjects,
  rowName,
  searchDataFile,
  type DataFileSearch,
} from "../../shared/tabular/index.js";
import { nonRegularAt } from "../../shared/read-regular-file.js";
import { decodeUtf8, notUtf8Problem } from "../../shared/utf8-text.js";
import { DataError, type FileSource } from "./dataset.js";

/**
 * A CSV or JSON file's cells, read as the compiler reads them. Rows are
 * named as a person looking at the file counts them, the same in `regc
 * check` and `regc run`: `row 3` in a CSV file, whose header is row 1 (with
 * the line when blank lines or quoted line breaks make it differ), and
 * `item 3 of the array (counting from 1)` in a JSON file.
 */
export interface TableFile {
  /** The path as written in the spec, for messages. */
  label: string;
  columns: readonly string[];
  rows: number;
  /** One column's cells. */
  column(name: string): ColumnCells;
  rowName(row: number): string;
}

/**
 * Finds and reads the source's file (beside the spec, then in installed
 * packages; then the same from the folder its run started in); a DataError
 * says where it looked or what is wrong.
 */
export async function readTableFile(source: FileSource): Promise<TableFile> {
  const { kind, path } = source;
  const { found, looked } = searchSource(source);
  if (!found) {
    const beside = resolve(source.specFolder, path);
    const what = nonRegularAt(beside);
    if (what !== undefined) throw new DataError(`\`${path}\` is ${what}, not a regular file (${beside}); give the path of a CSV or JSON file`);
    throw new DataError(`cannot find \`${path}\`; looked for it at ${looked.join(", then ")}`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(found.file);
  } catch (error) {
    throw new DataError(`cannot read \`${path}\` (${found.file}): ${(error as Error).message}`);
  }
  const { text, notUtf8 } = decodeUtf8(bytes);
  if (notUtf8) throw new DataError(`cannot read \`${path}\` (${found.file}): ${notUtf8Problem(notUtf8)}`);
  return kind === "csv" ? csvTable(path, text) : jsonTable(path, text);
}

/** The file, looked for from the spec's folder, then (only if not found there) from the folder the run started in, where that is another. */
function searchSource({ path, specFolder, startedIn }: FileSource): DataFileSearch {
  const here = searchDataFile(path, specFolder);
  if (here.found || startedIn === undefined || relative(resolve(specFolder), resolve(startedIn)) === "") return here;
  const there = searchDataFile(path, startedIn);
  const lookedThere = there.looked.filter((place) => !here.looked.includes(place)).map((place) => `${place} (where the run started)`);
  return { found: there.found, looked: [...here.looked, ...lookedThere] };
}

function csvTable(label: string, text: string): TableFile {
  try {
    const all = csvRecords(text);
    const header = all.next();
    if (header.done) throw new DataError(`\`${label}\` is empty; it needs a header row`);
    const names = header.value.cells;
    const separated = otherSeparatorProblem(names);
    if (separated !== undefined) throw new DataError(`\`${label}\`: ${separated}`);
    const columns = names.map(() => new ColumnCells());
    let lines: Int32Array<ArrayBuffer> = new Int32Array(1024);
    let rows = 0;
    for (const record of all) {
      if (record.cells.length !== names.length) {
        throw new DataError(`\`${label}\`: ${rowName(record.row, record.line)} has ${record.cells.length} cells, the header has ${names.length}`);
      }
      record.cells.forEach((cell, at) => columns[at]!.push(csvCellValue(cell)));
      if (rows === lines.length) lines = grow(lines);
      lines[rows++] = record.line;
    }
    return {
      label,
      columns: names,
      rows,
      column: (name) => columns[names.indexOf(name)]!,
      // Data row 0 is row 2: the header is row 1.
      rowName: (row) => rowName(row + 2, lines[row]!),
    };
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DataError(`\`${label}\`: ${error.message}`);
    throw error;
  }
}

function jsonTable(label: string, text: string): TableFile {
  const read = readJsonObjects(text);
  if (!read.ok) throw new DataError(`\`${label}\`: ${read.reason}`);
  const columns = new Map(read.columns.map((name) => [name, new ColumnCells()]));
  for (const row of read.rows) for (const [name, cells] of columns) cells.push(jsonCellValue(ownValue(row, name)));
  return { label, columns: read.columns, rows: read.rows.length, column: (name) => columns.get(name)!, rowName: itemName };
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** A column name as messages show it: the file's own text, escaped and short. */
export function columnLabel(name: string): string {
  return `\`${excerpt(name)}\``;
}
