export * from "./schema.js";
export { MNIST_SCHEMA } from "./mnist.js";
export { csvRecords, csvCellValue, CsvSyntaxError, CSV_MISSING, type CsvRecord, jsonCellValue } from "../../shared/tabular/index.js";
export { parseCsv } from "./csv.js";
export { parseJson } from "./json.js";
export type { CellValue, TableParse } from "./table.js";
export { resolveSource, resolveDataPath, dataPathCandidates, filesBeside, type SourceKind } from "./resolve.js";
export { projectFolder, type DataAccess } from "./data-access.js";
