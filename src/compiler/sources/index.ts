export * from "./schema.js";
export { MNIST_SCHEMA } from "./mnist.js";
export { csvRecords, csvCellValue, parseCsv, CsvSyntaxError, CSV_MISSING, type CsvRecord } from "./csv.js";
export { parseJson, jsonCellValue } from "./json.js";
export type { CellValue, TableParse } from "./table.js";
export { resolveSource, resolveDataPath, type SourceKind } from "./resolve.js";
