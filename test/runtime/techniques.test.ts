import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { withDefaults } from "../support/catalog-defaults.js";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import type { LayerDef } from "../../src/runtime/model/layer.js";
import { conv2d, dense, dropout } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import type { EpochRecord } from "../../src/runtime/run/history.js";
import { earlyStop, type EarlyStopOptions } from "../../src/runtime/techniques/early-stop.js";
import { l1 } from "../../src/runtime/techniques/l1.js";
import { l2 } from "../../src/runtime/techniques/l2.js";
import { labelSmoothing } from "../../src/runtime/techniques/label-smoothing.js";
import { maxnorm } from "../../src/runtime/techniques/maxnorm.js";
import { mcDropout } from "../../src/runtime/techniques/mc-dropout.js";
import { nonneg } from "../../src/runtime/techniques/nonneg.js";
import { normBall } from "../../src/runtime/techniques/norm-ball.js";
import { unitnorm } from "../../src/runtime/techniques/unitnorm.js";
import { weightDecay } from "../../src/runtime/techniques/weight-decay.js";
import type { Batch, ForwardPass, SecondPhase, StepInfo, Technique, TrainingControl } from "../../src/runtime/train/technique.js";
import { classify, regress, type Task } from "../../src/runtime/train/tasks.js";

/**
 * The regularization techniques' arithmetic against hand computations:
 * penalties and their gradients, decay, projections, label smoothing,
 * early stopping's bookkeeping and Monte-Carlo dropout's averaging.
 */

beforeAll(async () => {
  await selectBackend("cpu");
});

const made: Model[] = [];
function model(inputShape: readonly number[], defs: LayerDef[], seed = 1): Model {
  const built = new Model("t", inputShape, defs, seed);
  made.push(built);
  return built;
}

afterEach(() => {
  for (const done of made.splice(0)) done.dispose();
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

function expectAllClose(actual: readonly number[], expected: readonly number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value, `element ${i}`).toBeCloseTo(expected[i]!, digits));
}

function set(target: Model, key: string, numbers: readonly number[]): void {
  const variable = target.params.get(key)!;
  tf.tidy(() => variable.assign(tf.tensor([...numbers], variable.shape)));
}

const get = (target: Model, key: string) => values(target.params.get(key)!);

const STEP: StepInfo = { epoch: 1, step: 1, epochs: 1, seed: 1, learningRate: 0.1 };
const NO_DATA = {} as Dataset;
const NO_PASS = {} as ForwardPass;

function attach(technique: Technique, target: Model, tasks: readonly Task[] = []): Technique {
  technique.attach?.({ model: target, tasks, data: NO_DATA });
  return technique;
}

/** A 3 → 2 dense layer `out` with kernel [[1, −2], [0.5, 3], [−1, 0]] and bias [0.1, −0.2]. */
const KERNEL = [1, -2, 0.5, 3, -1, 0];
const BIAS = [0.1, -0.2];
function tiny(): Model {
  const built = model([3], [dense(2, { name: "out" })]);
  set(built, "out.kernel", KERNEL);
  set(built, "out.bias", BIAS);
  return built;
}

