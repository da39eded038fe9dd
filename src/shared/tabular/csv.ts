import type { CellValue } from "./cell.js";
import { excerpt } from "./excerpt.js";

/** One record of a CSV file: its number (the header is row 1) and the line it starts on. */
export interface CsvRecord {
  cells: string[];
  row: number;
  line: number;
}

/** A CSV syntax error at a record. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly row: number,
    readonly line: number,
    detail: string,
  ) {
    super(`${rowName(row, line)} ${detail}`);
  }
}

/** Cell texts that mean "no value", as spreadsheets and pandas write them. */
export const CSV_MISSING = new Set(["", "NA", "N/A", "NaN", "nan", "null", "NULL"]);

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether trimmed text is a number as data files write one: decimal, with an optional exponent; not `0x10`, `1_000` or `Infinity`. */
export function isNumberText(text: string): boolean {
  return NUMBER.test(text);
}

/** A header that names a column twice, said so (`columns 1 and 3 of the header are both named \`a\``): which of the two a row's value is would be a guess. */
export function repeatedColumnProblem(names: readonly string[]): string | undefined {
  const repeated = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (repeated < 0) return undefined;
  return `columns ${names.indexOf(names[repeated]!) + 1} and ${repeated + 1} of the header are both named \`${excerpt(names[repeated]!)}\``;
}

/** Separators other programs write between cells (Excel's "Text" uses tabs, its CSV semicolons where a comma is the decimal mark), by name. */
const OTHER_SEPARATORS: ReadonlyArray<readonly [string, string]> = [
  ["\t", "tabs"],
  [";", "semicolons"],
];

/** A header read as one column that another separator than the comma splits: the file was written with that separator, which csv does not read. */
export function otherSeparatorProblem(names: readonly string[]): string | undefined {
  if (names.length !== 1) return undefined;
  const separator = OTHER_SEPARATORS.find(([character]) => names[0]!.includes(character));
  if (!separator) return undefined;
  return `its header reads as one column, \`${excerpt(names[0]!)}\`: the file seems to be separated by ${separator[1]}, and csv reads commas; save it with commas between cells`;
}

const UNQUOTED_CELL = /[^,\r\n]*/y;

/**
 * The records of a CSV file (RFC 4180): quoted cells may hold commas, line
 * breaks and doubled quotes; lines end in LF, CRLF or CR; a leading BOM and
 * blank lines are skipped. A quote inside an unquoted cell is kept as text,
 * as lenient readers do.
 */
export function* csvRecords(text: string): Generator<CsvRecord> {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let row = 0;
  while (at < text.length) {
    if (text[at] === "\n" || text[at] === "\r") {
      at += text.startsWith("\r\n", at) ? 2 : 1;
      line++;
      continue;
    }
    row++;
    const start = line;
    const cells: string[] = [];
    for (;;) {
      if (text[at] === '"') {
        let value = "";
        const opened = line;
        for (at++; ; ) {
          const close = text.indexOf('"', at);
          if (close < 0) throw new CsvSyntaxError(row, start, `has a quoted cell that is never closed (opened on line ${opened})`);
          const chunk = text.slice(at, close);
          value += chunk;
          line += chunk.split("\n").length - 1;
          at = close + 1;
          if (text[at] !== '"') break;
          value += '"';
          at++;
        }
        if (at < text.length && !",\r\n".includes(text[at]!)) {
          throw new CsvSyntaxError(row, start, `has text after a closing quote on line ${line}; a quote inside a quoted cell is written ""`);
        }
        cells.push(value);
      } else {
        UNQUOTED_CELL.lastIndex = at;
        const value = UNQUOTED_CELL.exec(text)![0];
        cells.push(value);
        at += value.length;
      }
      if (text[at] !== ",") break;
      at++;
    }
    if (at < text.length) {
      at += text.startsWith("\r\n", at) ? 2 : 1;
      line++;
    }
    yield { cells, row, line: start };
  }
}

/** What a cell's text means: a number, a boolean, no value, or text. */
export function csvCellValue(text: string): CellValue {
  const trimmed = text.trim();
  if (CSV_MISSING.has(trimmed)) return null;
  if (NUMBER.test(trimmed)) return Number(trimmed);
  const lower = trimmed.toLowerCase();
  if (lower === "true" || lower === "false") return lower === "true";
  return text;
}

/** "row 3", or "row 3 (line 5)" when blank lines or quoted line breaks make the two differ; the header is row 1. */
export function rowName(row: number, line: number): string {
  return row === line ? `row ${row}` : `row ${row} (line ${line})`;
}
