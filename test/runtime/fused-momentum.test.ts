import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { FusedMomentumOptimizer, isFusedMomentum } from "../../src/runtime/train/fused-momentum.js";
import { expectIdentical } from "../support/identical-values.js";
import { expectTfjsUpdates, seededValues, trajectory, type StepGradients } from "../support/optimizer-comparison.js";

/**
 * Hands a step's gradients to `optimizer`, each plus λ·w with `decay`: to
 * the fused optimizer as λ, added by tfjs's operations for tfjs's own.
 */
function applyWithDecay(optimizer: tf.Optimizer, decay: number | undefined): (gradients: StepGradients, variables: readonly tf.Variable[]) => void {
  return (gradients, variables) => {
    if (decay === undefined) optimizer.applyGradients(gradients);
    else if (isFusedMomentum(optimizer)) optimizer.applyGradients(gradients, new Map(variables.map((v) => [v.name, decay])));
    else {
      const decayed = gradients.map(({ name, tensor }, i) => ({ name, tensor: tf.tidy(() => tf.add(tensor, tf.mul(variables[i]!, decay))) }));
      optimizer.applyGradients(decayed);
      tf.dispose(decayed.map((g) => g.tensor));
    }
  };
}

describe("SGD with momentum in one kernel", () => {
  // Sizes in fours and not (the last values in JavaScript), and one large enough to be split between threads.
  const sizes = [3, 10, 64, 70_001];

  for (const threads of [1, 2]) {
    for (const [nesterov, decay] of [[false, undefined], [true, undefined], [false, 2e-3], [true, 2e-3]] as const) {
      const decayed = decay === undefined ? "" : `, an L2 penalty's λ·w added to the gradient`;
      it(`gives tfjs's MomentumOptimizer's numbers bit for bit on wasm, ${threads} thread(s), nesterov ${nesterov}${decayed}`, async () => {
        await selectBackend("wasm", threads);
        const make = (): [tf.Optimizer, tf.Optimizer] => [new FusedMomentumOptimizer(0.1, 0.9, nesterov), tf.train.momentum(0.1, 0.9, nesterov)];
        await expectTfjsUpdates(threads, make, (optimizer, prefix) => trajectory(optimizer, sizes, `${prefix}-${nesterov}-${decay}`, applyWithDecay(optimizer, decay)));
      });
    }
  }

  it("is one step of v ← μv + g, w ← w − ηv by hand, and tfjs's own on cpu", async () => {
    for (const backend of ["wasm", "cpu"]) {
      await selectBackend(backend);
      const w = tf.variable(tf.tensor1d([1, -2, 0.5, 4, 3]), true, `hand-${backend}`);
      const optimizer = new FusedMomentumOptimizer(0.5, 0.5);
      for (let step = 0; step < 2; step++) optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d([2, 2, -4, 0, 1]) }]);
      // v₁ = g, w₁ = w − ½g; v₂ = ½g + g = 1.5g, w₂ = w₁ − ¾g: w − 1.25g.
      expect(Array.from(w.dataSync())).toEqual([1 - 2.5, -2 - 2.5, 0.5 + 5, 4, 3 - 1.25]);
      optimizer.dispose();
    }
  });

  it("takes tfjs's operations, with their numbers, for gradients tfjs broadcasts, and keeps its momentum through setMomentum as tfjs does", async () => {
    await selectBackend("wasm");
    const cases: Array<{ shape: number[]; gradient: () => tf.Tensor }> = [
      { shape: [9], gradient: () => tf.scalar(0.5) },
      { shape: [2, 8], gradient: () => tf.tensor2d(seededValues(8, 4), [1, 8]) },
      { shape: [64], gradient: () => tf.tensor1d(seededValues(64, 5)) },
    ];
    for (const [index, { shape, gradient }] of cases.entries()) {
      const run = (optimizer: tf.MomentumOptimizer, prefix: string) => {
        const w = tf.variable(tf.ones(shape), true, `${prefix}-${index}`);
        for (let step = 0; step < 2; step++) {
          optimizer.applyGradients([{ name: w.name, tensor: gradient() }]);
          optimizer.setMomentum(0.5);
        }
        return w.dataSync() as Float32Array;
      };
      expectIdentical(run(new FusedMomentumOptimizer(0.1, 0.9), "ours-broadcast"), run(tf.train.momentum(0.1, 0.9), "tfjs-broadcast"), `${shape}`);
    }
  });

  it("restores its accumulations from getWeights, as MomentumOptimizer does", async () => {
    await selectBackend("wasm");
    const w = tf.variable(tf.tensor1d(seededValues(8, 1)), true, "restored");
    const first = new FusedMomentumOptimizer(0.1, 0.9);
    first.applyGradients([{ name: "restored", tensor: tf.tensor1d(seededValues(8, 2)) }]);
    const saved = await first.getWeights();
    const second = new FusedMomentumOptimizer(0.1, 0.9);
    await second.setWeights(saved.map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) })));
    const before = w.dataSync().slice();
    first.applyGradients([{ name: "restored", tensor: tf.tensor1d(seededValues(8, 3)) }]);
    const afterFirst = w.dataSync().slice();
    w.assign(tf.tensor1d(before));
    second.applyGradients([{ name: "restored", tensor: tf.tensor1d(seededValues(8, 3)) }]);
    expectIdentical(w.dataSync(), afterFirst);
  });
});
