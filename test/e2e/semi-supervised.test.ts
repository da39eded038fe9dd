import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { EXAMPLES, ROOT, startRegc } from "./support.js";

/** Example C (100 labels, 5,000 unlabeled digits, all four §7.6 terms) from the command line, shortened to 5 of its 40 epochs. */

const scratch = mkdtempSync(join(ROOT, ".scratch-semi-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("example C", () => {
  it("checks, compiles and trains: test accuracy far above chance, every unlabeled term in the objective", async () => {
    const runs = join(scratch, "runs");
    const run = await startRegc(["run", join(EXAMPLES, "c-semi-supervised.reg"), "--epochs", "5", "--backend", "wasm", "--runs", runs], scratch);
    expect(run.code, run.stderr).toBe(0);
    const folder = join(runs, readdirSync(runs).find((name) => !name.startsWith("."))!);
    const metrics = JSON.parse(readFileSync(join(folder, "metrics.json"), "utf8")) as FinalMetrics;
    expect(metrics.splits.test!.accuracy).toBeGreaterThan(0.4);
    // The unlabeled split has no targets: it is used, never scored.
    expect(metrics.splits.unlabeled).toBeUndefined();
    // The objective is the task loss plus the unlabeled terms, which are positive (VAT from the first step).
    const history = JSON.parse(readFileSync(join(folder, "history.json"), "utf8")) as History;
    for (const epoch of history.epochs) expect(epoch.train.loss!).toBeGreaterThan(epoch.train.digit_loss! + 0.1);
    const program = readFileSync(join(folder, "c-semi-supervised.ts"), "utf8");
    for (const factory of ["vat", "pseudoLabel", "consistency", "entropyMin"]) expect(program).toMatch(new RegExp(`reg\\.${factory}\\(\\{ using: "unlabeled"`));
  }, 120_000);
});