describe("l2 and l1 penalties", () => {
  const alpha = 0.01;

  it("l2's loss term is α·Σw² over the listed parameters only", () => {
    const technique = attach(l2(alpha, { on: ["out.kernel"] }), tiny());
    const term = tf.tidy(() => technique.lossTerm!(NO_PASS, STEP).dataSync()[0]!);
    expect(term).toBeCloseTo(alpha * KERNEL.reduce((sum, w) => sum + w * w, 0), 7);
  });

  it("l1's loss term is α·Σ|w|, summed over several parameters", () => {
    const technique = attach(l1(alpha, { on: ["out.kernel", "out.bias"] }), tiny());
    const term = tf.tidy(() => technique.lossTerm!(NO_PASS, STEP).dataSync()[0]!);
    expect(term).toBeCloseTo(alpha * [...KERNEL, ...BIAS].reduce((sum, w) => sum + Math.abs(w), 0), 7);
  });

  it("l2's gradient is 2αw on the listed parameter and nothing on the others", () => {
    const built = tiny();
    const technique = attach(l2(alpha, { on: ["out.kernel"] }), built);
    const kernel = built.params.get("out.kernel")!;
    const grad = tf.tidy(() => values(tf.variableGrads(() => technique.lossTerm!(NO_PASS, STEP), [kernel]).grads[kernel.name]!));
    expectAllClose(grad, KERNEL.map((w) => 2 * alpha * w), 6);
  });

  it("l1's gradient is α·sign(w) (checked by finite differences away from 0)", () => {
    const built = tiny();
    const technique = attach(l1(alpha, { on: ["out.kernel"] }), built);
    const kernel = built.params.get("out.kernel")!;
    const grad = tf.tidy(() => values(tf.variableGrads(() => technique.lossTerm!(NO_PASS, STEP), [kernel]).grads[kernel.name]!));
    KERNEL.forEach((w, i) => {
      if (w !== 0) expect(grad[i], `element ${i}`).toBeCloseTo(alpha * Math.sign(w), 6);
    });
    // Central differences of the term itself, one weight at a time.
    const h = 1e-2;
    const termAt = (weights: number[]) => {
      set(built, "out.kernel", weights);
      return tf.tidy(() => technique.lossTerm!(NO_PASS, STEP).dataSync()[0]!);
    };
    KERNEL.forEach((w, i) => {
      if (w === 0) return;
      const up = [...KERNEL];
      const down = [...KERNEL];
      up[i] = w + h;
      down[i] = w - h;
      expect((termAt(up) - termAt(down)) / (2 * h), `element ${i}`).toBeCloseTo(alpha * Math.sign(w), 4);
    });
  });

  it("l2's gradient matches central finite differences", () => {
    const built = tiny();
    const technique = attach(l2(0.5, { on: ["out.kernel", "out.bias"] }), built);
    const h = 1e-2;
    const termAt = () => tf.tidy(() => technique.lossTerm!(NO_PASS, STEP).dataSync()[0]!);
    [...KERNEL, ...BIAS].forEach((w, i) => {
      const key = i < KERNEL.length ? "out.kernel" : "out.bias";
      const base = i < KERNEL.length ? KERNEL : BIAS;
      const at = i < KERNEL.length ? i : i - KERNEL.length;
      const moved = (delta: number) => {
        const next = [...base];
        next[at] = w + delta;
        set(built, key, next);
        const value = termAt();
        set(built, key, base);
        return value;
      };
      expect((moved(h) - moved(-h)) / (2 * h), `weight ${i}`).toBeCloseTo(2 * 0.5 * w, 3);
    });
  });

  it("an unknown parameter name is an error naming the model's parameters", () => {
    expect(() => attach(l2(alpha, { on: ["h9.kernel"] }), tiny())).toThrow(/no parameter h9\.kernel.*out\.kernel, out\.bias/);
  });
});

describe("weight_decay", () => {
  it("after a step, each listed weight shrinks by (1 − η·λ); the others stay", () => {
    const built = tiny();
    const technique = attach(weightDecay(0.2, { on: ["out.kernel"] }), built);
    technique.afterStep!(built, { ...STEP, learningRate: 0.5 });
    expectAllClose(get(built, "out.kernel"), KERNEL.map((w) => w * (1 - 0.5 * 0.2)), 6);
    expectAllClose(get(built, "out.bias"), BIAS, 7);
    // It follows the step's (scheduled) rate.
    technique.afterStep!(built, { ...STEP, learningRate: 0.1 });
    expectAllClose(get(built, "out.kernel"), KERNEL.map((w) => w * 0.9 * 0.98), 6);
  });
});

/** Norms of the columns (last axis) of a row-major [rows, columns] array. */
function columnNorms(flat: readonly number[], columns: number): number[] {
  const norms = new Array<number>(columns).fill(0);
  flat.forEach((w, i) => (norms[i % columns]! += w * w));
  return norms.map(Math.sqrt);
}

