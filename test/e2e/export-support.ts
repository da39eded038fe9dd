import * as tf from "@tensorflow/tfjs";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { DataSpec } from "../../src/runtime/data/dataset.js";
import type { Model } from "../../src/runtime/model/model.js";
import type { Task } from "../../src/runtime/train/tasks.js";

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
