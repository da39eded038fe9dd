import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/compiler/index.js";
import { emitTypeScript } from "../src/compiler/emit/emit.js";
import { EXAMPLES_DIR } from "./support/examples.js";

/**
 * How technique clauses reach the generated code: `on` lists of layers,
 * lengths whose unit the bound number alone cannot carry, and
 * model-structure clauses that are techniques rather than inserted layers.
 */

/** A contract example with its regularize block's clauses replaced, compiled in memory. */
async function compileWith(example: string, clauses: readonly string[]): Promise<string> {
  const path = join(EXAMPLES_DIR, `${example}.reg`);
  const original = readFileSync(path, "utf8");
  const start = original.indexOf("\nregularize ");
  const head = original.slice(0, original.indexOf("{", start) + 1);
  const text = `${head}\n${clauses.map((clause) => `  ${clause}`).join("\n")}\n}\n`;
  const checked = check(text, { path });
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const emitted = await emitTypeScript({ checked, text, specPath: path, outDir: join(EXAMPLES_DIR, "out") });
  if (!emitted.ok) throw new Error(emitted.diagnostics.map((d) => d.message).join("\n"));
  return emitted.code;
}

/** Code without layout, so that prettier's line breaks do not matter. */
const flat = (code: string) => code.replace(/\s+/g, "").replace(/,([}\])])/g, "$1");

describe("technique clauses in generated code", () => {
  it("weight_noise is a technique over the expanded parameters, not a layer of the model", async () => {
    const code = await compileWith("d-multitask-cars", ["weight_noise(0.01) on *.kernel", "activity_l1(1e-4) on t2", "uncertainty_weighting()"]);
    expect(code).toContain('reg.weightNoise(0.01, { on: ["t1.kernel", "t2.kernel", "mpg.kernel", "origin.kernel"] })');
    expect(code).not.toMatch(/reg\.weightNoise\([^)]*\), \/\/ /);
    expect(code).toContain('reg.activityL1(0.0001, { on: ["t2"] })');
    expect(code).toContain("reg.uncertaintyWeighting()");
  });

  it("kl_sparsity gets its layers and both arguments", async () => {
    const code = await compileWith("e-tied-autoencoder", ["kl_sparsity(target: 0.05, weight: 1e-3) on enc"]);
    expect(code).toContain('reg.klSparsity({ on: ["enc"], target: 0.05, weight: 0.001 })');
  });

  it("augment's lengths say whether they are pixels or fractions of the side", async () => {
    const fraction = await compileWith("a-mlp-dropout-maxnorm", ["augment(rotate: 10deg, translate: 10%, crop: 2px, flip: horizontal, elastic: 34)"]);
    expect(flat(fraction)).toContain(flat('reg.augment({ translateUnit: "fraction", cropUnit: "px", rotate: 10, translate: 0.1, flip: "horizontal", elastic: 34, crop: 2 })'));
    const pixels = await compileWith("a-mlp-dropout-maxnorm", ["augment(translate: [-2px, 3px], scale: 0.1)"]);
    expect(flat(pixels)).toContain(flat('reg.augment({ translateUnit: "px", translate: [-2, 3], scale: 0.1 })'));
  });
});
