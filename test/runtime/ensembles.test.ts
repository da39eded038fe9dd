import { quietServices } from "../support/quiet-training.js";
import { loadDigits } from "../support/digits.js";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { bootstrapRows, resampleSplit } from "../../src/runtime/ensemble/bootstrap.js";
import { combinePredictions, scoredOutputs } from "../../src/runtime/ensemble/combine.js";
import { dense, dropout, flatten } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { cyclicCosineRate, endsCycle, snapshotEnsemble } from "../../src/runtime/techniques/snapshot-ensemble.js";
import { evaluateSplit } from "../../src/runtime/train/evaluate.js";
import { sgd } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify, regress } from "../../src/runtime/train/tasks.js";
import type { Predict } from "../../src/runtime/train/technique.js";
import { Trainer, type RunServices } from "../../src/runtime/train/trainer.js";

/**
 * §7.11: bootstrap resamples, how members' predictions are combined, the
 * snapshot ensemble's cyclic learning rate, and a snapshot ensemble
 * trained on real digits.
 */

beforeAll(async () => {
  await selectBackend("wasm");
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

function expectAllClose(actual: readonly number[], expected: readonly number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value, `element ${i}`).toBeCloseTo(expected[i]!, digits));
}

describe("bootstrap resamples", () => {
  it("draw n rows with replacement, seeded: about 1 − 1/e of them distinct", () => {
    const rows = bootstrapRows(20_000, 7);
    expect(rows).toHaveLength(20_000);
    expect(Math.min(...rows)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...rows)).toBeLessThan(20_000);
    expect(new Set(rows).size / 20_000).toBeCloseTo(1 - Math.exp(-1), 2);
    expect(bootstrapRows(50, 7)).toEqual(bootstrapRows(50, 7));
    expect(bootstrapRows(50, 8)).not.toEqual(bootstrapRows(50, 7));
  });

  it("gather the drawn rows of the inputs and of every target, repeats included", () => {
    const split = { name: "train", rows: 3, x: tf.tensor2d([[0, 0], [1, 1], [2, 2]]), targets: { y: tf.tensor1d([10, 11, 12], "int32") } };
    const resampled = resampleSplit(split, Int32Array.from([2, 0, 2]));
    expect(resampled.rows).toBe(3);
    expect(values(resampled.x)).toEqual([2, 2, 0, 0, 2, 2]);
    expect(values(resampled.targets["y"]!)).toEqual([12, 10, 12]);
    tf.dispose([split.x, split.targets.y, resampled.x, resampled.targets["y"]!]);
  });
});

describe("combining members' predictions", () => {
  const tasks = [classify("kind", { output: "logits", target: "k" }), classify("sure", { output: "probs", target: "s", fromLogits: false }), regress("size", { output: "n", target: "v" })];
  const outputs = scoredOutputs(tasks);
  const member = (logits: number[], probs: number[], n: number) =>
    new Map<string, tf.Tensor>([["logits", tf.tensor2d([logits])], ["probs", tf.tensor2d([probs])], ["n", tf.tensor2d([[n]])], ["hidden", tf.tensor2d([[n]])]]);

  it("average: mean class probabilities (as log-probabilities for logits), mean numbers; hidden layers are left out", () => {
    tf.tidy(() => {
      const members = [member([0, Math.log(3)], [0.9, 0.1], 1), member([Math.log(3), 0], [0.3, 0.7], 4)];
      const combined = combinePredictions(members, outputs, "average");
      // softmax([0, ln 3]) = [1/4, 3/4]; softmax([ln 3, 0]) = [3/4, 1/4]: the mean is [1/2, 1/2].
      expectAllClose(values(tf.softmax(combined.get("logits")!)), [0.5, 0.5]);
      expectAllClose(values(combined.get("probs")!), [0.6, 0.4]);
      expectAllClose(values(combined.get("n")!), [2.5]);
      expect(combined.has("hidden")).toBe(false);
    });
  });

  it("vote: each member's top class is one vote, a tie goes to the likelier class, numbers are still averaged", () => {
    tf.tidy(() => {
      const members = [member([2, 0, 0], [0.6, 0.4], 1), member([0, 2.5, 0], [0.45, 0.55], 2), member([0, 2, 0], [0.9, 0.1], 6)];
      const combined = combinePredictions(members, outputs, "vote");
      // Logits: votes [1, 2, 0]; shares = (votes + 0.01·mean probability) / (3 + 0.01).
      const meanProbability = tf.div(tf.addN(members.map((m) => tf.softmax(m.get("logits")!))), 3);
      const expected = tf.div(tf.add(tf.tensor2d([[1, 2, 0]]), tf.mul(0.01, meanProbability)), 3.01);
      expectAllClose(values(tf.softmax(combined.get("logits")!)), values(expected));
      // Probabilities: votes [2, 1], mean [0.65, 0.35].
      expectAllClose(values(combined.get("probs")!), [2.0065 / 3.01, 1.0035 / 3.01]);
      expectAllClose(values(combined.get("n")!), [3]);
      // One vote each: the mean probabilities, 0.4 against 0.6, break the tie.
      const tied = combinePredictions([member([1, 0], [0.6, 0.4], 0), member([0, 1], [0.2, 0.8], 0)], outputs, "vote");
      expectAllClose(values(tied.get("probs")!), [1.004 / 2.01, 1.006 / 2.01]);
    });
  });
});

