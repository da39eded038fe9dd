import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadData } from "../../src/runtime/data/load.js";
import { loadTensors } from "../../src/runtime/run/weights-io.js";
import { mcDropout } from "../../src/runtime/techniques/mc-dropout.js";
import type { ExamplePrediction } from "../../src/predict/predictor.js";
import { loadModelFolder } from "../../src/predict/node/model-folder.js";
import type { ModelMetadata } from "../../src/shared/model-metadata.js";
import { DIGITS_SPEC, generatedProgram } from "./export-support.js";
import { onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * `regc predict` and `regc export` on real runs: raw rows by column name
 * (cars, vega-datasets) predicted as the runtime predicts them, Monte-Carlo
 * dropout's passes included; a voting ensemble; PNG and JPEG digits; and
 * inputs the model cannot read, refused with the row and column (exit 2).
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-predict-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => selectBackend("cpu"));

const FEATURES = ["Horsepower", "Weight_in_lbs", "Acceleration"] as const;
type Car = Record<string, string | number | null>;
const cars = JSON.parse(readFileSync(join(ROOT, "node_modules/vega-datasets/data/cars.json"), "utf8")) as Car[];

function carsSpec(name: string, missing: "drop" | "mean", regularize: string): string {
  const path = join(scratch, `${name}.reg`);
  writeFileSync(
    path,
    `data cars {
  source   json("vega-datasets/data/cars.json")
  features ${FEATURES.join(", ")}
  normalize standard
  missing  ${missing}
  target   origin = class(Origin)
  target   mpg = number(Miles_per_Gallon)
  split    train: 0.6, val: 0.2, test: 0.2
  seed     3
}

model net(cars.input) {
  h      = dense(16, activation: relu)
  dropout(0.3)
  origin = dense(3)
  mpg    = dense(1) from h
}

task region  = classify(net.origin, cars.origin)
task economy = regress(net.mpg, cars.mpg)

train {
  optimizer adam(lr: 1e-2)
  epochs    3
  batch     32
}

regularize net {
${regularize}
}
`,
  );
  return path;
}

async function train(spec: string, runs: string): Promise<string> {
  const run = await startRegc(["run", spec, "--backend", "wasm", "--runs", runs], scratch);
  expect(run.code, run.stderr).toBe(0);
  return onlyRunFolder(runs);
}

function csv(rows: readonly Car[], columns: readonly string[]): string {
  return [columns.join(","), ...rows.map((row) => columns.map((c) => (row[c] === null || row[c] === undefined ? "" : String(row[c]))).join(","))].join("\n") + "\n";
}

