import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../../src/compiler/index.js";
import { formatSpec } from "../../src/compiler/format/index.js";
import { numberText, writePoint } from "../../src/compiler/tuning/write-point.js";
import { EXAMPLES_DIR } from "../support/examples.js";

const path = join(EXAMPLES_DIR, "tuning", "a-dropout-maxnorm.reg");
const tuning = readFileSync(path, "utf8");
const point = { "mlp.dropout.rate": 0.35, "mlp.dropout.rate#2": 0.612, "mlp.maxnorm.c": "3" };

describe("the spec at a point", () => {
  const written = writePoint(tuning, point);

  it("writes each chosen value in place of its space and drops the tune block", () => {
    expect(written).toContain("  dropout(0.35)\n  h2");
    expect(written).toContain("  dropout(0.612)\n  out");
    expect(written).toContain("maxnorm(3) on h1.kernel, h2.kernel, out.kernel");
    expect(written).not.toContain("tune {");
    expect(check(written).program.spaces).toEqual([]);
  });

  it("keeps the comments, passes check, and is formatted", () => {
    expect(written.startsWith("// Example A with its dropout rate")).toBe(true);
    expect(check(written, { path }).diagnostics).toEqual([]);
    expect(formatSpec(written)).toEqual({ ok: true, text: written });
  });

  it("is example A itself at example A's values", () => {
    const a = readFileSync(join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg"), "utf8");
    const header = "// Example A with its dropout rate and max-norm radius searched on the validation split.\n";
    expect(header + a).toBe(writePoint(tuning, { "mlp.dropout.rate": 0.5, "mlp.dropout.rate#2": 0.5, "mlp.maxnorm.c": "3" }));
  });

  it("writes numbers as a person would, with the space's unit", () => {
    expect([numberText(3e-5), numberText(2.46e-6), numberText(0.0123), numberText(128)]).toEqual(["3e-5", "2.46e-6", "0.0123", "128"]);
    const rotated = "model m(d.input) {\n  out = dense(10)\n}\n\nregularize m {\n  augment(rotate: uniform(5deg, 15deg))\n}\n";
    expect(writePoint(rotated, { "m.augment.rotate": 7.5 })).toContain("augment(rotate: 7.5deg)");
  });
});