describe("projections", () => {
  it("maxnorm on a dense kernel rescales each unit's incoming column to norm ≤ c and leaves the others exactly", () => {
    const built = tiny();
    // Columns: [1, 0.5, −1] (norm 1.5) and [−2, 3, 0] (norm √13).
    const technique = attach(maxnorm(2, { on: ["out.kernel"] }), built);
    // attach projects the initial weights already.
    const scale = 2 / Math.sqrt(13);
    const expected = [1, -2 * scale, 0.5, 3 * scale, -1, 0];
    expectAllClose(get(built, "out.kernel"), expected, 6);
    expect(get(built, "out.kernel")[0]).toBe(1);
    expect(get(built, "out.kernel")[2]).toBe(0.5);
    expect(get(built, "out.kernel")[4]).toBe(-1);
    expectAllClose(columnNorms(get(built, "out.kernel"), 2), [1.5, 2], 5);
    // The bias was not listed.
    expectAllClose(get(built, "out.bias"), BIAS, 7);
    // After a step that leaves the set, afterStep projects back.
    set(built, "out.kernel", [4, 0.1, 0, 0.1, 3, 0.1]);
    technique.afterStep!(built, STEP);
    expectAllClose(get(built, "out.kernel"), [1.6, 0.1, 0, 0.1, 1.2, 0.1], 6);
  });

  it("maxnorm on a conv kernel [h, w, in, out] bounds each filter's norm over h, w and in", () => {
    const built = model([3, 3, 2], [conv2d(2, 2, { name: "c" })]);
    const shape = built.params.get("c.kernel")!.shape; // [2, 2, 2, 2]
    expect(shape).toEqual([2, 2, 2, 2]);
    // Filter 0: eight values 1 (norm √8 ≈ 2.83 > 2); filter 1: eight values 0.5 (norm √2 < 2).
    const kernel = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : 0.5));
    set(built, "c.kernel", kernel);
    const technique = attach(maxnorm(2, { on: ["c.kernel"] }), built);
    technique.afterStep!(built, STEP);
    const projected = get(built, "c.kernel");
    expectAllClose(projected, kernel.map((w, i) => (i % 2 === 0 ? w * (2 / Math.sqrt(8)) : w)), 6);
  });

  it("maxnorm with an explicit axis normalizes along that axis instead", () => {
    const built = tiny();
    // axis [1]: each row (a input's outgoing weights): [1, −2] √5, [0.5, 3] √9.25, [−1, 0] 1.
    attach(maxnorm(2, { on: ["out.kernel"], axis: [1] }), built);
    const r0 = 2 / Math.sqrt(5);
    const r1 = 2 / Math.sqrt(9.25);
    expectAllClose(get(built, "out.kernel"), [1 * r0, -2 * r0, 0.5 * r1, 3 * r1, -1, 0], 6);
  });

  it("unitnorm makes each unit's incoming weights norm 1", () => {
    const built = tiny();
    attach(unitnorm({ on: ["out.kernel"] }), built);
    const s = Math.sqrt(13);
    expectAllClose(get(built, "out.kernel"), [1 / 1.5, -2 / s, 0.5 / 1.5, 3 / s, -1 / 1.5, 0], 6);
    expectAllClose(columnNorms(get(built, "out.kernel"), 2), [1, 1], 6);
  });

  it("unitnorm with axis [0, 1] normalizes the whole kernel", () => {
    const built = tiny();
    attach(unitnorm({ on: ["out.kernel"], axis: [0, 1] }), built);
    const total = Math.sqrt(KERNEL.reduce((sum, w) => sum + w * w, 0));
    expectAllClose(get(built, "out.kernel"), KERNEL.map((w) => w / total), 6);
  });

  it("nonneg zeroes the negative weights", () => {
    const built = tiny();
    attach(nonneg({ on: ["out.kernel", "out.bias"] }), built);
    expect(get(built, "out.kernel")).toEqual([1, 0, 0.5, 3, 0, 0]);
    expectAllClose(get(built, "out.bias"), [0.1, 0], 7);
  });

  it("norm_ball scales the whole tensor into the ball of radius k, and leaves a tensor inside it alone", () => {
    const built = tiny();
    const total = Math.sqrt(KERNEL.reduce((sum, w) => sum + w * w, 0)); // √16.25
    attach(normBall(2, { on: ["out.kernel", "out.bias"] }), built);
    expectAllClose(get(built, "out.kernel"), KERNEL.map((w) => (w * 2) / total), 6);
    // The bias (norm ≈ 0.22) is inside: unchanged, and each tensor is its own ball.
    expect(get(built, "out.bias")).toEqual(Array.from(Float32Array.from(BIAS)));
  });

  const projections: Record<string, () => Technique> = {
    maxnorm: () => maxnorm(1.2, { on: ["out.kernel"] }),
    "maxnorm axis": () => maxnorm(1.2, { on: ["out.kernel"], axis: [1] }),
    unitnorm: () => unitnorm({ on: ["out.kernel"] }),
    nonneg: () => nonneg({ on: ["out.kernel"] }),
    norm_ball: () => normBall(1.5, { on: ["out.kernel"] }),
  };
  for (const [name, make] of Object.entries(projections)) {
    it(`${name} is idempotent: projecting twice is projecting once`, () => {
      const built = tiny();
      const technique = attach(make(), built);
      const once = get(built, "out.kernel");
      expect(once).not.toEqual(Array.from(Float32Array.from(KERNEL)));
      technique.afterStep!(built, STEP);
      expectAllClose(get(built, "out.kernel"), once, 6);
    });
  }
});

