import * as tf from "@tensorflow/tfjs";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Dataset, DataSpec } from "../../src/runtime/data/dataset.js";
import { predictionPlan } from "../../src/runtime/export/prediction-plan.js";
import { saveModelFolder } from "../../src/runtime/export/save-model.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { regress, type Task } from "../../src/runtime/train/tasks.js";

/** What a stock TensorFlow.js user does with a model folder: read model.json and its weights, and call tf.loadLayersModel. */
export function stockLoad(folder: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(folder, "model.json"), "utf8")) as tf.io.ModelJSON;
  return tf.loadLayersModel({
    load: async () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers = manifest.flatMap((group) => group.paths.map((path) => new Uint8Array(readFileSync(join(folder, path))).buffer));
        return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(buffers)];
      }),
  });
}

/** The generated program a run folder keeps, imported: its data spec, model builder and tasks. */
export async function generatedProgram(runFolder: string): Promise<{ data: DataSpec; build: (seed: number) => Model; tasks: Task[] }> {
  const file = readdirSync(runFolder).find((name) => name.endsWith(".ts"))!;
  const program = (await import(pathToFileURL(join(runFolder, file)).href)) as Record<string, unknown>;
  const entries = Object.entries(program);
  const data = entries.find(([name]) => name.endsWith("Data"))![1] as DataSpec;
  const build = entries.find(([name]) => /^build[A-Z_]/.test(name))![1] as (seed: number) => Model;
  return { data, build, tasks: program["tasks"] as Task[] };
}

/** A small MNIST classifier, trained in seconds, whose export the predict tests read. */
export const DIGITS_SPEC = `data digits {
  source mnist
  input  image(28, 28, 1)
  target label = class(10)
  split  train: 300, test: 100
  seed   5
}

model m(digits.input) {
  flatten()
  out = dense(10)
}

task digit = classify(m.out, digits.label)

train {
  optimizer adam(lr: 1e-2)
  epochs    2
  batch     32
}
`;

/** Bytes of the weights {@link saveTableModel} saves: dense(4) over 2 columns, then dense(1), (2·4 + 4) + (4 + 1) float32 values. */
export const TABLE_MODEL_WEIGHT_BYTES = 17 * 4;

/** A model of the columns `a`, `b` saved untrained in `FOLDER/model/`, as a run saves its model: for tests of the files, not of the numbers. */
export async function saveTableModel(folder: string): Promise<void> {
  const data = { name: "d", kind: "table", inputShape: [2], targets: {}, splits: {}, preprocessing: { kind: "table", shape: [2], features: ["a", "b"], missing: "refuse" } } as unknown as Dataset;
  const model = new Model("m", [2], [dense(4, { name: "h" }), dense(1, { name: "out" })], 1);
  await saveModelFolder(folder, [model], () => predictionPlan(model, []), { spec: "s.reg", data, tasks: [regress("fit", { output: "out", target: "y" })] });
}
