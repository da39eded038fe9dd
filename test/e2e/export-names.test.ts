import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExamplePrediction } from "../../src/predict/predictor.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadData } from "../../src/runtime/data/load.js";
import { loadTensors } from "../../src/runtime/run/weights-io.js";
import type { ModelMetadata } from "../../src/shared/model-metadata.js";
import { generatedProgram, stockLoad } from "./export-support.js";
import { onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * A spec may name a model, layer or task with a leading `_`, which
 * TensorFlow.js refuses in a layer's name: such names are exported with a
 * `0` before them, recorded in the metadata, and the model trains, exports,
 * loads in stock TensorFlow.js and predicts as the runtime does.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-export-names-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => selectBackend("cpu"));

function underscoredSpec(name: string, regularize: string): string {
  const path = join(scratch, `${name}.reg`);
  writeFileSync(
    path,
    `data _cars {
  source   json("vega-datasets/data/cars.json")
  features Horsepower, Weight_in_lbs, Acceleration
  normalize standard
  missing  drop
  target   _origin = class(Origin)
  target   _mpg = number(Miles_per_Gallon)
  split    train: 0.6, test: 0.4
  seed     3
}

model _net(_cars.input) {
  _h1    = dense(8, activation: relu)
  _drop  = dropout(0.3)
  _out   = dense(3)
  _1     = dense(1) from _h1
}

task _region  = classify(_net._out, _cars._origin)
task _economy = regress(_net._1, _cars._mpg)

train {
  optimizer adam(lr: 1e-2)
  epochs    1
  batch     32
}

regularize _net {
${regularize}
}
`,
  );
  return path;
}

async function train(spec: string, runs: string): Promise<{ folder: string; metadata: ModelMetadata }> {
  const run = await startRegc(["run", spec, "--backend", "cpu", "--runs", runs], scratch);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).not.toContain("holds the weights only");
  const folder = onlyRunFolder(runs);
  return { folder, metadata: readJson<{ userDefinedMetadata: { reglang: ModelMetadata } }>(join(folder, "model", "model.json")).userDefinedMetadata.reglang };
}

describe("names that start with `_`", () => {
  it("export under a leading 0, load in stock TensorFlow.js and predict as the runtime does, Monte-Carlo dropout included", async () => {
    const { folder, metadata } = await train(underscoredSpec("mc", "  mc_dropout(samples: 4)"), join(scratch, "mc"));
    expect(metadata.renamed).toEqual({
      "0_net_input": "_net_input",
      "0_h1": "_h1",
      "0_drop": "_drop",
      "0_out": "_out",
      "0_1": "_1",
      "0_region_probabilities": "_region_probabilities",
    });
    expect(metadata.model).toBe("_net");
    expect(metadata.outputs.map((output) => [output.task, output.layer, output.target])).toEqual([["_region", "_out", "_origin"], ["_economy", "_1", "_mpg"]]);
    expect(metadata.sampling?.dropoutLayers).toEqual({ "0_drop": { rate: 0.3, position: 1 } });

    const exported = await stockLoad(join(folder, "model"));
    expect(exported.name).toBe("_net");
    expect(exported.layers.map((layer) => layer.name)).toEqual(["0_net_input", "0_h1", "0_drop", "0_out", "0_region_probabilities", "0_1"]);

    // The runtime's model from the generated program, given the exported weights, predicts what the stock model does.
    const program = await generatedProgram(folder);
    const test = (await loadData(program.data)).splits["test"]!;
    const model = program.build(0);
    const weights = (await loadTensors(join(folder, "model"))).tensors;
    for (const [key, variable] of model.params) variable.assign(weights.get(`0${key.replace(".", "/")}`)!);
    const [region, economy] = exported.predict(test.x) as tf.Tensor[];
    const runtime = model.forward(test.x, { training: false, seed: 0 }).layers;
    expect(tf.max(tf.abs(tf.sub(region!, tf.softmax(runtime.get("_out")!)))).dataSync()[0]).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(tf.sub(economy!, runtime.get("_1")!))).dataSync()[0]).toBeLessThan(1e-4);

    // regc predict finds the dropout layer it leaves on by its exported name: the passes disagree.
    writeFileSync(join(scratch, "rows.csv"), "Horsepower,Weight_in_lbs,Acceleration\n130,3504,12\n95,2372,15\n");
    const predicted = await startRegc(["predict", folder, "rows.csv", "--format", "json", "--backend", "cpu"], scratch);
    expect(predicted.code, predicted.stderr).toBe(0);
    const predictions = JSON.parse(predicted.stdout) as Array<{ predictions: ExamplePrediction }>;
    expect(predictions.some(({ predictions: [first] }) => first!.spread!.some((s) => s > 1e-4))).toBe(true);
  }, 120_000);

  it("export an ensemble whose averages carry a task's name", async () => {
    const { folder, metadata } = await train(underscoredSpec("bag", "  bagging(members: 2, combine: average)"), join(scratch, "bag"));
    // Members' layers start with m1_, m2_: only the input and the averages need the 0.
    expect(metadata.renamed).toEqual({ "0_net_input": "_net_input", "0_region": "_region", "0_economy": "_economy" });
    const exported = await stockLoad(join(folder, "model"));
    expect(exported.outputNames).toEqual(["0_region", "0_economy"]);
    expect(exported.layers.map((layer) => layer.name)).toContain("m2__h1");
    const rows = tf.tensor2d([[0, 0, 0]]);
    const [region] = exported.predict(rows) as tf.Tensor[];
    expect(tf.sum(region!).dataSync()[0]).toBeCloseTo(1, 5);
  }, 120_000);
});
