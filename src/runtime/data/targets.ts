import { quotedExcerpt, type CellValue } from "../../shared/tabular/index.js";
import { DataError, type TargetInfo } from "./dataset.js";

/** How a column's labels become class indices. */
export interface ClassEncoding {
  info: TargetInfo;
  index(value: Exclude<CellValue, null>): number;
}

/**
 * Integer labels that already fit 0…K−1 (K = `classes`, or the number of
 * distinct labels) are used as they are; anything else — other integers,
 * fractions, strings — maps its sorted distinct values to 0, 1, … and
 * records them as `classNames`. The mapping is built from every labelled
 * row of the file, so indices do not shift with the `missing` policy.
 */
export function encodeClasses(labels: readonly CellValue[], declared: number | undefined): ClassEncoding {
  const present = labels.filter((label): label is Exclude<CellValue, null> => label !== null);
  const numeric = present.every((label) => typeof label === "number");
  if (numeric) {
    const numbers = [...new Set(present as number[])].sort((a, b) => a - b);
    const limit = declared ?? numbers.length;
    if (numbers.every((n) => Number.isInteger(n) && n >= 0 && n < limit)) {
      return { info: { kind: "class", classes: limit }, index: (label) => label as number };
    }
    return byName(numbers.map(String), declared);
  }
  return byName([...new Set(present.map(String))].sort(), declared);
}

function byName(names: string[], declared: number | undefined): ClassEncoding {
  const indices = new Map(names.map((name, i) => [name, i]));
  return {
    info: { kind: "class", classes: declared ?? names.length, classNames: names },
    index: (label) => indices.get(String(label))!,
  };
}

/** Class indices for the kept rows; a label beyond the declared class count is a DataError naming its row. */
export function classIndices(
  labels: readonly CellValue[],
  rows: Int32Array,
  encoding: ClassEncoding,
  where: (row: number) => string,
): Int32Array {
  const classes = encoding.info.classes!;
  const indices = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    const label = labels[row]!;
    const index = encoding.index(label!);
    if (index >= classes) {
      const distinct = encoding.info.classNames?.length ?? index + 1;
      throw new DataError(`${where(row)}: label ${typeof label === "string" ? quotedExcerpt(label) : String(label)} is one of ${distinct} distinct labels, more than the ${classes} classes the target declares`);
    }
    indices[i] = index;
  });
  return indices;
}
