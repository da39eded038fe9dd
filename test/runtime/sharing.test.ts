import { quietServices } from "../support/quiet-training.js";
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { loadData } from "../../src/runtime/data/load.js";
import type { LayerDef } from "../../src/runtime/model/layer.js";
import { dense, flatten, reshape } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { tie, transpose, type Tie } from "../../src/runtime/model/ties.js";
import { softTie } from "../../src/runtime/techniques/soft-tie.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { reconstruct } from "../../src/runtime/train/tasks.js";
import type { ForwardPass, StepInfo, Technique } from "../../src/runtime/train/technique.js";
import { Trainer, type RunServices } from "../../src/runtime/train/trainer.js";

/**
 * §7.9: hard ties (one variable in two places, gradients from both uses
 * summed) and soft ties (weight·‖A − B‖²), against hand computations and a
 * short run on real digits.
 */

beforeAll(async () => {
  await selectBackend("wasm");
});

const made: Model[] = [];
function model(inputShape: readonly number[], defs: LayerDef[], ties: Tie[] = [], seed = 1): Model {
  const built = new Model("t", inputShape, defs, seed, { ties });
  made.push(built);
  return built;
}

afterEach(() => {
  for (const done of made.splice(0)) done.dispose();
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const STEP: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 1, learningRate: 0.1 };

function expectAllClose(actual: readonly number[], expected: readonly number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value, `element ${i}`).toBeCloseTo(expected[i]!, digits));
}

/** A 4 → 3 → 4 autoencoder; with `tied`, dec.kernel is enc.kernelᵀ. */
function autoencoder(tied: boolean): Model {
  return model([4], [dense(3, { name: "enc", activation: "sigmoid" }), dense(4, { name: "dec" })], tied ? [tie("dec.kernel", transpose("enc.kernel"))] : []);
}

