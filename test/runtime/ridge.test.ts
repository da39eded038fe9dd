import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset, DataSplit } from "../../src/runtime/data/dataset.js";
import { loadData } from "../../src/runtime/data/load.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { assignRidge, solveRidge, type RidgeSolution } from "../../src/runtime/solve/ridge.js";

/**
 * §7.3's closed-form ridge on example F's real data (40 rows, 100 features,
 * 30 training rows), against an independent float64 reference: Gauss–Jordan
 * elimination on the normal equations of the uncentred problem with the
 * intercept as an extra unknown, and the optimality conditions themselves.
 */

const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");
const ALPHA = 0.1;

let data: Dataset;
let train: DataSplit;
/** The training split in float64: rows of x, and y. */
let X: number[][];
let Y: number[];

beforeAll(async () => {
  await selectBackend("cpu");
  const header = readFileSync(join(EXAMPLES, "data", "wide.csv"), "utf8").split(/\r?\n/, 1)[0]!.split(",");
  const features = header.filter((column) => column !== "y");
  expect(features).toHaveLength(100);
  data = await loadData({
    name: "small",
    source: { kind: "csv", path: "data/wide.csv", specFolder: EXAMPLES },
    features,
    targets: [{ name: "y", kind: "number", column: "y" }],
    split: { train: 0.75, test: 0.25 },
    seed: 0,
  });
  train = data.splits["train"]!;
  const flat = Array.from(train.x.dataSync());
  X = Array.from({ length: train.rows }, (_, r) => flat.slice(r * 100, (r + 1) * 100));
  Y = Array.from(train.targets["y"]!.dataSync());
});

afterAll(() => {
  for (const split of Object.values(data?.splits ?? {})) tf.dispose([split.x, ...Object.values(split.targets)]);
});

/** Solves A·z = b by Gauss–Jordan elimination with partial pivoting (float64). */
function gaussJordan(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    for (let c = col; c <= n; c++) m[col]![c]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row) => row[n]!);
}

/**
 * The minimizer of ‖Xw + b − y‖² + α‖w‖² (+ α·b² when the bias is
 * penalized): zero gradient in (w, b) gives the (p+1)×(p+1) system
 * [XᵀX + αI, Xᵀ1; 1ᵀX, n (+ α)]·[w; b] = [Xᵀy; 1ᵀy].
 */
function reference(alpha: number, penalizeBias: boolean): { w: number[]; b: number } {
  const n = X.length;
  const p = X[0]!.length;
  const a = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
  const rhs = new Array<number>(p + 1).fill(0);
  for (let r = 0; r < n; r++) {
    const row = [...X[r]!, 1];
    for (let i = 0; i <= p; i++) {
      rhs[i]! += row[i]! * Y[r]!;
      for (let j = 0; j <= p; j++) a[i]![j]! += row[i]! * row[j]!;
    }
  }
  for (let i = 0; i < p; i++) a[i]![i]! += alpha;
  if (penalizeBias) a[p]![p]! += alpha;
  const z = gaussJordan(a, rhs);
  return { w: z.slice(0, p), b: z[p]! };
}

/** The residuals Xw + b − y of a solution. */
function residuals(solution: RidgeSolution): number[] {
  return X.map((row, r) => row.reduce((sum, x, c) => sum + x * solution.kernel[c]!, solution.bias[0]!) - Y[r]!);
}