describe("label_smoothing", () => {
  it("turns one-hot class targets into (1 − ε)y + ε/K and leaves number targets alone", () => {
    const tasks = [classify("digit", { output: "out", target: "label" }), regress("size", { output: "size", target: "y" })];
    const technique = attach(labelSmoothing(0.1), tiny(), tasks);
    const label = tf.tensor([[0, 0, 1, 0], [1, 0, 0, 0]]);
    const y = tf.tensor([[2.5], [-1]]);
    const x = tf.zeros([2, 3]);
    const batch: Batch = { x, targets: { label, y } };
    const smoothed = technique.transformBatch!(batch, STEP);
    expect(smoothed.x).toBe(x);
    expect(smoothed.targets["y"]).toBe(y);
    // K = 4: 0.9·1 + 0.025 = 0.925, 0 + 0.025.
    expectAllClose(values(smoothed.targets["label"]!), [0.025, 0.025, 0.925, 0.025, 0.925, 0.025, 0.025, 0.025], 6);
    // Still a distribution.
    expectAllClose(values(tf.sum(smoothed.targets["label"]!, -1)), [1, 1], 6);
    // The input batch is not changed in place.
    expect(values(label)).toEqual([0, 0, 1, 0, 1, 0, 0, 0]);
    tf.dispose([label, y, x, smoothed.targets["label"]!]);
  });

  it("with no classification task, nothing changes", () => {
    const technique = attach(labelSmoothing(0.2), tiny(), [regress("size", { output: "out", target: "y" })]);
    const y = tf.tensor([[0], [1]]);
    const batch: Batch = { x: tf.zeros([2, 3]), targets: { y } };
    const result = technique.transformBatch!(batch, STEP);
    expect(result.targets["y"]).toBe(y);
    tf.dispose([y, batch.x]);
  });

  it("smooths a target once even when two classification tasks score it", () => {
    const tasks = [classify("a", { output: "out", target: "label" }), classify("b", { output: "other", target: "label" })];
    const technique = attach(labelSmoothing(0.2), tiny(), tasks);
    const label = tf.tensor([[0, 1]]);
    const batch: Batch = { x: tf.zeros([1, 3]), targets: { label } };
    const result = technique.transformBatch!(batch, STEP);
    expectAllClose(values(result.targets["label"]!), [0.1, 0.9], 6);
    tf.dispose([label, batch.x, result.targets["label"]!]);
  });
});

