import { quietServices } from "../support/quiet-training.js";
import { loadDigits } from "../support/digits.js";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { dense, flatten, reshape } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { contractive } from "../../src/runtime/techniques/contractive.js";
import { imageTangents, gaussianBlur } from "../../src/runtime/techniques/image-tangents.js";
import { encoderJacobian, leadingRightSingularVectors, manifold } from "../../src/runtime/techniques/manifold-tangents.js";
import { tangentProp } from "../../src/runtime/techniques/tangent-prop.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify, reconstruct, type Task } from "../../src/runtime/train/tasks.js";
import type { ForwardPass, StepInfo, Technique } from "../../src/runtime/train/technique.js";
import { Trainer, type RunServices } from "../../src/runtime/train/trainer.js";

/**
 * The manifold tangent classifier's parts: the contractive penalty (closed
 * form and estimate) against the encoder's Jacobian, the power-iteration
 * singular vectors against a reference eigensolver, and on real digits a
 * contractive autoencoder whose tangents capture how digits vary, then used
 * by tangent propagation.
 */

let digits: Dataset;

beforeAll(async () => {
  await selectBackend("wasm");
  digits = await loadDigits({ train: 500, test: 200 }, 9);
}, 60_000);

const quiet: RunServices = quietServices();

const step: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 3, learningRate: 1e-3 };

/** A ForwardPass over `x` for calling a technique's loss term directly. */
function passOf(model: Model, x: tf.Tensor): ForwardPass {
  const { output, layers } = model.forward(x, { training: true, seed: step.seed });
  return {
    batch: { x, targets: {} },
    model,
    tasks: [],
    output,
    layers,
    taskLosses: new Map(),
    taskLoss: tf.scalar(0),
    forward: (z) => model.forward(z, { training: true, seed: step.seed }).layers,
    lossOf: () => tf.scalar(0),
  };
}

/** ‖∂h/∂x‖_F² averaged over the batch, from the explicit Jacobian (first-order input gradients). */
function jacobianNorm(model: Model, code: string, x: tf.Tensor): number {
  return tf.tidy(() => tf.div(tf.sum(tf.square(encoderJacobian(model, code, x))), x.shape[0]!).dataSync()[0]!);
}

function penaltyOf(technique: Technique, model: Model, x: tf.Tensor): number {
  technique.attach!({ model, tasks: [], data: digits });
  return tf.tidy(() => technique.lossTerm!(passOf(model, x), step).dataSync()[0]!);
}

describe("the contractive penalty", () => {
  const x = tf.randomUniform([16, 3, 3, 1], 0, 1, "float32", 4);

  it("has the closed form of a sigmoid encoder: Σⱼ (hⱼ(1 − hⱼ))²·Σᵢ Wᵢⱼ²", () => {
    const model = new Model("cae", [3, 3, 1], [flatten(), dense(4, { name: "code", activation: "sigmoid" })], 2);
    expect(penaltyOf(contractive(1, { on: ["code"] }), model, x)).toBeCloseTo(jacobianNorm(model, "code", x), 4);
  });

  it("has the exact weight gradient", () => {
    const model = new Model("cae", [3, 3, 1], [flatten(), dense(4, { name: "code", activation: "sigmoid" })], 2);
    const technique = contractive(1, { on: ["code"] });
    technique.attach!({ model, tasks: [], data: digits });
    const kernel = model.params.get("code.kernel")!;
    const { grads } = tf.variableGrads(() => technique.lossTerm!(passOf(model, x), step), [kernel]);
    const analytic = grads[kernel.name]!.dataSync();
    // Central differences of the penalty in three of the weights.
    const values = kernel.dataSync().slice();
    for (const index of [0, 5, 17]) {
      const at = (delta: number) => {
        const moved = values.slice();
        moved[index]! += delta;
        kernel.assign(tf.tensor(moved, kernel.shape));
        return penaltyOf(technique, model, x);
      };
      const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
      kernel.assign(tf.tensor(values, kernel.shape));
      expect(analytic[index]!).toBeCloseTo(numeric, 3);
    }
  });

  it("estimates ‖J‖_F² from random directions where no closed form applies", () => {
    const model = new Model("deep", [3, 3, 1], [flatten(), dense(6, { activation: "elu" }), dense(4, { name: "code", activation: "sigmoid" })], 2);
    const wide = tf.randomUniform([64, 3, 3, 1], 0, 1, "float32", 5);
    const estimate = penaltyOf(contractive(1, { on: ["code"] }), model, wide);
    const exact = jacobianNorm(model, "code", wide);
    expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.2);
  });
});

