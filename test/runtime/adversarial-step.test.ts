import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { selectBackend, type BackendName } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { conv2d, dense, dropout, flatten, maxpool } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { activityL1 } from "../../src/runtime/techniques/activity-l1.js";
import { fgsm } from "../../src/runtime/techniques/fgsm.js";
import { fgsmAttack, pgdAttack, type Attack } from "../../src/runtime/techniques/input-attacks.js";
import { l2 } from "../../src/runtime/techniques/l2.js";
import { pgd } from "../../src/runtime/techniques/pgd.js";
import { uncertaintyWeighting } from "../../src/runtime/techniques/uncertainty-weighting.js";
import { stepGradients, trainedVariables, trainStep, type StepSetup } from "../../src/runtime/train/step.js";
import { classify, type Task } from "../../src/runtime/train/tasks.js";
import type { Batch, StepInfo, Technique } from "../../src/runtime/train/technique.js";

/**
 * A training step with adversarial training takes ∇ₓL from the clean
 * pass it already made (from the same backward pass as the weights'
 * gradient where the rest of the objective is the task loss and weight
 * penalties, else from the operations the pass recorded): its value
 * and gradients must be those of the objective computed straightforwardly,
 * each attack with a forward pass of its own, on both backends that train.
 */

const TASKS: readonly Task[] = [classify("digit", { output: "out", target: "label" })];
const RANGE: readonly [number, number] = [0, 1];
const STEP: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 23, learningRate: 0.1 };
const W = 0.4;
const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** A conv net with dropout, so that a pass with another mask would find another example. */
function convNet(): Model {
  return new Model("t", [6, 6, 1], [conv2d(3, 3, { activation: "relu" }), maxpool(), flatten(), dropout(0.3), dense(3, { name: "out" })], 5);
}

function digitsBatch(): Batch {
  const x = tf.tensor4d(Array.from({ length: 4 * 36 }, (_, i) => ((i * 37) % 101) / 101), [4, 6, 6, 1]);
  return { x, targets: { label: tf.oneHot(tf.tensor1d([1, 0, 2, 1], "int32"), 3).toFloat(), input: x } };
}

/** L(x) for the step's pass: training mode with the step's seed (its dropout mask), a pass of its own. */
function lossAtFor(model: Model, batch: Batch) {
  return (x: tf.Tensor) => {
    const layers = model.forward(x, { training: true, seed: STEP.seed, updateMovingStats: false }).layers;
    return tf.mean(TASKS[0]!.loss(layers.get("out")!, batch.targets["label"]!)) as tf.Scalar;
  };
}

/** (1 − w)·L(x) + w·L(x̃) + extra, x̃ built by the attack with its own passes; its value and gradients. */
function straightforward(model: Model, batch: Batch, attack: Attack, extra: () => tf.Scalar = () => tf.scalar(0)) {
  const lossAt = lossAtFor(model, batch);
  const adversarial = attack(lossAt, batch.x, 0);
  return tf.variableGrads(() => tf.addN([tf.mul(1 - W, lossAt(batch.x)), tf.mul(W, lossAt(adversarial)), extra()]) as tf.Scalar, model.trainableParams());
}

function setupFor(model: Model, techniques: Technique[]): StepSetup {
  for (const technique of techniques) technique.attach?.({ model, tasks: TASKS, data: { kind: "image", inputRange: RANGE } as Dataset });
  return { model, tasks: TASKS, techniques, optimizer: tf.train.sgd(0.1) };
}

function step(model: Model, batch: Batch, techniques: Technique[]) {
  const setup = setupFor(model, techniques);
  const measured = new Map<string, tf.Tensor>();
  const result = stepGradients(setup, batch, STEP, measured);
  tf.dispose([...measured.values()]);
  return { ...result, variables: trainedVariables(setup) };
}

/** The same objective value and the same gradients. */
function expectSameStep(got: { value: tf.Scalar; grads: tf.NamedTensorMap }, expected: { value: tf.Scalar; grads: tf.NamedTensorMap }): void {
  expect(got.value.dataSync()[0]!).toBeCloseTo(expected.value.dataSync()[0]!, 5);
  expectSameGradients(got.grads, expected.grads);
}

