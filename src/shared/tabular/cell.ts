/** A cell once read: `null` when the row has no value there. */
export type CellValue = number | string | boolean | null;
