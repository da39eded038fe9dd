import { quietServices } from "../support/quiet-training.js";
import { loadDigits } from "../support/digits.js";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { dense, flatten } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { gaussianBlur, imageTangents } from "../../src/runtime/techniques/image-tangents.js";
import { nearestNeighbourVotes, tangentDistance, vote } from "../../src/runtime/techniques/tangent-distance.js";
import { tangentFields } from "../../src/runtime/techniques/tangent-fields.js";
import { tangentProp, TANGENT_PROP_STEP } from "../../src/runtime/techniques/tangent-prop.js";
import { TangentReferences } from "../../src/runtime/techniques/two-sided-distance.js";
import { centralDifference } from "../../src/runtime/techniques/directional-derivative.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify } from "../../src/runtime/train/tasks.js";
import type { Technique } from "../../src/runtime/train/technique.js";
import { Trainer, type RunServices } from "../../src/runtime/train/trainer.js";

/**
 * Tangent propagation and the tangent distance classifier on real MNIST
 * digits: what the penalty measures on a trained network, what it changes,
 * and how far tangent distance beats Euclidean distance.
 */

let digits: Dataset;

beforeAll(async () => {
  // wasm: the cpu backend's Transform kernel (tfjs 4.22) handles only the first image of a batch.
  await selectBackend("wasm");
  digits = await loadDigits({ train: 500, test: 500 }, 5);
}, 60_000);

const quiet: RunServices = quietServices();

async function train(techniques: Technique[], epochs: number): Promise<{ model: Model; extra: Record<string, Record<string, number>> }> {
  const model = new Model("mlp", [28, 28, 1], [flatten(), dense(128, { name: "h", activation: "relu" }), dense(10, { name: "out" })], 1);
  const trainer = new Trainer(
    { model, data: digits, tasks: [classify("digit", { output: "out", target: "label" })], techniques, optimizer: adam({ lr: 1e-3 }), schedule: constant(), epochs, batch: 32, seed: 1 },
    quiet,
  );
  for (let epoch = 1; epoch <= epochs; epoch++) {
    await trainer.trainEpoch(epoch);
    await trainer.endEpoch(epoch);
  }
  return { model, extra: (await trainer.finish()).extra ?? {} };
}

/** Accuracy on the test digits moved by `dx`, `dy` pixels. */
function shiftedAccuracy(model: Model, dx: number, dy: number): number {
  const test = digits.splits.test!;
  return tf.tidy(() => {
    const moved = tf.image.transform(test.x as tf.Tensor4D, tf.tensor2d([[1, 0, -dx, 0, 1, -dy, 0, 0]]), "bilinear", "constant");
    const predicted = tf.argMax(model.forward(moved, { training: false, seed: 0 }).output, -1);
    return tf.mean(tf.cast(tf.equal(predicted, test.targets["label"]!), "float32")).dataSync()[0]!;
  });
}