describe("tie: hard sharing", () => {
  it("creates no variable for the tied parameter, so the model has fewer parameters", () => {
    const plain = autoencoder(false);
    const tied = autoencoder(true);
    expect([...tied.params.keys()]).toEqual(["enc.kernel", "enc.bias", "dec.bias"]);
    expect(plain.paramCount).toBe(4 * 3 + 3 + 3 * 4 + 4);
    expect(tied.paramCount).toBe(plain.paramCount - 3 * 4);
  });

  it("runs the tied layer with the other variable, transposed", () => {
    const tied = autoencoder(true);
    const x = tf.tensor2d([[0.5, -1, 2, 0.25], [1, 0, -0.5, 3]]);
    const [output, expected] = tf.tidy(() => {
      const { output } = tied.forward(x, { training: false, seed: 0 });
      const hidden = tf.sigmoid(tf.add(tf.matMul(x, tied.params.get("enc.kernel")!), tied.params.get("enc.bias")!));
      const decoded = tf.add(tf.matMul(hidden, tf.transpose(tied.params.get("enc.kernel")!)), tied.params.get("dec.bias")!);
      return [values(output), values(decoded)];
    });
    expectAllClose(output, expected);
    x.dispose();
  });

  it("adds up the gradients of both uses in the one variable", () => {
    // Untied, with dec.kernel set to enc.kernelᵀ: the tied gradient must be ∂L/∂enc + (∂L/∂dec)ᵀ.
    const tied = autoencoder(true);
    const plain = autoencoder(false);
    plain.params.get("enc.kernel")!.assign(tied.params.get("enc.kernel")!);
    tf.tidy(() => plain.params.get("dec.kernel")!.assign(tf.transpose(tied.params.get("enc.kernel")!)));
    const x = tf.tensor2d([[0.5, -1, 2, 0.25], [1, 0, -0.5, 3]]);
    const loss = (m: Model) => () => tf.mean(tf.square(tf.sub(m.forward(x, { training: true, seed: 0 }).output, x))) as tf.Scalar;
    const [tiedGrad, expected] = tf.tidy(() => {
      const tiedGrads = tf.variableGrads(loss(tied), [tied.params.get("enc.kernel")!]).grads;
      const [enc, dec] = [plain.params.get("enc.kernel")!, plain.params.get("dec.kernel")!];
      const plainGrads = tf.variableGrads(loss(plain), [enc, dec]).grads;
      const summed = tf.add(plainGrads[enc.name]!, tf.transpose(plainGrads[dec.name]!));
      return [values(Object.values(tiedGrads)[0]!), values(summed)];
    });
    expectAllClose(tiedGrad, expected);
    x.dispose();
  });

  it("uses the source's replacement (weight noise) in the tied place too: one variable, one value", () => {
    const tied = autoencoder(true);
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const [noisy, expected] = tf.tidy(() => {
      const replacement = tf.fill([4, 3], 0.1);
      const { layers } = tied.forward(x, { training: true, seed: 0, params: new Map([["enc.kernel", replacement]]) });
      const hidden = layers.get("enc")!;
      return [values(layers.get("dec")!), values(tf.add(tf.matMul(hidden, tf.transpose(replacement)), tied.params.get("dec.bias")!))];
    });
    expectAllClose(noisy, expected);
    x.dispose();
  });

  it("follows chains of ties and rejects shape mismatches, double ties, unknown parameters and cycles", () => {
    const defs = () => [dense(3, { name: "a" }), dense(3, { name: "b" }), dense(3, { name: "c" })];
    const chained = model([3], defs(), [tie("c.kernel", "b.kernel"), tie("b.kernel", transpose("a.kernel"))]);
    expect([...chained.params.keys()]).toEqual(["a.kernel", "a.bias", "b.bias", "c.bias"]);
    expect(() => model([4], [dense(3, { name: "enc" }), dense(4, { name: "dec" })], [tie("dec.kernel", "enc.kernel")])).toThrow(
      "tie(dec.kernel, enc.kernel): dec.kernel is 3×4 but enc.kernel is 4×3",
    );
    expect(() => model([3], defs(), [tie("c.kernel", "a.kernel"), tie("c.kernel", "b.kernel")])).toThrow("c.kernel is already tied by tie(c.kernel, a.kernel)");
    expect(() => model([3], defs(), [tie("c.kernel", "d.kernel")])).toThrow("model t has no parameter d.kernel");
    expect(() => model([3], defs(), [tie("a.kernel", "b.kernel"), tie("b.kernel", "a.kernel")])).toThrow("the ties form a cycle");
  });
});

describe("soft_tie: weight·‖A − B‖²", () => {
  function pair(): Model {
    const built = model([2], [dense(3, { name: "a", useBias: false }), dense(2, { name: "b", useBias: false })]);
    tf.tidy(() => {
      built.params.get("a.kernel")!.assign(tf.tensor2d([[1, 2, 3], [4, 5, 6]]));
      built.params.get("b.kernel")!.assign(tf.tensor2d([[1, 0], [0, 1], [2, 2]]));
    });
    return built;
  }

  it("is weight times the squared distance, after the transpose", () => {
    const built = pair();
    const technique = softTie("a.kernel", transpose("b.kernel"), { weight: 0.5 });
    technique.attach!({ model: built, tasks: [], data: {} as Dataset });
    // bᵀ = [[1, 0, 2], [0, 1, 2]]; a − bᵀ = [[0, 2, 1], [4, 4, 4]]; Σ² = 0 + 4 + 1 + 16 + 16 + 16 = 53.
    const value = tf.tidy(() => technique.lossTerm!({} as ForwardPass, STEP).dataSync()[0]!);
    expect(value).toBeCloseTo(0.5 * 53, 4);
  });

  it("has gradient 2·weight·(A − Bᵀ) on A and its negative, transposed, on B", () => {
    const built = pair();
    const technique = softTie("a.kernel", transpose("b.kernel"), { weight: 0.5 });
    technique.attach!({ model: built, tasks: [], data: {} as Dataset });
    const [a, b] = [built.params.get("a.kernel")!, built.params.get("b.kernel")!];
    const grads = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => technique.lossTerm!({} as ForwardPass, STEP), [a, b]);
      return [values(grads[a.name]!), values(grads[b.name]!)];
    });
    expectAllClose(grads[0]!, [0, 2, 1, 4, 4, 4]);
    expectAllClose(grads[1]!, [0, -4, -2, -4, -1, -4]);
  });

  it("refuses parameters whose shapes differ", () => {
    const built = pair();
    expect(() => softTie("a.kernel", "b.kernel", { weight: 1 }).attach!({ model: built, tasks: [], data: {} as Dataset })).toThrow(
      "soft_tie(a.kernel, b.kernel, weight: 1): a.kernel is 2×3 but b.kernel is 3×2",
    );
  });
});

