import * as tf from "@tensorflow/tfjs";
import { afterEach, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { l2 } from "../../src/runtime/techniques/l2.js";
import { isFusedMomentum } from "../../src/runtime/train/fused-momentum.js";
import { adam, sgd, type OptimizerDef } from "../../src/runtime/train/optimizers.js";
import { applyUpdate, stepGradients, trainStep, type StepSetup } from "../../src/runtime/train/step.js";
import { classify } from "../../src/runtime/train/tasks.js";
import type { Batch, StepInfo } from "../../src/runtime/train/technique.js";
import { expectIdentical } from "../support/identical-values.js";

const made: Array<{ dispose(): void }> = [];
afterEach(() => made.splice(0).forEach((item) => item.dispose()));

/** A 6 → 16 → 3 classifier with l2 on both kernels (and, when asked, a second l2 on the first), seeded alike on every call. */
function setup(optimizer: OptimizerDef, twice = false): StepSetup {
  const model = new Model("penalized", [6], [dense(16, { name: "h", activation: "relu" }), dense(3, { name: "out" })], 7);
  const techniques = [l2(0.01, { on: ["h.kernel", "out.kernel"] }), ...(twice ? [l2(0.05, { on: ["h.kernel"] })] : [])];
  for (const technique of techniques) technique.attach?.({ model, tasks: [], data: {} as Dataset });
  const created = optimizer.create();
  made.push(model, created);
  return { model, tasks: [classify("y", { output: "out", target: "y" })], techniques, optimizer: created };
}

function batch(step: number): Batch {
  const x = tf.randomNormal([10, 6], 0, 1, "float32", step);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 10 }, (_, i) => (i * 7 + step) % 3),
      "int32",
    ),
    3,
  );
  return { x, targets: { y: tf.cast(labels, "float32") } };
}

/** Four steps: by trainStep (the penalty's gradient added by the update), or with the penalty differentiated on the tape. */
function train(target: StepSetup, onTape: boolean): { weights: Float32Array[]; objectives: number[] } {
  const objectives: number[] = [];
  for (let step = 1; step <= 4; step++) {
    const info: StepInfo = { epoch: 1, step, epochs: 1, seed: step, learningRate: 0.05 };
    const data = batch(step);
    if (onTape) {
      objectives.push(
        tf.tidy(() => {
          const { value, grads, decay } = stepGradients(target, data, info, new Map());
          expect(decay).toEqual([]);
          applyUpdate(target, grads, info);
          return value.dataSync()[0]!;
        }),
      );
    } else objectives.push(trainStep(target, data, info).objective);
    tf.dispose([data.x, data.targets["y"]!]);
  }
  return { weights: target.model.trainableParams().map((w) => w.dataSync() as Float32Array), objectives };
}

describe("an L2 penalty's gradient added by the update", () => {
  const optimizers: Array<[string, () => OptimizerDef]> = [
    ["SGD with momentum", () => sgd({ lr: 0.05, momentum: 0.9 })],
    ["Nesterov momentum", () => sgd({ lr: 0.05, momentum: 0.9, nesterov: true })],
    ["Adam", () => adam({ lr: 0.05 })],
  ];
  for (const backend of ["wasm", "cpu"]) {
    for (const [name, optimizer] of optimizers) {
      it(`trains as the penalty differentiated on the tape does, bit for bit: ${name} on ${backend}`, async () => {
        await selectBackend(backend, 1);
        const folded = train(setup(optimizer()), false);
        const taped = train(setup(optimizer()), true);
        folded.weights.forEach((weights, i) => expectIdentical(weights, taped.weights[i]!, `parameter ${i}`));
        folded.objectives.forEach((objective, i) => expect(objective).toBeCloseTo(taped.objectives[i]!, 5));
        // The penalty moved the weights: without it they end elsewhere.
        const bare = setup(optimizer());
        const unpenalized = train({ ...bare, techniques: [] }, true);
        expect(Array.from(unpenalized.weights[0]!)).not.toEqual(Array.from(folded.weights[0]!));
      });
    }
  }

  it("takes two penalties on one weight in order, as the tape adds them", async () => {
    await selectBackend("wasm", 1);
    const target = setup(sgd({ lr: 0.05, momentum: 0.9 }), true);
    expect(isFusedMomentum(target.optimizer)).toBe(true);
    const folded = train(target, false);
    const taped = train(setup(sgd({ lr: 0.05, momentum: 0.9 }), true), true);
    folded.weights.forEach((weights, i) =>
      expect(
        Array.from(weights)
          .map((w, j) => Math.abs(w - taped.weights[i]![j]!))
          .every((d) => d < 1e-6),
      ).toBe(true),
    );
  });

  it("is told apart from other optimizers, which tfjs counts as instances of every optimizer class", () => {
    const momentum = sgd({ lr: 0.1, momentum: 0.9 }).create();
    const others = [adam({ lr: 0.1 }).create(), sgd({ lr: 0.1 }).create(), tf.train.momentum(0.1, 0.9)];
    made.push(momentum, ...others);
    expect(isFusedMomentum(momentum)).toBe(true);
    for (const other of others) expect(isFusedMomentum(other)).toBe(false);
  });
});
