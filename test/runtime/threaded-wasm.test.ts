import { loadDigits } from "../support/digits.js";
import { trainToEnd } from "../support/quiet-training.js";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend, threadsInUse } from "../../src/runtime/backend/select.js";
import { threadPoolsOf } from "../../src/runtime/backend/thread-pools.js";
import type { RunServices } from "../../src/runtime/train/trainer.js";
import { Model } from "../../src/runtime/model/model.js";
import { conv2d, dense, dropout, flatten, gaussianNoise, maxpool } from "../../src/runtime/model/layers/index.js";
import { augment } from "../../src/runtime/techniques/augment.js";
import { fgsm } from "../../src/runtime/techniques/fgsm.js";
import { l2 } from "../../src/runtime/techniques/l2.js";
import { labelSmoothing } from "../../src/runtime/techniques/label-smoothing.js";
import { maxnorm } from "../../src/runtime/techniques/maxnorm.js";
import { weightNoise } from "../../src/runtime/techniques/weight-noise.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify } from "../../src/runtime/train/tasks.js";

/**
 * Training on the threaded wasm build (two threads) against the package's
 * single-threaded one, on real digits: a conv net with a technique at each
 * hook (batch transform, loss term, perturbed parameters, after-step
 * projection, a noise layer). The threads split each kernel's output, never
 * a sum, so the numbers must be the same bit for bit.
 */

function convNet(seed: number): Model {
  return new Model(
    "cnn",
    [28, 28, 1],
    [
      gaussianNoise(0.1),
      conv2d(8, 3, { name: "c1", activation: "relu" }),
      maxpool({ size: 2 }),
      conv2d(8, 3, { name: "c2", activation: "relu" }),
      maxpool({ size: 2 }),
      flatten(),
      dense(32, { name: "h", activation: "relu" }),
      dropout(0.25),
      dense(10, { name: "out" }),
    ],
    seed,
  );
}

/**
 * Loss curve and final weights of two epochs, on the wasm backend with
 * `threads` threads; `eachStep` takes each step (as a run that times its
 * thread count does).
 */
async function trainOn(threads: number, eachStep?: RunServices["takeStep"]): Promise<{ curve: number[]; weights: Float32Array }> {
  // Tensors do not survive a change of thread count (the backend is replaced), so the data is loaded afresh.
  await selectBackend("wasm", threads);
  const data = await loadDigits({ train: 192, val: 64 }, 5);
  const model = convNet(3);
  const { trainer } = await trainToEnd({
    model,
    data,
    tasks: [classify("digit", { output: "out", target: "label" })],
    techniques: [
      augment({ rotate: 10, translate: 2 }),
      labelSmoothing(0.1),
      fgsm({ eps: 0.1, weight: 0.5 }),
      weightNoise(0.01, { on: ["h.kernel"] }),
      l2(1e-4, { on: ["c1.kernel", "c2.kernel", "h.kernel", "out.kernel"] }),
      maxnorm(3, { on: ["h.kernel"] }),
    ],
    optimizer: adam({ lr: 1e-3 }),
    schedule: constant(),
    epochs: 2,
    batch: 32,
    seed: 11,
  }, eachStep && { takeStep: eachStep });
  const curve = trainer.history.flatMap((record) => [record.train.loss!, record.val!.loss!]);
  const weights = tf.tidy(() => tf.concat([...model.params.values()].map((p) => p.flatten())).dataSync() as Float32Array);
  return { curve, weights: Float32Array.from(weights) };
}

describe("the wasm backend on several threads", () => {
  it("computes with as many threads as asked", async () => {
    await selectBackend("wasm", 2);
    expect(await threadsInUse()).toBe(2);
    await selectBackend("wasm", 1);
    expect(await threadsInUse()).toBe(1);
  });

  it("trains to the same numbers in two runs, and as on one thread", async () => {
    const first = await trainOn(2);
    const second = await trainOn(2);
    const single = await trainOn(1);
    expect(first.curve.every(Number.isFinite)).toBe(true);
    expect(second.curve).toEqual(first.curve);
    expect(second.weights).toEqual(first.weights);
    expect(single.curve).toEqual(first.curve);
    expect(single.weights).toEqual(first.weights);
  }, 180_000);

  it("trains to the same numbers when its steps switch between one thread and all of them", async () => {
    let steps = 0;
    const switching = await trainOn(2, (step) => {
      threadPoolsOf(tf.backend())!.use(steps++ % 3 === 0 ? 1 : 2);
      return step();
    });
    const single = await trainOn(1);
    expect(steps).toBeGreaterThan(6);
    expect(switching.curve).toEqual(single.curve);
    expect(switching.weights).toEqual(single.weights);
  }, 180_000);
});
