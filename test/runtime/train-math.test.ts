import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { finishMetrics } from "../../src/runtime/train/evaluate.js";
import * as losses from "../../src/runtime/train/losses.js";
import { adam, adamw, rmsprop, setLearningRate, sgd } from "../../src/runtime/train/optimizers.js";
import { constant, cosine, exponential, step } from "../../src/runtime/train/schedules.js";
import { trainStep } from "../../src/runtime/train/step.js";
import type { Batch, StepInfo } from "../../src/runtime/train/technique.js";
import { classify, reconstruct, regress, type Task } from "../../src/runtime/train/tasks.js";

/**
 * The training runtime's arithmetic against values worked out by hand:
 * per-example losses, metrics, learning-rate schedules and optimizer steps.
 */

beforeAll(async () => {
  await selectBackend("cpu");
});

const disposables: { dispose(): void }[] = [];
afterEach(() => {
  for (const done of disposables.splice(0)) done.dispose();
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

function expectAllClose(actual: readonly number[], expected: readonly number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value, `element ${i}`).toBeCloseTo(expected[i]!, digits));
}

/** A per-example loss on nested arrays: its shape and values. */
function perExample(loss: losses.PerExample, prediction: tf.TensorLike, target: tf.TensorLike): { shape: number[]; values: number[] } {
  return tf.tidy(() => {
    const result = loss(tf.tensor(prediction), tf.tensor(target));
    return { shape: result.shape, values: values(result) };
  });
}

const logSumExp = (zs: number[]) => {
  const top = Math.max(...zs);
  return top + Math.log(zs.reduce((sum, z) => sum + Math.exp(z - top), 0));
};