describe("manifold tangents", () => {
  it("are the leading right singular vectors of the encoder's Jacobian", () => {
    const model = new Model("cae", [6], [dense(4, { name: "code", activation: "sigmoid" })], 7);
    const x = tf.randomUniform([3, 6], -1, 1, "float32", 8);
    const jacobian = encoderJacobian(model, "code", x);
    // The Jacobian of a sigmoid layer, by hand: diag(h(1 − h))·Wᵀ.
    const h = model.forward(x, { training: false, seed: 0 }).output;
    const byHand = tf.mul(tf.expandDims(tf.mul(h, tf.sub(1, h)), 2), tf.expandDims(tf.transpose(model.params.get("code.kernel")!), 0));
    expect(tf.max(tf.abs(tf.sub(jacobian, byHand))).dataSync()[0]!).toBeLessThan(1e-6);

    const found = leadingRightSingularVectors(jacobian, 2);
    const rows = jacobian.arraySync();
    rows.forEach((j, n) => {
      const reference = eigenvectorsByJacobi(gramOfColumns(j));
      for (let i = 0; i < 2; i++) {
        const v = found[i]!.arraySync()[n]!;
        const alignment = Math.abs(v.reduce((sum, value, d) => sum + value * reference[i]![d]!, 0));
        expect(alignment).toBeGreaterThan(0.999);
      }
    });
  });

  describe("of a contractive autoencoder trained on real digits", () => {
    let cae: Model;

    beforeAll(async () => {
      cae = new Model("cae", [28, 28, 1], [flatten(), dense(64, { name: "code", activation: "sigmoid" }), dense(784, { activation: "sigmoid" }), reshape([28, 28, 1])], 1);
      const trainer = new Trainer(
        { model: cae, data: digits, tasks: [reconstruct("recon", { output: "output", target: "input" })], techniques: [contractive(0.01, { on: ["code"] })], optimizer: adam({ lr: 3e-3 }), schedule: constant(), epochs: 6, batch: 32, seed: 1 },
        quiet,
      );
      for (let epoch = 1; epoch <= 6; epoch++) {
        await trainer.trainEpoch(epoch);
        await trainer.endEpoch(epoch);
      }
    }, 120_000);

    it("span much of how digits really move: their rotation and translation tangents", () => {
      const x = tf.slice(digits.splits.test!.x, 0, 40);
      const k = 10;
      const tangents = manifold(cae, { k, code: "code" }).tangents(x).map((t) => tf.reshape(t, [40, 784]));
      const basis = tf.stack(tangents, 1); // [n, k, 784], orthonormal rows
      const real = imageTangents(gaussianBlur(x as tf.Tensor4D, 1), ["rotate", "translate"]).map((t) => tf.reshape(t, [40, 784, 1]));
      const captured = real.map((v) => {
        const coefficients = tf.matMul(basis, v); // [n, k, 1]
        return tf.mean(tf.div(tf.sum(tf.square(coefficients), [1, 2]), tf.sum(tf.square(v), [1, 2]))).dataSync()[0]!;
      });
      console.log(`share of each real tangent in the span of ${k} manifold tangents (random directions: ${(k / 784).toFixed(3)}): ${captured.map((c) => c.toFixed(3)).join(", ")}`);
      for (const share of captured) expect(share).toBeGreaterThan(0.1);
    });

    it("feed tangent prop, which makes the classifier flat along them", async () => {
      const tasks: Task[] = [classify("digit", { output: "out", target: "label" })];
      const field = manifold(cae, { k: 5, code: "code" });
      const trained = async (techniques: Technique[]) => {
        const model = new Model("mlp", [28, 28, 1], [flatten(), dense(64, { activation: "relu" }), dense(10, { name: "out" })], 1);
        const trainer = new Trainer({ model, data: digits, tasks, techniques, optimizer: adam({ lr: 1e-3 }), schedule: constant(), epochs: 2, batch: 32, seed: 1 }, quiet);
        for (let epoch = 1; epoch <= 2; epoch++) {
          await trainer.trainEpoch(epoch);
          await trainer.endEpoch(epoch);
        }
        return { model, ...(await trainer.finish()) };
      };
      const plain = await trained([]);
      const penalized = await trained([tangentProp(0.3, { along: [field] })]);
      // The same measurement of the network trained without the penalty.
      const measure = tangentProp(0.3, { along: [field] });
      measure.attach!({ model: plain.model, tasks, data: digits });
      const before = measure.finalMetrics!({ model: plain.model, tasks, data: digits, predict: () => new Map() })["tangent_prop"]!["test_sensitivity"]!;
      const after = penalized.extra!["tangent_prop"]!["test_sensitivity"]!;
      const [plainAccuracy, penalizedAccuracy] = [plain.splits["test"]!["accuracy"]!, penalized.splits["test"]!["accuracy"]!];
      console.log(
        `Σ‖J·v‖² along 5 manifold tangents per test digit: ${before.toFixed(3)} without, ${after.toFixed(3)} with tangent_prop(0.3) ` +
          `(test accuracy ${plainAccuracy.toFixed(3)}, ${penalizedAccuracy.toFixed(3)})`,
      );
      expect(after).toBeLessThan(before * 0.5);
      expect(penalizedAccuracy).toBeGreaterThan(plainAccuracy - 0.05);
    }, 120_000);
  });
});

/** JᵀJ of one Jacobian (units × d), in double precision. */
function gramOfColumns(j: number[][]): number[][] {
  const d = j[0]!.length;
  return Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => j.reduce((sum, row) => sum + row[a]! * row[b]!, 0)));
}

/** Eigenvectors of a symmetric matrix by cyclic Jacobi rotations, by decreasing eigenvalue. */
function eigenvectorsByJacobi(matrix: number[][]): number[][] {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-15) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const [akp, akq] = [a[k]![p]!, a[k]![q]!];
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const [apk, aqk] = [a[p]![k]!, a[q]![k]!];
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const [vkp, vkq] = [v[k]![p]!, v[k]![q]!];
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j]![j]! - a[i]![i]!);
  return order.map((column) => v.map((row) => row[column]!));
}
