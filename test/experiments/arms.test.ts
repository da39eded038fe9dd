import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, hasErrors } from "../../src/compiler/index.js";
import { deriveArms } from "../../src/experiments/ablation/arms.js";
import { EXAMPLES } from "../e2e/support.js";

function armsOf(file: string) {
  const path = join(EXAMPLES, file);
  return { path, arms: deriveArms(readFileSync(path, "utf8"), path) };
}

describe("deriveArms", () => {
  it("example A: full, one arm per clause named by its own text, and none; every reduced spec checks clean", () => {
    const { path, arms } = armsOf("a-mlp-dropout-maxnorm.reg");
    expect(arms.map((arm) => [arm.id, arm.name])).toEqual([
      ["full", "full"],
      ["without-maxnorm", "maxnorm(3) on h1.kernel, h2.kernel, out.kernel"],
      ["without-l2", "l2(1e-5) on *.kernel"],
      ["without-early_stop", "early_stop(monitor: val_loss, patience: 20, restore_best: true)"],
      ["none", "none"],
    ]);
    for (const arm of arms) {
      expect(arm.notRemovable).toBeUndefined();
      expect(hasErrors(check(arm.text!, { path }).diagnostics)).toBe(false);
    }
    const withoutL2 = arms.find((arm) => arm.id === "without-l2")!;
    expect(withoutL2.text).not.toContain("l2(");
    expect(withoutL2.text).toContain("maxnorm(3) on h1.kernel");
    expect(withoutL2.text).toContain("// 1,000 real MNIST digits"); // comments survive the printer
    const none = arms.find((arm) => arm.id === "none")!;
    expect(none.text).not.toContain("regularize");
    expect(none.removed).toHaveLength(3);
    expect(none.text).toContain("dropout(0.5)"); // layers stay: only regularize clauses are arms
  });

  it("example F: the l2 that closed_form needs is not removable, with the checker's diagnostic", () => {
    const { arms } = armsOf("f-underconstrained-ridge.reg");
    expect(arms.map((arm) => arm.id)).toEqual(["full", "without-l2"]);
    expect(arms[1]!.text).toBeUndefined();
    expect(arms[1]!.notRemovable).toMatch(/^error\[REG4006\] at \d+:\d+ of the reduced spec: `solver closed_form` without `l2`/);
  });

  it("numbers arms that remove the same technique twice", () => {
    const text = readFileSync(join(EXAMPLES, "a-mlp-dropout-maxnorm.reg"), "utf8").replace("  l2(1e-5) on *.kernel\n", "  l2(1e-5) on h1.kernel\n  l2(1e-4) on out.kernel\n");
    const arms = deriveArms(text, join(EXAMPLES, "a.reg"));
    expect(arms.filter((arm) => arm.technique === "l2").map((arm) => [arm.id, arm.name])).toEqual([
      ["without-l2", "l2(1e-5) on h1.kernel"],
      ["without-l2-2", "l2(1e-4) on out.kernel"],
    ]);
    expect(arms.find((arm) => arm.id === "without-l2-2")!.text).toContain("l2(1e-5) on h1.kernel");
  });
});