describe("losses, per example", () => {
  it("softmax cross-entropy is log Σ e^z − z_target, one value per row", () => {
    const result = perExample(losses.softmaxCrossEntropy, [[1, 2, 3], [0, 0, 0], [2, -1, 0.5]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(result.shape).toEqual([3]);
    expectAllClose(result.values, [logSumExp([1, 2, 3]) - 3, Math.log(3), logSumExp([2, -1, 0.5]) + 1]);
  });

  it("softmax cross-entropy takes soft targets: −Σ yₖ log pₖ", () => {
    const z = [0.3, -1.2, 2];
    const y = [0.1, 0.2, 0.7];
    const expected = -y.reduce((sum, yk, k) => sum + yk * (z[k]! - logSumExp(z)), 0);
    expectAllClose(perExample(losses.softmaxCrossEntropy, [z], [y]).values, [expected]);
  });

  it("softmax cross-entropy stays finite and exact for logits in the thousands", () => {
    const result = perExample(losses.softmaxCrossEntropy, [[1000, 0, -1000], [1000, 0, -1000], [-500, 500, 0]], [[0, 1, 0], [1, 0, 0], [0, 1, 0]]);
    expect(result.values.every(Number.isFinite)).toBe(true);
    // 1000 − 0 ahead of the target; the right class by a mile; 500 ahead of the rest.
    expectAllClose(result.values, [1000, 0, 0], 3);
  });

  it("probability cross-entropy is −log p_target, clipped so p = 0 stays finite", () => {
    const result = perExample(losses.probabilityCrossEntropy, [[0.2, 0.3, 0.5], [0.25, 0.75, 0], [0, 1, 0]], [[0, 0, 1], [0, 0, 1], [0, 1, 0]]);
    expect(result.shape).toEqual([3]);
    expectAllClose(result.values, [-Math.log(0.5), -Math.log(1e-7), 0], 4);
  });

  it("squared and absolute error average over each example's values", () => {
    const prediction = [[1, 2], [3, 5]];
    const target = [[0, 0], [3, 3]];
    const squared = perExample(losses.squaredError, prediction, target);
    const absolute = perExample(losses.absoluteError, prediction, target);
    expect(squared.shape).toEqual([2]);
    expect(absolute.shape).toEqual([2]);
    expectAllClose(squared.values, [(1 + 4) / 2, (0 + 4) / 2]);
    expectAllClose(absolute.values, [(1 + 2) / 2, (0 + 2) / 2]);
  });

  it("squared error on images [n, h, w, c] is still one mean per example", () => {
    const result = perExample(losses.squaredError, [[[[1], [2]], [[3], [4]]]], [[[[0], [0]], [[0], [0]]]]);
    expect(result.shape).toEqual([1]);
    expectAllClose(result.values, [(1 + 4 + 9 + 16) / 4]);
  });

  it("huber (δ = 1) is ½d² inside, |d| − ½ outside, continuous at |d| = 1", () => {
    // One value per example: d = 0.5, −0.8, 1, 3, −2.
    const result = perExample(losses.huber, [[0.5], [-0.8], [1], [3], [-2]], [[0], [0], [0], [0], [0]]);
    expect(result.shape).toEqual([5]);
    expectAllClose(result.values, [0.125, 0.32, 0.5, 2.5, 1.5]);
    // Two values per example: the mean of the two.
    expectAllClose(perExample(losses.huber, [[0.5, 3]], [[0, 0]]).values, [(0.125 + 2.5) / 2]);
  });

  it("binary cross-entropy on sigmoid(z) agrees with sigmoid cross-entropy on z", () => {
    const z = [[-3, -0.5, 0, 0.7], [2.5, 4, -1.5, 0.1]];
    const y = [[0, 1, 1, 0.3], [1, 0, 0.5, 1]];
    const fromLogits = perExample(losses.sigmoidCrossEntropy, z, y);
    const fromProbabilities = tf.tidy(() => values(losses.binaryCrossEntropy(tf.sigmoid(tf.tensor(z)), tf.tensor(y))));
    expect(fromLogits.shape).toEqual([2]);
    expectAllClose(fromLogits.values, fromProbabilities, 5);
    // By hand for row 1: mean of softplus(z) − z·y.
    const softplus = (v: number) => Math.log1p(Math.exp(v));
    const byHand = z[0]!.reduce((sum, zk, k) => sum + softplus(zk) - zk * y[0]![k]!, 0) / 4;
    expect(fromLogits.values[0]).toBeCloseTo(byHand, 5);
  });

  it("sigmoid cross-entropy is exact for large logits, where the probability form clips", () => {
    const result = perExample(losses.sigmoidCrossEntropy, [[50], [-50], [50], [0]], [[0], [0], [1], [1]]);
    expectAllClose(result.values, [50, 0, 0, Math.log(2)], 4);
  });
});

describe("task metrics", () => {
  const sum = (t: tf.Tensor) => tf.tidy(() => tf.sum(t).dataSync()[0]!);

  it("classify: accuracy is 1 where argmax(prediction) = argmax(target), softmax cross-entropy by default", () => {
    const task = classify("digit", { output: "out", target: "label" });
    expect(task.loss).toBe(losses.softmaxCrossEntropy);
    expect(classify("p", { output: "out", target: "label", fromLogits: false }).loss).toBe(losses.probabilityCrossEntropy);
    const accuracy = task.metrics.find((metric) => metric.name === "accuracy")!;
    const hits = tf.tidy(() =>
      values(accuracy.perExample(tf.tensor([[2, 1, 0], [0, 3, 1], [5, 1, 9], [0.1, 0.2, 0.05]]), tf.tensor([[1, 0, 0], [1, 0, 0], [0, 0, 1], [0, 0, 1]]))),
    );
    expect(hits).toEqual([1, 0, 1, 0]);
  });

  it("regress: mae is the mean |error|, rmse is √(mean squared error) via finish", () => {
    const task = regress("fit", { output: "out", target: "y", weight: 2 });
    expect(task.loss).toBe(losses.squaredError);
    expect(regress("h", { output: "out", target: "y", loss: "huber" }).loss).toBe(losses.huber);
    const prediction = tf.tensor([[1], [2], [4]]);
    const target = tf.tensor([[1], [1], [1]]);
    disposables.push(prediction, target);
    const sums = new Map<string, number>([["fit_loss", sum(task.loss(prediction, target))]]);
    for (const metric of task.metrics) sums.set(`fit_${metric.name}`, sum(metric.perExample(prediction, target)));
    const metrics = finishMetrics(sums, 3, [task]);
    expect(metrics["fit_mae"]).toBeCloseTo(4 / 3, 6);
    expect(metrics["fit_rmse"]).toBeCloseTo(Math.sqrt(10 / 3), 6);
    expect(metrics["rmse"]).toBeCloseTo(Math.sqrt(10 / 3), 6);
    expect(metrics["fit_loss"]).toBeCloseTo(10 / 3, 6);
    // The split's loss is weight · task loss.
    expect(metrics["loss"]).toBeCloseTo(20 / 3, 6);
  });

  it("reconstruct: bce from logits uses sigmoid cross-entropy, from probabilities binary cross-entropy; mse otherwise", () => {
    expect(reconstruct("r", { output: "o", target: "input", loss: "bce", fromLogits: true }).loss).toBe(losses.sigmoidCrossEntropy);
    expect(reconstruct("r", { output: "o", target: "input", loss: "bce" }).loss).toBe(losses.binaryCrossEntropy);
    expect(reconstruct("r", { output: "o", target: "input" }).loss).toBe(losses.squaredError);
  });

  it("finishMetrics sums weighted task losses and keeps per-task names with several tasks", () => {
    const a = regress("a", { output: "o1", target: "y", weight: 0.5 });
    const b = classify("b", { output: "o2", target: "label", weight: 2 });
    const sums = new Map([["a_loss", 8], ["a_mae", 4], ["a_rmse", 16], ["b_loss", 2], ["b_accuracy", 3]]);
    const metrics = finishMetrics(sums, 4, [a, b]);
    expect(metrics).toEqual({ loss: 0.5 * 2 + 2 * 0.5, a_loss: 2, a_mae: 1, a_rmse: 2, b_loss: 0.5, b_accuracy: 0.75 });
  });
});

describe("learning-rate schedules (1-based epochs)", () => {
  it("constant keeps the base rate", () => {
    expect([1, 7, 100].map((epoch) => constant()(0.1, epoch, 100))).toEqual([0.1, 0.1, 0.1]);
  });

  it("step multiplies by factor every `every` epochs", () => {
    const schedule = step({ every: 10, factor: 0.1 });
    const rates = [1, 10, 11, 20, 21, 35].map((epoch) => schedule(0.5, epoch, 40));
    expectAllClose(rates, [0.5, 0.5, 0.05, 0.05, 0.005, 0.0005], 12);
    // Defaults: every 10, factor 0.1.
    expect(step()(1, 11, 30)).toBeCloseTo(0.1, 12);
  });

  it("exponential multiplies by rate each epoch after the first", () => {
    const schedule = exponential({ rate: 0.5 });
    expectAllClose([1, 2, 3, 5].map((epoch) => schedule(0.8, epoch, 10)), [0.8, 0.4, 0.2, 0.05], 12);
    expect(exponential()(1, 3, 10)).toBeCloseTo(0.96 ** 2, 12);
  });

  it("cosine anneals from the base rate towards minLr over the run", () => {
    const schedule = cosine({ minLr: 0.01 });
    const at = (epoch: number) => schedule(0.11, epoch, 10);
    expect(at(1)).toBeCloseTo(0.11, 12);
    expect(at(6)).toBeCloseTo(0.01 + 0.1 * 0.5, 12); // t = 5/10: halfway
    expect(at(10)).toBeCloseTo(0.01 + (0.1 * (1 + Math.cos(0.9 * Math.PI))) / 2, 12);
    for (let epoch = 2; epoch <= 10; epoch++) expect(at(epoch)).toBeLessThan(at(epoch - 1));
  });

  it("cosine with cycles restarts at the base rate at the start of each cycle", () => {
    const schedule = cosine({ cycles: 3 });
    const rates = Array.from({ length: 12 }, (_, i) => schedule(1, i + 1, 12));
    // Cycles of 4 epochs: t = 0, ¼, ½, ¾ in each.
    const cycle = [1, (1 + Math.cos(Math.PI / 4)) / 2, 0.5, (1 + Math.cos((3 * Math.PI) / 4)) / 2];
    expectAllClose(rates, [...cycle, ...cycle, ...cycle], 12);
  });
});

/** One variable w, minimized with `optimizer` on loss(w); returns w after each step. */
function descend(optimizer: tf.Optimizer, start: number, loss: (w: tf.Variable) => tf.Scalar, steps: number, between?: (stepDone: number) => void): number[] {
  const w = tf.variable(tf.scalar(start));
  disposables.push(w, optimizer);
  const trace: number[] = [];
  for (let s = 0; s < steps; s++) {
    optimizer.minimize(() => loss(w), false, [w]);
    trace.push(w.dataSync()[0]!);
    between?.(s + 1);
  }
  return trace;
}

/** f(w) = ½·a·w², gradient a·w. */
const quadratic = (a: number) => (w: tf.Variable) => tf.mul(0.5 * a, tf.square(w)) as tf.Scalar;
/** f(w) = g·w, gradient g everywhere. */
const linear = (g: number) => (w: tf.Variable) => tf.mul(g, w) as tf.Scalar;

describe("optimizers", () => {
  it("plain sgd: w ← w − η·∇f", () => {
    const def = sgd({ lr: 0.1 });
    expect(def.learningRate).toBe(0.1);
    expectAllClose(descend(def.create(), 1, quadratic(2), 2), [0.8, 0.64], 6);
  });

  it("sgd with momentum: v ← μv + g, w ← w − ηv (two steps by hand)", () => {
    // a = 2, w₀ = 1, η = 0.1, μ = 0.9: g₁ = 2, v₁ = 2, w₁ = 0.8; g₂ = 1.6, v₂ = 3.4, w₂ = 0.46.
    expectAllClose(descend(sgd({ lr: 0.1, momentum: 0.9 }).create(), 1, quadratic(2), 2), [0.8, 0.46], 6);
  });

  it("sgd with nesterov momentum: w ← w − η(g + μv) (two steps by hand)", () => {
    // w₁ = 1 − 0.1·(2 + 0.9·2) = 0.62; g₂ = 1.24, v₂ = 1.8 + 1.24 = 3.04, w₂ = 0.62 − 0.1·(1.24 + 0.9·3.04) = 0.2224.
    expectAllClose(descend(sgd({ lr: 0.1, momentum: 0.9, nesterov: true }).create(), 1, quadratic(2), 2), [0.62, 0.2224], 6);
  });

  it("adam's first step moves each weight by η·sign(g), then by η·m̂/(√v̂ + ε)", () => {
    // With a constant gradient, m̂ = g and v̂ = g² at every step: every step is η·g/(|g| + ε).
    const trace = descend(adam({ lr: 0.01 }).create(), 1, linear(3), 3);
    expectAllClose(trace, [0.99, 0.98, 0.97], 6);
  });

  it("rmsprop's first step is η·g/√((1 − ρ)g² + ε)", () => {
    const trace = descend(rmsprop({ lr: 0.01, rho: 0.9 }).create(), 1, linear(2), 2);
    const first = (0.01 * 2) / Math.sqrt(0.1 * 4 + 1e-7);
    const second = (0.01 * 2) / Math.sqrt(0.9 * 0.4 + 0.1 * 4 + 1e-7);
    expectAllClose(trace, [1 - first, 1 - first - second], 6);
  });

  describe("setLearningRate changes the step in proportion", () => {
    const recipes = {
      sgd: () => sgd({ lr: 0.01 }).create(),
      momentum: () => sgd({ lr: 0.01, momentum: 0.9 }).create(),
      nesterov: () => sgd({ lr: 0.01, momentum: 0.9, nesterov: true }).create(),
      adam: () => adam({ lr: 0.01 }).create(),
      rmsprop: () => rmsprop({ lr: 0.01 }).create(),
    };
    for (const [name, make] of Object.entries(recipes)) {
      it(`${name}: a first step at 3η is 3× a first step at η`, () => {
        const plain = 1 - descend(make(), 1, quadratic(2), 1)[0]!;
        const changed = make();
        setLearningRate(changed, 0.03);
        const faster = 1 - descend(changed, 1, quadratic(2), 1)[0]!;
        expect(plain).toBeGreaterThan(1e-4);
        expect(faster / plain).toBeCloseTo(3, 4);
      });
    }

    it("sgd: a change between steps takes effect on the next step (the cached −η scalar is refreshed)", () => {
      const optimizer = sgd({ lr: 0.01 }).create();
      const trace = descend(optimizer, 1, linear(2), 3, (done) => {
        if (done === 1) setLearningRate(optimizer, 0.05);
      });
      expectAllClose(trace, [0.98, 0.88, 0.78], 6);
    });

    it("momentum: a change between steps scales the next step by the new rate", () => {
      const optimizer = sgd({ lr: 0.01, momentum: 0.5 }).create();
      // Constant g = 2: v₁ = 2, v₂ = 3. Step 1 at 0.01, step 2 at 0.1.
      const trace = descend(optimizer, 1, linear(2), 2, (done) => {
        if (done === 1) setLearningRate(optimizer, 0.1);
      });
      expectAllClose(trace, [0.98, 0.98 - 0.3], 6);
    });

    it("adam: a change between steps scales the next step by the new rate", () => {
      const optimizer = adam({ lr: 0.01 }).create();
      const trace = descend(optimizer, 1, linear(3), 3, (done) => {
        if (done === 1) setLearningRate(optimizer, 0.04);
      });
      // Float32 bias corrections: a few 1e-7 per step.
      expectAllClose(trace, [0.99, 0.95, 0.91], 5);
    });

    it("rmsprop: a change between steps scales the next step by the new rate", () => {
      const optimizer = rmsprop({ lr: 0.01, rho: 0.9 }).create();
      const trace = descend(optimizer, 1, linear(2), 2, (done) => {
        if (done === 1) setLearningRate(optimizer, 0.02);
      });
      const first = (0.01 * 2) / Math.sqrt(0.4 + 1e-7);
      const second = (0.02 * 2) / Math.sqrt(0.76 + 1e-7);
      expectAllClose(trace, [1 - first, 1 - first - second], 6);
    });
  });

  describe("what trainStep reads back", () => {
    const info: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 3, learningRate: 0 };
    const x = [[1, -2], [0.5, 3]];
    const targets = { a: [[3], [-1]], b: [[0], [2]] };

    /** One step at learning rate 0 (the weights stay), with the errors of y = x·W + b worked out in JavaScript. */
    function stepOnce(tasks: Task[]) {
      const model = new Model("readback", [2], [dense(1, { name: "out" })], 5);
      disposables.push(model);
      const optimizer = sgd({ lr: 0 }).create();
      disposables.push(optimizer);
      const [w0, w1] = values(model.params.get("out.kernel")!);
      const [bias] = values(model.params.get("out.bias")!);
      const prediction = x.map(([x0, x1]) => x0! * w0! + x1! * w1! + bias!);
      const errors = (target: number[][]) => prediction.map((p, i) => p - target[i]![0]!);
      const batch: Batch = { x: tf.tensor(x), targets: { a: tf.tensor(targets.a), b: tf.tensor(targets.b) } };
      const result = trainStep({ model, tasks, techniques: [], optimizer }, batch, info);
      tf.dispose([batch.x, ...Object.values(batch.targets)]);
      return { result, errorsA: errors(targets.a), errorsB: errors(targets.b) };
    }
    const sum = (xs: number[]) => xs.reduce((total, value) => total + value, 0);
    const squares = (xs: number[]) => xs.map((e) => e * e);

    it("one task of weight 1: the objective is its mean loss; the sums are Σ loss and Σ each metric over the batch", () => {
      const { result, errorsA } = stepOnce([regress("fit", { output: "out", target: "a" })]);
      expect(result.examples).toBe(2);
      expect(result.objective).toBeCloseTo(sum(squares(errorsA)) / 2, 5);
      expect([...result.sums.keys()].sort()).toEqual(["fit_loss", "fit_mae", "fit_rmse"]);
      expect(result.sums.get("fit_loss")).toBeCloseTo(sum(squares(errorsA)), 5);
      expect(result.sums.get("fit_mae")).toBeCloseTo(sum(errorsA.map(Math.abs)), 5);
      expect(result.sums.get("fit_rmse")).toBeCloseTo(sum(squares(errorsA)), 5);
    });

    it("several tasks: the objective is Σ weightᵢ·mean lossᵢ, the sums are kept per task", () => {
      const { result, errorsA, errorsB } = stepOnce([
        regress("first", { output: "out", target: "a" }),
        regress("second", { output: "out", target: "b", weight: 0.25 }),
      ]);
      expect(result.objective).toBeCloseTo(sum(squares(errorsA)) / 2 + (0.25 * sum(squares(errorsB))) / 2, 5);
      expect(result.sums.get("first_loss")).toBeCloseTo(sum(squares(errorsA)), 5);
      expect(result.sums.get("second_loss")).toBeCloseTo(sum(squares(errorsB)), 5);
      expect(result.sums.get("second_mae")).toBeCloseTo(sum(errorsB.map(Math.abs)), 5);
    });
  });

  describe("adamw through trainStep", () => {
    const lr = 0.1;
    const lambda = 0.5;
    const task: Task = regress("fit", { output: "out", target: "y" });
    const info: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 3, learningRate: lr };

    function stepOnce(decoupledDecay: number | undefined): { before: number[]; after: number[] } {
      const model = new Model("adamw", [2], [dense(1, { name: "out" })], 5);
      disposables.push(model);
      const all = () => model.trainableParams().flatMap((variable) => values(variable));
      const optimizer = (decoupledDecay === undefined ? adam({ lr }) : adamw({ lr, weightDecay: decoupledDecay })).create();
      disposables.push(optimizer);
      const batch: Batch = { x: tf.tensor([[1, -2], [0.5, 3]]), targets: { y: tf.tensor([[3], [-1]]) } };
      const before = all();
      trainStep({ model, tasks: [task], techniques: [], optimizer, ...(decoupledDecay !== undefined && { decoupledDecay }) }, batch, info);
      tf.dispose([batch.x, ...Object.values(batch.targets)]);
      return { before, after: all() };
    }

    it("the adamw recipe is adam plus a decoupled decay λ", () => {
      const def = adamw({ lr, weightDecay: lambda });
      expect(def.name).toBe("adamw");
      expect(def.learningRate).toBe(lr);
      expect(def.decoupledDecay).toBe(lambda);
      expect(adamw().decoupledDecay).toBe(0.004);
      expect(adam().decoupledDecay).toBeUndefined();
    });

    it("one step: w₁ = w₀ − η·λ·w₀ + Δadam, the decay taken from the weights the gradient was computed at", () => {
      const plain = stepOnce(undefined);
      const decayed = stepOnce(lambda);
      // Same seed, same initial weights.
      expect(decayed.before).toEqual(plain.before);
      // Adam's first step is η·sign(g) on each weight.
      plain.after.forEach((w, i) => expect(Math.abs(w - plain.before[i]!)).toBeCloseTo(lr, 5));
      // Loshchilov & Hutter's algorithm 2: the decay of the pre-step weights is added to adam's update.
      const expected = plain.after.map((w, i) => w - lr * lambda * plain.before[i]!);
      expectAllClose(decayed.after, expected, 6);
    });
  });
});
