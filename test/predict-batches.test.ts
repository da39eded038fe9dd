import * as tf from "@tensorflow/tfjs";
import { expect, it } from "vitest";
import { Predictor } from "../src/predict/predictor.js";
import { METADATA_VERSION, type ModelMetadata } from "../src/shared/model-metadata.js";

it("predicts a long input a batch at a time, giving what the model gives for all of its rows at once", async () => {
  await tf.setBackend("cpu");
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: "ones", biasInitializer: "zeros" })] });
  const metadata: ModelMetadata = {
    version: METADATA_VERSION,
    spec: "sum.reg",
    model: "m",
    input: { kind: "table", shape: [2], features: ["a", "b"], missing: "refuse" },
    outputs: [{ task: "fit", kind: "regress", layer: "out", target: "y", values: "values", shape: [1] }],
  };
  model.setUserDefinedMetadata({ reglang: metadata });
  // More rows than one batch holds, and not a multiple of it: each row's prediction is a + b.
  const rows = Array.from({ length: 10_001 }, (_, i) => ({ a: i, b: 0.5 }));
  const predictions = new Predictor(model).predictRows(rows);
  expect(predictions).toHaveLength(rows.length);
  expect(predictions.map(([fit]) => fit!.values![0])).toEqual(rows.map(({ a, b }) => a + b));
});