function mean(...numbers: number[]): number {
  return numbers.reduce((a, b) => a + b, 0) / numbers.length;
}

describe("snapshot ensemble", () => {
  it("runs cosine cycles of epochs/cycles epochs, restarting at the scheduled rate, a snapshot at each cycle's end", () => {
    // 6 epochs, 2 cycles: τ = 0, 1/3, 2/3 in each; (cos πτ + 1)/2 = 1, 3/4, 1/4.
    const rates = [1, 2, 3, 4, 5, 6].map((epoch) => cyclicCosineRate(0.1, epoch, 6, 2));
    expectAllClose(rates, [0.1, 0.075, 0.025, 0.1, 0.075, 0.025]);
    expect([1, 2, 3, 4, 5, 6].filter((epoch) => endsCycle(epoch, 6, 2))).toEqual([3, 6]);
    // Uneven: 7 epochs in 3 cycles end after epochs 3, 5 and 7.
    expect([1, 2, 3, 4, 5, 6, 7].filter((epoch) => endsCycle(epoch, 7, 3))).toEqual([3, 5, 7]);
    expect(endsCycle(1, 1, 5)).toBe(true);
  });

  describe("on real digits", () => {
    let digits: Dataset;
    beforeAll(async () => {
      digits = await loadDigits({ train: 500, test: 500 }, 11);
    }, 60_000);

    const quiet: RunServices = quietServices();

    it("keeps one snapshot per cycle, predicts their average, and the average beats the mean snapshot", async () => {
      const model = new Model("mlp", [28, 28, 1], [flatten(), dense(64, { name: "h", activation: "relu" }), dropout(0.2), dense(10, { name: "out" })], 2);
      const technique = snapshotEnsemble({ cycles: 3 });
      const tasks = [classify("digit", { output: "out", target: "label" })];
      const trainer = new Trainer({ model, data: digits, tasks, techniques: [technique], optimizer: sgd({ lr: 0.1, momentum: 0.9 }), schedule: constant(), epochs: 6, batch: 32, seed: 3 }, quiet);
      for (let epoch = 1; epoch <= trainer.epochs; epoch++) {
        await trainer.trainEpoch(epoch);
        await trainer.endEpoch(epoch);
      }
      expect(trainer.history.map((record) => record.learningRate)).toEqual([0.1, 0.05, 0.1, 0.05, 0.1, 0.05].map((rate) => expect.closeTo(rate, 10)));
      const { splits, extra, kept } = await trainer.finish();
      expect([...kept.keys()]).toEqual(["snapshots/1", "snapshots/2", "snapshots/3"]);

      // The prediction is the mean of the snapshots' probabilities.
      const snapshotPredictions: Predict[] = [...kept.values()].map((weights) => (x) => model.forward(x, { training: false, seed: 0, params: weights }).layers);
      const probe = digits.splits.test!.x.slice([0], [20]);
      tf.tidy(() => {
        const ensemble = tf.softmax(trainer.predictor()(probe).get("out")!);
        const expected = tf.div(tf.addN(snapshotPredictions.map((predict) => tf.softmax(predict(probe).get("out")!))), 3);
        expect(tf.max(tf.abs(tf.sub(ensemble, expected))).dataSync()[0]).toBeLessThan(1e-5);
      });
      probe.dispose();

      const snapshotAccuracies = Object.values(extra ?? {}).map((metrics) => metrics["accuracy"]!);
      expect(snapshotAccuracies).toHaveLength(3);
      expect(evaluateSplit(snapshotPredictions[2]!, digits, digits.splits.test!, tasks).accuracy).toBeCloseTo(snapshotAccuracies[2]!, 6);
      expect(splits["test"]!.accuracy!).toBeGreaterThan(0.8);
      expect(splits["test"]!.accuracy!).toBeGreaterThanOrEqual(mean(...snapshotAccuracies));
      model.dispose();
    }, 60_000);
  });
});