describe("regc predict on table rows", () => {
  it("predicts raw rows as the runtime predicts its test split, Monte-Carlo dropout's spread included", async () => {
    const folder = await train(carsSpec("cars-mc", "drop", "  mc_dropout(samples: 6)"), join(scratch, "mc"));
    const metadata = readJson<{ userDefinedMetadata: { reglang: ModelMetadata } }>(join(folder, "model", "model.json")).userDefinedMetadata.reglang;
    expect(metadata.input.features).toEqual(FEATURES);
    expect(metadata.outputs.map((o) => [o.task, o.values, o.labels])).toEqual([["region", "probabilities", ["Europe", "Japan", "USA"]], ["economy", "values", undefined]]);
    expect(metadata.sampling).toMatchObject({ samples: 6, dropoutLayers: { dropout_1: { rate: 0.3, position: 1 } } });

    const program = await generatedProgram(folder);
    const data = await loadData(program.data);
    const { shift, scale } = metadata.input.normalize!;
    // The statistics are the train split's: its raw values have mean `shift` and standard deviation 1/`scale`.
    const trainRaw = tf.tidy(() => tf.add(tf.div(data.splits["train"]!.x, tf.tensor1d(scale)), tf.tensor1d(shift)));
    const { mean, variance } = tf.moments(trainRaw, 0);
    Array.from(mean.dataSync()).forEach((m, f) => expect(m / shift[f]!).toBeCloseTo(1, 4));
    Array.from(variance.dataSync()).forEach((v, f) => expect(Math.sqrt(v) * scale[f]!).toBeCloseTo(1, 4));

    // The test split's rows, as they are in cars.json, in raw units.
    const test = data.splits["test"]!;
    const normalized = test.x.arraySync() as number[][];
    const rows = normalized.map((x) => {
      const raw = x.map((v, f) => v / scale[f]! + shift[f]!);
      const found = cars.find((car) => FEATURES.every((name, f) => typeof car[name] === "number" && Math.abs((car[name] as number) - raw[f]!) < 1e-3 * Math.abs(raw[f]!) + 1e-3));
      expect(found).toBeDefined();
      return found!;
    });
    writeFileSync(join(scratch, "test-rows.csv"), csv(rows, ["Name", "Acceleration", "Weight_in_lbs", "Horsepower"]));
    const predicted = await startRegc(["predict", folder, "test-rows.csv", "--format", "json", "--backend", "cpu"], scratch);
    expect(predicted.code, predicted.stderr).toBe(0);
    const predictions = JSON.parse(predicted.stdout) as Array<{ input: string; predictions: ExamplePrediction }>;
    expect(predictions).toHaveLength(rows.length);
    expect(predictions[0]!.input).toBe("row 2");

    // The runtime: the generated program's model, the run's weights, Monte-Carlo dropout's own passes.
    const model = program.build(0);
    const weights = (await loadTensors(join(folder, "model"))).tensors;
    for (const [key, variable] of model.params) variable.assign(weights.get(key.replace(".", "/"))!);
    const technique = mcDropout({ samples: 6 });
    technique.attach!({ model, tasks: program.tasks, data });
    const runtime = tf.tidy(() => {
      const layers = technique.wrapPrediction!((x) => model.forward(x, { training: false, seed: 0 }).layers, model)(test.x);
      return { region: tf.softmax(layers.get("origin")!).arraySync() as number[][], economy: layers.get("mpg")!.arraySync() as number[][] };
    });
    predictions.forEach(({ predictions: [region, economy] }, i) => {
      region!.probabilities!.forEach(({ probability }, k) => expect(Math.abs(probability - runtime.region[i]![k]!)).toBeLessThan(1e-5));
      expect(Math.abs(economy!.values![0]! - runtime.economy[i]![0]!)).toBeLessThan(1e-4);
      expect(region!.label).toBe(["Europe", "Japan", "USA"][runtime.region[i]!.indexOf(Math.max(...runtime.region[i]!))]);
    });
    // Dropout left on in every pass: the passes disagree.
    expect(predictions.some(({ predictions: [region] }) => region!.spread!.some((s) => s > 1e-4))).toBe(true);

    // Text and CSV say the same.
    const text = await startRegc(["predict", folder, "test-rows.csv", "--backend", "cpu"], scratch);
    expect(text.stdout.split("\n")[0]).toMatch(/^row 2: region = (Europe|Japan|USA) \((Europe|Japan|USA) \d\.\d{4} ± \d\.\d{4}, .*; economy = [\d.]+ ± [\d.]+$/);
    const table = await startRegc(["predict", folder, "test-rows.csv", "--format", "csv", "--backend", "cpu"], scratch);
    const [header, first] = table.stdout.split("\n");
    expect(header).toBe("input,region,region p(Europe),region p(Japan),region p(USA),region p(Europe) spread,region p(Japan) spread,region p(USA) spread,economy,economy spread");
    expect(Number(first!.split(",")[2])).toBeCloseTo(predictions[0]!.predictions[0]!.probabilities![0]!.probability, 6);

    // Bad input: exit 2, naming the file, the row and the column.
    writeFileSync(join(scratch, "no-column.csv"), csv(rows.slice(0, 2), ["Name", "Horsepower", "Weight_in_lbs"]));
    writeFileSync(join(scratch, "text-cell.csv"), csv([rows[0]!, { ...rows[1]!, Weight_in_lbs: "heavy" }], ["Horsepower", "Weight_in_lbs", "Acceleration"]));
    writeFileSync(join(scratch, "gap.json"), JSON.stringify([rows[0], { ...rows[1], Acceleration: null }]));
    // A JSON string or a boolean among numbers is refused as a training data file's is, not read as its number or 1.
    writeFileSync(join(scratch, "text-number.json"), JSON.stringify([rows[0], { ...rows[1], Acceleration: "0.7" }]));
    writeFileSync(join(scratch, "boolean.json"), JSON.stringify([rows[0], { ...rows[1], Horsepower: true }]));
    writeFileSync(join(scratch, "header-only.csv"), "Horsepower,Weight_in_lbs,Acceleration\r\n");
    writeFileSync(join(scratch, "no-items.json"), "[]");
    const refusals = [
      ["no-column.csv", 'regc: error: no-column.csv has no column `Acceleration`; the model reads the columns `Horsepower`, `Weight_in_lbs`, `Acceleration`; its columns are "Name", "Horsepower", "Weight_in_lbs"'],
      ["text-cell.csv", 'regc: error: text-cell.csv, row 3, column `Weight_in_lbs`: "heavy" is not a number'],
      ["gap.json", "regc: error: gap.json, item 2, column `Acceleration`: no value, and the model was trained without rows that lack a value (`missing drop`); give a number"],
      ["text-number.json", 'regc: error: text-number.json, item 2, column `Acceleration`: "0.7" is a string, not a number; write it without quotes'],
      ["boolean.json", "regc: error: boolean.json, item 2, column `Horsepower`: `true` is a boolean among numbers; write it as 1 (a column is numeric when every value is a number, or every value a boolean)"],
      ["digit.png", "regc: error: cannot read digit.png"],
      ["header-only.csv", "regc: error: header-only.csv: it names its columns but holds no rows, so there is nothing to predict"],
      ["no-items.json", "regc: error: no-items.json: it holds no rows, so there is nothing to predict"],
    ];
    for (const [input, message] of refusals) {
      const refused = await startRegc(["predict", folder, input!, "--backend", "cpu"], scratch);
      expect(refused.code, input).toBe(2);
      expect(refused.stderr).toContain(message);
      expect(refused.stderr).not.toMatch(/^\s+at /m);
    }
    // In code, no rows are no predictions, not a failure of the model on an empty batch.
    expect((await loadModelFolder(folder)).predictRows([])).toEqual([]);
  }, 120_000);

  it("a voting ensemble exports its members' probabilities and counts their votes; missing mean fills gaps with the train means", async () => {
    const folder = await train(carsSpec("cars-vote", "mean", "  bagging(members: 3, combine: vote)"), join(scratch, "vote"));
    const metadata = readJson<{ userDefinedMetadata: { reglang: ModelMetadata } }>(join(folder, "model", "model.json")).userDefinedMetadata.reglang;
    expect(metadata.outputs[0]).toMatchObject({ task: "region", values: "votes", members: 3, shape: [9] });
    expect(metadata.input.missing).toBe("mean");
    const fill = metadata.input.fill!;
    const car = cars.find((row) => row["Origin"] === "Japan")!;
    writeFileSync(join(scratch, "gaps.csv"), csv([{ ...car, Horsepower: null }, { ...car, Horsepower: fill[0]! }], ["Horsepower", "Weight_in_lbs", "Acceleration"]));
    const predicted = await startRegc(["predict", folder, "gaps.csv", "--format", "json", "--backend", "cpu"], scratch);
    expect(predicted.code, predicted.stderr).toBe(0);
    const [gap, filled] = JSON.parse(predicted.stdout) as Array<{ predictions: ExamplePrediction }>;
    expect(gap!.predictions).toEqual(filled!.predictions);
    // Shares of three votes, nudged by the tie-break: each near 0, 1/3, 2/3 or 1, and summing to 1.
    const shares = gap!.predictions[0]!.probabilities!.map((p) => p.probability);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const share of shares) expect(Math.min(...[0, 1, 2, 3].map((v) => Math.abs(share * 3.01 - v)))).toBeLessThan(0.011);
  }, 120_000);
});

