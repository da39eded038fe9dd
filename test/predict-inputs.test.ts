import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsvTable } from "../src/predict/csv-table.js";
import { readPredictInput } from "../src/predict/node/input-file.js";
import { imageInput, tableInput } from "../src/predict/preprocess.js";
import type { InputDescription } from "../src/shared/model-metadata.js";

describe("pasted CSV", () => {
  it("ends at a trailing line of spaces, as text pasted into a box often does", () => {
    const table = readCsvTable("a,b\n1,2\n  \n", "the input");
    expect(table.rows).toEqual([{ a: 1, b: 2 }]);
    expect(table.names).toEqual(["row 2"]);
  });

  it("names a short row's cells in the singular or plural", () => {
    expect(() => readCsvTable("a,b\n1\n", "the input")).toThrow("the input, row 2: 1 cell, the header has 2");
    expect(() => readCsvTable("a,b,c\n1,2\n", "the input")).toThrow("the input, row 2: 2 cells, the header has 3");
  });

  it("refuses a header without rows, as regc predict refuses such a file: there is nothing to predict", () => {
    expect(() => readCsvTable("a,b\n", "the input")).toThrow("the input: it names its columns but holds no rows, so there is nothing to predict");
    expect(() => readCsvTable("a,b\r\n  \r\n", "rows.csv")).toThrow("rows.csv: it names its columns but holds no rows, so there is nothing to predict");
  });

  it("refuses a header that names a column twice, as data files are refused, rather than read one of the two", () => {
    expect(() => readCsvTable("größe,wert,größe\n1,2,3\n", "rows.csv")).toThrow("rows.csv: columns 1 and 3 of the header are both named `größe`");
  });
});

describe("images with alpha", () => {
  const gray: InputDescription = { kind: "image", shape: [1, 2, 1], missing: "refuse", pixelRange: [0, 1], background: [0] };

  it("composite gray + alpha over the trained background, as RGBA is", () => {
    // Two pixels: white at alpha 0 (the background shows) and 128 at full alpha.
    const grayAlpha = imageInput([{ width: 2, height: 1, channels: 2, data: [255, 0, 128, 255] }], gray, String);
    const rgba = imageInput([{ width: 2, height: 1, channels: 4, data: [255, 255, 255, 0, 128, 128, 128, 255] }], gray, String);
    expect(Array.from(grayAlpha)).toEqual([0, Math.fround(128 / 255)]);
    expect(Array.from(grayAlpha)).toEqual(Array.from(rgba));
    // Half-transparent white over a white background: round(255·128/255) + 255·127/255.
    const light = imageInput([{ width: 2, height: 1, channels: 2, data: [255, 128, 255, 128] }], { ...gray, background: [255] }, String);
    expect(light[0]).toBeCloseTo((128 + (255 * 127) / 255) / 255, 6);
  });
});

describe("an input file that cannot be read", () => {
  it("is named with what is wrong in words, as the spec commands say it, for rows and for images", () => {
    for (const path of ["no-such-rows.csv", "no-such-digit.png"]) {
      expect(() => readPredictInput([path])).toThrow(`cannot read ${path}: no such file or folder`);
    }
  });
});

describe("an input file that is not UTF-8", () => {
  it("is refused as training's data files are, naming the first such byte, rather than read with U+FFFD", () => {
    const folder = mkdtempSync(join(tmpdir(), "reglang-predict-input-"));
    try {
      writeFileSync(join(folder, "rows.csv"), Buffer.from("x,ville\n1,Orl\xe9ans\n", "latin1"));
      writeFileSync(join(folder, "rows.json"), Buffer.from('\ufeff[{"x": 1}]', "utf16le"));
      const csv = join(folder, "rows.csv");
      expect(() => readPredictInput([csv])).toThrow(
        `cannot read ${csv}: it is not UTF-8 text: the byte 0xE9 at line 2, column 6 is not UTF-8 (a Latin-1 or Windows-1252 letter, perhaps); save the file as UTF-8`,
      );
      expect(() => readPredictInput([join(folder, "rows.json")])).toThrow("it is UTF-16 text");
    } finally {
      rmSync(folder, { recursive: true });
    }
  });
});

describe("a column missing from a table", () => {
  const input: InputDescription = { kind: "table", shape: [3], features: ["a", "b", "c"], missing: "refuse" };
  const read = (names: string[]) => tableInput([], input, () => "row 2", { names, source: "the input" });

  it("is named as one column, or several as columns", () => {
    expect(() => read(["a", "b"])).toThrow('the input has no column `c`; the model reads the columns `a`, `b`, `c`; its columns are "a", "b"');
    expect(() => read(["x"])).toThrow('the input has no columns `a`, `b`, `c`; the model reads the columns `a`, `b`, `c`; its columns are "x"');
  });
});

describe("a table cell", () => {
  // Gaps filled with the train mean (5), so a value taken for a gap would show as 5.
  const input = { kind: "table" as const, shape: [1], features: ["x"], missing: "mean" as const, fill: [5] };
  const column = (...cells: unknown[]) => Array.from(tableInput(cells.map((x) => ({ x })), input, (r) => `row ${r + 2}`));
  const read = (cell: unknown) => column(cell);

  it("is read as training reads data files: numbers, null or no key for a gap, a column of booleans as 1 and 0", () => {
    expect([read(3.5), read(null), read(undefined), column(true, false)]).toEqual([[3.5], [5], [5], [1, 0]]);
    expect(Array.from(tableInput([{}], input, String))).toEqual([5]);
  });

  it("holding text is refused as training refuses it, numeric text (JSON's \"0.7\") included, not read as its number", () => {
    expect(() => column(1, "0.7")).toThrow('row 3, column `x`: "0.7" is a string, not a number; write it without quotes');
    expect(() => read("")).toThrow('row 2, column `x`: "" is not a number');
  });

  it("holding a boolean among numbers is refused as training refuses it, not read as 1", () => {
    expect(() => column(2, true, 4)).toThrow("row 3, column `x`: `true` is a boolean among numbers; write it as 1 (a column is numeric when every value is a number, or every value a boolean)");
  });

  it("past float range is refused as training refuses it, not taken for a gap", () => {
    expect(() => read(Number("1e999"))).toThrow("row 2, column `x`: a number beyond float range (read as Infinity)");
    expect(() => read(Number("-1e999"))).toThrow("row 2, column `x`: a number beyond float range (read as -Infinity)");
  });

  it("in another notation than decimal is not a number, as training says", () => {
    for (const cell of ["0x10", "0b10000", "0o20", "1_6", "Infinity"]) expect(() => read(cell)).toThrow(`row 2, column \`x\`: ${JSON.stringify(cell)} is not a number`);
  });
});
