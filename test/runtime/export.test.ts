import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { predictionPlan } from "../../src/runtime/export/prediction-plan.js";
import { saveModelFolder } from "../../src/runtime/export/save-model.js";
import { buildStandardModel } from "../../src/runtime/export/standard-model.js";
import type { LayerDef } from "../../src/runtime/model/layer.js";
import * as layers from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { snapshotEnsemble } from "../../src/runtime/techniques/snapshot-ensemble.js";
import { classify, regress } from "../../src/runtime/train/tasks.js";
import { loadModelFolder } from "../../src/predict/node/model-folder.js";
import { loadPredictor } from "../../src/predict/node/index.js";

beforeAll(() => selectBackend("cpu"));

/** Random values for every variable (batch norm's averages too), so no layer is the identity by accident. */
function randomize(model: Model, seed: number): void {
  let n = 0;
  for (const [key, variable] of [...model.params, ...model.state]) {
    const positive = key.endsWith("moving_variance");
    variable.assign(positive ? tf.randomUniform(variable.shape, 0.5, 2, "float32", seed + n++) : tf.randomNormal(variable.shape, 0, 0.5, "float32", seed + n++));
  }
}

function exportedVersusRuntime(model: Model, x: tf.Tensor, outputs: string[]): number {
  const tasks = outputs.map((output) => regress(output, { output, target: output }));
  const { model: exported } = buildStandardModel(predictionPlan(model, []), tasks, () => undefined);
  try {
    return tf.tidy(() => {
      const predicted = [exported.predict(x)].flat() as tf.Tensor[];
      const runtime = model.forward(x, { training: false, seed: 0 }).layers;
      return Math.max(...outputs.map((output, i) => tf.max(tf.abs(tf.sub(predicted[i]!, runtime.get(output)!))).dataSync()[0]!));
    });
  } finally {
    exported.dispose();
  }
}

describe("every layer's stock twin computes what the layer computes at inference", () => {
  it("convolutions, pooling, batch norm, every activation, reshapes, dropout and noise", () => {
    const defs: LayerDef[] = [
      layers.gaussianNoise(0.3),
      layers.conv2d(4, [3, 2], { name: "c1", stride: [1, 2], padding: "same", activation: "leaky_relu" }),
      layers.batchNorm({ name: "bn", momentum: 0.9, epsilon: 1e-2 }),
      layers.activation("gelu"),
      layers.depthwiseConv2d(3, { name: "dw", depthMultiplier: 2, activation: "elu" }),
      layers.maxpool({ size: 2, stride: 1 }),
      layers.avgpool({ size: [2, 1], padding: "same" }),
      layers.dropout(0.5),
      layers.reshape([3, 4, 8]),
      layers.globalMaxpool({ name: "gmax" }),
      layers.dense(5, { name: "selu", activation: "selu" }),
      layers.dense(3, { name: "soft", activation: "softplus", useBias: false }),
      layers.dense(4, { name: "probs", activation: "softmax", from: "selu" }),
      layers.globalAvgpool({ name: "gavg", from: "bn" }),
      layers.dense(2, { name: "tanh", activation: "tanh", from: "gavg" }),
      layers.flatten({ name: "flat", from: "dw" }),
      layers.dense(2, { name: "sig", activation: "sigmoid" }),
      layers.activation("leaky_relu", { name: "leaky", from: "sig" }),
    ];
    const model = new Model("all", [10, 12, 2], defs, 1);
    randomize(model, 10);
    const x = tf.randomNormal([5, 10, 12, 2], 0, 1, "float32", 3);
    expect(exportedVersusRuntime(model, x, ["soft", "probs", "tanh", "leaky"])).toBeLessThan(1e-5);
  });

  it("embeddings of ids given as floats, and tied parameters exported as the shared values", () => {
    const embedded = new Model("ids", [3], [layers.embedding(7, 4), layers.flatten(), layers.dense(2, { name: "out" })], 2);
    randomize(embedded, 20);
    expect(exportedVersusRuntime(embedded, tf.tensor2d([[0, 6, 3], [2, 2, 5]]), ["out"])).toBeLessThan(1e-5);

    const tied = new Model("tied", [6], [layers.dense(3, { name: "enc" }), layers.dense(6, { name: "dec" })], 3, {
      ties: [{ param: "dec.kernel", source: "enc.kernel", transposed: true, label: "tie(dec.kernel, transpose(enc.kernel))" }],
    });
    randomize(tied, 30);
    expect(tied.params.has("dec.kernel")).toBe(false);
    expect(exportedVersusRuntime(tied, tf.randomNormal([4, 6], 0, 1, "float32", 4), ["dec"])).toBeLessThan(1e-5);
  });
});

describe("ensembles export as one model", () => {
  it("snapshot_ensemble: the average of its snapshots' probabilities, as its own prediction", () => {
    const model = new Model("m", [3], [layers.dense(4, { name: "h", activation: "relu" }), layers.dense(3, { name: "out" })], 1);
    const tasks = [classify("c", { output: "out", target: "y" })];
    const technique = snapshotEnsemble({ cycles: 2 });
    technique.attach!({ model, tasks, data: {} as Dataset });
    const snapshots = new Map<string, tf.Tensor>();
    for (const index of [0, 1]) {
      randomize(model, 40 + index * 10);
      for (const [key, variable] of model.params) snapshots.set(`${index}/${key}`, tf.clone(variable));
    }
    technique.loadState!({ values: { snapshots: 2 }, tensors: snapshots });
    const x = tf.randomNormal([6, 3], 0, 1, "float32", 5);
    const { model: exported } = buildStandardModel(predictionPlan(model, [technique]), tasks, () => ["a", "b", "c"]);
    const difference = tf.tidy(() => {
      const runtime = tf.softmax(technique.wrapPrediction!((input) => model.forward(input, { training: false, seed: 0 }).layers, model)(x).get("out")!);
      const plain = tf.softmax(model.forward(x, { training: false, seed: 0 }).output);
      const predicted = exported.predict(x) as tf.Tensor;
      // Not the model's own last weights: the snapshots' average.
      expect(tf.max(tf.abs(tf.sub(predicted, plain))).dataSync()[0]).toBeGreaterThan(1e-3);
      return tf.max(tf.abs(tf.sub(predicted, runtime))).dataSync()[0];
    });
    expect(difference).toBeLessThan(1e-5);
    exported.dispose();
  });
});

