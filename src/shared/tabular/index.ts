/** Reading tables from CSV and JSON files: shared by the compiler (schemas) and the runtime (tensors). */
export type { CellValue } from "./cell.js";
export { csvRecords, csvCellValue, rowName, CsvSyntaxError, CSV_MISSING, type CsvRecord } from "./csv.js";
export { readJsonObjects, jsonCellValue, type JsonObjects } from "./json.js";
export { locateDataFile, searchDataFile, type LocatedFile, type DataFileSearch } from "./locate.js";
