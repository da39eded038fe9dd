import { csvCellValue, csvRecords, CsvSyntaxError, repeatedColumnProblem, rowName } from "../shared/tabular/csv.js";
import { plural } from "../shared/plural.js";
import { InputError } from "./input-error.js";
import type { RawRow } from "./preprocess.js";

/** Rows of a CSV text by column name, with the header's columns and each row's name (`row 2`: the header is row 1, as a spreadsheet counts). */
export interface CsvTable {
  rows: RawRow[];
  columns: string[];
  names: string[];
}

/**
 * Reads CSV text as `regc predict` reads a file and the export's page reads
 * pasted rows, with the one parser data files are read with: quoted cells
 * (commas, line breaks, doubled quotes), CRLF, a BOM. `source` names the
 * text in messages (a file's path, or "the input"). Text without rows is
 * refused: there is nothing to predict.
 */
export function readCsvTable(text: string, source: string): CsvTable {
  try {
    const records = csvRecords(text);
    const header = records.next();
    if (header.done) throw new InputError(`${source} is empty; it needs a header row naming the columns`);
    const columns = header.value.cells.map((cell) => cell.trim());
    // Refused as data files are.
    const repeated = repeatedColumnProblem(columns);
    if (repeated !== undefined) throw new InputError(`${source}: ${repeated}`);
    const rows: RawRow[] = [];
    const names: string[] = [];
    for (const record of records) {
      // A line of spaces (text pasted with a trailing blank line) is no row.
      if (record.cells.length === 1 && record.cells[0]!.trim() === "") continue;
      if (record.cells.length !== columns.length) {
        throw new InputError(`${source}, ${rowName(record.row, record.line)}: ${plural(record.cells.length, "cell")}, the header has ${columns.length}`);
      }
      rows.push(Object.fromEntries(columns.map((column, i) => [column, csvCellValue(record.cells[i]!)])));
      names.push(rowName(record.row, record.line));
    }
    // As `regc check` refuses a data file without rows: nothing to predict is a mistake, not an empty answer.
    if (rows.length === 0) throw new InputError(`${source}: it names its columns but holds no rows, so there is nothing to predict`);
    return { rows, columns, names };
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InputError(`${source}: ${error.message}`);
    throw error;
  }
}
