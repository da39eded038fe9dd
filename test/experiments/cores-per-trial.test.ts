import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { coresPerTrial } from "../../src/experiments/execute-trial.js";

/** A trial's bagging members share the cores the trials leave: never more processes than cores. */
describe("coresPerTrial", () => {
  const cores = availableParallelism();

  it("gives each trial one process for its members while trials fill every core, or more", () => {
    expect(coresPerTrial(cores)).toBe(1);
    expect(coresPerTrial(cores + 3)).toBe(1);
  });

  it("shares spare cores among the trials, rounding down", () => {
    expect(coresPerTrial(1)).toBe(cores);
    for (let trials = 1; trials <= cores; trials++) expect(coresPerTrial(trials) * trials).toBeLessThanOrEqual(cores);
    expect(coresPerTrial(0)).toBe(cores);
  });
});
