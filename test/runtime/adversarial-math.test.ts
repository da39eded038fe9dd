import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { withDefaults } from "../support/catalog-defaults.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import type { LayerDef } from "../../src/runtime/model/layer.js";
import { conv2d, dense, flatten, maxpool } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { fgsm } from "../../src/runtime/techniques/fgsm.js";
import { fgsmAttack, pgdAttack, type LossAt } from "../../src/runtime/techniques/input-attacks.js";
import { pgd } from "../../src/runtime/techniques/pgd.js";
import { classify, type Task } from "../../src/runtime/train/tasks.js";
import type { Batch, ForwardPass, StepInfo, Technique } from "../../src/runtime/train/technique.js";

/**
 * §7.13's arithmetic on tiny models: the FGSM step against a
 * finite-difference input gradient, the training term and its parameter
 * gradient (the adversarial input a constant), and PGD's projection.
 */

beforeAll(async () => {
  await selectBackend("cpu");
});

const made: Model[] = [];
function model(inputShape: readonly number[], defs: LayerDef[], seed: number): Model {
  const built = new Model("t", inputShape, defs, seed);
  made.push(built);
  return built;
}

afterEach(() => {
  for (const done of made.splice(0)) done.dispose();
});

const TASKS: readonly Task[] = [classify("digit", { output: "out", target: "label" })];
const STEP: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 11, learningRate: 0.1 };
const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** A batch of three 4-feature inputs in (0, 1) with labels 0, 2, 1 of three classes. */
function smallBatch(): Batch {
  const x = tf.tensor2d([0.2, 0.7, 0.4, 0.9, 0.55, 0.1, 0.8, 0.35, 0.6, 0.45, 0.25, 0.75], [3, 4]);
  return { x, targets: { label: tf.oneHot(tf.tensor1d([0, 2, 1], "int32"), 3).toFloat(), input: x } };
}

/** A smooth 4 → 5 (tanh) → 3 classifier. */
const smooth = () => model([4], [dense(5, { activation: "tanh" }), dense(3, { name: "out" })], 3);

function lossOf(batch: Batch, layers: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
  return tf.addN(TASKS.map((task) => tf.mul(task.weight, tf.mean(task.loss(layers.get(task.output)!, batch.targets[task.target]!))))) as tf.Scalar;
}

/** The pass the training step hands to loss terms, built the same way. */
function trainingPass(target: Model, batch: Batch): ForwardPass {
  const forward = (x: tf.Tensor) => target.forward(x, { training: true, seed: STEP.seed, updateMovingStats: false }).layers;
  const { output, layers } = target.forward(batch.x, { training: true, seed: STEP.seed });
  const taskLoss = lossOf(batch, layers);
  return { batch, model: target, tasks: TASKS, output, layers, taskLosses: new Map([["digit", taskLoss]]), taskLoss, forward, lossOf: (other) => lossOf(batch, other) };
}

const lossAtFor = (target: Model, batch: Batch): LossAt => (x) => lossOf(batch, target.forward(x, { training: true, seed: STEP.seed }).layers);

function attached(technique: Technique, target: Model, range: readonly [number, number]): Technique {
  technique.attach?.({ model: target, tasks: TASKS, data: { inputRange: range } as Dataset });
  return technique;
}

/** Central differences of the loss in every input coordinate. */
function finiteDifferenceGradient(lossAt: LossAt, x: tf.Tensor, h = 1e-2): number[] {
  const base = values(x);
  return base.map((_, i) => {
    const shifted = (delta: number) => tf.tidy(() => lossAt(tf.tensor(base.map((v, j) => (j === i ? v + delta : v)), x.shape)).dataSync()[0]!);
    return (shifted(h) - shifted(-h)) / (2 * h);
  });
}

