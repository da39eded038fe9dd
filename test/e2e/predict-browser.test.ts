import type { Server } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadModelFolder } from "../../src/predict/node/model-folder.js";
import { loadPredictor } from "../../src/predict/node/index.js";
import { loadData } from "../../src/runtime/data/load.js";
import type { ModelMetadata } from "../../src/shared/model-metadata.js";
import { launchChromium, serve } from "./browser-support.js";
import { DIGITS_SPEC, generatedProgram } from "./export-support.js";
import type { ExamplePrediction } from "../../src/predict/predictor.js";
import { onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * `reglang/predict` in a browser: bundled by esbuild for the browser
 * platform (a `node:` import would fail the build), served with an export
 * from a loopback server, run by headless Chromium on raw rows; the page's
 * predictions are Node's.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-browser-"));
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(scratch, { recursive: true, force: true });
});
beforeAll(() => selectBackend("cpu"));

const SPEC = `data cars {
  source   json("vega-datasets/data/cars.json")
  features Horsepower, Weight_in_lbs, Cylinders
  normalize minmax
  missing  mean
  target   origin = class(Origin)
  split    train: 0.8, test: 0.2
}

model net(cars.input) {
  h      = dense(8, activation: tanh)
  origin = dense(3)
}

task region = classify(net.origin, cars.origin)

train {
  optimizer adam(lr: 1e-2)
  epochs    3
  batch     32
}
`;

/** Quoted cells, a doubled quote, a quoted line break, CRLF and a BOM, as spreadsheets write CSV. */
const QUOTED_CSV = '\ufeff"Horsepower","Name","Weight_in_lbs","Cylinders"\r\n"130","chevrolet ""chevelle""\r\nmalibu","3504","8"\r\n"","a, b",2000,4\r\n';
/** A header whose last name is quoted wrongly, so the column the model reads is missing. */
const MISSING_CSV = 'Horsepower,Weight_in_lbs,"""Cylinders"""\n130,3504,8\n';

