import { columnType, excerpt, valueKind, type CellValue, type ValueKind } from "../../shared/tabular/index.js";
import { DISTINCT_LIMIT, LISTED_VALUES_LIMIT, type ColumnInfo, type LabelAt, type TableSummary } from "./schema.js";

export type { CellValue };

/** How a file's text became a table, or why it could not (`reason` names the row or item). */
export type TableParse = { ok: true; table: TableSummary } | { ok: false; reason: string };

/** Collects one column's type, gaps and distinct values, row by row. */
class ColumnTally {
  private readonly kinds = new Set<ValueKind>();
  private readonly distinctValues = new Set<string>();
  /** Row indices without a value, ascending. */
  readonly missingRows: number[] = [];
  private firstMissing: ColumnInfo["firstMissing"];
  private firstText: ColumnInfo["firstText"];
  private firstBoolean: ColumnInfo["firstBoolean"];
  private firstFraction: ColumnInfo["firstFraction"];
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(readonly name: string) {}

  private firstNonFinite: ColumnInfo["firstNonFinite"];
  /** Each distinct text value with case and surrounding spaces set aside, and the first value and row that gave it. */
  private readonly folded = new Map<string, LabelAt>();
  private lookalikes: ColumnInfo["lookalikes"];

  add(row: number, value: CellValue, rowName: () => string): void {
    if (value === null) {
      if (this.missingRows.length === 0) this.firstMissing = { index: row, row: rowName() };
      this.missingRows.push(row);
      return;
    }
    this.kinds.add(valueKind(value));
    if (typeof value === "string" && !this.firstText) this.firstText = { row: rowName(), value: excerpt(value) };
    if (typeof value === "boolean" && !this.firstBoolean) this.firstBoolean = { row: rowName(), value };
    if (typeof value === "number" && !Number.isFinite(value) && !this.firstNonFinite) this.firstNonFinite = { row: rowName(), value };
    if (typeof value === "number" && Number.isFinite(value)) {
      if (!Number.isInteger(value) && !this.firstFraction) this.firstFraction = { row: rowName(), value };
      this.min = Math.min(this.min, value);
      this.max = Math.max(this.max, value);
    }
    const text = String(value);
    if (this.distinctValues.size < DISTINCT_LIMIT && !this.distinctValues.has(text)) {
      this.distinctValues.add(text);
      if (typeof value === "string" && !this.lookalikes) this.compareFolded(value, rowName);
    }
  }

  /** A new text value against those seen, with case and surrounding spaces set aside: once per distinct value. */
  private compareFolded(value: string, rowName: () => string): void {
    const folded = value.trim().toLowerCase();
    const earlier = this.folded.get(folded);
    if (earlier) this.lookalikes = [earlier, { value, row: rowName() }];
    else this.folded.set(folded, { value, row: rowName() });
  }

  info(): ColumnInfo {
    const type = columnType(this.kinds);
    const info: ColumnInfo = { name: this.name, type, missing: this.missingRows.length, distinct: this.distinctValues.size };
    if (this.firstMissing) info.firstMissing = this.firstMissing;
    if (this.firstText) info.firstText = this.firstText;
    if (this.firstBoolean) info.firstBoolean = this.firstBoolean;
    if (this.firstFraction) info.firstFraction = this.firstFraction;
    if (this.firstNonFinite) info.firstNonFinite = this.firstNonFinite;
    if (this.lookalikes) info.lookalikes = this.lookalikes;
    if (this.min <= this.max) Object.assign(info, { min: this.min, max: this.max });
    if (this.distinctValues.size <= LISTED_VALUES_LIMIT) {
      const values = [...this.distinctValues];
      info.values = type === "number" ? values.sort((a, b) => Number(a) - Number(b)) : values.sort();
    }
    return info;
  }
}

/** Builds a table summary from rows of cells, one cell per column, in column order. */
export class TableBuilder {
  private readonly tallies: ColumnTally[];
  private rows = 0;

  constructor(columnNames: readonly string[]) {
    this.tallies = columnNames.map((name) => new ColumnTally(name));
  }

  /** `rowName` says where the row is, as messages name it; called only when a message needs it. */
  addRow(cells: readonly CellValue[], rowName: () => string): void {
    this.tallies.forEach((tally, column) => tally.add(this.rows, cells[column] ?? null, rowName));
    this.rows++;
  }

  finish(): TableSummary {
    const rows = this.rows;
    const missingRows = new Map(this.tallies.map((tally) => [tally.name, tally.missingRows]));
    return {
      rows,
      columns: this.tallies.map((tally) => tally.info()),
      completeRows(columns) {
        const incomplete = new Set<number>();
        for (const name of columns) for (const row of missingRows.get(name) ?? []) incomplete.add(row);
        return rows - incomplete.size;
      },
    };
  }
}
