import { loadDigits } from "../support/digits.js";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { dense, flatten } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import type { Metrics } from "../../src/runtime/run/history.js";
import { metricsUnderAttack } from "../../src/runtime/techniques/attack-evaluation.js";
import { fgsm } from "../../src/runtime/techniques/fgsm.js";
import { fgsmAttack, pgdAttack } from "../../src/runtime/techniques/input-attacks.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify } from "../../src/runtime/train/tasks.js";
import type { FinishContext, Technique } from "../../src/runtime/train/technique.js";
import { trainToEnd } from "../support/quiet-training.js";

/** Adversarial training on real digits, on the wasm backend: the same seed and budget with and without `fgsm`. */

const EPS = 0.1;
const TASKS = [classify("digit", { output: "out", target: "label" })];
let digits: Dataset;
/** The MLP trained without any technique: the baseline, and the model the attacks are measured on. */
let baseline: Model;

beforeAll(async () => {
  await selectBackend("wasm");
  digits = await loadDigits({ train: 1000, test: 1000 }, 3);
  baseline = (await train([])).model;
}, 120_000);

/** Trains a 784-128-10 MLP for 5 epochs; returns its model and the techniques' final results. */
async function train(techniques: Technique[]): Promise<{ model: Model; extra: Record<string, Metrics> }> {
  const model = new Model("mlp", [28, 28, 1], [flatten(), dense(128, { name: "h", activation: "relu" }), dense(10, { name: "out" })], 1);
  const { final } = await trainToEnd({ model, data: digits, tasks: TASKS, techniques, optimizer: adam({ lr: 1e-3 }), schedule: constant(), epochs: 5, batch: 32, seed: 1 });
  return { model, extra: final.extra ?? {} };
}

function finishContext(model: Model): FinishContext {
  return { model, data: digits, tasks: TASKS, predict: (x) => model.forward(x, { training: false, seed: 0 }).layers };
}

describe("adversarial training on real MNIST", () => {
  it("a model trained with fgsm is far more accurate on FGSM test digits than the same model trained without it", async () => {
    const before = metricsUnderAttack(finishContext(baseline), fgsmAttack(EPS, digits.inputRange), `fgsm(eps: ${EPS})`);
    const adversarial = await train([fgsm({ eps: EPS, weight: 0.5 })]);
    const after = adversarial.extra;
    const attacked = `test under fgsm(eps: ${EPS})`;
    console.log(
      `test accuracy, 1,000 train digits, 5 epochs, seed 1 — without fgsm: clean ${before["test (clean)"]!.accuracy!.toFixed(3)}, ` +
        `under fgsm(eps: ${EPS}) ${before[attacked]!.accuracy!.toFixed(3)}; ` +
        `trained with fgsm(eps: ${EPS}, weight: 0.5): clean ${after["test (clean)"]!.accuracy!.toFixed(3)}, under attack ${after[attacked]!.accuracy!.toFixed(3)}`,
    );
    expect(after[attacked]!.accuracy!).toBeGreaterThan(before[attacked]!.accuracy! + 0.2);
    // Robustness is not bought with the clean accuracy.
    expect(after["test (clean)"]!.accuracy!).toBeGreaterThan(0.8);
    adversarial.model.dispose();
  }, 120_000);

  it("pgd on test digits stays in the ε-ball and [0, 1] and raises the loss past fgsm's", () => {
    const x = digits.splits.test!.x;
    const context = finishContext(baseline);
    const pgd = pgdAttack({ eps: EPS, steps: 10, step: 0.025, randomStart: true }, digits.inputRange);
    const measured = metricsUnderAttack(context, pgd, "pgd");
    const fgsmMeasured = metricsUnderAttack(context, fgsmAttack(EPS, digits.inputRange), "fgsm");
    expect(measured["test under pgd"]!.loss!).toBeGreaterThan(fgsmMeasured["test under fgsm"]!.loss!);
    expect(fgsmMeasured["test under fgsm"]!.loss!).toBeGreaterThan(measured["test (clean)"]!.loss!);
    const rows = tf.slice(x, 0, 200);
    const targets = tf.oneHot(tf.slice(digits.splits.test!.targets.label!, 0, 200) as tf.Tensor1D, 10).toFloat();
    const adversarial = pgd((input) => tf.mean(TASKS[0]!.loss(context.predict(input).get("out")!, targets)) as tf.Scalar, rows, 7);
    const distance = tf.max(tf.abs(tf.sub(adversarial, rows))).dataSync()[0]!;
    expect(distance).toBeLessThanOrEqual(EPS + 1e-6);
    expect(distance).toBeGreaterThan(EPS * 0.9);
    expect(tf.min(adversarial).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(adversarial).dataSync()[0]).toBeLessThanOrEqual(1);
  });
});
