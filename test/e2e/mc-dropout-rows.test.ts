import * as tf from "@tensorflow/tfjs";
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadPredictor } from "../../src/predict/node/index.js";
import type { ExamplePrediction } from "../../src/predict/predictor.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { predictionPlan } from "../../src/runtime/export/prediction-plan.js";
import { saveModelFolder } from "../../src/runtime/export/save-model.js";
import { dense, dropout } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { mcDropout } from "../../src/runtime/techniques/mc-dropout.js";
import { regress } from "../../src/runtime/train/tasks.js";
import { launchChromium, serve } from "./browser-support.js";
import { ROOT, startRegc } from "./support.js";

/**
 * Monte-Carlo dropout masks each row as its own input values draw it: a row
 * predicts the same alone, after other rows or twice over, in the runtime,
 * in Node's reglang/predict and in the exported page alike.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-mc-rows-"));
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const A = { a: 1, b: 2 };
const B = { a: -3, b: 0.5 };
let model: Model;
const technique = mcDropout({ samples: 6 });
const task = regress("fit", { output: "out", target: "y" });

beforeAll(async () => {
  await selectBackend("cpu");
  const data = { name: "d", kind: "table", inputShape: [2], targets: {}, splits: {}, preprocessing: { kind: "table", shape: [2], features: ["a", "b"], missing: "refuse" } } as unknown as Dataset;
  model = new Model("m", [2], [dense(16, { name: "h" }), dropout(0.5, { name: "drop" }), dense(1, { name: "out" })], 4);
  technique.attach!({ model, tasks: [task], data });
  await saveModelFolder(join(scratch, "run"), [model], () => predictionPlan(model, [technique]), { spec: "s.reg", data, tasks: [task] });
});

const fitOf = (prediction: ExamplePrediction) => ({ value: prediction[0]!.values![0]!, spread: prediction[0]!.spread![0]! });

it("predicts a row alike alone, after another row and twice over, as the runtime's own passes do", async () => {
  const predictor = await loadPredictor(join(scratch, "run"));
  const [alone] = predictor.predictRows([A]);
  const [other, second, again] = predictor.predictRows([B, A, A]);
  expect(second).toEqual(alone);
  expect(again).toEqual(alone);
  // The passes disagree: dropout is on in each.
  expect(fitOf(alone!).spread).toBeGreaterThan(1e-3);

  const runtime = tf.tidy(() => technique.wrapPrediction!((x) => model.forward(x, { training: false, seed: 0 }).layers, model)(tf.tensor([[B.a, B.b], [A.a, A.b]])).get("out")!.arraySync() as number[][]);
  expect(fitOf(other!).value).toBeCloseTo(runtime[0]![0]!, 5);
  expect(fitOf(second!).value).toBeCloseTo(runtime[1]![0]!, 5);
});

it("predicts in the exported page what it predicts in Node, its spread included", async () => {
  const exported = await startRegc(["export", "run", "-o", "site"], scratch);
  expect(exported.code, exported.stderr).toBe(0);
  const fromNode = (await loadPredictor(join(scratch, "site"))).predictRows([B, A]);
  const browser = await launchChromium();
  let fromPage: ExamplePrediction[];
  try {
    const page = await browser.newPage();
    await page.goto(`${await serve(join(scratch, "site"), servers)}index.html`);
    await page.fill("#input", `a,b\n${B.a},${B.b}\n${A.a},${A.b}\n`);
    await page.click("#go");
    await page.waitForFunction(() => document.getElementById("out")!.textContent !== "", undefined, { timeout: 30_000 });
    const shown = (await page.textContent("#out"))!;
    expect(shown.startsWith("["), shown).toBe(true);
    fromPage = JSON.parse(shown) as ExamplePrediction[];
  } finally {
    await browser.close();
  }
  fromNode.forEach((prediction, i) => {
    expect(fitOf(fromPage[i]!).value).toBeCloseTo(fitOf(prediction).value, 4);
    expect(fitOf(fromPage[i]!).spread).toBeCloseTo(fitOf(prediction).spread, 4);
  });
}, 60_000);