function expectSameGradients(got: tf.NamedTensorMap, expected: tf.NamedTensorMap): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, gradient] of Object.entries(expected)) {
    const ours = values(got[name]!);
    const want = values(gradient);
    const scale = Math.max(...want.map(Math.abs));
    expect(scale, `${name} has a gradient`).toBeGreaterThan(0);
    want.forEach((v, i) => expect(Math.abs(ours[i]! - v), `${name}[${i}]: ${ours[i]} vs ${v}`).toBeLessThanOrEqual(1e-5 * scale + 1e-7));
  }
}

const made: Model[] = [];
afterEach(() => {
  for (const done of made.splice(0)) done.dispose();
});
const model = () => {
  const built = convNet();
  made.push(built);
  return built;
};

describe.each<BackendName>(["cpu", "wasm"])("a step with adversarial training on %s", (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it("fgsm alone: the clean backward pass's input gradient gives the same x̃, value and gradients", () => {
    const target = model();
    const batch = digitsBatch();
    const got = step(target, batch, [fgsm({ eps: 0.1, weight: W })]);
    const expected = straightforward(target, batch, fgsmAttack(0.1, RANGE));
    expectSameStep(got, expected);
  });

  it("fgsm beside a penalty on the weights, which leaves the clean backward pass's input gradient L's", () => {
    const target = model();
    const batch = digitsBatch();
    const got = step(target, batch, [l2(0.01, { on: ["out.kernel"] }), fgsm({ eps: 0.1, weight: W })]);
    const kernel = target.params.get("out.kernel")!;
    const expected = straightforward(target, batch, fgsmAttack(0.1, RANGE), () => tf.mul(0.01, tf.sum(tf.square(kernel))));
    expectSameStep(got, expected);
  });

  it("fgsm beside a term that reads the pass: L's input gradient from the recorded clean pass, inside one tape", () => {
    const target = model();
    const batch = digitsBatch();
    const got = step(target, batch, [activityL1(0.05, { on: ["out"] }), fgsm({ eps: 0.1, weight: W })]);
    const activity = () => {
      const out = target.forward(batch.x, { training: true, seed: STEP.seed, updateMovingStats: false }).layers.get("out")!;
      return tf.mul<tf.Scalar>(0.05, tf.div(tf.sum(tf.abs(out)), out.shape[0]!));
    };
    const expected = straightforward(target, batch, fgsmAttack(0.1, RANGE), activity);
    expectSameStep(got, expected);
  });

  it("pgd, whose later steps differentiate passes of their own", () => {
    const target = model();
    const batch = digitsBatch();
    const options = { eps: 0.2, steps: 3, step: 0.08, randomStart: false };
    const got = step(target, batch, [pgd({ ...options, weight: W })]);
    const expected = straightforward(target, batch, pgdAttack(options, RANGE));
    expectSameGradients(got.grads, expected.grads);
  });

  it("fgsm with learned task weights: the objective's input gradient is not L's, so x̃ comes from L's own", () => {
    const target = model();
    const batch = digitsBatch();
    const weighting = uncertaintyWeighting();
    const got = step(target, batch, [weighting, fgsm({ eps: 0.1, weight: W })]);
    // s starts at 0: exp(−s)·L + s is L in value and in the weights' gradient; fgsm's term uses L's fixed weights.
    const lossAt = lossAtFor(target, batch);
    const adversarial = fgsmAttack(0.1, RANGE)(lossAt, batch.x, 0);
    const expected = tf.variableGrads(() => tf.add(lossAt(batch.x), tf.mul(W, tf.sub(lossAt(adversarial), lossAt(batch.x)))) as tf.Scalar, target.trainableParams());
    const modelGrads = Object.fromEntries(Object.entries(got.grads).filter(([name]) => expected.grads[name] !== undefined));
    expectSameGradients(modelGrads, expected.grads);
    weighting.variables!().forEach((variable) => variable.dispose());
  });

  it("keeps no tensor of its own after a step, by either path", () => {
    for (const techniques of [[fgsm({ eps: 0.1, weight: W })], [activityL1(0.05, { on: ["out"] }), fgsm({ eps: 0.1, weight: W })]]) {
      const setup = setupFor(model(), techniques);
      const batch = digitsBatch();
      trainStep(setup, batch, STEP);
      const before = tf.memory().numTensors;
      trainStep(setup, batch, { ...STEP, step: 2 });
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
