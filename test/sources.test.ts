import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { wideCsvText } from "../scripts/make-wide-csv.js";
import {
  csvCellValue,
  csvRecords,
  MNIST_SCHEMA,
  parseCsv,
  parseJson,
  resolveDataPath,
  resolveSource,
  type SourceSchema,
  type TableParse,
  type TableSummary,
} from "../src/compiler/sources/index.js";
import { EXAMPLES_DIR } from "./support/examples.js";

const scratch = mkdtempSync(join(tmpdir(), "reglang-sources-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function table(parse: TableParse): TableSummary {
  if (!parse.ok) throw new Error(`expected a table, got: ${parse.reason}`);
  return parse.table;
}

function reason(parse: TableParse): string {
  if (parse.ok) throw new Error("expected a parse error");
  return parse.reason;
}

function schema(...args: Parameters<typeof resolveSource>): SourceSchema {
  const resolution = resolveSource(...args);
  if (!resolution.ok) throw new Error(`expected a schema, got ${resolution.code} ${JSON.stringify(resolution.params)}`);
  return resolution.schema;
}

function column(summary: TableSummary, name: string) {
  const found = summary.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

describe("csv reader", () => {
  it("reads quoted cells with commas, doubled quotes and line breaks", () => {
    const text = 'name,note,n\n"Smith, J.","said ""hi""",1\nplain,"two\nlines",2\n';
    expect([...csvRecords(text)]).toEqual([
      { cells: ["name", "note", "n"], row: 1, line: 1 },
      { cells: ["Smith, J.", 'said "hi"', "1"], row: 2, line: 2 },
      { cells: ["plain", "two\nlines", "2"], row: 3, line: 3 },
    ]);
    const summary = table(parseCsv(text));
    expect(summary.rows).toBe(2);
    expect(column(summary, "note")).toMatchObject({ type: "string", values: ["said \"hi\"", "two\nlines"] });
    expect(column(summary, "n")).toMatchObject({ type: "number", values: ["1", "2"] });
  });

  it("accepts CRLF, a BOM, a missing final newline and blank lines", () => {
    const summary = table(parseCsv("\uFEFFa,b\r\n1,2\r\n\r\n3,4"));
    expect(summary.columns.map((c) => c.name)).toEqual(["a", "b"]);
    expect(summary.rows).toBe(2);
    expect(column(summary, "b").values).toEqual(["2", "4"]);
  });

  it("keeps an empty last cell after a trailing comma", () => {
    expect([...csvRecords("a,b,\n")][0]!.cells).toEqual(["a", "b", ""]);
  });

  it("counts empty, NA, NaN and null cells as missing, keeping the column numeric", () => {
    const summary = table(parseCsv("x,y\n1,\nNA,2\nNaN,3\nnull,4\n5,6\n"));
    expect(column(summary, "x")).toMatchObject({ type: "number", missing: 3, distinct: 2, values: ["1", "5"] });
    expect(column(summary, "y")).toMatchObject({ type: "number", missing: 1 });
    expect(summary.completeRows(["x"])).toBe(2);
    expect(summary.completeRows(["y"])).toBe(4);
    expect(summary.completeRows(["x", "y"])).toBe(1);
    expect(summary.completeRows([])).toBe(5);
  });

  it("types each column: number, string, boolean, mixed or empty", () => {
    const summary = table(parseCsv("n,s,b,m,e\n1.5e-3,USA,true,3,\n-2,Japan,FALSE,three,\n"));
    expect(summary.columns.map((c) => c.type)).toEqual(["number", "string", "boolean", "mixed", "empty"]);
    expect(column(summary, "e")).toMatchObject({ missing: 2, distinct: 0 });
  });

  it("reads a cell's meaning", () => {
    expect(csvCellValue(" 3 ")).toBe(3);
    expect(csvCellValue(".5")).toBe(0.5);
    expect(csvCellValue("1e4")).toBe(10000);
    expect(csvCellValue("0x10")).toBe("0x10");
    expect(csvCellValue("Infinity")).toBe("Infinity");
    expect(csvCellValue(" NA ")).toBeNull();
    expect(csvCellValue("True")).toBe(true);
  });

  it("keeps each column's smallest and largest number", () => {
    const summary = table(parseCsv("g,mm,s\n4200,-13.5,a\n,21.25,b\n2700,18,c\n"));
    expect(column(summary, "g")).toMatchObject({ min: 2700, max: 4200 });
    expect(column(summary, "mm")).toMatchObject({ min: -13.5, max: 21.25 });
    expect(column(summary, "s").min).toBeUndefined();
  });

  it("sorts number values numerically and counts distinct values up to 1000", () => {
    expect(column(table(parseCsv("v\n10\n2\n2.0\n")), "v")).toMatchObject({ distinct: 2, values: ["2", "10"] });
    const many = table(parseCsv(["v", ...Array.from({ length: 1500 }, (_, i) => String(i))].join("\n")));
    expect(column(many, "v").distinct).toBe(1000);
    expect(column(many, "v").values).toBeUndefined();
  });

  it("names the row of a ragged record, and its line when they differ", () => {
    expect(reason(parseCsv("a,b,y\n1,2,3\n4,5,6,7\n"))).toBe("row 3 has 4 cells, the header has 3");
    expect(reason(parseCsv('a,b\n"x\ny",1\n2\n'))).toBe("row 3 (line 4) has 1 cell, the header has 2");
  });

  it("rejects an unclosed quote, text after a closing quote, no header and repeated names", () => {
    expect(reason(parseCsv('a,b\n1,"open\n2,3\n'))).toBe("row 2 has a quoted cell that is never closed (opened on line 2)");
    expect(reason(parseCsv('a,b\n"x"y,1\n'))).toMatch(/^row 2 has text after a closing quote on line 2/);
    expect(reason(parseCsv(""))).toBe("the file is empty; it needs a header row");
    expect(reason(parseCsv("a,b,a\n1,2,3\n"))).toBe("columns 1 and 3 of the header are both named `a`");
  });

  it("says a file separated by tabs or semicolons is, as csv reads only commas, rather than read its header as one column", () => {
    expect(reason(parseCsv("a\tb\ty\n1\t2\t3\n"))).toBe(
      "its header reads as one column, `a\\tb\\ty`: the file seems to be separated by tabs, and csv reads commas; save it with commas between cells",
    );
    // Excel's CSV where the decimal mark is a comma: the rows split at the commas and would be called ragged.
    expect(reason(parseCsv("a;b;y\n1,5;2;3\n"))).toMatch(/^its header reads as one column, `a;b;y`: the file seems to be separated by semicolons, and csv reads commas/);
    expect(table(parseCsv('"a;b",c\n1,2\n')).columns.map((c) => c.name)).toEqual(["a;b", "c"]);
  });

  it("reads a header with no rows as an empty table", () => {
    expect(table(parseCsv("a,b\n"))).toMatchObject({ rows: 0, columns: [{ name: "a", type: "empty" }, { name: "b", type: "empty" }] });
  });
});

describe("json reader", () => {
  it("takes the union of keys in first-seen order; null and absent keys are missing", () => {
    const summary = table(parseJson('[{"a": 1, "c": true}, {"b": "x", "a": null}, {"a": 2, "b": "y", "d": [1]}]'));
    expect(summary.columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ["a", "number", 1],
      ["c", "boolean", 2],
      ["b", "string", 1],
      ["d", "string", 2],
    ]);
    expect(summary.completeRows(["a", "b"])).toBe(1);
  });

  it("records the first array or object in a column, which it reads as text", () => {
    const summary = table(parseJson('[{"a": 1, "b": [2]}, {"a": {"x": 3}, "b": [4]}, {"a": 5, "b": "six"}]'));
    expect(column(summary, "a")).toMatchObject({ type: "mixed", firstNested: { row: "item 2 of the array (counting from 1)", holds: "an object" } });
    expect(column(summary, "b")).toMatchObject({ type: "string", firstNested: { row: "item 1 of the array (counting from 1)", holds: "an array" } });
    expect(column(table(parseJson('[{"a": "[1]"}]')), "a").firstNested).toBeUndefined();
  });

  it("names what is wrong with a file that is not an array of objects", () => {
    expect(reason(parseJson('{"a": 1}'))).toBe("it holds an object, not an array of objects");
    expect(reason(parseJson('[{"a": 1}, {"a": 2}, 3]'))).toBe("item 3 of the array (counting from 1) is a number, not an object");
    expect(reason(parseJson('[{"a": 1}, null]'))).toBe("item 2 of the array (counting from 1) is null, not an object");
    expect(reason(parseJson("[1,}"))).toBe("not valid JSON: unexpected token '}' at line 1, column 4");
  });

  it("places a syntax error by line and column, not by node's offset into the file", () => {
    const records = Array.from({ length: 50 }, (_, i) => `  {"a": ${i}, "b": "row ${i}"}`);
    records[37] = '  {"a": 37, "b": "row 37}';
    expect(reason(parseJson(`[\n${records.join(",\n")}\n]`))).toBe("not valid JSON: bad control character in string literal at line 39, column 18");
    records[37] = '  {"a": 37 "b": "row 37"}';
    expect(reason(parseJson(`[\n${records.join(",\n")}\n]`))).toBe("not valid JSON: expected ',' or '}' after property value at line 39, column 12");
    expect(reason(parseJson('[{"a": 1}]\n,'))).toBe("not valid JSON: unexpected non-whitespace character after JSON at line 2, column 1");
    // Nested past any recursion's depth, and read to its end.
    expect(reason(parseJson("[".repeat(200_000)))).toBe("not valid JSON: unexpected end of JSON input at line 1, column 200001");
  });
});

describe("cars.json from vega-datasets", () => {
  // Counted by hand: node -e 'const d=require("./node_modules/vega-datasets/data/cars.json"); …'
  const cars = schema("json", "vega-datasets/data/cars.json", join(EXAMPLES_DIR, "d-multitask-cars.reg"));

  it("has 406 rows and its columns in file order", () => {
    expect(cars).toMatchObject({ kind: "table", label: "cars.json", rows: 406 });
    expect(cars.path).toBe(realpathSync(join(EXAMPLES_DIR, "..", "node_modules", "vega-datasets", "data", "cars.json")));
    expect(cars.columns.map((c) => c.name)).toEqual([
      "Name",
      "Miles_per_Gallon",
      "Cylinders",
      "Displacement",
      "Horsepower",
      "Weight_in_lbs",
      "Acceleration",
      "Year",
      "Origin",
    ]);
  });

  it("types the columns and counts their gaps", () => {
    expect(column(cars, "Miles_per_Gallon")).toMatchObject({ type: "number", missing: 8, distinct: 129 });
    expect(column(cars, "Horsepower")).toMatchObject({ type: "number", missing: 6, distinct: 93 });
    expect(column(cars, "Cylinders")).toMatchObject({ type: "number", missing: 0, values: ["3", "4", "5", "6", "8"] });
    expect(column(cars, "Origin")).toEqual({ name: "Origin", type: "string", missing: 0, distinct: 3, values: ["Europe", "Japan", "USA"], firstText: { row: "item 1 of the array (counting from 1)", value: "USA" } });
    // Year holds dates like "1970-01-01", not numbers.
    expect(column(cars, "Year")).toMatchObject({ type: "string", distinct: 12 });
  });

  it("counts the rows that `missing drop` keeps", () => {
    expect(cars.completeRows(["Miles_per_Gallon", "Horsepower"])).toBe(392);
    expect(cars.completeRows(["Horsepower", "Weight_in_lbs"])).toBe(400);
  });
});

describe("path resolution", () => {
  const specFolder = join(scratch, "specs");
  const spec = join(specFolder, "model.reg");
  const packageFolder = join(specFolder, "node_modules", "local-data");
  mkdirSync(join(packageFolder, "data"), { recursive: true });
  // An exports map that lists neither package.json nor the data files.
  writeFileSync(join(packageFolder, "package.json"), JSON.stringify({ name: "local-data", exports: { ".": "./index.js" } }));
  writeFileSync(join(packageFolder, "data", "t.csv"), "from\npackage\n");

  it("looks beside the spec first", () => {
    mkdirSync(join(specFolder, "local-data", "data"), { recursive: true });
    writeFileSync(join(specFolder, "local-data", "data", "t.csv"), "from\nspec\n");
    expect(resolveDataPath("local-data/data/t.csv", spec)).toBe(join(specFolder, "local-data", "data", "t.csv"));
    expect(schema("csv", "local-data/data/t.csv", spec)).toMatchObject({ label: "local-data/data/t.csv" });
    rmSync(join(specFolder, "local-data"), { recursive: true });
  });

  it("then inside an installed package, despite its exports map", () => {
    expect(resolveDataPath("local-data/data/t.csv", spec)).toBe(join(packageFolder, "data", "t.csv"));
    expect(column(schema("csv", "local-data/data/t.csv", spec), "from").values).toEqual(["package"]);
  });

  it("falls back to the packages installed beside the compiler", () => {
    expect(resolveDataPath("vega-datasets/data/cars.json", spec)).toBe(join(EXAMPLES_DIR, "..", "node_modules", "vega-datasets", "data", "cars.json"));
  });

  it("starts from the working directory when the spec has no path", () => {
    expect(resolveDataPath("examples/data/wide.csv", undefined)).toBe(join(process.cwd(), "examples", "data", "wide.csv"));
  });

  it("reports a missing file as REG6001 with the path as written", () => {
    expect(resolveDataPath("local-data/data/absent.csv", spec)).toBeUndefined();
    expect(resolveDataPath("data", spec)).toBeUndefined();
    expect(resolveSource("csv", "data/missing.csv", join(EXAMPLES_DIR, "errors", "REG6001-data-file-not-found.reg"))).toEqual({
      ok: false,
      code: "REG6001",
      params: { path: "data/missing.csv" },
    });
  });

  it("reports a malformed file as REG6002 naming the row", () => {
    expect(resolveSource("csv", "data/ragged.csv", join(EXAMPLES_DIR, "errors", "REG6002-unreadable-data-file.reg"))).toEqual({
      ok: false,
      code: "REG6002",
      params: { path: "data/ragged.csv", reason: "row 3 has 4 cells, the header has 3" },
    });
  });

  it("reports a file that is not UTF-8 as REG6002 naming the first such byte, and UTF-16 as UTF-16, rather than read U+FFFD", () => {
    writeFileSync(join(specFolder, "villes.csv"), Buffer.from("a,ville\n1,Orl\xe9ans\n2,Orl\xe8ans\n", "latin1"));
    expect(resolveSource("csv", "villes.csv", spec)).toEqual({
      ok: false,
      code: "REG6002",
      params: { path: "villes.csv", reason: "it is not UTF-8 text: the byte 0xE9 at line 2, column 6 is not UTF-8 (a Latin-1 or Windows-1252 letter, perhaps); save the file as UTF-8" },
    });
    const utf16 = 'it is UTF-16 text (what Excel saves as "Unicode text"), not UTF-8; save the file as UTF-8';
    // Excel's "Unicode text" starts with a byte-order mark; ASCII text in UTF-16 without one is valid UTF-8, with a NUL every other byte.
    writeFileSync(join(specFolder, "excel.csv"), Buffer.from("\ufeffa\tb\n1\t2\n", "utf16le"));
    writeFileSync(join(specFolder, "bare.json"), Buffer.from('[{"a": 1}]', "utf16le").swap16());
    expect(resolveSource("csv", "excel.csv", spec)).toMatchObject({ code: "REG6002", params: { reason: utf16 } });
    expect(resolveSource("json", "bare.json", spec)).toMatchObject({ code: "REG6002", params: { reason: utf16 } });
  });

  it("reports a file past the 256 MB checking reads as not supported yet, saying what to do instead", () => {
    // Sparse: as large as it says, without taking the disk space.
    writeFileSync(join(specFolder, "huge.csv"), "a,b\n");
    truncateSync(join(specFolder, "huge.csv"), 256 * 1024 ** 2 + 1);
    expect(resolveSource("csv", "huge.csv", spec)).toEqual({
      ok: false,
      code: "REG6002",
      params: {
        path: "huge.csv",
        reason:
          "it is larger than the 256 MB that checking reads of a data file, and larger files are not supported yet: train on a sample of its rows, or on the columns the spec uses, saved as a file under that size",
      },
    });
    rmSync(join(specFolder, "huge.csv"));
  });

  it("parses a file again only when its mtime or size changes", () => {
    const file = join(specFolder, "cached.csv");
    writeFileSync(file, "a\n1\n");
    const first = schema("csv", "cached.csv", spec);
    expect(schema("csv", "cached.csv", spec).columns).toBe(first.columns);

    writeFileSync(file, "a\n1\n2\n");
    const grown = schema("csv", "cached.csv", spec);
    expect(grown.rows).toBe(2);

    writeFileSync(file, "a\n7\n8\n");
    utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(column(schema("csv", "cached.csv", spec), "a").values).toEqual(["7", "8"]);
  });
});

describe("example F's wide.csv", () => {
  const wide = schema("csv", "data/wide.csv", join(EXAMPLES_DIR, "f-underconstrained-ridge.reg"));

  it("has 40 rows of 100 numeric features x1..x100 and y, nothing missing", () => {
    expect(wide).toMatchObject({ kind: "table", label: "data/wide.csv", rows: 40 });
    expect(wide.columns.map((c) => c.name)).toEqual([...Array.from({ length: 100 }, (_, i) => `x${i + 1}`), "y"]);
    expect(wide.columns.filter((c) => c.type !== "number" || c.missing > 0)).toEqual([]);
  });

  it("is exactly what scripts/make-wide-csv.ts generates", () => {
    expect(readFileSync(join(EXAMPLES_DIR, "data", "wide.csv"), "utf8")).toBe(wideCsvText());
  });
});

describe("mnist", () => {
  it("is a constant: 10,000 28×28×1 images with labels 0–9", () => {
    const mnist = schema("mnist", undefined, undefined);
    expect(mnist).toBe(MNIST_SCHEMA);
    expect(mnist).toMatchObject({ kind: "image", label: "mnist", rows: 10_000, imageShape: [28, 28, 1], classes: 10 });
    expect(mnist.columns).toEqual([{ name: "label", type: "number", missing: 0, distinct: 10, values: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] }]);
    expect(mnist.completeRows(["label"])).toBe(10_000);
  });
});

describe("paths the file system rejects", () => {
  it("report a path too long to exist as not found, instead of throwing", () => {
    const path = `vega-datasets/data/${"x".repeat(5000)}.json`;
    const resolution = resolveSource("json", path, join(EXAMPLES_DIR, "spec.reg"));
    expect(resolution).toEqual({ ok: false, code: "REG6001", params: { path } });
  });
});

describe("where a column stops being numeric", () => {
  it("records the first text value of a column and its row, counted as the runtime counts it (the header is row 1)", () => {
    const summary = table(parseCsv("a,b\n1,2\n3,n/a?\n5,x\n"));
    const b = summary.columns.find((c) => c.name === "b")!;
    expect(b.type).toBe("mixed");
    expect(b.firstText).toEqual({ row: "row 3", value: "n/a?" });
    expect(summary.columns.find((c) => c.name === "a")!.firstText).toBeUndefined();
  });
});