describe("what cannot be exported", () => {
  const data = {
    name: "d",
    kind: "table",
    inputShape: [2],
    inputRange: [0, 1],
    targets: { y: { kind: "class", classes: 2, classNames: ["no", "yes"] } },
    splits: {},
    preprocessing: { kind: "table", shape: [2], features: ["a", "b"], missing: "refuse" },
  } as unknown as Dataset;
  const tasks = [classify("answer", { output: "out", target: "y" })];

  it("keeps the weights, says which layer, and regc predict refuses the folder with that reason", async () => {
    const custom: LayerDef = { kind: "square", name: "sq", build: (input) => ({ outputShape: input }), apply: (x) => tf.square(x) };
    const model = new Model("m", [2], [custom, layers.dense(2, { name: "out" })], 1);
    const folder = mkdtempSync(join(tmpdir(), "reglang-export-"));
    const saved = await saveModelFolder(folder, [model], () => predictionPlan(model, []), { spec: "s.reg", data, tasks });
    expect(saved).toEqual({ standard: false, reason: "layer `sq` (square) of model m has no stock TensorFlow.js equivalent" });
    const json = JSON.parse(readFileSync(join(folder, "model", "model.json"), "utf8")) as { weightsManifest: Array<{ weights: Array<{ name: string }> }> };
    expect(json.weightsManifest[0]!.weights.map((w) => w.name)).toEqual(["out.kernel", "out.bias"]);
    await expect(loadModelFolder(folder)).rejects.toThrow(`${join(folder, "model", "model.json")} holds weights only, not a TensorFlow.js model: layer \`sq\` (square) of model m has no stock TensorFlow.js equivalent`);
  });

  it("names a clause that changes prediction without saying how an export reproduces it", async () => {
    const model = new Model("m", [2], [layers.dense(2, { name: "out" })], 1);
    const technique = { label: "temperature(2)", wrapPrediction: (predict: (x: tf.Tensor) => ReadonlyMap<string, tf.Tensor>) => predict };
    const saved = await saveModelFolder(mkdtempSync(join(tmpdir(), "reglang-export-")), [model], () => predictionPlan(model, [technique]), { spec: "s.reg", data, tasks });
    expect(saved).toEqual({ standard: false, reason: "`temperature(2)` changes how the model predicts in a way no stock TensorFlow.js model can carry" });
  });

  it("a model that can be exported carries its class labels and input description", async () => {
    const model = new Model("m", [2], [layers.dense(2, { name: "out" })], 1);
    const folder = mkdtempSync(join(tmpdir(), "reglang-export-"));
    expect(await saveModelFolder(folder, [model], () => predictionPlan(model, []), { spec: "s.reg", data, tasks })).toEqual({ standard: true });
    const predictor = await loadModelFolder(folder);
    expect(predictor.metadata.outputs).toEqual([{ task: "answer", kind: "classify", layer: "out", target: "y", values: "probabilities", shape: [2], labels: ["no", "yes"] }]);
    const [prediction] = predictor.predictRows([{ a: 1, b: 2.5 }]);
    const expected = tf.tidy(() => tf.softmax(model.forward(tf.tensor2d([[1, 2.5]]), { training: false, seed: 0 }).output).dataSync());
    prediction![0]!.probabilities!.forEach(({ probability }, k) => expect(probability).toBeCloseTo(expected[k]!, 6));
    expect(() => predictor.predictRows([{ a: 1 }])).toThrow("row 1, column `b`: no value, and the model was trained on data with no gaps; give a number");
  });

  it("reglang/predict in Node loads a model folder by its model.json, as a page loads it by URL", async () => {
    const model = new Model("m", [2], [layers.dense(2, { name: "out" })], 1);
    const folder = mkdtempSync(join(tmpdir(), "reglang-export-"));
    await saveModelFolder(folder, [model], () => predictionPlan(model, []), { spec: "s.reg", data, tasks });
    const byFile = await loadPredictor(join(folder, "model", "model.json"));
    const byFolder = await loadPredictor(folder);
    expect(byFile.predictRows([{ a: 1, b: 2 }])).toEqual(byFolder.predictRows([{ a: 1, b: 2 }]));
    await expect(loadPredictor(join(folder, "model", "other.json"))).rejects.toThrow(`${join(folder, "model", "other.json")} does not exist`);
    await expect(loadPredictor(mkdtempSync(join(tmpdir(), "reglang-empty-")))).rejects.toThrow("holds no model.json, nor model/model.json");
  });

  it("says of a run folder without its model that the run has not finished, and how to finish it", async () => {
    const run = mkdtempSync(join(tmpdir(), "reglang-unfinished-"));
    writeFileSync(join(run, "run.json"), "{}\n");
    await expect(loadPredictor(run)).rejects.toThrow(`${run} is a run that has not finished, so it holds no trained model yet: continue it with \`regc run --resume ${run}\`, then predict with it`);
  });
});