describe("solveRidge on example F (wide.csv, α = 0.1)", () => {
  it("loads 30 training rows of 100 features: more parameters than rows", () => {
    expect(train.rows).toBe(30);
    expect(train.x.shape).toEqual([30, 100]);
    expect(train.targets["y"]!.shape).toEqual([30, 1]);
  });

  for (const penalizeBias of [false, true]) {
    describe(penalizeBias ? "penalized bias" : "unpenalized bias", () => {
      let solution: RidgeSolution;
      beforeAll(() => {
        solution = solveRidge(train, { layer: "out", target: "y", alpha: ALPHA, penalizeBias });
      });

      it("equals the Gauss–Jordan reference to 1e-6", () => {
        expect(solution.inputs).toBe(100);
        expect(solution.outputs).toBe(1);
        expect(solution.kernel).toHaveLength(100);
        expect(solution.bias).toHaveLength(1);
        const { w, b } = reference(ALPHA, penalizeBias);
        const worst = Math.max(...w.map((value, i) => Math.abs(value - solution.kernel[i]!)), Math.abs(b - solution.bias[0]!));
        expect(worst).toBeLessThan(1e-6);
        // Not a trivial solution.
        expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(1e-2);
      });

      it("satisfies the optimality conditions: Xᵀr + αw = 0 and Σr (+ αb) = 0", () => {
        const r = residuals(solution);
        const scale = Math.max(...Array.from({ length: 100 }, (_, c) => Math.abs(X.reduce((sum, row, i) => sum + row[c]! * Y[i]!, 0))));
        for (let c = 0; c < 100; c++) {
          const gradient = X.reduce((sum, row, i) => sum + row[c]! * r[i]!, 0) + ALPHA * solution.kernel[c]!;
          expect(Math.abs(gradient) / scale, `∂/∂w${c}`).toBeLessThan(1e-9);
        }
        const biasGradient = r.reduce((a, b) => a + b, 0) + (penalizeBias ? ALPHA * solution.bias[0]! : 0);
        expect(Math.abs(biasGradient) / scale).toBeLessThan(1e-9);
      });
    });
  }

  it("penalizing the bias changes it: the two variants differ", () => {
    const free = solveRidge(train, { layer: "out", target: "y", alpha: ALPHA, penalizeBias: false });
    const penalized = solveRidge(train, { layer: "out", target: "y", alpha: ALPHA, penalizeBias: true });
    expect(Math.abs(free.bias[0]! - penalized.bias[0]!)).toBeGreaterThan(1e-4);
    // An unpenalized intercept makes the residuals sum to zero; a penalized one does not.
    expect(Math.abs(residuals(free).reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
    expect(Math.abs(residuals(penalized).reduce((a, b) => a + b, 0))).toBeGreaterThan(1e-6);
  });

  it("a larger α gives a smaller ‖w‖ (shrinkage)", () => {
    const norm = (alpha: number) =>
      Math.hypot(...solveRidge(train, { layer: "out", target: "y", alpha, penalizeBias: false }).kernel);
    expect(norm(1)).toBeLessThan(norm(0.1));
    expect(norm(10)).toBeLessThan(norm(1));
  });

  it("α = 0 on 30 rows × 100 features is singular: an error, not a made-up solution", () => {
    expect(() => solveRidge(train, { layer: "out", target: "y", alpha: 0, penalizeBias: false })).toThrow(/not positive definite/);
  });

  it("α = 0 is an error for every rank-deficient problem, whatever the sign of the rounding; full rank still solves", () => {
    // 10 rows, 12 columns: XᵀX has rank ≤ 10. Rounding makes the last pivots ±1e-15·‖XᵀX‖, which
    // a test of `pivot ≤ 0` lets through about one time in ten.
    const solve = (rows: number, columns: number, seed: number, penalizeBias: boolean) => () => {
      const x = tf.randomNormal([rows, columns], 0, 1, "float32", seed);
      const y = tf.randomNormal([rows, 1], 0, 1, "float32", 1000 + seed);
      try {
        return solveRidge({ name: "synthetic", rows, x, targets: { y } }, { layer: "out", target: "y", alpha: 0, penalizeBias });
      } finally {
        tf.dispose([x, y]);
      }
    };
    for (let seed = 0; seed < 100; seed++) {
      for (const penalizeBias of [false, true]) {
        expect(solve(10, 12, seed, penalizeBias), `seed ${seed}, penalizeBias ${penalizeBias}`).toThrow(/not positive definite/);
      }
    }
    expect(solve(8, 5, 1, false)).not.toThrow();
  });

  it("an unknown target is an error", () => {
    expect(() => solveRidge(train, { layer: "out", target: "mpg", alpha: ALPHA, penalizeBias: false })).toThrow(/no target mpg/);
  });

  it("assignRidge writes the kernel and bias into the model's dense layer; its predictions are Xw + b", () => {
    const solution = solveRidge(train, { layer: "out", target: "y", alpha: ALPHA, penalizeBias: false });
    const model = new Model("linear", [100], [dense(1, { name: "out" })], 3);
    try {
      assignRidge(model, "out", solution);
      expect(model.params.get("out.kernel")!.shape).toEqual([100, 1]);
      expect(Array.from(model.params.get("out.kernel")!.dataSync())).toEqual(Array.from(Float32Array.from(solution.kernel)));
      expect(Array.from(model.params.get("out.bias")!.dataSync())).toEqual([Math.fround(solution.bias[0]!)]);
      const predicted = tf.tidy(() => Array.from(model.forward(train.x, { training: false, seed: 0 }).output.dataSync()));
      const byHand = residuals(solution).map((r, i) => r + Y[i]!);
      predicted.forEach((value, i) => expect(value, `row ${i}`).toBeCloseTo(byHand[i]!, 3));
      expect(() => assignRidge(model, "h1", solution)).toThrow(/no h1\.kernel/);
    } finally {
      model.dispose();
    }
  });
});
