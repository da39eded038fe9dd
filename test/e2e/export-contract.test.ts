import * as tf from "@tensorflow/tfjs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelMetadata } from "../../src/shared/model-metadata.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadData } from "../../src/runtime/data/load.js";
import type { FinalMetrics } from "../../src/runtime/run/history.js";
import { loadTensors } from "../../src/runtime/run/weights-io.js";
import { generatedProgram, stockLoad } from "./export-support.js";
import { EXAMPLES, onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * Every contract example, trained one epoch by `regc run`, leaves in
 * `model/` a stock TensorFlow.js LayersModel whose predictions on the test
 * split are the runtime's: the same model rebuilt by the generated
 * program, given those weights, predicts the same to 1e-5, and the
 * exported model's test metrics are the run's own metrics.json.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-export-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => selectBackend("cpu"));

/** The example's model and techniques on fewer digits (its `split` line replaced), to keep the test short. */
function fewerDigits(name: string, split: string, shorter: string): () => string {
  return () => {
    const path = join(scratch, `${name}.reg`);
    const text = readFileSync(join(EXAMPLES, `${name}.reg`), "utf8");
    expect(text).toContain(split);
    writeFileSync(path, text.replace(split, shorter));
    return path;
  };
}

const examples: Array<[string, () => string]> = [
  ["a-mlp-dropout-maxnorm", fewerDigits("a-mlp-dropout-maxnorm", "train: 1000, val: 500, test: 2000", "train: 256, val: 64, test: 256")],
  ["b-convnet-adversarial-tangent", fewerDigits("b-convnet-adversarial-tangent", "train: 2000, val: 500, test: 2000", "train: 256, val: 64, test: 256")],
  ["c-semi-supervised", fewerDigits("c-semi-supervised", "train: 100, val: 500, test: 2000, unlabeled: 5000", "train: 100, val: 64, test: 256, unlabeled: 512")],
  ["d-multitask-cars", () => join(EXAMPLES, "d-multitask-cars.reg")],
  ["e-tied-autoencoder", fewerDigits("e-tied-autoencoder", "train: 2000, val: 500, test: 1000", "train: 256, val: 64, test: 256")],
  ["f-underconstrained-ridge", () => join(EXAMPLES, "f-underconstrained-ridge.reg")],
];

describe("model/ of every contract example is a stock TensorFlow.js model", () => {
  it.each(examples)("%s", async (name, specPath) => {
    const runs = join(scratch, name);
    const run = await startRegc(["run", specPath(), "--epochs", "1", "--backend", "wasm", "--runs", runs], scratch);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("holds the weights only");
    const folder = onlyRunFolder(runs);
    const json = readJson<{ modelTopology: unknown; weightsManifest: unknown[]; userDefinedMetadata: { reglang: ModelMetadata } }>(join(folder, "model", "model.json"));
    expect(json.modelTopology).toBeDefined();
    expect(json.weightsManifest.length).toBeGreaterThan(0);
    const metadata = json.userDefinedMetadata.reglang;

    const exported = await stockLoad(join(folder, "model"));
    const program = await generatedProgram(folder);
    const data = await loadData(program.data);
    const test = data.splits["test"]!;
    const outputs = tf.tidy(() => [exported.predict(test.x)].flat() as tf.Tensor[]);
    expect(outputs).toHaveLength(program.tasks.length);

    // The runtime's own model, from the generated program, with the exported weights (members prefixed m1_, m2_, …).
    const weights = (await loadTensors(join(folder, "model"))).tensors;
    const members = Math.max(1, new Set([...weights.keys()].flatMap((key) => key.match(/^m(\d+)_/)?.[1] ?? [])).size);
    const models = Array.from({ length: members }, (_, m) => {
      const model = program.build(m);
      for (const [key, variable] of [...model.params, ...model.state]) {
        const stored = weights.get(`${members > 1 ? `m${m + 1}_` : ""}${key.replace(".", "/")}`);
        expect(stored, key).toBeDefined();
        variable.assign(stored!);
      }
      return model;
    });
    const metrics = readJson<FinalMetrics>(join(folder, "metrics.json")).splits["test"]!;
    program.tasks.forEach((task, t) => {
      const runtime = tf.tidy(() => {
        const each = models.map((model) => {
          const output = model.forward(test.x, { training: false, seed: 0 }).layers.get(task.output)!;
          return task.kind === "classify" && task.fromLogits !== false ? tf.softmax(output) : output;
        });
        return tf.div(tf.addN(each), each.length);
      });
      const exportedOutput = outputs[t]!;
      expect(exportedOutput.shape).toEqual(runtime.shape);
      expect(tf.max(tf.abs(tf.sub(exportedOutput, runtime))).dataSync()[0]).toBeLessThan(1e-5);
      expect(metadata.outputs[t]!.task).toBe(task.name);

      // The exported model's test metrics are the run's.
      if (task.kind === "classify") {
        const labels = test.targets[task.target]!;
        const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(exportedOutput, -1), labels), "float32")).dataSync()[0]!);
        expect(accuracy).toBeCloseTo(metrics[`${task.name}_accuracy`] ?? metrics["accuracy"]!, 5);
        expect(metadata.outputs[t]!.labels).toHaveLength(exportedOutput.shape[1]!);
      } else if (task.kind === "regress") {
        const mae = tf.tidy(() => tf.mean(tf.abs(tf.sub(exportedOutput, test.targets[task.target]!))).dataSync()[0]!);
        expect(mae / (metrics[`${task.name}_mae`] ?? metrics["mae"]!)).toBeCloseTo(1, 4);
      } else {
        const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(exportedOutput, test.x))).dataSync()[0]!);
        expect(mse / (metrics[`${task.name}_mse`] ?? metrics["mse"]!)).toBeCloseTo(1, 4);
      }
    });
    if (name.startsWith("e-")) {
      // The tie: the decoder's exported kernel is the encoder's, transposed.
      const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(weights.get("dec/kernel")!, tf.transpose(weights.get("enc/kernel")!)))).dataSync()[0]);
      expect(difference).toBe(0);
    }
    if (name.startsWith("d-")) expect(members).toBe(5);
    expect(metadata.input.kind).toBe(data.kind);
    tf.dispose(outputs);
    exported.dispose();
    for (const model of models) model.dispose();
  }, 180_000);
});