describe("ties on real digits", () => {
  let digits: Dataset;
  beforeAll(async () => {
    digits = await loadData({ name: "digits", source: { kind: "mnist" }, imageShape: [28, 28, 1], targets: [{ name: "input", kind: "self" }], split: { train: 256, val: 128 }, seed: 2 });
  }, 60_000);

  const quiet: RunServices = quietServices();

  function tiedAutoencoder(seed: number, ties: Tie[]): Model {
    return model([28, 28, 1], [flatten(), dense(32, { name: "enc", activation: "sigmoid" }), dense(784, { name: "dec", activation: "sigmoid" }), reshape([28, 28, 1])], ties, seed);
  }

  async function train(built: Model, techniques: Technique[], epochs = 2) {
    const trainer = new Trainer(
      { model: built, data: digits, tasks: [reconstruct("recon", { output: "output", target: "input", loss: "mse", fromLogits: false })], techniques, optimizer: adam({ lr: 3e-3 }), schedule: constant(), epochs, batch: 32, seed: 4 },
      quiet,
    );
    for (let epoch = 1; epoch <= epochs; epoch++) {
      await trainer.trainEpoch(epoch);
      await trainer.endEpoch(epoch);
    }
    return trainer;
  }

  it("trains a tied autoencoder: the decoder is the encoder's transpose after every step, and the loss falls", async () => {
    const built = tiedAutoencoder(3, [tie("dec.kernel", transpose("enc.kernel"))]);
    const probe = digits.splits.val!.x.slice([0], [8]);
    let checked = 0;
    const watch: Technique = {
      label: "watch",
      // After each update, the decoder layer computes with exactly encᵀ: rebuild its output from the encoder's variable.
      afterStep() {
        const gap = tf.tidy(() => {
          const { layers } = built.forward(probe, { training: false, seed: 0 });
          const expected = tf.sigmoid(tf.add(tf.matMul(layers.get("enc")!, tf.transpose(built.params.get("enc.kernel")!)), built.params.get("dec.bias")!));
          return tf.max(tf.abs(tf.sub(layers.get("dec")!, expected))).dataSync()[0]!;
        });
        expect(gap).toBeLessThan(1e-6);
        checked++;
      },
    };
    const trainer = await train(built, [watch]);
    expect(checked).toBe(2 * Math.ceil(256 / 32));
    expect(built.params.has("dec.kernel")).toBe(false);
    expect(trainer.history[1]!.val!.loss!).toBeLessThan(trainer.history[0]!.val!.loss!);
    probe.dispose();
  }, 60_000);

  it("soft_tie pulls two separate kernels together: their distance ends far smaller than without it", async () => {
    const distance = (built: Model) => tf.tidy(() => tf.norm(tf.sub(built.params.get("dec.kernel")!, tf.transpose(built.params.get("enc.kernel")!))).dataSync()[0]!);
    const free = tiedAutoencoder(5, []);
    const pulled = tiedAutoencoder(5, []);
    const start = distance(free);
    await train(free, []);
    await train(pulled, [softTie("dec.kernel", transpose("enc.kernel"), { weight: 0.05 })]);
    // Measured here: 11.1 at the start, 14.6 untied, 2.8 tied softly.
    expect(distance(free)).toBeGreaterThan(start);
    expect(distance(pulled)).toBeLessThan(0.4 * start);
  }, 60_000);
});
