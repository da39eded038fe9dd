/** Reading tables from CSV and JSON files: shared by the compiler (schemas) and the runtime (tensors). */
export type { CellValue } from "./cell.js";
export { ColumnCells } from "./column-cells.js";
export { columnNumbers, columnType, readsAsNumbers, valueKind, type ColumnType, type ValueKind } from "./column-type.js";
export { csvRecords, csvCellValue, otherSeparatorProblem, repeatedColumnProblem, rowName, CsvSyntaxError, CSV_MISSING, type CsvRecord } from "./csv.js";
export { readJsonObjects, jsonCellValue, itemName, ownValue, type JsonObjects } from "./json.js";
export { excerpt, quotedExcerpt, escapeControlCharacters, EXCERPT_LENGTH } from "./excerpt.js";
export { locateDataFile, nodeModulesFolders, packagePath, searchDataFile, type LocatedFile, type DataFileSearch } from "./locate.js";
