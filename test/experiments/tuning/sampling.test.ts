import { describe, expect, it } from "vitest";
import { grid, gridSize, randomPoint, type Domain } from "../../../src/experiments/tuning/sampling.js";

const choices: Domain[] = [
  { name: "mlp.dropout.rate", kind: "choice", options: ["0.2", "0.5", "0.8"] },
  { name: "mlp.h1.activation", kind: "choice", options: ["relu", "tanh"] },
  { name: "mlp.maxnorm.c", kind: "choice", options: ["2", "3", "4", "5"] },
];

describe("grid", () => {
  it("enumerates exactly the product of the choices, each point once", () => {
    const points = grid(choices);
    expect(gridSize(choices)).toBe(24);
    expect(points).toHaveLength(24);
    const expected: string[] = [];
    for (const a of ["0.2", "0.5", "0.8"]) for (const b of ["relu", "tanh"]) for (const c of ["2", "3", "4", "5"]) expected.push([a, b, c].join("|"));
    expect(points.map((p) => choices.map((d) => p[d.name]).join("|"))).toEqual(expected);
  });

  it("has no points over a range space", () => {
    expect(gridSize([...choices, { name: "x", kind: "uniform", low: 0, high: 1 }])).toBeNaN();
  });
});

describe("random points", () => {
  const domains: Domain[] = [
    { name: "rate", kind: "uniform", low: 0.2, high: 0.7 },
    { name: "lambda", kind: "log_uniform", low: 1e-6, high: 1e-2 },
    { name: "units", kind: "int_uniform", low: 3, high: 6 },
    { name: "activation", kind: "choice", options: ["relu", "tanh", "sigmoid"] },
  ];
  const draws = (seed: number, n = 2000) => Array.from({ length: n }, (_, i) => randomPoint(domains, seed, i));

  it("are the same for the same seed and differ for another", () => {
    expect(draws(7, 50)).toEqual(draws(7, 50));
    const other = draws(8, 50);
    expect(other.filter((p, i) => p["rate"] === draws(7, 50)[i]!["rate"]).length).toBeLessThan(5);
  });

  it("depend only on the seed and the trial's index", () => {
    expect(randomPoint(domains, 7, 41)).toEqual(draws(7, 42)[41]);
  });

  it("stay inside each space and cover it", () => {
    const points = draws(3);
    const rates = points.map((p) => p["rate"] as number);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.2);
    expect(Math.max(...rates)).toBeLessThanOrEqual(0.7);
    // Uniform: about a fifth of the draws in each fifth of the range.
    const firstFifth = rates.filter((r) => r < 0.3).length / rates.length;
    expect(firstFifth).toBeGreaterThan(0.16);
    expect(firstFifth).toBeLessThan(0.24);
    const units = points.map((p) => p["units"] as number);
    expect(new Set(units)).toEqual(new Set([3, 4, 5, 6]));
    expect(units.every(Number.isInteger)).toBe(true);
    const activations = points.map((p) => p["activation"]);
    for (const word of ["relu", "tanh", "sigmoid"]) expect(activations.filter((a) => a === word).length / points.length).toBeCloseTo(1 / 3, 1);
  });

  it("draw log-uniform values uniformly by order of magnitude", () => {
    const lambdas = draws(5).map((p) => p["lambda"] as number);
    expect(Math.min(...lambdas)).toBeGreaterThanOrEqual(1e-6);
    expect(Math.max(...lambdas)).toBeLessThanOrEqual(1e-2);
    // Each of the four decades holds about a quarter; the geometric mean 1e-4 splits them in half.
    const belowMiddle = lambdas.filter((l) => l < 1e-4).length / lambdas.length;
    expect(belowMiddle).toBeGreaterThan(0.45);
    expect(belowMiddle).toBeLessThan(0.55);
    const firstDecade = lambdas.filter((l) => l < 1e-5).length / lambdas.length;
    expect(firstDecade).toBeGreaterThan(0.21);
    expect(firstDecade).toBeLessThan(0.29);
  });

  it("are written with three significant digits", () => {
    for (const p of draws(9, 100)) {
      expect(Number((p["rate"] as number).toPrecision(3))).toBe(p["rate"]);
      expect(Number((p["lambda"] as number).toPrecision(3))).toBe(p["lambda"]);
    }
  });
});
