import type { CellValue } from "./cell.js";
import { valueKind, type ValueKind } from "./column-type.js";

/**
 * One column's cells, stored compactly: numbers in a float64 array, and the
 * few other cells (gaps, text, booleans) beside it by row. A 50 MB CSV of
 * numbers then takes 8 bytes a cell instead of a string and an array slot.
 */
export class ColumnCells {
  private numbers = new Float64Array(1024);
  private readonly others = new Map<number, Exclude<CellValue, number>>();
  length = 0;

  push(value: CellValue): void {
    if (this.length === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    if (typeof value === "number") this.numbers[this.length] = value;
    else {
      this.numbers[this.length] = NaN;
      this.others.set(this.length, value);
    }
    this.length++;
  }

  cell(row: number): CellValue {
    const other = this.others.get(row);
    return other !== undefined ? other : this.numbers[row]!;
  }

  values(): CellValue[] {
    return Array.from({ length: this.length }, (_, row) => this.cell(row));
  }

  /** The cells that are not numbers, by row, ascending. */
  nonNumbers(): IterableIterator<[number, Exclude<CellValue, number>]> {
    return this.others.entries();
  }

  /** The kinds of value the column holds, gaps left out. */
  kinds(): Set<ValueKind> {
    const kinds = new Set<ValueKind>(this.others.size < this.length ? ["number"] : []);
    for (const value of this.others.values()) if (value !== null) kinds.add(valueKind(value));
    return kinds;
  }

  /** The numbers, NaN where a cell is not one; a copy sized to the column. */
  numeric(): Float64Array {
    return this.numbers.slice(0, this.length);
  }
}