describe("fgsm", () => {
  it("perturbs every input by ε·sign of the finite-difference gradient of the loss, clipped to the valid range", () => {
    const target = smooth();
    const batch = smallBatch();
    const lossAt = lossAtFor(target, batch);
    const gradient = finiteDifferenceGradient(lossAt, batch.x);
    // Every component is far from 0, so its sign is not a matter of rounding.
    for (const g of gradient) expect(Math.abs(g)).toBeGreaterThan(1e-3);
    const eps = 0.05;
    const x = values(batch.x);
    const wide = values(fgsmAttack(eps, [-10, 10])(lossAt, batch.x, 0));
    wide.forEach((v, i) => expect(v, `input ${i}`).toBeCloseTo(x[i]! + eps * Math.sign(gradient[i]!), 6));
    // Inputs in [0.1, 0.9] with ε = 0.3: some steps leave [0, 1] and are clipped there.
    const clipped = values(fgsmAttack(0.3, [0, 1])(lossAt, batch.x, 0));
    clipped.forEach((v, i) => expect(v, `input ${i}`).toBeCloseTo(Math.min(1, Math.max(0, x[i]! + 0.3 * Math.sign(gradient[i]!))), 6));
    expect(clipped.filter((v, i) => Math.abs(v - x[i]!) < 0.3 - 1e-6).length).toBeGreaterThan(0);
  });

  it("adds w·(L(x̃) − L(x)) to the loss, so the objective is (1 − w)·L(x) + w·L(x̃)", () => {
    const target = smooth();
    const batch = smallBatch();
    const technique = attached(fgsm({ eps: 0.05, weight: 0.3 }), target, [0, 1]);
    const adversarial = fgsmAttack(0.05, [0, 1])(lossAtFor(target, batch), batch.x, 0);
    const clean = lossAtFor(target, batch)(batch.x).dataSync()[0]!;
    const attacked = lossAtFor(target, batch)(adversarial).dataSync()[0]!;
    expect(attacked).toBeGreaterThan(clean);
    const term = technique.lossTerm!(trainingPass(target, batch), STEP).dataSync()[0]!;
    expect(term).toBeCloseTo(0.3 * (attacked - clean), 6);
  });

  it("treats x̃ as a constant: the parameter gradient is (1 − w)·∇L(x) + w·∇L(x̃), through conv and max pooling", () => {
    const target = model([6, 6, 1], [conv2d(2, 3, { activation: "relu" }), maxpool(), flatten(), dense(3, { name: "out" })], 5);
    const x = tf.tensor4d(Array.from({ length: 3 * 36 }, (_, i) => ((i * 37) % 101) / 101), [3, 6, 6, 1]);
    const batch: Batch = { x, targets: { label: tf.oneHot(tf.tensor1d([1, 0, 2], "int32"), 3).toFloat(), input: x } };
    const w = 0.5;
    const technique = attached(fgsm({ eps: 0.1, weight: w }), target, [0, 1]);
    const trained = tf.variableGrads(() => {
      const pass = trainingPass(target, batch);
      return tf.add(pass.taskLoss, technique.lossTerm!(pass, STEP)) as tf.Scalar;
    });
    const adversarial = fgsmAttack(0.1, [0, 1])(lossAtFor(target, batch), x, 0);
    const expected = tf.variableGrads(() => {
      const lossAt = lossAtFor(target, batch);
      return tf.add(tf.mul(1 - w, lossAt(x)), tf.mul(w, lossAt(adversarial))) as tf.Scalar;
    });
    expect(trained.value.dataSync()[0]).toBeCloseTo(expected.value.dataSync()[0]!, 6);
    for (const [name, gradient] of Object.entries(expected.grads)) {
      const got = values(trained.grads[name]!);
      values(gradient).forEach((v, i) => expect(got[i], `${name}[${i}]`).toBeCloseTo(v, 5));
    }
  });
});

describe("pgd", () => {
  it("stays in the ε-ball and the valid range, and raises the loss above the clean input's", () => {
    const target = smooth();
    const batch = smallBatch();
    const lossAt = lossAtFor(target, batch);
    const eps = 0.3;
    const attack = pgdAttack({ eps, steps: 7, step: 0.1, randomStart: true }, [0, 1]);
    const adversarial = values(attack(lossAt, batch.x, 42));
    const x = values(batch.x);
    adversarial.forEach((v, i) => {
      expect(Math.abs(v - x[i]!)).toBeLessThanOrEqual(eps + 1e-6);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    });
    // The range binds somewhere: the projection is onto its intersection with the ball.
    expect(adversarial.filter((v) => v === 0 || v === 1).length).toBeGreaterThan(0);
    const attacked = lossAt(tf.tensor(adversarial, batch.x.shape)).dataSync()[0]!;
    expect(attacked).toBeGreaterThan(lossAt(batch.x).dataSync()[0]! + 0.1);
    // Seeded: the same random start gives the same example.
    expect(values(attack(lossAt, batch.x, 42))).toEqual(adversarial);
  });

  it("one step of size ε from x itself is fgsm", () => {
    const target = smooth();
    const batch = smallBatch();
    const lossAt = lossAtFor(target, batch);
    const single = pgdAttack({ eps: 0.05, steps: 1, step: 0.05, randomStart: false }, [0, 1])(lossAt, batch.x, 0);
    expect(values(single)).toEqual(values(fgsmAttack(0.05, [0, 1])(lossAt, batch.x, 0)));
  });

  it("defaults to steps of 2.5·ε/steps and names the attack it reports", () => {
    expect(pgd({ eps: 0.1, steps: 10, weight: 0.5, randomStart: true }).label).toBe("pgd(eps: 0.1, steps: 10, step: 0.025, weight: 0.5)");
    expect(fgsm(withDefaults("fgsm", { eps: 0.1 })).label).toBe("fgsm(eps: 0.1, weight: 0.5)");
  });
});