describe("regc predict on images, and regc export", () => {
  it("reads PNG and JPEG digits, refuses a wrong size, and exports a folder that predicts the same", async () => {
    const spec = join(scratch, "digits.reg");
    writeFileSync(spec, DIGITS_SPEC);
    const folder = await train(spec, join(scratch, "digits"));
    const program = await generatedProgram(folder);
    const data = await loadData(program.data);
    const pixels = data.splits["test"]!.x.slice([0, 0, 0, 0], [1, 28, 28, 1]).dataSync();
    const png = new PNG({ width: 28, height: 28 });
    const rgba = new Uint8Array(28 * 28 * 4);
    pixels.forEach((v, i) => rgba.set([Math.round(v * 255), Math.round(v * 255), Math.round(v * 255), 255], i * 4));
    png.data.set(rgba);
    writeFileSync(join(scratch, "digit.png"), PNG.sync.write(png));
    writeFileSync(join(scratch, "digit.jpg"), jpeg.encode({ width: 28, height: 28, data: rgba }, 100).data);
    writeFileSync(join(scratch, "small.png"), PNG.sync.write(new PNG({ width: 20, height: 24 })));

    const predicted = await startRegc(["predict", folder, "digit.png", "digit.jpg", "--format", "json", "--backend", "cpu"], scratch);
    expect(predicted.code, predicted.stderr).toBe(0);
    const [fromPng, fromJpeg] = JSON.parse(predicted.stdout) as Array<{ input: string; predictions: ExamplePrediction }>;
    expect(fromPng!.input).toBe("digit.png");
    // The PNG holds the test digit's pixels to 1/255; JPEG's compression moves them a little more.
    const model = program.build(0);
    const weights = (await loadTensors(join(folder, "model"))).tensors;
    for (const [key, variable] of model.params) variable.assign(weights.get(key.replace(".", "/"))!);
    const expected = tf.tidy(() => tf.softmax(model.forward(data.splits["test"]!.x.slice([0, 0, 0, 0], [1, 28, 28, 1]), { training: false, seed: 0 }).output).dataSync());
    fromPng!.predictions[0]!.probabilities!.forEach(({ probability }, k) => expect(Math.abs(probability - expected[k]!)).toBeLessThan(0.02));
    expect(fromJpeg!.predictions[0]!.label).toBe(fromPng!.predictions[0]!.label);

    const wrongSize = await startRegc(["predict", folder, "small.png", "--backend", "cpu"], scratch);
    expect(wrongSize.code).toBe(2);
    expect(wrongSize.stderr).toContain("regc: error: small.png: the image is 20×24 pixels; the model reads 28×28 images");
    const tableForImages = await startRegc(["predict", folder, "test-rows.csv", "--backend", "cpu"], scratch);
    expect(tableForImages.code).toBe(2);

    const exported = await startRegc(["export", folder, "-o", "digits-export"], scratch);
    expect(exported.code, exported.stderr).toBe(0);
    const readme = readFileSync(join(scratch, "digits-export", "README.md"), "utf8");
    expect(readme).toContain("Images of 28×28 pixels");
    expect(readme).toContain("A transparent pixel shows the background the model was trained with (the train images' edges): 0 in 8 bits");
    expect(readme).toContain("1. `digit` (classify `out` against `label`): the probability of each class, in the order `0`, `1`");
    const again = await startRegc(["predict", "digits-export", "digit.png", "--format", "json", "--backend", "cpu"], scratch);
    expect(JSON.parse(again.stdout)).toEqual([fromPng]);
    const nothing = await startRegc(["export", scratch, "-o", "nowhere"], scratch);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("holds no model.json, nor model/model.json");
  }, 120_000);
});