describe("reglang/predict in a page", () => {
  it("builds for the browser and predicts in Chromium what Node predicts", async () => {
    writeFileSync(join(scratch, "cars.reg"), SPEC);
    const run = await startRegc(["run", "cars.reg", "--backend", "wasm", "--runs", "runs"], scratch);
    expect(run.code, run.stderr).toBe(0);
    const exported = await startRegc(["export", onlyRunFolder(join(scratch, "runs")), "-o", "site/model"], scratch);
    expect(exported.code, exported.stderr).toBe(0);

    const cars = JSON.parse(readFileSync(join(ROOT, "node_modules/vega-datasets/data/cars.json"), "utf8")) as Array<Record<string, unknown>>;
    const rows = cars.slice(0, 40);
    const site = join(scratch, "site");
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, "rows.json"), JSON.stringify(rows));
    writeFileSync(
      join(scratch, "page.js"),
      `import * as tf from "@tensorflow/tfjs";
import { loadPredictor } from "../src/predict/index.ts";
try {
  await tf.setBackend("cpu"); // Node predicts on its CPU backend too
  const rows = await (await fetch("rows.json")).json();
  const predictor = await loadPredictor("model/");
  window.predictions = predictor.predictRows(rows);
} catch (error) {
  window.failure = String(error && error.stack || error);
}
`,
    );
    const bundle = await build({ entryPoints: [join(scratch, "page.js")], outfile: join(site, "page.bundle.js"), bundle: true, format: "esm", platform: "browser", metafile: true, logLevel: "silent" });
    expect(Object.keys(bundle.metafile.inputs).filter((input) => input.startsWith("node:") || input.includes("/predict/node/"))).toEqual([]);
    writeFileSync(join(site, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="page.bundle.js"></script>');

    const base = await serve(site, servers);
    const browser = await launchChromium();
    let fromPage: ExamplePrediction[];
    let shipped: ExamplePrediction[];
    let quotedFromPage: ExamplePrediction[];
    let missingFromPage: string;
    try {
      const page = await browser.newPage();
      await page.goto(`${base}index.html`);
      await page.waitForFunction(() => "predictions" in window || "failure" in window, undefined, { timeout: 60_000 });
      const failure = await page.evaluate(() => (window as { failure?: string }).failure);
      expect(failure).toBeUndefined();
      fromPage = await page.evaluate(() => (window as unknown as { predictions: ExamplePrediction[] }).predictions);

      // The page `regc export` writes, with its prebuilt bundle: rows pasted as CSV.
      const pasted = async (csv: string): Promise<string> => {
        const exportPage = await browser.newPage();
        await exportPage.goto(`${base}model/index.html`);
        await exportPage.fill("#input", csv);
        await exportPage.click("#go");
        await exportPage.waitForFunction(() => document.getElementById("out")!.textContent !== "");
        return (await exportPage.textContent("#out"))!;
      };
      shipped = JSON.parse(await pasted("Horsepower,Weight_in_lbs,Cylinders\n130,3504,8\n,2000,4")) as ExamplePrediction[];
      // Quoted CSV, as spreadsheets write it, reads as `regc predict` reads the same text from a file.
      quotedFromPage = JSON.parse(await pasted(QUOTED_CSV)) as ExamplePrediction[];
      missingFromPage = await pasted(MISSING_CSV);
    } finally {
      await browser.close();
    }

    const fromNode = (await loadModelFolder(join(site, "model"))).predictRows(rows);
    expect(fromPage).toHaveLength(rows.length);
    fromPage.forEach((prediction, i) => {
      expect(prediction[0]!.label).toBe(fromNode[i]![0]!.label);
      prediction[0]!.probabilities!.forEach(({ label, probability }, k) => {
        expect(label).toBe(fromNode[i]![0]!.probabilities![k]!.label);
        expect(Math.abs(probability - fromNode[i]![0]!.probabilities![k]!.probability)).toBeLessThan(1e-6);
      });
    });
    const typed = (await loadModelFolder(join(site, "model"))).predictRows([{ Horsepower: 130, Weight_in_lbs: 3504, Cylinders: 8 }, { Horsepower: null, Weight_in_lbs: 2000, Cylinders: 4 }]);
    shipped.forEach((prediction, i) => prediction[0]!.probabilities!.forEach(({ probability }, k) => expect(probability).toBeCloseTo(typed[i]![0]!.probabilities![k]!.probability, 4)));
    writeFileSync(join(scratch, "quoted.csv"), QUOTED_CSV);
    const quotedFromCli = await startRegc(["predict", join(site, "model"), "quoted.csv", "--format", "json", "--backend", "cpu"], scratch);
    expect(quotedFromCli.code, quotedFromCli.stderr).toBe(0);
    const cliPredictions = (JSON.parse(quotedFromCli.stdout) as Array<{ input: string; predictions: ExamplePrediction }>).map((row) => row.predictions);
    expect(quotedFromPage).toHaveLength(2);
    quotedFromPage.forEach((prediction, i) => {
      expect(prediction[0]!.label).toBe(cliPredictions[i]![0]!.label);
      prediction[0]!.probabilities!.forEach(({ probability }, k) => expect(probability).toBeCloseTo(cliPredictions[i]![0]!.probabilities![k]!.probability, 4));
    });
    // A missing column: the page and the CLI say the same, with the input's own names quoted; the CLI names its file.
    writeFileSync(join(scratch, "missing.csv"), MISSING_CSV);
    const missingFromCli = await startRegc(["predict", join(site, "model"), "missing.csv", "--backend", "cpu"], scratch);
    const message = 'has no column `Cylinders`; the model reads the columns `Horsepower`, `Weight_in_lbs`, `Cylinders`; its columns are "Horsepower", "Weight_in_lbs", "\\"Cylinders\\""';
    expect(missingFromPage).toBe(`the input ${message}`);
    expect(missingFromCli.stderr).toContain(`regc: error: missing.csv ${message}`);
    // Rows with a gap (cars.json lacks some horsepower values) were filled, not refused.
    expect(rows.some((row) => row["Horsepower"] === null)).toBe(true);
  }, 120_000);

  it("composites transparent pixels over the trained background alike in the CLI, in Node and in the page", async () => {
    writeFileSync(join(scratch, "digits.reg"), DIGITS_SPEC);
    const run = await startRegc(["run", "digits.reg", "--backend", "wasm", "--runs", "digit-runs"], scratch);
    expect(run.code, run.stderr).toBe(0);
    const folder = onlyRunFolder(join(scratch, "digit-runs"));
    const exported = await startRegc(["export", folder, "-o", "digits-site"], scratch);
    expect(exported.code, exported.stderr).toBe(0);
    const site = join(scratch, "digits-site");
    // MNIST's digits are white on black: black is what a transparent pixel shows.
    expect(readJson<{ userDefinedMetadata: { reglang: ModelMetadata } }>(join(site, "model.json")).userDefinedMetadata.reglang.input.background).toEqual([0]);

    const data = await loadData((await generatedProgram(folder)).data);
    const gray = Array.from(data.splits["test"]!.x.slice([0, 0, 0, 0], [1, 28, 28, 1]).dataSync(), (v) => Math.round(v * 255));
    const png = (name: string, pixel: (v: number, i: number) => number[]) => {
      const image = new PNG({ width: 28, height: 28 });
      gray.forEach((v, i) => image.data.set(pixel(v, i), i * 4));
      writeFileSync(join(scratch, name), PNG.sync.write(image));
      return join(scratch, name);
    };
    const opaque = png("opaque.png", (v) => [v, v, v, 255]);
    // White ink as opaque as the digit is bright, on a transparent white background: the same digit over black.
    const ink = png("ink.png", (v) => [255, 255, 255, v]);
    // Colors of every kind under partial alpha, where a canvas's premultiplied 8 bits round.
    const small = join(scratch, "small.png");
    writeFileSync(small, PNG.sync.write(new PNG({ width: 20, height: 24 })));
    const tinted = png("tinted.png", (v, i) => [(37 * i) % 256, (91 * i + 11) % 256, (53 * i + 7) % 256, v === 0 ? (i * 29) % 256 : v]);

    const cli = await startRegc(["predict", site, opaque, ink, tinted, "--format", "json", "--backend", "cpu"], scratch);
    expect(cli.code, cli.stderr).toBe(0);
    const [fromOpaque, fromInk, fromTinted] = (JSON.parse(cli.stdout) as Array<{ predictions: ExamplePrediction }>).map((example) => example.predictions);
    expect(fromInk).toEqual(fromOpaque);

    const decoded = [ink, tinted].map((path) => ({ ...PNG.sync.read(readFileSync(path)), channels: 4 }));
    expect((await loadPredictor(join(site, "model.json"))).predictImages(decoded)).toEqual([fromInk, fromTinted]);

    const base = await serve(site, servers);
    const browser = await launchChromium();
    let fromPage: ExamplePrediction[];
    try {
      const page = await browser.newPage();
      await page.goto(`${base}index.html`);
      await page.setInputFiles("#input", [ink, tinted]);
      await page.click("#go");
      await page.waitForFunction(() => document.getElementById("out")!.textContent !== "");
      const shown = (await page.textContent("#out"))!;
      expect(shown.startsWith("["), shown).toBe(true);
      fromPage = JSON.parse(shown) as ExamplePrediction[];
      // An image the model cannot read is named by its file, as `regc predict` names it.
      await page.evaluate(() => (document.getElementById("out")!.textContent = ""));
      await page.setInputFiles("#input", [tinted, small]);
      await page.click("#go");
      await page.waitForFunction(() => document.getElementById("out")!.textContent !== "");
      expect(await page.textContent("#out")).toBe("small.png: the image is 20×24 pixels; the model reads 28×28 images");
    } finally {
      await browser.close();
    }
    [fromInk, fromTinted].forEach((expected, i) => {
      expect(fromPage[i]![0]!.label).toBe(expected![0]!.label);
      fromPage[i]![0]!.probabilities!.forEach(({ probability }, k) => expect(probability).toBeCloseTo(expected![0]!.probabilities![k]!.probability, 5));
    });
  }, 120_000);
});