describe("early_stop", () => {
  function record(epoch: number, val: Record<string, number>, train: Record<string, number> = { loss: 1 }): EpochRecord {
    return { epoch, phase: "train", learningRate: 0.1, seconds: 0, train, val };
  }

  interface Run {
    /** The epoch after which the technique asked to stop, if it did. */
    stoppedAt?: number;
    reason?: string;
    phase: SecondPhase | void;
    /** The kernel's first value after trainingEnd: the epoch whose weights are in the model. */
    weightsOf: number;
  }

  /**
   * Feeds epochs 1…n with `metric` values, setting every weight of the model
   * to the epoch number before each epochEnd, until the technique stops;
   * then trainingEnd.
   */
  function run(options: Partial<EarlyStopOptions>, metric: string, series: readonly number[], technique?: Technique, built?: Model, firstEpoch = 1): Run {
    const target = built ?? tiny();
    const early = technique ?? earlyStop(withDefaults("early_stop", options));
    const result: Run = { phase: undefined, weightsOf: Number.NaN };
    for (let i = 0; i < series.length && result.stoppedAt === undefined; i++) {
      const epoch = firstEpoch + i;
      for (const variable of target.params.values()) tf.tidy(() => variable.assign(tf.fill(variable.shape, epoch)));
      const control: TrainingControl = {
        stop: (reason) => {
          result.stoppedAt = epoch;
          result.reason = reason;
        },
        history: [],
      };
      const [split, ...rest] = metric.split("_");
      const metrics = { [rest.join("_")]: series[i]! };
      early.epochEnd!(split === "train" ? { ...record(epoch, {}), train: metrics } : record(epoch, metrics), target, control);
    }
    result.phase = early.trainingEnd!(target);
    result.weightsOf = get(target, "out.kernel")[0]!;
    expect(get(target, "out.bias")[0], "bias restored with the kernel").toBe(result.weightsOf);
    return result;
  }

  const losses = [1.0, 0.8, 0.85, 0.79, 0.9, 0.95, 0.99, 0.5];

  it("stops after `patience` epochs without improvement and restores the best epoch's weights", () => {
    const result = run({ monitor: "val_loss", patience: 3 }, "val_loss", losses);
    // Best 0.79 at epoch 4; epochs 5, 6, 7 do not improve.
    expect(result.stoppedAt).toBe(7);
    expect(result.reason).toMatch(/val_loss.*3 epochs.*0\.79.*epoch 4/);
    expect(result.weightsOf).toBe(4);
    expect(result.phase).toBeUndefined();
  });

  it("counts an improvement smaller than min_delta as none", () => {
    // 0.79 beats 0.8 by only 0.01 < 0.05: epochs 3, 4, 5 are the three without improvement.
    const result = run({ monitor: "val_loss", patience: 3, minDelta: 0.05 }, "val_loss", losses);
    expect(result.stoppedAt).toBe(5);
    expect(result.weightsOf).toBe(2);
  });

  it("patience 1 stops at the first epoch that does not improve", () => {
    expect(run({ patience: 1 }, "val_loss", losses).stoppedAt).toBe(3);
  });

  it("never stops while the monitor keeps improving, and keeps the last weights then", () => {
    const result = run({ patience: 2 }, "val_loss", [5, 4, 3, 2, 1]);
    expect(result.stoppedAt).toBeUndefined();
    expect(result.weightsOf).toBe(5);
  });

  it("maximizes accuracy", () => {
    const result = run({ monitor: "val_accuracy", patience: 2 }, "val_accuracy", [0.5, 0.6, 0.55, 0.7, 0.69, 0.65, 0.9]);
    expect(result.stoppedAt).toBe(6);
    expect(result.weightsOf).toBe(4);
  });

  it("maximizes a per-task accuracy (val_digit_accuracy)", () => {
    const result = run({ monitor: "val_digit_accuracy", patience: 2 }, "val_digit_accuracy", [0.5, 0.4, 0.3, 0.9]);
    expect(result.stoppedAt).toBe(3);
    expect(result.weightsOf).toBe(1);
  });

  it("minimizes rmse, mae and a task's loss; monitors the training split when asked", () => {
    for (const monitor of ["val_rmse", "val_mae", "val_fit_loss", "train_loss"]) {
      const result = run({ monitor, patience: 2 }, monitor, [3, 2, 2.5, 2.1, 1]);
      expect(result.stoppedAt, monitor).toBe(4);
      expect(result.weightsOf, monitor).toBe(2);
    }
  });

  it("without restore_best the last weights stay", () => {
    const result = run({ patience: 3, restoreBest: false }, "val_loss", losses);
    expect(result.stoppedAt).toBe(7);
    expect(result.weightsOf).toBe(7);
  });

  it("then: retrain_all asks for as many epochs as the best one; continue_all for at most that many", () => {
    expect(run({ patience: 3, then: "retrain_all" }, "val_loss", losses).phase).toEqual({ kind: "retrain_all", epochs: 4 });
    expect(run({ patience: 3, then: "continue_all" }, "val_loss", losses).phase).toEqual({ kind: "continue_all", maxEpochs: 4 });
    expect(run({ patience: 3, then: "none" }, "val_loss", losses).phase).toBeUndefined();
  });

  it("a monitor the run does not report is an error listing what it reports", () => {
    expect(() => run({ monitor: "val_accuracy" }, "val_loss", [1])).toThrow(/no `val_accuracy`.*`train_loss`, `val_loss`/);
  });

  it("saveState / loadState: a technique resumed from the saved state behaves as the original would", () => {
    const original = earlyStop(withDefaults("early_stop", { patience: 3, then: "retrain_all" }));
    const built = tiny();
    // Epochs 1–5 (best 0.79 at 4, one epoch without improvement), then save.
    run({}, "val_loss", losses.slice(0, 5), original, built);
    const saved = original.saveState!();
    const values = JSON.parse(JSON.stringify(saved.values)) as unknown;
    const tensors = new Map([...saved.tensors!].map(([name, tensor]) => [name, tf.clone(tensor)]));
    const resumed = earlyStop(withDefaults("early_stop", { patience: 3, then: "retrain_all" }));
    resumed.loadState!({ values, tensors });
    tf.dispose([...tensors.values()]);

    const builtAgain = tiny();
    const continued = run({}, "val_loss", losses.slice(5), resumed, builtAgain, 6);
    const uninterrupted = run({ patience: 3, then: "retrain_all" }, "val_loss", losses);
    expect(continued.stoppedAt).toBe(uninterrupted.stoppedAt);
    expect(continued.stoppedAt).toBe(7);
    expect(continued.phase).toEqual({ kind: "retrain_all", epochs: 4 });
    // The best weights came through the saved tensors: epoch 4's.
    expect(continued.weightsOf).toBe(4);
  });
});