describe("tangent_prop", () => {
  let plain: { model: Model; extra: Record<string, Record<string, number>> };
  let penalized: { model: Model; extra: Record<string, Record<string, number>> };

  beforeAll(async () => {
    plain = await train([], 6);
    penalized = await train([tangentProp(0.1, { along: ["rotate", "translate"] })], 6);
  }, 120_000);

  it("measures J·v of the trained network as the change of its output under the real transform", () => {
    // On blurred digits the rotation tangent is the exact derivative of bilinear rotation; compare
    // (f(x + h·v) − f(x − h·v)) / 2h with (f(rotate(x, α)) − f(rotate(x, −α))) / 2α.
    const x = gaussianBlur(tf.slice(digits.splits.test!.x, 0, 50) as tf.Tensor4D, 1);
    const [rotation] = imageTangents(x, ["rotate"]);
    const f = (z: tf.Tensor) => [penalized.model.forward(z, { training: false, seed: 0 }).output];
    const [jv] = centralDifference(f, x, rotation!, TANGENT_PROP_STEP);
    const alpha = 1e-3;
    const s = alpha / 14;
    const rotate = (sign: number) =>
      tf.image.transform(x, tf.tensor2d([[1, sign * s, -sign * s * 13.5, -sign * s, 1, sign * s * 13.5, 0, 0]]), "bilinear", "nearest");
    const moved = tf.div(tf.sub(f(rotate(1))[0]!, f(rotate(-1))[0]!), 2 * alpha);
    const error = tf.norm(tf.sub(jv!, moved)).dataSync()[0]! / tf.norm(moved).dataSync()[0]!;
    console.log(`J·v along rotation vs the network's finite difference under rotation: relative error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(0.02);
  });

  it("makes the outputs far less sensitive along the tangents and the network more robust to shifts", () => {
    const after = penalized.extra["tangent_prop"]!["test_sensitivity"]!;
    // The same measurement of the network trained without the penalty.
    const measure = tangentProp(0.1, { along: ["rotate", "translate"] });
    const tasks = [classify("digit", { output: "out", target: "label" })];
    measure.attach!({ model: plain.model, tasks, data: digits });
    const before = measure.finalMetrics!({ model: plain.model, tasks, data: digits, predict: () => new Map() })["tangent_prop"]!["test_sensitivity"]!;
    const shifts = [[2, 0], [-2, 0], [0, 2], [0, -2]] as const;
    const mean = (model: Model) => shifts.reduce((sum, [dx, dy]) => sum + shiftedAccuracy(model, dx, dy), 0) / shifts.length;
    const [plainShifted, penalizedShifted] = [mean(plain.model), mean(penalized.model)];
    console.log(
      `test Σ‖J·v‖² per digit: ${before.toFixed(2)} without, ${after.toFixed(2)} with tangent_prop(0.1); ` +
        `accuracy on digits shifted 2 px: ${plainShifted.toFixed(3)} without, ${penalizedShifted.toFixed(3)} with`,
    );
    expect(after).toBeLessThan(before * 0.5);
    expect(penalizedShifted).toBeGreaterThan(plainShifted + 0.02);
  });
});

describe("tangent distance", () => {
  it("solves the two-sided least-squares problem of each pair", () => {
    // Against a direct solve of the normal equations of min ‖x + Tₓa − y − T_y b‖² + κ(‖a‖² + ‖b‖²), d = 6, m = 2.
    const x = [0.3, -0.2, 0.5, 0.1, 0.9, -0.4];
    const y = [0.1, 0.4, -0.3, 0.6, 0.2, 0.5];
    const tx = [[1, 0.5, -0.2, 0.3, 0, 0.1], [0.2, -0.1, 0.8, 0, 0.4, -0.3]];
    const ty = [[-0.3, 0.2, 0.1, 0.7, -0.5, 0], [0.6, 0, -0.4, 0.2, 0.1, 0.9]];
    const spring = 0.05;
    const references = new TangentReferences({ x: tf.tensor2d([y]), tangents: tf.tensor3d([ty]) });
    const { tangent, euclidean } = references.distances({ x: tf.tensor2d([x]), tangents: tf.tensor3d([tx]) }, spring);
    const columns = [...tx, ...ty.map((t) => t.map((v) => -v))];
    const e = x.map((v, i) => v - y[i]!);
    const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    const kappa = (spring * columns.reduce((sum, c) => sum + dot(c, c), 0)) / 4;
    const gram = columns.map((a) => columns.map((b) => dot(a, b)));
    gram.forEach((row, i) => (row[i]! += kappa));
    const coefficients = solve(gram, columns.map((c) => -dot(c, e)));
    const residual = e.map((v, i) => v + columns.reduce((sum, c, j) => sum + coefficients[j]! * c[i]!, 0));
    const expected = dot(residual, residual) + kappa * dot(coefficients, coefficients);
    expect(tangent[0]).toBeCloseTo(expected, 5);
    expect(euclidean[0]).toBeCloseTo(dot(e, e), 5);
  });

  it("votes by the k nearest, ties to the nearest class", () => {
    const distances = Float64Array.from([5, 1, 3, 2, 4]);
    expect(vote(distances, [7, 1, 2, 2, 1], 1)).toBe(1);
    expect(vote(distances, [7, 1, 2, 2, 1], 3)).toBe(2);
    expect(vote(distances, [7, 1, 2, 3, 1], 3)).toBe(1);
  });

  it("classifies real digits better than Euclidean distance", () => {
    const fields = tangentFields(["rotate", "translate", "scale", "shear", "thickness"], [28, 28, 1], "test");
    const started = performance.now();
    const votes = nearestNeighbourVotes(fields, digits.splits.train!, digits.splits.test!, "label", 1);
    console.log(`1-NN on 500 test digits, 500 references: tangent distance ${votes.tangent.toFixed(3)}, Euclidean ${votes.euclidean.toFixed(3)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    expect(votes.tangent).toBeGreaterThan(votes.euclidean + 0.02);
  });

  it("reports its accuracy beside the network's after training", async () => {
    const technique = tangentDistance({ k: 1, along: ["translate"] });
    const result = technique.finalMetrics!({ model: new Model("m", [28, 28, 1], [flatten(), dense(10)], 1), data: digits, tasks: [classify("digit", { output: "output", target: "label" })], predict: () => new Map() });
    expect(Object.keys(result["tangent_distance"]!).sort()).toEqual(["k", "queries", "references", "test_accuracy", "test_euclidean_accuracy"]);
    expect(result["tangent_distance"]!["references"]).toBe(500);
  });
});

/** Gaussian elimination with partial pivoting, for the small reference systems. */
function solve(matrix: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < n; col++) {
    const pivot = a.slice(col).reduce((best, row, i) => (Math.abs(row[col]!) > Math.abs(a[best]![col]!) ? col + i : best), col);
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const solution = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let value = a[row]![n]!;
    for (let k = row + 1; k < n; k++) value -= a[row]![k]! * solution[k]!;
    solution[row] = value / a[row]![row]!;
  }
  return solution;
}
