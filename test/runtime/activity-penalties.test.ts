import { loadDigits } from "../support/digits.js";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { dense, flatten, reshape } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { activityL1 } from "../../src/runtime/techniques/activity-l1.js";
import { klSparsity } from "../../src/runtime/techniques/kl-sparsity.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify, reconstruct, type Task } from "../../src/runtime/train/tasks.js";
import type { ForwardPass, StepInfo, Technique } from "../../src/runtime/train/technique.js";
import { trainToEnd } from "../support/quiet-training.js";

/**
 * §7.10 penalties on activations: their values and gradients against hand
 * computations, then short real runs on MNIST in which each moves the
 * activations it penalizes, compared with the same run without it.
 */

const STEP: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 1, learningRate: 0.1 };

/** A pass whose layers hold the given activations, which is all these penalties read. */
const passWith = (layers: Record<string, tf.Tensor>) => ({ layers: new Map(Object.entries(layers)) }) as unknown as ForwardPass;
const scalar = (t: tf.Tensor) => t.dataSync()[0]!;

/** KL(ρ ‖ ρ̂) between Bernoulli rates, by hand. */
const kl = (rho: number, rate: number) => rho * Math.log(rho / rate) + (1 - rho) * Math.log((1 - rho) / (1 - rate));

describe("activity_l1 and kl_sparsity: the penalty", () => {
  beforeAll(async () => {
    await selectBackend("cpu");
  });

  it("activity_l1 is α·(1/n)·Σₙ Σⱼ |hⱼ(xₙ)|, summed over the named layers", () => {
    const h = tf.tensor2d([[1, -2, 0], [0.5, 0, -1]]);
    const g = tf.tensor2d([[2], [-4]]);
    // (|1| + |−2| + |0.5| + |−1|) / 2 = 2.25 and (2 + 4) / 2 = 3.
    expect(scalar(activityL1(0.1, { on: ["h"] }).lossTerm!(passWith({ h, g }), STEP))).toBeCloseTo(0.225, 6);
    expect(scalar(activityL1(0.1, { on: ["h", "g"] }).lossTerm!(passWith({ h, g }), STEP))).toBeCloseTo(0.525, 6);
  });

  it("kl_sparsity is β·Σⱼ KL(ρ ‖ ρ̂ⱼ) with ρ̂ⱼ each unit's mean over the batch", () => {
    const h = tf.tensor2d([[0.2, 0.05, 0.9], [0.4, 0.15, 0.7]]);
    // ρ̂ = [0.3, 0.1, 0.8]; KL(0.1 ‖ 0.1) = 0.
    const expected = 2 * (kl(0.1, 0.3) + kl(0.1, 0.1) + kl(0.1, 0.8));
    expect(expected).toBeCloseTo(2 * (0.1163225 + 0 + 1.1457255), 5);
    expect(scalar(klSparsity({ on: ["h"], target: 0.1, weight: 2 }).lossTerm!(passWith({ h }), STEP))).toBeCloseTo(expected, 5);
  });

  it("kl_sparsity's gradient is (β/n)·(−ρ/ρ̂ⱼ + (1 − ρ)/(1 − ρ̂ⱼ)) for every activation of unit j", () => {
    const h = tf.tensor2d([[0.2, 0.05], [0.4, 0.15]]);
    const technique = klSparsity({ on: ["h"], target: 0.1, weight: 2 });
    const gradient = tf.grad((x: tf.Tensor) => technique.lossTerm!(passWith({ h: x }), STEP))(h);
    const rates = [0.3, 0.1];
    const expected = [0, 1].flatMap(() => rates.map((rate) => (2 / 2) * (-0.1 / rate + 0.9 / (1 - rate))));
    Array.from(gradient.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 4));
  });

  it("kl_sparsity stays finite when a unit is always off or always on", () => {
    const h = tf.tensor2d([[0, 1], [0, 1]]);
    expect(Number.isFinite(scalar(klSparsity({ on: ["h"], target: 0.05, weight: 1 }).lossTerm!(passWith({ h }), STEP)))).toBe(true);
  });

  it("an unknown layer is an error naming the model's layers", () => {
    const model = new Model("m", [3], [dense(2, { name: "h" }), dense(1, { name: "out" })], 1);
    expect(() => activityL1(0.1, { on: ["t2"] }).attach!({ model, tasks: [], data: {} as Dataset })).toThrow(/model m has no layer t2 \(it has h, out\)/);
    model.dispose();
  });
});

describe("activity_l1 and kl_sparsity in training (real MNIST)", () => {
  let digits: Dataset;
  beforeAll(async () => {
    await selectBackend("wasm");
    digits = await loadDigits({ train: 500, val: 300 }, 5);
  });

  /** Trains a fresh model with the same seed and budget, with or without the penalty, and returns the named layer's validation activations. */
  async function activationsAfter(build: () => Model, tasks: Task[], techniques: Technique[], layer: string): Promise<Float32Array> {
    const model = build();
    await trainToEnd({ model, data: digits, tasks, techniques, optimizer: adam({ lr: 3e-3 }), schedule: constant(), epochs: 3, batch: 32, seed: 2 });
    const values = tf.tidy(() => model.forward(digits.splits.val!.x, { training: false, seed: 0 }).layers.get(layer)!).dataSync() as Float32Array;
    model.dispose();
    return values;
  }

  it("kl_sparsity (example E's autoencoder) pulls each code unit's mean activation toward the target", async () => {
    const autoencoder = () =>
      new Model("ae", [28, 28, 1], [flatten(), dense(64, { name: "enc", activation: "sigmoid" }), dense(784, { name: "dec", activation: "sigmoid" }), reshape([28, 28, 1])], 3);
    const tasks = [reconstruct("recon", { output: "output", target: "input", loss: "mse" })];
    const target = 0.05;
    const plain = unitMeans(await activationsAfter(autoencoder, tasks, [], "enc"), 64);
    const sparse = unitMeans(await activationsAfter(autoencoder, tasks, [klSparsity({ on: ["enc"], target, weight: 1e-2 })], "enc"), 64);
    const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const distance = (v: number[]) => meanOf(v.map((rate) => Math.abs(rate - target)));
    expect(distance(sparse)).toBeLessThan(distance(plain) / 2);
    expect(meanOf(sparse)).toBeLessThan(meanOf(plain));
  });

  it("activity_l1 shrinks the L1 norm of the hidden activations", async () => {
    const mlp = () => new Model("mlp", [28, 28, 1], [flatten(), dense(64, { name: "h", activation: "relu" }), dense(10, { name: "out" })], 4);
    const tasks = [classify("digit", { output: "out", target: "label" })];
    const l1Of = (values: Float32Array) => values.reduce((a, b) => a + Math.abs(b), 0) / (values.length / 64);
    const plain = l1Of(await activationsAfter(mlp, tasks, [], "h"));
    const sparse = l1Of(await activationsAfter(mlp, tasks, [activityL1(1e-2, { on: ["h"] })], "h"));
    expect(sparse).toBeLessThan(plain / 2);
  });
});

/** Each unit's mean activation over the examples, from [examples × units] values. */
function unitMeans(values: Float32Array, units: number): number[] {
  const sums = new Array<number>(units).fill(0);
  for (let i = 0; i < values.length; i++) sums[i % units]! += values[i]!;
  return sums.map((sum) => sum / (values.length / units));
}
