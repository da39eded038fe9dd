import { csvCellValue, csvRecords, CsvSyntaxError, otherSeparatorProblem, repeatedColumnProblem, rowName } from "../../shared/tabular/index.js";
import { TableBuilder, type TableParse } from "./table.js";

/** Summarizes a CSV file with a header row; every row must have as many cells as the header. */
export function parseCsv(text: string): TableParse {
  try {
    const records = csvRecords(text);
    const header = records.next();
    if (header.done) return { ok: false, reason: "the file is empty; it needs a header row" };
    const names = header.value.cells;
    const problem = otherSeparatorProblem(names) ?? repeatedColumnProblem(names);
    if (problem !== undefined) return { ok: false, reason: problem };
    const table = new TableBuilder(names);
    for (const { cells, row, line } of records) {
      if (cells.length !== names.length) {
        return { ok: false, reason: `${rowName(row, line)} has ${cells.length} ${cells.length === 1 ? "cell" : "cells"}, the header has ${names.length}` };
      }
      table.addRow(cells.map(csvCellValue), () => rowName(row, line));
    }
    return { ok: true, table: table.finish() };
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}
