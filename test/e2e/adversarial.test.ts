import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FinalMetrics } from "../../src/runtime/run/history.js";
import { digitsSpec } from "../support/digits-spec.js";
import { ROOT, startRegc } from "./support.js";

/** `regc run` with an adversarial clause: the test split measured clean and under the same attack, everywhere results go. */

const scratch = mkdtempSync(join(ROOT, ".scratch-adversarial-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SPEC = digitsSpec({ split: { train: 300, test: 200 }, optimizer: "adam(lr: 1e-3)", regularize: ["pgd(eps: 0.1, steps: 3, weight: 0.5)"] });

describe("regc run with pgd", () => {
  it("prints, saves and reports the test accuracy clean and under the attack it trained with", async () => {
    writeFileSync(join(scratch, "robust.reg"), SPEC);
    const runs = join(scratch, "runs");
    const run = await startRegc(["run", "robust.reg", "--backend", "wasm", "--runs", runs], scratch);
    expect(run.code, run.stderr).toBe(0);
    // No `step:` given: 2.5·ε/steps.
    const attacked = "test under pgd(eps: 0.1, steps: 3, step: 0.0833333)";
    expect(run.stderr).toMatch(/^test \(clean\): loss [\d.]+ .*accuracy [\d.]+$/m);
    expect(run.stderr).toContain(`${attacked}: loss`);
    const folder = join(runs, readdirSync(runs).find((name) => !name.startsWith("."))!);
    const metrics = JSON.parse(readFileSync(join(folder, "metrics.json"), "utf8")) as FinalMetrics;
    expect(metrics.extra!["test (clean)"]!.accuracy).toBe(metrics.splits.test!.accuracy);
    expect(metrics.extra![attacked]!.accuracy).toBeLessThan(metrics.splits.test!.accuracy!);
    const report = readFileSync(join(folder, "report.html"), "utf8");
    expect(report).toContain(`<h2 id="other-results">Other results</h2>`);
    expect(report).toContain(`<th>${attacked}</th>`);
  }, 60_000);
});
