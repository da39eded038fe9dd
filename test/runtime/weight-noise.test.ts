import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { loadData } from "../../src/runtime/data/load.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { weightNoise } from "../../src/runtime/techniques/weight-noise.js";
import { evaluateSplit } from "../../src/runtime/train/evaluate.js";
import { sgd } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { trainStep } from "../../src/runtime/train/step.js";
import { regress } from "../../src/runtime/train/tasks.js";
import type { StepInfo, Technique } from "../../src/runtime/train/technique.js";
import { trainToEnd } from "../support/quiet-training.js";

/**
 * §7.5 weight noise (Graves 2011): the step's gradient is taken at W + ε and
 * applied to the clean W; evaluation never sees the noise.
 */

beforeAll(async () => {
  await selectBackend("cpu");
});

const made: Model[] = [];
afterEach(() => {
  for (const model of made.splice(0)) model.dispose();
});

const STEP: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 17, learningRate: 0.1 };
const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** y = x·w, no bias: two inputs, one output. */
function line(seed = 1): Model {
  const model = new Model("line", [2], [dense(1, { name: "out", useBias: false })], seed);
  made.push(model);
  return model;
}

const fit = regress("fit", { output: "out", target: "y" });
const attached = (technique: Technique, model: Model) => (technique.attach?.({ model, tasks: [fit], data: {} as Dataset }), technique);

describe("weight_noise", () => {
  it("the step's gradient is taken at the noisy weights and applied to the clean ones", () => {
    const model = line();
    const w = [0.5, -0.3];
    model.params.get("out.kernel")!.assign(tf.tensor2d(w, [2, 1]));
    const xs = [[1, 2], [3, -1], [0.5, 0.5]];
    const ys = [1, 0, 2];
    const technique = attached(weightNoise(0.2, { on: ["out.kernel"] }), model);
    const noisy = tf.tidy(() => values(technique.perturbParams!(model, STEP).get("out.kernel")!));
    expect(noisy.map((v, i) => v - w[i]!).some((e) => Math.abs(e) > 1e-3)).toBe(true);

    // J(W̃) = (1/n)·Σ (xₙ·W̃ − yₙ)², so ∇J(W̃) = (2/n)·Σ (xₙ·W̃ − yₙ)·xₙ.
    const gradientAt = (v: readonly number[]) =>
      [0, 1].map((j) => (2 / xs.length) * xs.reduce((sum, x, n) => sum + (x[0]! * v[0]! + x[1]! * v[1]! - ys[n]!) * x[j]!, 0));
    const expected = w.map((wj, j) => wj - STEP.learningRate * gradientAt(noisy)[j]!);
    const clean = w.map((wj, j) => wj - STEP.learningRate * gradientAt(w)[j]!);

    const x = tf.tensor2d(xs);
    const batch = { x, targets: { y: tf.tensor2d(ys, [3, 1]), input: x } };
    trainStep({ model, tasks: [fit], techniques: [technique], optimizer: tf.train.sgd(STEP.learningRate) }, batch, STEP);
    const updated = values(model.params.get("out.kernel")!);
    updated.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
    // Not the update the clean gradient gives, and no noise left in the stored weights.
    expect(Math.max(...updated.map((v, j) => Math.abs(v - clean[j]!)))).toBeGreaterThan(1e-2);
  });

  it("draws fresh noise every step, the same for the same step, N(0, σ²) in size, independently per parameter", () => {
    const model = new Model("wide", [200], [dense(100, { name: "a" }), dense(50, { name: "b" })], 3);
    made.push(model);
    const technique = attached(weightNoise(0.1, { on: ["a.kernel", "b.kernel"] }), model);
    const noiseOf = (step: StepInfo, name: string) =>
      tf.tidy(() => values(tf.sub(technique.perturbParams!(model, step).get(name)!, model.params.get(name)!)));
    const first = noiseOf(STEP, "a.kernel");
    expect(noiseOf(STEP, "a.kernel")).toEqual(first);
    const next = noiseOf({ ...STEP, step: 2, seed: 18 }, "a.kernel");
    expect(correlation(first, next)).toBeLessThan(0.05);
    const mean = first.reduce((a, b) => a + b, 0) / first.length;
    const std = Math.sqrt(first.reduce((a, b) => a + (b - mean) ** 2, 0) / first.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std).toBeCloseTo(0.1, 2);
    // Only the listed parameters are replaced, each with noise of its own.
    const replaced = tf.tidy(() => [...technique.perturbParams!(model, STEP).keys()]);
    expect(replaced).toEqual(["a.kernel", "b.kernel"]);
    expect(Math.abs(correlation(first.slice(0, 5000), noiseOf(STEP, "b.kernel")))).toBeLessThan(0.05);
  });

  it("is absent at evaluation: only training steps perturb, and the reported metrics are the clean model's (real cars data)", async () => {
    const cars = await loadData({
      name: "cars",
      source: { kind: "json", path: "vega-datasets/data/cars.json", specFolder: process.cwd() },
      features: ["Horsepower", "Weight_in_lbs", "Displacement", "Acceleration", "Cylinders"],
      normalize: "standard",
      missing: "drop",
      targets: [{ name: "mpg", kind: "number", column: "Miles_per_Gallon" }],
      split: { train: 0.6, val: 0.2, test: 0.2 },
      seed: 1,
    });
    const model = new Model("shared", [5], [dense(16, { name: "h", activation: "relu" }), dense(1, { name: "out" })], 2);
    made.push(model);
    const inner = weightNoise(0.05, { on: ["h.kernel", "out.kernel"] });
    let perturbed = 0;
    const counted: Technique = { ...inner, perturbParams: (m, step) => (perturbed++, inner.perturbParams!(m, step)) };
    const tasks = [regress("economy", { output: "out", target: "mpg" })];
    const { trainer, final } = await trainToEnd({ model, data: cars, tasks, techniques: [counted], optimizer: sgd({ lr: 0.01 }), schedule: constant(), epochs: 3, batch: 32, seed: 1 });
    // 235 training cars: 8 steps an epoch.
    expect(perturbed).toBe(3 * 8);
    const plain = (x: tf.Tensor) => model.forward(x, { training: false, seed: 0 }).layers;
    expect(final.splits.val).toEqual(evaluateSplit(plain, cars, cars.splits.val!, tasks));
    expect(trainer.history[2]!.val).toEqual(final.splits.val);
    // It trains: the error falls well below its first epoch's.
    expect(trainer.history[2]!.train.loss!).toBeLessThan(trainer.history[0]!.train.loss! / 2);
  });
});

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (v: readonly number[]) => v.slice(0, n).reduce((s, x) => s + x, 0) / n;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