describe("mc_dropout", () => {
  // Input x = [1, 2] → dropout(0.5) → dense(2) with W = [[3, −1], [−2, 2]], b = 0.
  const W = [3, -1, -2, 2];
  const X = [1, 2];

  function dropoutModel(rate: number): Model {
    const built = model([2], [dropout(rate, { name: "drop" }), dense(2, { name: "out" })]);
    set(built, "out.kernel", W);
    set(built, "out.bias", [0, 0]);
    return built;
  }

  const softmax = (z: readonly number[]) => {
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / total);
  };
  const logits = (input: readonly number[]) => [0, 1].map((j) => input[0]! * W[j]! + input[1]! * W[2 + j]!);

  /** The four dropout masks at rate ½, each kept input scaled by 2: their softmax outputs, equally likely. */
  const maskOutputs = [
    [0, 0],
    [2, 0],
    [0, 4],
    [2, 4],
  ].map((input) => softmax(logits(input)));
  const exact = [0, 1].map((k) => maskOutputs.reduce((sum, p) => sum + p[k]!, 0) / 4);
  const deterministic = softmax(logits(X));

  function predict(built: Model, samples: number): { out: number[]; drop: number[] } {
    const task = classify("digit", { output: "out", target: "label" });
    const technique = attach(mcDropout({ samples }), built, [task]);
    const plain = (x: tf.Tensor) => built.forward(x, { training: false, seed: 0 }).layers;
    return tf.tidy(() => {
      const layers = technique.wrapPrediction!(plain, built)(tf.tensor([X]));
      return { out: values(tf.softmax(layers.get("out")!)), drop: values(layers.get("drop")!) };
    });
  }

  it("with many samples the averaged probabilities approach the exact mean over dropout masks", () => {
    // The exact mean over masks (≈ [0.375, 0.625]) is far from the deterministic pass (≈ [0.018, 0.982]).
    expect(Math.abs(exact[0]! - deterministic[0]!)).toBeGreaterThan(0.3);
    const { out, drop } = predict(dropoutModel(0.5), 400);
    expect(Math.abs(out[0]! - exact[0]!)).toBeLessThan(0.06);
    expect(Math.abs(out[0]! - deterministic[0]!)).toBeGreaterThan(0.25);
    // Not one of the four single-mask outputs either.
    for (const single of maskOutputs) expect(Math.abs(out[0]! - single[0]!)).toBeGreaterThan(0.05);
    // Other outputs are averaged as they are: inverted dropout keeps the input's mean.
    expect(Math.abs(drop[0]! - X[0]!)).toBeLessThan(0.2);
    expect(Math.abs(drop[1]! - X[1]!)).toBeLessThan(0.4);
  });

  it("one sample is one stochastic pass: one of the four masks' outputs", () => {
    const { out } = predict(dropoutModel(0.5), 1);
    const distances = maskOutputs.map((single) => Math.abs(single[0]! - out[0]!));
    expect(Math.min(...distances)).toBeLessThan(1e-5);
  });

  it("is reproducible: the same prediction twice", () => {
    const built = dropoutModel(0.5);
    expect(predict(built, 20)).toEqual(predict(built, 20));
  });

  it("with rate 0 it equals the deterministic pass", () => {
    const { out, drop } = predict(dropoutModel(0), 5);
    expectAllClose(out, deterministic, 6);
    expectAllClose(drop, X, 6);
  });
});
